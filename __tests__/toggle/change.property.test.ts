import fc from "fast-check";
import { modelOf, parseRoutingDocument, routeOf, type RoutingDocument } from "../../core/runtime";
import { applyToggle, routesWithoutEnabledModel, ToggleRefused, type ToggleChange } from "../../toggle/change";
import { BUILT_IN_NAMES, nameArb, wellFormedText } from "../core/runtime/routing-document-arbitraries";

// Property: for any valid document and any change (names drawn from the document, built-in object properties and
// arbitrary text), applyToggle returns a valid document or refuses with one-line reasons; it never throws anything
// else, never mutates its input and never touches Object.prototype.

/** Valid documents only (the toggle starts from what the parser accepted). */
const documents = wellFormedText.map(parseRoutingDocument).filter((d): d is RoutingDocument => typeof d !== "string");

const changes = (doc: RoutingDocument): fc.Arbitrary<ToggleChange> => {
  const own = [...Object.keys(doc.models), ...Object.values(doc.models).map((m) => m.invokeId)];
  const model = own.length ? fc.oneof(fc.constantFrom(...own), nameArb, fc.constantFrom(...BUILT_IN_NAMES)) : fc.oneof(nameArb, fc.constantFrom(...BUILT_IN_NAMES));
  const tasks = Object.keys(doc.routes);
  const task = tasks.length ? fc.oneof(fc.constantFrom(...tasks), nameArb) : nameArb;
  return fc.oneof(
    model.map((m): ToggleChange => ({ kind: "disable", model: m })),
    model.map((m): ToggleChange => ({ kind: "enable", model: m })),
    fc.tuple(task, model).map(([t, m]): ToggleChange => ({ kind: "primary", task: t, model: m })),
    fc
      .tuple(task, own.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...own) }, { weight: 1, arbitrary: model }) : model, fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 99 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 100, -1, 2.5) }))
      .map(([t, m, percent]): ToggleChange => ({ kind: "canary", task: t, model: m, percent })),
    task.map((t): ToggleChange => ({ kind: "promote", task: t })),
    task.map((t): ToggleChange => ({ kind: "abort", task: t })),
  );
};

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const prototypeSnapshot = () => Object.getOwnPropertyNames(Object.prototype).sort();

describe("applyToggle, property-based", () => {
  const proto = prototypeSnapshot();

  it("a valid document or a one-line refusal; input untouched; no prototype change", () => {
    let applied = 0;
    let refused = 0;
    const changedKinds = new Map<string, number>();
    fc.assert(
      fc.property(
        documents.chain((doc) => fc.tuple(fc.constant(doc), changes(doc))),
        ([doc, change]) => {
          const before = JSON.stringify(doc);
          try {
            const r = applyToggle(doc, change);
            applied++;
            if (r.changed) changedKinds.set(change.kind, (changedKinds.get(change.kind) ?? 0) + 1);
            const reparsed = parseRoutingDocument(JSON.stringify(r.document));
            expect(typeof reparsed).not.toBe("string");
            expect(modelOf(r.document, r.modelId)).toBeDefined();
            expect(r.summary).not.toMatch(UNSAFE);
            if (!r.changed) expect(r.document).toEqual(doc);
            else if (change.kind === "primary") expect(routeOf(r.document, change.task)?.primary).toBe(r.modelId);
            else if (change.kind === "canary") expect(routeOf(r.document, change.task)?.canary).toEqual({ model: r.modelId, percent: change.percent });
            else if (change.kind === "promote") {
              const before = routeOf(doc, change.task)!;
              const after = routeOf(r.document, change.task)!;
              expect(after).toMatchObject({ primary: before.canary!.model });
              expect(after.canary).toBeUndefined();
              expect(after.fallbacks[0]).toBe(before.primary);
            } else if (change.kind === "abort") {
              expect(routeOf(r.document, change.task)?.canary).toBeUndefined();
              expect(r.modelId).toBe(routeOf(doc, change.task)?.canary?.model);
            } else {
              expect(modelOf(r.document, r.modelId)?.enabled).toBe(change.kind === "enable");
              // Only this model changed.
              for (const [id, m] of Object.entries(doc.models)) if (id !== r.modelId) expect(r.document.models[id]).toEqual(m);
            }
            if (r.changed && change.kind === "disable") expect(routesWithoutEnabledModel(r.document)).toEqual(routesWithoutEnabledModel(doc));
          } catch (e) {
            if (!(e instanceof ToggleRefused)) throw e;
            refused++;
            expect(e.reasons.length).toBeGreaterThan(0);
            for (const reason of e.reasons) {
              expect(reason).not.toMatch(UNSAFE);
              expect(reason.length).toBeLessThan(4000);
            }
          }
          expect(JSON.stringify(doc)).toBe(before);
          expect(prototypeSnapshot()).toEqual(proto);
          expect(({} as Record<string, unknown>).enabled).toBeUndefined();
        },
      ),
      { numRuns: 2000 },
    );
    // Both outcomes are exercised.
    expect(applied).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
    // The canary changes are exercised where they change something (each 14-50 times per 2,000 runs when measured).
    for (const kind of ["canary", "promote", "abort"]) expect(`${kind}: ${(changedKinds.get(kind) ?? 0) > 0}`).toBe(`${kind}: true`);
  });
});
