import { names } from "../../core/aws";
import { CUR_COLUMNS } from "../../core/baseline";
import { catalogWithDailyQuotas, costPlan, HAIKU, prodPlan } from "../fixtures";
import { regionStates, stateOutput } from "../../environment-check/synthesized-policies";
import { only, resources, synthAccount, synthRegion } from "./fixtures";

// Synth assertions for cost attribution: what the region stacks and the account stack of config/prod.json's twin
// (__tests__/fixtures/cost-environments/prod.json) create, and that an environment without it creates none of it.

const plan = costPlan();
const region = "us-east-1";
const { json } = synthRegion(plan, region);
const profiles = resources(json, "aws_bedrock_inference_profile");
const profileNamed = (name: string) => Object.entries(profiles).find(([, p]) => p.name === name)!;
const ref = (name: string) => "${aws_bedrock_inference_profile." + profileNamed(name)[0] + ".arn}";

describe("region stack: application inference profiles", () => {
  it("one per workload and model, copying the system profile, tagged with the workload and the environment's tags", () => {
    expect(Object.keys(profiles)).toHaveLength(9);
    const [, haiku] = profileNamed(names.applicationProfile("prod", "support-bot", HAIKU.modelId));
    expect(haiku.model_source).toEqual([{ copy_from: `arn:aws:bedrock:us-east-1:222222222222:inference-profile/${HAIKU.invokeId}` }]);
    expect(haiku.tags).toEqual({ team: "ml-platform", "cost-center": "genai", "data-classification": "internal", environment: "prod", "managed-by": "bedrock-access-baseline", workload: "support-bot" });
    // Plan-time preflight: the system profile the copy is made from exists in the region.
    expect(haiku.lifecycle.precondition[0].condition).toContain(`"${HAIKU.invokeId}"`);
  });

  it("each workload's policy (the account stack's) grants only its own profiles, and the model only through them", () => {
    const account = synthAccount(plan).json;
    const states = regionStates(account, plan);
    // Every region's profile of a workload and model, as the account stack reads it from the region stack's state.
    const profileRefs = (workload: string) => plan.config.regions.map((r) => stateOutput(states[r], `application_profile_arns_by_name.${names.applicationProfile("prod", workload, HAIKU.modelId)}`));
    const policy = Object.values(resources(account, "aws_iam_policy")).find((p) => p.name === names.workloadPolicy("prod", "support-bot"))!;
    const statements = JSON.parse(policy.policy).Statement as Array<{ Resource: string | string[]; Condition?: any }>;
    const resourcesOf = statements.flatMap((s) => [s.Resource].flat());
    for (const own of profileRefs("support-bot")) expect(resourcesOf).toContain(own);
    for (const other of profileRefs("doc-pipeline")) expect(resourcesOf).not.toContain(other);
    expect(resourcesOf.some((r) => r.includes(":inference-profile/"))).toBe(false);
    const fm = statements.find((s) => s.Resource === `arn:aws:bedrock:*::foundation-model/${HAIKU.modelId}`)!;
    expect(fm.Condition.StringEquals).toEqual({ "bedrock:InferenceProfileArn": profileRefs("support-bot") });
    expect(account.output.application_profile_arns).toBeUndefined();
    expect(json.output.application_profile_arns_by_name.value[names.applicationProfile("prod", "support-bot", HAIKU.modelId)]).toBe(ref(names.applicationProfile("prod", "support-bot", HAIKU.modelId)));
  });

  it("the roles it creates carry the workload tag; the routing document and validator carry the profiles' references", () => {
    const role = Object.values(resources(json, "aws_iam_role")).find((r) => r.name === names.workloadRole("prod", region, "dev-assistant"))!;
    expect(role.tags).toEqual({ workload: "dev-assistant" });
    const hosted = only(json, "aws_appconfig_hosted_configuration_version").props;
    const doc = JSON.parse(hosted.content);
    expect(doc.workloads["support-bot"].invokeIds[HAIKU.modelId]).toBe(ref(names.applicationProfile("prod", "support-bot", HAIKU.modelId)));
    const validator = only(json, "aws_appconfig_configuration_profile").props.validator[0].content;
    expect(validator).toContain(JSON.stringify({ enum: [ref(names.applicationProfile("prod", "support-bot", HAIKU.modelId))] }));
    expect(json.output.application_profile_arns.value["dev-assistant"]).toBeDefined();
  });

  it("alarms read the profiles' metrics with metric queries; each workload has a spend-rate alarm", () => {
    const alarms = resources(json, "aws_cloudwatch_metric_alarm");
    const throttles = Object.values(alarms).find((a) => a.alarm_name === names.alarm("prod", "throttles", HAIKU.invokeId))!;
    expect(throttles.metric_name).toBeUndefined();
    expect(throttles.metric_query.map((q: any) => q.metric?.dimensions.ModelId ?? q.expression)).toEqual([
      ref(names.applicationProfile("prod", "support-bot", HAIKU.modelId)),
      ref(names.applicationProfile("prod", "doc-pipeline", HAIKU.modelId)),
      "SUM([FILL(m1, 0), FILL(m2, 0)])",
    ]);
    const spend = Object.values(alarms).find((a) => a.alarm_name === "bedrock-prod-spend-workload-dev-assistant")!;
    // The client's sum over the period, a missing period counting as nothing spent.
    expect(spend).toMatchObject({ threshold: 5, metric_query: [{ id: "m1", return_data: false, metric: { namespace: "BedrockRouting", metric_name: "EstimatedCostUsd", dimensions: { Workload: "dev-assistant" }, stat: "Sum", period: 300 } }, { id: "e1", expression: "FILL(m1, 0)", return_data: true }] });
  });

  it("with known daily quotas, their applied values are read at plan time and the daily alarms take a share of them", () => {
    const daily = costPlan({ catalog: catalogWithDailyQuotas([region]) });
    const out = synthRegion(daily, region).json;
    const codes = Object.values(out.data!.aws_servicequotas_service_quota).map((d: any) => d.quota_code);
    expect(codes).toEqual(expect.arrayContaining([daily.specs[HAIKU.modelId].quotas[region].tpd!.code, "L-C0000001"]));
    const cross = Object.values(resources(out, "aws_cloudwatch_metric_alarm")).find((a) => a.alarm_name === "bedrock-prod-daily-quota-cross-model")!;
    expect(cross.threshold).toMatch(/^\$\{\(\(data\.aws_servicequotas_service_quota\.[^.]*L-C0000001[^.]*\.value \* 80\) \/ 100\)\}$/);
    expect(cross.metric_query.map((q: any) => q.metric?.dimensions ?? q.expression)).toEqual([{}, {}, "SUM([FILL(in1, 0)]) + 5 * SUM([FILL(out1, 0)])"]);
  });

  it("an environment without cost attribution creates no profiles and tags no roles", () => {
    const plain = synthRegion(prodPlan(), region).json;
    expect(resources(plain, "aws_bedrock_inference_profile")).toEqual({});
    expect(Object.values(resources(plain, "aws_iam_role")).every((r) => r.tags === undefined)).toBe(true);
  });
});

