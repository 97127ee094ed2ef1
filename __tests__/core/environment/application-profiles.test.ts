import { NAME_RULES, nameRuleBreach, names } from "../../../core/aws";
import { applicationProfiles, applyTimeProfileRefs, APPLY_TIME, sizingProfileRefs } from "../../../core/environment";
import { costPlan, HAIKU, NOVA, planOf, rawConfig } from "../../fixtures";

// With cost attribution a region stack creates one application inference profile per workload and model it uses,
// copying what the model's inference mode selects there, tagged with the workload.

describe("application profiles", () => {
  const plan = costPlan();
  const region = "us-east-1";

  it("one per workload and model its routes use (primary, fallbacks, canary), each once", () => {
    const byWorkload = new Map<string, string[]>();
    for (const p of applicationProfiles(plan, region)) byWorkload.set(p.workload, [...(byWorkload.get(p.workload) ?? []), p.modelId]);
    expect(Object.fromEntries(byWorkload)).toEqual({
      "support-bot": ["anthropic.claude-haiku-4-5-20251001-v1:0", "amazon.nova-pro-v1:0", "amazon.nova-micro-v1:0", "anthropic.claude-sonnet-4-5-20250929-v1:0"],
      "dev-assistant": ["anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-opus-4-5-20251101-v1:0"],
      "doc-pipeline": ["amazon.nova-pro-v1:0", "anthropic.claude-haiku-4-5-20251001-v1:0", "amazon.nova-micro-v1:0"],
    });
  });

  it("copies the system profile of a geo or global model, tagged with the workload under the configured key", () => {
    const profiles = applicationProfiles(plan, region);
    const haiku = profiles.find((p) => p.workload === "support-bot" && p.modelId === HAIKU.modelId)!;
    expect(haiku.copyFrom).toBe(`arn:aws:bedrock:us-east-1:222222222222:inference-profile/${HAIKU.invokeId}`);
    const opus = profiles.find((p) => p.modelId === "anthropic.claude-opus-4-5-20251101-v1:0")!;
    expect(opus.copyFrom).toBe("arn:aws:bedrock:us-east-1:222222222222:inference-profile/global.anthropic.claude-opus-4-5-20251101-v1:0");
    expect(haiku.tags).toEqual({ workload: "support-bot" });
    const renamed = planOf({ ...rawConfigWithCost(), costAttribution: { enabled: true, tagKey: "app" } });
    expect(applicationProfiles(renamed, region)[0].tags).toEqual({ app: "support-bot" });
  });

  it("copies the foundation model in the region for an on-demand model", () => {
    const raw = rawConfig("dev");
    raw.models = [{ id: HAIKU.modelId }, { id: NOVA.modelId, inference: "on-demand" }];
    raw.costAttribution = { enabled: true };
    const nova = applicationProfiles(planOf(raw), region).find((p) => p.modelId === NOVA.modelId)!;
    expect(nova.copyFrom).toBe(`arn:aws:bedrock:us-east-1::foundation-model/${NOVA.modelId}`);
    expect(nova.source.kind).toBe("on-demand");
  });

  it("names and descriptions fit CreateInferenceProfile's rules, long names cut with a hash, every name distinct", () => {
    const long = planOf({ ...rawConfig("dev"), costAttribution: { enabled: true }, name: "env-name-of-twenty-c", workloads: { "a-workload-name-of-thirty-one-c": { routes: ["summarization"], principals: ["arn:aws:iam::111111111111:role/c"] }, "a-workload-name-of-thirty-one-d": { routes: ["summarization"], principals: ["arn:aws:iam::111111111111:role/d"] } } }, { expectedName: "env-name-of-twenty-c" });
    const all = [...applicationProfiles(plan, region), ...applicationProfiles(long, region)];
    for (const p of all) {
      expect(nameRuleBreach(NAME_RULES.applicationProfile, p.name)).toBeUndefined();
      expect(p.description).toMatch(/^([0-9a-zA-Z][ _-]?)+$/);
      expect(p.description.length).toBeLessThanOrEqual(200);
    }
    expect(new Set(all.map((p) => p.name)).size).toBe(all.length);
    expect(names.applicationProfile("prod", "support-bot", "amazon.nova-pro-v1:0")).toBe("bedrock-prod-support-bot-amazon-nova-pro-v1-0");
    expect(applicationProfiles(long, region)[0].name).toMatch(/^bedrock-env-name-of-twenty-c-a-workload-name-of-thirty-[0-9a-f]{8}$/);
  });

  it("none without cost attribution; ARNs are APPLY_TIME at synth and of the real length for sizing", () => {
    expect(applicationProfiles(planOf(rawConfig("prod")), region)).toEqual([]);
    expect(applyTimeProfileRefs(plan, region)["dev-assistant"]["anthropic.claude-opus-4-5-20251101-v1:0"]).toBe(APPLY_TIME);
    expect(sizingProfileRefs(plan, region)["dev-assistant"]["anthropic.claude-opus-4-5-20251101-v1:0"]).toBe("arn:aws:bedrock:us-east-1:222222222222:application-inference-profile/abcdefghijkl");
  });
});

/** The prod test environment with cost attribution on and nothing else changed. */
function rawConfigWithCost(): any {
  return { ...rawConfig("prod"), costAttribution: { enabled: true } };
}
