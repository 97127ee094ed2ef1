import { PROBE_MAX_TOKENS } from "../../core/runtime";
import { names } from "../../core/aws";
import { startLocalEndpoint } from "../../local/endpoint";
import { HAIKU, NOVA, REGION, tempDir } from "../fixtures";
import { converseCalls, devEnvironment, type Fixture, runSmoke, useSharedFixture, writeManifests } from "./fixtures";

// Smoke against the local endpoint for an environment with a flex route and a guarded route: each probed the way its
// routes call the model, over the wire, with interventions, refused tiers and missing guardrails.

/** dev plus a flex route on Nova Lite and a guarded route on Haiku (its own workload, so IAM can require the guardrail). */
const environment = devEnvironment((c) => {
  c.guardrails = { safety: { contentFilters: [{ type: "HATE", inputStrength: "HIGH" }], blockedInputMessaging: "Sorry, no." } };
  c.routes.bulk = { primary: NOVA.modelId, maxTokens: 128, serviceTier: "flex" };
  c.routes.moderated = { primary: HAIKU.modelId, maxTokens: 256, guardrail: "safety" };
  c.workloads.moderation = { routes: ["moderated"], role: { assumedByServices: ["lambda.amazonaws.com"] } };
});
const AWS_NAME = names.guardrail("dev", "safety");

const f = useSharedFixture(environment, (fixture) => fixture.endpoint.configure({ serviceTiers: {} }));

const guarded = () => `${f().haiku} guardrail=safety`;
const flex = () => `${f().nova} tier=flex`;

