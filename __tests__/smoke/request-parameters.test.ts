import type { RequestConstraints } from "../../core/catalog";
import { HAIKU, NOVA } from "../fixtures";
import { converseCalls, devEnvironment, type Fixture, runSmoke, useSharedFixture } from "./fixtures";

// Smoke probes each model the way its routes call it, request parameters included, and reports where the live model
// (the local endpoint, enforcing the constraints it was given) settles or contradicts the catalog's request constraints.

const OPUS_48 = "anthropic.claude-opus-4-8";
const environment = devEnvironment(
  (c) => {
    c.models.push({ id: OPUS_48 });
    c.routes.deep = { primary: OPUS_48, maxTokens: 4096 };
    c.routes.reasoned = { primary: HAIKU.modelId, maxTokens: 2048, thinking: { type: "enabled", budgetTokens: 1024 } };
    c.workloads["support-bot"].routes.push("deep", "reasoned");
  },
  { keepParameters: true },
);
/** The catalog's constraints, as synth wrote them into the manifest (what seedFromManifests gives the endpoint). */
const catalogConstraints = (f: Fixture): Record<string, RequestConstraints> =>
  Object.fromEntries(Object.entries(f.manifests[0].models).flatMap(([id, m]) => (m.requestConstraints ? [[id, m.requestConstraints]] : [])));
const f = useSharedFixture(environment, (fixture) => fixture.endpoint.configure({ requestConstraints: catalogConstraints(fixture) }));
const opus = () => f().manifests[0].models[OPUS_48].invokeId;

describe("probes carry the routes' request parameters", () => {
  test("each way a model is called is probed (temperature, thinking), all pass; Converse serving an unconfirmed model is a WARN naming the overlay fact", async () => {
    const r = await runSmoke(f());
    expect(r.code).toBe(0);
    for (const subject of [f().haiku, `${f().haiku} temperature=0.2`, `${f().haiku} thinking=enabled`, f().nova, `${f().nova} temperature=0.2`, opus()]) expect(`${subject}: ${r.check("converse", subject).verdict}`).toBe(`${subject}: PASS`);
    // The thinking probe takes Anthropic's smallest budget, and stays just above it.
    expect(converseCalls(f(), f().haiku).map((c) => c.maxTokens).sort((a, b) => a! - b!)).toEqual([16, 16, 1024 + 16]);
    const settled = r.check("constraints", `${opus()} converse`);
    expect(settled).toMatchObject({ verdict: "WARN", outcome: "settled", category: "catalog" });
    expect(settled.hint).toBe(`Converse served ${OPUS_48} in us-east-1, where the catalog says unconfirmed: set catalog/overlay.json models["${OPUS_48}"].requestConstraints.converse to "supported" (source: this smoke run)`);
    expect(r.json.checks.filter((c) => c.kind === "constraints")).toHaveLength(1);
  });

  test("a parameter the live model refuses though the catalog says it accepts it: the probe fails, and a WARN row says the catalog is contradicted", async () => {
    f().endpoint.configure({ requestConstraints: { ...catalogConstraints(f()), [HAIKU.modelId]: { temperature: "unset" } } });
    const r = await runSmoke(f());
    expect(r.code).toBe(1);
    const probe = r.check("converse", `${f().haiku} temperature=0.2`);
    expect(probe).toMatchObject({ verdict: "FAIL", outcome: "request-parameter-refused", category: "configuration" });
    expect(probe.hint).toMatch(/routes summarization; the catalog \(requestConstraints in catalog\/overlay\.json, as synthesized\) says the model accepts this request, so the live model contradicts it/);
    expect(r.check("constraints", `${f().haiku} temperature=0.2`)).toMatchObject({ verdict: "WARN", outcome: "contradicted" });
    // Configuration errors are never retried.
    expect(probe.attempts).toHaveLength(1);
    expect(r.check("converse", f().haiku).verdict).toBe("PASS");
  });

  test("a model that declines the probe is its own failure class (refused), never a pass", async () => {
    f().endpoint.scriptAnswer({ modelId: NOVA.modelId, text: "I can't help with that.", stopReason: "refusal" });
    const r = await runSmoke(f());
    expect(r.code).toBe(1);
    const row = r.check("converse", f().nova);
    expect(row).toMatchObject({ verdict: "FAIL", outcome: "refused", category: "refusal", stopReason: "refusal" });
    expect(row.hint).toMatch(/declined the probe prompt \(stop reason refusal\): the routes classification would get refusals/);
    expect(r.json.summary.byCategory.refusal).toBe(2);
    expect(r.stdout.join("\n")).not.toMatch(/can't help/);
  });
});

describe("--check-constraints: one tiny request per refusal the catalog claims", () => {
  const subjects = () => [`${f().haiku} temperature+topP`, `${f().nova} thinking=disabled`, `${opus()} temperature=0.5`, `${opus()} topP=0.5`];

  test("refused as the catalog says: PASS (confirmed)", async () => {
    const r = await runSmoke(f(), ["--check-constraints"]);
    expect(r.code).toBe(0);
    for (const s of subjects()) expect(`${s}: ${r.check("constraints", s).outcome}`).toBe(`${s}: confirmed`);
    expect(r.check("constraints", `${opus()} topP=0.5`).hint).toMatch(/^refused as catalog\/overlay\.json models\["anthropic\.claude-opus-4-8"\]\.requestConstraints\.topP says/);
    // Only what the catalog claims is probed: nothing for a forced tool choice no model here refuses.
    expect(r.json.checks.filter((c) => c.kind === "constraints" && /toolChoice/.test(c.subject))).toEqual([]);
  });

  test("answered where the catalog says refused: WARN (contradicted), naming the fact to correct", async () => {
    f().endpoint.configure({ requestConstraints: {} });
    const r = await runSmoke(f(), ["--check-constraints"]);
    expect(r.code).toBe(0);
    for (const s of subjects()) expect(`${s}: ${r.check("constraints", s).outcome}`).toBe(`${s}: contradicted`);
    expect(r.check("constraints", `${f().nova} thinking=disabled`).hint).toBe(
      `the catalog says ${NOVA.modelId} refuses thinking=disabled, and the live model answered it: correct catalog/overlay.json models["${NOVA.modelId}"].requestConstraints.thinking (source: this smoke run)`,
    );
  });
});