describe("account stack: the tag, the workload budgets, the CUR 2.0 export", () => {
  const account = synthAccount(plan).json;

  it("activates the workload tag through a provider in the billing region", () => {
    expect(account.provider.aws.map((p) => [p.alias, p.region])).toEqual([
      [undefined, "us-east-1"],
      ["billing", "us-east-1"],
    ]);
    expect(only(account, "aws_ce_cost_allocation_tag").props).toMatchObject({ tag_key: "workload", status: "Active", provider: "aws.billing" });
  });

  it("a monthly budget per workload that asks for one, filtered on its tag, alerting the environment's budget topic", () => {
    const budgets = Object.values(resources(account, "aws_budgets_budget")).sort((a, b) => a.name.localeCompare(b.name));
    expect(budgets.map((b) => [b.name, b.limit_amount, b.cost_filter])).toEqual([
      ["bedrock-prod-dev-assistant-monthly", "12000", [{ name: "TagKeyValue", values: ["user:workload$dev-assistant"] }]],
      ["bedrock-prod-monthly", "25000", undefined],
      ["bedrock-prod-support-bot-monthly", "8000", [{ name: "TagKeyValue", values: ["user:workload$support-bot"] }]],
    ]);
    const topic = "${aws_sns_topic." + only(account, "aws_sns_topic").name + ".arn}";
    for (const b of budgets) for (const n of b.notification) expect(n.subscriber_sns_topic_arns).toEqual([topic]);
    expect(budgets[2].notification[0].subscriber_email_addresses).toEqual(["support-bot-owners@example.com"]);
    expect(budgets[0].notification[0].subscriber_email_addresses).toEqual(["ml-platform-oncall@example.com", "finops@example.com"]);
    expect(Object.keys(account.output.workload_budget_names.value).sort()).toEqual(["dev-assistant", "support-bot"]);
  });

  it("a CUR 2.0 export with IAM-principal data to the named bucket, explicit columns (the API refuses SELECT *)", () => {
    const e = only(account, "aws_bcmdataexports_export").props;
    expect(e.provider).toBe("aws.billing");
    const x = e.export[0];
    expect(x.name).toBe("bedrock-prod-cur2");
    expect(x.data_query[0].query_statement).toBe(`SELECT ${CUR_COLUMNS.join(", ")} FROM COST_AND_USAGE_REPORT`);
    expect(x.data_query[0].query_statement).toContain("line_item_iam_principal");
    expect(x.data_query[0].table_configurations.COST_AND_USAGE_REPORT).toMatchObject({ INCLUDE_IAM_PRINCIPAL_DATA: "TRUE", INCLUDE_RESOURCES: "TRUE", TIME_GRANULARITY: "DAILY" });
    expect(x.destination_configurations[0].s3_destination[0]).toMatchObject({ s3_bucket: "example-billing-exports-prod", s3_prefix: "bedrock-cur", s3_region: "us-east-1" });
  });

  it("an environment without cost attribution has only its own budget, one provider, no tag and no export", () => {
    const plain = synthAccount(prodPlan()).json;
    expect(plain.provider.aws).toHaveLength(1);
    expect(Object.keys(resources(plain, "aws_budgets_budget"))).toHaveLength(1);
    expect(resources(plain, "aws_ce_cost_allocation_tag")).toEqual({});
    expect(resources(plain, "aws_bcmdataexports_export")).toEqual({});
  });
});