describe("probes per model, tier and guardrail", () => {
  test("a healthy stand-in: every way each model is called passes, and the guarded and tiered probes carry what their routes send", async () => {
    const r = await runSmoke(f(), ["--stream"]);
    expect(r.code).toBe(0);
    for (const subject of [f().haiku, guarded(), f().nova, flex()])
      for (const kind of ["converse", "stream"]) expect(`${kind} ${subject}: ${r.check(kind, subject).verdict}`).toBe(`${kind} ${subject}: PASS`);
    // The routing document deployed (real guardrail ARN) matches the synthesized one (APPLY_TIME there).
    expect(r.check("routing", `${f().manifests[0].appConfig.application}/${f().manifests[0].appConfig.environment}/${f().manifests[0].appConfig.profile}`).verdict).toBe("PASS");
    expect(f().manifests[0].routingDocument.routes.moderated.guardrail).toEqual({ name: "safety", identifier: "(known after apply)", version: "(known after apply)" });

    const haikuCalls = converseCalls(f(), f().haiku);
    expect(haikuCalls.map((c) => c.guardrail?.split(":guardrail/")[0] ?? "none").sort()).toEqual(["arn:aws:bedrock:us-east-1:123456789012", "none"]);
    expect(haikuCalls.every((c) => c.serviceTier === undefined && c.maxTokens! <= PROBE_MAX_TOKENS)).toBe(true);
    expect(converseCalls(f(), f().nova).map((c) => c.serviceTier ?? "none").sort()).toEqual(["flex", "none"]);

    expect(r.check("converse", flex())).toMatchObject({ serviceTier: "flex", outcome: "ok" });
    expect(r.check("converse", flex()).hint).toMatch(/tier flex/);
    expect(r.check("converse", guarded())).toMatchObject({ guardrail: "safety", guardrailIntervened: false, outcome: "ok" });
    expect(r.check("converse", f().haiku)).not.toHaveProperty("guardrail");
    // Quota rows stay one per (route, model).
    expect(r.check("quota", `moderated ${f().haiku}`).verdict).toBe("PASS");
    expect(r.check("quota", `bulk ${f().nova}`).verdict).toBe("PASS");
  });

  test("a guardrail that intervenes on the probe is a pass, with a note saying so", async () => {
    f().endpoint.scriptGuardrail({ guardrail: AWS_NAME, intervene: "input" });
    const r = await runSmoke(f(), ["--stream"]);
    expect(r.code).toBe(0);
    for (const kind of ["converse", "stream"]) {
      const c = r.check(kind, guarded());
      expect({ verdict: c.verdict, outcome: c.outcome, stop: c.stopReason, intervened: c.guardrailIntervened }).toEqual({ verdict: "PASS", outcome: "guardrail-intervened", stop: "guardrail_intervened", intervened: true });
      expect(c.hint).toMatch(/^guardrail safety intervened on the probe: a pass/);
      // Not retried: one call each.
      expect(c.attempts).toHaveLength(1);
    }
    expect(r.check("converse", f().haiku).outcome).toBe("ok");
  });

  test("a tier the model refuses fails that probe as configuration, naming the routes and the fix; the untiered probe passes", async () => {
    f().endpoint.configure({ serviceTiers: { [NOVA.modelId]: ["default"] } });
    const r = await runSmoke(f());
    expect(r.code).toBe(1);
    const c = r.check("converse", flex());
    expect({ verdict: c.verdict, category: c.category, outcome: c.outcome }).toEqual({ verdict: "FAIL", category: "configuration", outcome: "service-tier-unsupported" });
    expect(c.hint).toMatch(/routes bulk request flex: set routes\.<task>\.serviceTier in config\/dev\.json/);
    expect(converseCalls(f(), f().nova).filter((x) => x.serviceTier === "flex")).toHaveLength(1);
    expect(r.check("converse", f().nova).verdict).toBe("PASS");
  });

  test("a missing guardrail (re-created, so the deployed identifier no longer resolves) fails as configuration with the fix", async () => {
    const deployed = JSON.parse(f().endpoint.appConfig.hostedVersions({ region: REGION })[0].content).routes.moderated.guardrail.identifier as string;
    const recreated = f().endpoint.seedGuardrail(REGION, { name: AWS_NAME, id: "recreated0001" });
    try {
      const r = await runSmoke(f());
      expect(r.code).toBe(1);
      const c = r.check("converse", guarded());
      expect({ verdict: c.verdict, category: c.category, outcome: c.outcome }).toEqual({ verdict: "FAIL", category: "configuration", outcome: "guardrail-not-found" });
      expect(c.hint).toContain(`cdktf deploy '${f().manifests[0].stack}' creates and publishes it`);
      expect(c.message).toBe("The provided guardrail identifier is invalid.");
      expect(r.check("converse", f().haiku).verdict).toBe("PASS");
    } finally {
      expect(recreated.arn).not.toBe(deployed);
      // Back as deployed, for whatever runs after.
      f().endpoint.seedGuardrail(REGION, { name: AWS_NAME, id: deployed.slice(deployed.lastIndexOf("/") + 1), blockedInputMessaging: "Sorry, no." });
    }
  });
});

describe("without a readable deployed document", () => {
  test("guarded targets from the synthesized document (guardrail known only after apply) are reported, not probed", async () => {
    const endpoint = await startLocalEndpoint();
    const dir = tempDir("smoke-apply-time");
    try {
      const { manifestDir } = writeManifests(environment, dir);
      // Nothing deployed: no AppConfig, so smoke falls back to the synthesized document.
      const r = await runSmoke({ ...f(), endpoint, manifestDir, workDir: dir } as Fixture);
      const c = r.check("converse", guarded());
      expect({ verdict: c.verdict, outcome: c.outcome, category: c.category }).toEqual({ verdict: "WARN", outcome: "not-probed", category: "routing-document" });
      expect(c.hint).toMatch(/exists only after apply/);
      expect(endpoint.calls.filter((x) => x.service === "bedrock-runtime" && x.guardrail !== undefined)).toEqual([]);
      // The unguarded targets are still probed (and the flex one with its tier).
      expect(r.check("converse", flex()).verdict).toBe("PASS");
    } finally {
      await endpoint.close();
    }
  });
});
