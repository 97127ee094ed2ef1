import { Testing, TerraformStack } from "../../modules/terraform-cdk";
import { AwsProvider, IamPolicy } from "../../modules/provider-aws";
import { CatalogPreflight } from "../../modules/catalog-preflight";
import { invocation, names } from "../../core/aws";
import { BaselinePlan, workloadInvocations } from "../../core/environment";
import { devPlan, HAIKU, NOVA, planOf, prodPlan } from "../fixtures";
import { resources, synthRegion, SynthJson } from "./fixtures";
import { synthesizeEnvironments } from "../../modules/baseline";

/** The (condition, message) pairs on a resource, in order. */
const preconditions = (r: any): Array<{ condition: string; error_message: string }> => r?.lifecycle?.precondition ?? [];
const dataOf = (json: SynthJson, type: string) => Object.entries<any>(json.data?.[type] ?? {});

/** The invoke IDs a resource's preconditions check, parsed from `contains(<list>, "<id>")`. */
function checkedIds(r: any, list: "inference_profile_id" | "model_id"): string[] {
  return preconditions(r).flatMap((p) => {
    const m = new RegExp(`^\\$\\{contains\\(data\\.[\\w-]+\\.[\\w-]+\\.[a-z_]+\\[\\*\\]\\.${list}, "([^"]+)"\\)\\}$`).exec(p.condition);
    return m ? [m[1]] : [];
  });
}

const onDemandPlan = (): BaselinePlan =>
  planOf({
    name: "ondemand",
    account: "444444444444",
    regions: ["us-east-1"],
    models: [{ id: NOVA.modelId, inference: "on-demand" }, { id: HAIKU.modelId }],
    routes: { cheap: { primary: NOVA.modelId, maxTokens: 256 }, chat: { primary: HAIKU.modelId, maxTokens: 1024 } },
    workloads: { batch: { routes: ["cheap"], principals: ["arn:aws:iam::444444444444:role/batch"] } },
    budget: { monthlyUsd: 50 },
  });

