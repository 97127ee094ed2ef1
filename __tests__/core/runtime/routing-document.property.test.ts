import fc from "fast-check";
import { modelOf, parseRoutingDocument, routeOf, routingDocumentSchema } from "../../../core/runtime";
import { NOVA, REGION } from "../../fixtures";
import { BUILT_IN_NAMES, entryValue, nameArb, objectText, routeValue, wellFormedText } from "./routing-document-arbitraries";

// Property: whatever text AppConfig hands over, the parser returns a valid document or a one-line reason; it never
// throws and never touches Object.prototype. Names that are built-in object properties are ordinary names (or, for
// `__proto__`, refused cleanly).

/** Documents near the valid shape (most mutations are one field away), plus arbitrary JSON and non-JSON text. */
const documentText = fc.oneof(
  { weight: 8, arbitrary: wellFormedText },
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.uniqueArray(fc.tuple(nameArb, entryValue), { maxLength: 5, selector: ([k]) => k }), fc.uniqueArray(fc.tuple(nameArb, routeValue(nameArb)), { maxLength: 4, selector: ([k]) => k }), fc.constantFrom(1, 2, "1"), fc.constantFrom(REGION, "", 7))
      .map(([models, routes, schemaVersion, region]) =>
        objectText([
          ["schemaVersion", schemaVersion],
          ["environment", "dev"],
          ["region", region],
          ["models", objectText(models)],
          ["routes", objectText(routes)],
        ]),
      ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
);

function prototypeSnapshot(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe("parseRoutingDocument, property-based", () => {
  const proto = prototypeSnapshot();

  it("returns a valid document or a one-line, escaped, bounded reason; never throws; never changes Object.prototype", () => {
    let valid = 0;
    fc.assert(
      fc.property(documentText, (text) => {
        const r = parseRoutingDocument(text);
        expect(prototypeSnapshot()).toEqual(proto);
        expect(({} as Record<string, unknown>).enabled).toBeUndefined();
        if (typeof r === "string") {
          expect(r).not.toMatch(UNSAFE);
          expect(r.length).toBeLessThan(2000);
          return;
        }
        valid++;
        expect(routingDocumentSchema.safeParse(r).success).toBe(true);
        expect(Object.hasOwn(r.models, "__proto__")).toBe(false);
        // Every name a route references is an own model entry: `constructor` resolves to the document's entry.
        for (const [task, route] of Object.entries(r.routes)) {
          expect(routeOf(r, task)).toBe(route);
          for (const id of [route.primary, ...route.fallbacks]) expect(modelOf(r, id)).toBe(r.models[id]);
        }
        // Parsing what the parser returned gives the same document.
        expect(parseRoutingDocument(JSON.stringify(r))).toEqual(r);
      }),
      { numRuns: 2000 },
    );
    // The generator reaches the valid branch often enough for its checks to mean something.
    expect(valid).toBeGreaterThan(100);
  });

  it("built-in property names are ordinary model and route names", () => {
    for (const name of BUILT_IN_NAMES.filter((n) => n !== "__proto__")) {
      const text = objectText([
        ["schemaVersion", 1],
        ["environment", "dev"],
        ["region", REGION],
        ["models", objectText([[name, { invokeId: `us.${name}`, enabled: true }]])],
        ["routes", objectText([[name, { primary: name, fallbacks: [], maxTokens: 8 }]])],
      ]);
      const doc = parseRoutingDocument(text);
      if (typeof doc === "string") throw new Error(`${name}: ${doc}`);
      expect(modelOf(doc, name)).toEqual({ invokeId: `us.${name}`, enabled: true });
      expect(routeOf(doc, name)?.primary).toBe(name);
    }
  });

  it("a route naming a built-in property that is not a model is refused, not resolved to Object.prototype", () => {
    for (const name of BUILT_IN_NAMES) {
      const text = objectText([
        ["schemaVersion", 1],
        ["environment", "dev"],
        ["region", REGION],
        ["models", objectText([[NOVA.modelId, { invokeId: NOVA.invokeId, enabled: true }]])],
        ["routes", objectText([["chat", { primary: name, fallbacks: [], maxTokens: 8 }]])],
      ]);
      expect(parseRoutingDocument(text)).toMatch(/^routes\.chat\.primary: .* is not in models$/);
    }
  });

  it("__proto__ as a model or route name is refused by name, not silently dropped", () => {
    const text = objectText([
      ["schemaVersion", 1],
      ["environment", "dev"],
      ["region", REGION],
      ["models", objectText([["__proto__", { invokeId: "us.x", enabled: true }]])],
      ["routes", objectText([])],
    ]);
    expect(parseRoutingDocument(text)).toMatch(/^models\.__proto__: "__proto__" cannot be a name/);
  });
});
