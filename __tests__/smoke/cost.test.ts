import { names } from "../../core/aws";
import { costPlan, HAIKU } from "../fixtures";
import { runSmoke, useSharedFixture } from "./fixtures";

// Smoke against an environment that attributes cost: it probes each workload's application profiles (as the deployed
// routing document names them) with the same request path as the client, and reports the daily token quotas.

const region = "us-east-1";
const fixture = useSharedFixture(costPlan());
const deployedArn = (workload: string, modelId: string) => {
  const doc = JSON.parse(fixture().endpoint.appConfig.hostedVersions({ region })[0].content);
  return doc.workloads[workload].invokeIds[modelId] as string;
};

describe("smoke with cost attribution", () => {
  it("probes each model once per workload profile its routes call it through, and every probe passes", async () => {
    const r = await runSmoke(fixture(), ["--region", region]);
    expect(r.code).toBe(0);
    const converse = r.json.checks.filter((c) => c.kind === "converse");
    expect(converse.map((c) => c.subject).sort()).toEqual(
      [
        // Opus is code-review's canary; Nova Micro is bulk-extraction's fallback, a flex route at temperature 0.
        "workload=dev-assistant anthropic.claude-opus-4-5-20251101-v1:0 canary=code-review",
        "workload=dev-assistant anthropic.claude-sonnet-4-5-20250929-v1:0",
        // doc-pipeline: extraction (Nova Pro, Haiku) and bulk-extraction (Nova Pro, Nova Micro; flex) at temperature 0,
        // summarization (Haiku, Nova Pro) at 0.2: each way a probe of its own.
        "workload=doc-pipeline amazon.nova-micro-v1:0 tier=flex temperature=0",
        "workload=doc-pipeline amazon.nova-pro-v1:0 temperature=0",
        "workload=doc-pipeline amazon.nova-pro-v1:0 temperature=0.2",
        "workload=doc-pipeline amazon.nova-pro-v1:0 tier=flex temperature=0",
        "workload=doc-pipeline anthropic.claude-haiku-4-5-20251001-v1:0 temperature=0",
        "workload=doc-pipeline anthropic.claude-haiku-4-5-20251001-v1:0 temperature=0.2",
        // support-bot: classification (Nova Micro, Haiku) sends no parameters, summarization 0.2, customer-chat is guarded.
        "workload=support-bot amazon.nova-micro-v1:0",
        "workload=support-bot amazon.nova-pro-v1:0 temperature=0.2",
        "workload=support-bot anthropic.claude-haiku-4-5-20251001-v1:0",
        "workload=support-bot anthropic.claude-haiku-4-5-20251001-v1:0 temperature=0.2",
        "workload=support-bot anthropic.claude-sonnet-4-5-20250929-v1:0 guardrail=customer-safety",
      ].sort(),
    );
    expect(converse.every((c) => c.verdict === "PASS")).toBe(true);
    const haikuCalls = fixture().endpoint.calls.filter((c) => c.operation === "Converse" && c.servedAs === HAIKU.invokeId).map((c) => c.modelId);
    // Haiku: two ways per workload (above), each through that workload's own profile, never the system one.
    const support = deployedArn("support-bot", HAIKU.modelId);
    const docs = deployedArn("doc-pipeline", HAIKU.modelId);
    expect(haikuCalls.sort()).toEqual([support, support, docs, docs].sort());
    // Quota figures once per route and model, however many workloads share the model.
    const quota = r.json.checks.filter((c) => c.kind === "quota" && !c.subject.startsWith("TPD"));
    expect(new Set(quota.map((c) => c.subject)).size).toBe(quota.length);
  });

  it("reports each probed model's tokens-per-day quota and the region's cross-model one", async () => {
    const r = await runSmoke(fixture(), ["--region", region]);
    const tpd = r.check("quota", `TPD ${HAIKU.modelId}`);
    expect(tpd.verdict).toBe("PASS");
    expect(tpd.hint).toMatch(/^L-LOCALD\d\d TPD 2,880,000,000 tokens\/day; 1,440 minutes at the applied TPM \(2,000,000\); the daily-quota alarm fires at alarms\.dailyQuotaUsagePercent of it$/);
    expect(tpd.dailyQuota).toMatchObject({ scope: "model", modelId: HAIKU.modelId, value: 2_880_000_000, source: "ListServiceQuotas" });
    const cross = r.check("quota", "TPD cross-model");
    expect(cross).toMatchObject({ verdict: "PASS", dailyQuota: { scope: "account", quotaName: "Cross-Model Max Tokens Per Day" } });
  });

  it("a daily quota of 0 fails, naming it", async () => {
    const f = fixture();
    // The local seeding lists it under L-LOCALXMD (the catalog has no code for it): the same quota, now applied at 0.
    f.endpoint.seedQuotas(region, [{ code: "L-LOCALXMD", name: "Cross-Model Max Tokens Per Day", value: 0 }]);
    const r = await runSmoke(f, ["--region", region]);
    expect(r.code).toBe(1);
    expect(r.check("quota", "TPD cross-model")).toMatchObject({ verdict: "FAIL", outcome: "quota-zero" });
    f.endpoint.seedQuotas(region, [{ code: "L-LOCALXMD", name: "Cross-Model Max Tokens Per Day", value: 1 }]);
  });

  it("run as a workload's role, it probes only that workload's profiles", async () => {
    const role = `arn:aws:iam::222222222222:role/${names.workloadRole("prod", region, "dev-assistant")}`;
    const r = await runSmoke(fixture(), ["--region", region, "--role-arn", role]);
    expect(r.json.checks.filter((c) => c.kind === "converse").map((c) => c.subject).sort()).toEqual([
      "workload=dev-assistant anthropic.claude-opus-4-5-20251101-v1:0 canary=code-review",
      "workload=dev-assistant anthropic.claude-sonnet-4-5-20250929-v1:0",
    ]);
  });
});