describe("catalog preflight (plan-time data sources and preconditions)", () => {
  it.each<[string, () => BaselinePlan]>([
    ["dev", devPlan],
    ["prod", prodPlan],
  ])("%s: one SYSTEM_DEFINED profile list per region stack; the routing document checks every profile the environment's policies grant there", (_name, load) => {
    const plan = load();
    const [account] = synthesizeEnvironments(Testing.app(), [plan]).accountStacks;
    for (const region of plan.config.regions) {
      const { json } = synthRegion(plan, region);
      const profiles = dataOf(json, "aws_bedrock_inference_profiles");
      expect(profiles.map(([, d]) => d)).toEqual([{ type: "SYSTEM_DEFINED" }]);
      expect(json.data?.aws_bedrock_foundation_models).toBeUndefined(); // nothing is invoked on demand
      const [dsName] = profiles[0];
      // The policies are the account stack's, applied after every region stack (a dependency): what they grant in the
      // region is checked here first, by the routing document that names every model of the region.
      expect(account.dependencies.map((d) => d.node.id)).toContain(names.regionStack(plan.config.name, region));
      const granted = new Set(Object.keys(plan.config.workloads).flatMap((w) => workloadInvocations(plan, region, w).map((i) => i.invokeId)));
      const hosted = Object.values<any>(resources(json, "aws_appconfig_hosted_configuration_version"))[0];
      expect(checkedIds(hosted, "inference_profile_id")).toEqual(expect.arrayContaining([...granted]));
      expect(checkedIds(hosted, "inference_profile_id").sort()).toEqual(Object.values(plan.invocations[region]).map((i) => i.invokeId).sort());
      for (const p of preconditions(hosted)) expect(p.condition).toContain(`data.aws_bedrock_inference_profiles.${dsName}.inference_profile_summaries[*].inference_profile_id`);
    }
  });

  it("each model's alarms check its own profile; the routing document checks every profile and keeps create_before_destroy", () => {
    const plan = prodPlan();
    const region = "eu-west-1";
    const { json } = synthRegion(plan, region);
    const invs = plan.invocations[region];
    // Route alarms read the routing client's metrics: nothing of the catalog has to exist for them.
    const all = Object.values<any>(resources(json, "aws_cloudwatch_metric_alarm"));
    const alarms = all.filter((a) => a.namespace === "AWS/Bedrock");
    expect(alarms.length).toBeGreaterThan(0);
    for (const a of all.filter((x) => !alarms.includes(x))) expect(a.lifecycle).toBeUndefined();
    for (const a of alarms) {
      // Bedrock alarms name the model by its dimension, the client's metric-math alarms by their Model metrics; a
      // canaried route's quality alarm guards the canary's profile.
      const modelId: string | undefined = a.dimensions?.ModelId ?? a.metric_query?.find((q: any) => q.metric)?.metric.dimensions.Model;
      const quality = a.alarm_name.startsWith(names.alarm("prod", "canary-quality", ""));
      const inv = quality ? invs[plan.config.routes[a.alarm_name.slice(names.alarm("prod", "canary-quality", "").length)].canary!.model] : Object.values(invs).find((i) => modelId === i.invokeId || modelId === i.modelId)!;
      expect(checkedIds(a, "inference_profile_id")).toEqual([inv.invokeId]);
    }
    const hosted = Object.values<any>(resources(json, "aws_appconfig_hosted_configuration_version"))[0];
    expect(hosted.lifecycle.create_before_destroy).toBe(true);
    expect(checkedIds(hosted, "inference_profile_id").sort()).toEqual(Object.values(invs).map((i) => i.invokeId).sort());
  });

  it("messages name the profile, the model, the region and the fix", () => {
    const plan = prodPlan();
    const { json } = synthRegion(plan, "eu-central-1");
    const hosted = Object.values<any>(resources(json, "aws_appconfig_hosted_configuration_version"))[0];
    const opus = plan.invocations["eu-central-1"]["anthropic.claude-opus-4-5-20251101-v1:0"];
    const p = preconditions(hosted).find((x) => x.condition.includes(`"${opus.invokeId}"`))!;
    expect(p.error_message).toBe(
      `Bedrock inference profile ${opus.invokeId} (model ${opus.modelId}) does not exist in eu-central-1 for this account (ListInferenceProfiles, type SYSTEM_DEFINED). ` +
        `Fix: run npm run catalog:sync -- --regions eu-central-1 to see what the account offers, then change the inference or geography of ${opus.modelId} in config/prod.json, choose another model, or drop eu-central-1, and synthesize again.`,
    );
  });

  it("an on-demand model is checked against the region's ON_DEMAND foundation models", () => {
    const plan = onDemandPlan();
    const { json } = synthRegion(plan);
    expect(dataOf(json, "aws_bedrock_foundation_models").map(([, d]) => d)).toEqual([{ by_inference_type: "ON_DEMAND" }]);
    const hosted = Object.values<any>(resources(json, "aws_appconfig_hosted_configuration_version"))[0];
    expect(checkedIds(hosted, "model_id")).toEqual([NOVA.modelId]);
    expect(checkedIds(hosted, "inference_profile_id")).toEqual([plan.invocations["us-east-1"][HAIKU.modelId].invokeId]);
    expect(preconditions(hosted).find((x) => x.condition.includes(`"${NOVA.modelId}"`))!.error_message).toMatch(new RegExp(`^Bedrock model ${NOVA.modelId.replace(/\./g, "\\.")} cannot be invoked on demand in us-east-1 .*Fix: set inference "geo"`));
  });

  it("refuses to put anything but a Bedrock ID into a Terraform expression", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    const odd = invocation({ kind: "geo", modelId: 'x.a"${b}', region: "us-east-1", account: "111111111111", geography: "us" });
    const pf = new CatalogPreflight(stack, "pf", { envName: "t", region: "us-east-1", invocations: [odd] });
    expect(() => pf.guard(new IamPolicy(stack, "p", { name: "p", policy: "{}" }), [odd])).toThrow(/refusing to put "us\.x\.a\\"\$\{b\}" into a Terraform expression/);
  });
});
