import { Testing } from "../../modules/terraform-cdk";
import { AwsProvider } from "../../modules/provider-aws";
import { regionStates } from "../../environment-check/synthesized-policies";
import { buildManifest } from "../../core/routing";
import { names } from "../../core/aws";
import { synthesizeEnvironments } from "../../modules/baseline";
import { devPlan, planOf, prodPlan, rawConfig, variant } from "../fixtures";
import { synthAccount, synthRegion } from "./fixtures";

const expectedTags = (raw: any) => ({ ...raw.tags, environment: raw.name, "managed-by": "bedrock-access-baseline" });

describe("region stack", () => {
  it.each(["dev", "prod"] as const)("%s: provider pinned to the region and account, with default tags", (name) => {
    const raw = rawConfig(name);
    const env = planOf(raw);
    for (const region of raw.regions) {
      const { text, stack } = synthRegion(env, region);
      expect(stack.node.id).toBe(names.regionStack(name, region));
      expect(text).toHaveProviderWithProperties(AwsProvider, { region, allowed_account_ids: [raw.account], default_tags: [{ tags: expectedTags(raw) }] });
    }
  });

  it("dev (no backend declared): local state named for the stack", () => {
    const { json, stack } = synthRegion(devPlan());
    expect(Object.keys(json.terraform.backend)).toEqual(["local"]);
    expect(json.terraform.backend.local.path).toMatch(new RegExp(`(^|/)terraform\\.${stack.node.id}\\.tfstate$`));
  });

  it("prod (backend.s3): S3 state with a per-stack key, native locking and encryption", () => {
    const raw = rawConfig("prod");
    const env = planOf(raw);
    for (const region of raw.regions) {
      const { json } = synthRegion(env, region);
      expect(json.terraform.backend).toEqual({
        s3: {
          bucket: raw.backend.s3.bucket,
          key: `bedrock-baseline/${names.regionStack("prod", region)}.tfstate`,
          region: raw.backend.s3.region,
          encrypt: true,
          use_lockfile: true,
        },
      });
    }
  });

  it("S3 with a custom key prefix and locking off", () => {
    const env = variant("prod", (c) => (c.backend.s3 = { ...c.backend.s3, keyPrefix: "teams/ml", useLockfile: false }));
    const { json } = synthRegion(env, "us-west-2");
    expect(json.terraform.backend.s3.key).toBe("teams/ml/bedrock-prod-us-west-2.tfstate");
    expect(json.terraform.backend.s3.use_lockfile).toBeUndefined();
  });

  it("outputs the role, topic, AppConfig, strategy, guardrail, key and endpoint identifiers (what the account stack's policies read) and the manifest", () => {
    const env = prodPlan();
    const region = "eu-central-1";
    const { json } = synthRegion(env, region);
    expect(Object.keys(json.output).sort()).toEqual(
      [
        "alarm_topic_arn",
        "appconfig_application_id",
        "appconfig_environment_id",
        "appconfig_profile_id",
        "dashboards",
        "emergency_strategy_id",
        "guardrails",
        "invocation_logging",
        "kms_key_arn",
        "manifest",
        "rollback_alarm_arn",
        "routine_strategy_id",
        "vpc_endpoint_ids",
        "workload_role_arns",
      ].sort(),
    );
    expect(Object.keys(json.output.workload_role_arns.value).sort()).toEqual(
      Object.entries(env.config.workloads)
        .filter(([, w]) => w.role)
        .map(([w]) => w)
        .sort(),
    );
    expect(json.output.routine_strategy_id.value).toBe(rawConfig("prod").appConfig.deploymentStrategy);
    expect(JSON.parse(json.output.manifest.value)).toEqual(buildManifest(env, region));
  });

  it("refuses a region the environment does not declare", () => {
    expect(() => synthRegion(devPlan(), "eu-west-1")).toThrow(/not a region of dev/);
  });
});

describe("account stack", () => {
  it.each(["dev", "prod"] as const)("%s: provider in the first region, same account pin and tags; the budget and its topic, and the IAM policies of every region", (name) => {
    const raw = rawConfig(name);
    const { text, json, stack } = synthAccount(planOf(raw));
    expect(stack.node.id).toBe(names.accountStack(name));
    expect(text).toHaveProviderWithProperties(AwsProvider, { region: raw.regions[0], allowed_account_ids: [raw.account], default_tags: [{ tags: expectedTags(raw) }] });
    expect(Object.keys(json.resource).sort()).toEqual(["aws_budgets_budget", "aws_iam_policy", "aws_iam_role_policy_attachment", "aws_sns_topic", "aws_sns_topic_policy"]);
    expect(Object.keys(json.output).sort()).toEqual(["budget_name", "budget_topic_arn", "smoke_policy_arns", "workload_policy_arns"]);
    expect(Object.keys(json.output.workload_policy_arns.value).sort()).toEqual(Object.keys(raw.workloads).sort());
    // One remote state per region stack, read with the backend that stack writes with.
    expect(Object.values<any>(json.data?.terraform_remote_state ?? {}).map((d) => d.backend)).toEqual(raw.regions.map(() => (raw.backend ? "s3" : "local")));
  });

  it("reads each region stack's state where that stack keeps it: the same local file, or the same S3 bucket and key", () => {
    for (const name of ["dev", "prod"] as const) {
      const plan = planOf(rawConfig(name));
      const account = synthAccount(plan).json;
      const states = account.data!.terraform_remote_state;
      const byRegion = regionStates(account, plan);
      for (const region of plan.config.regions) {
        const backend = synthRegion(plan, region).json.terraform.backend;
        const state = states[byRegion[region]];
        if (backend.s3) expect(state.config).toEqual({ bucket: backend.s3.bucket, key: backend.s3.key, region: backend.s3.region });
        // Both paths are relative to their own stack directory, and stack directories are siblings.
        else expect(state.config.path).toBe(backend.local.path);
      }
    }
  });

  it("prod: its own state key", () => {
    const { json } = synthAccount(prodPlan());
    expect(json.terraform.backend.s3.key).toBe("bedrock-baseline/bedrock-prod-account.tfstate");
  });
});

describe("synthesizeEnvironments", () => {
  it("one stack per region plus one account stack per environment", () => {
    const app = Testing.app();
    const envs = [devPlan(), prodPlan()];
    const b = synthesizeEnvironments(app, envs);
    expect(b.regionStacks.map((s) => s.node.id).sort()).toEqual(envs.flatMap((e) => e.config.regions.map((r) => names.regionStack(e.config.name, r))).sort());
    expect(b.accountStacks.map((s) => s.node.id).sort()).toEqual(envs.map((e) => names.accountStack(e.config.name)).sort());
  });
});
