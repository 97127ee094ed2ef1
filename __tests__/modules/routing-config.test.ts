import Ajv from "ajv-draft-04";
import { routingDocumentSchema } from "../../core/runtime";
import { names } from "../../core/aws";
import { devPlan, planOf, prodPlan, rawConfig } from "../fixtures";
import { only, ref, resources, synthGuardrailRefs, synthRegion } from "./fixtures";
import { buildRoutingDocument, routingJsonSchema } from "../../core/routing";

describe.each([
  ["dev", devPlan],
  ["prod", prodPlan],
] as const)("%s routing config", (name, load) => {
  const env = load();
  const region = env.config.regions[env.config.regions.length - 1];
  const { json } = synthRegion(env, region);
  const app = only(json, "aws_appconfig_application");
  const profile = only(json, "aws_appconfig_configuration_profile");
  const environmentRes = only(json, "aws_appconfig_environment");
  const version = only(json, "aws_appconfig_hosted_configuration_version");
  const deployment = only(json, "aws_appconfig_deployment").props;
  /** The stack's guardrails as Terraform writes the references (Terraform substitutes the applied values). */
  const guardrails = synthGuardrailRefs(json, env);

  it("names the application, environment and profile as core/names says (the client and smoke find them by name)", () => {
    expect(app.props.name).toBe(names.appConfigApplication(name));
    expect(environmentRes.props.name).toBe(names.appConfigEnvironment(name));
    expect(profile.props).toMatchObject({ name: names.appConfigProfile, location_uri: "hosted", type: "AWS.Freeform", application_id: ref("aws_appconfig_application", app.name, "id") });
  });

  it("the JSON_SCHEMA validator is exactly the generated schema, and the baseline document passes it", () => {
    expect(profile.props.validator).toHaveLength(1);
    const v = profile.props.validator[0];
    expect(v.type).toBe("JSON_SCHEMA");
    expect(JSON.parse(v.content)).toEqual(routingJsonSchema(env, region, guardrails));
    expect(Buffer.byteLength(v.content)).toBeLessThanOrEqual(32768);
    const validate = new Ajv({ strict: false }).compile(JSON.parse(v.content));
    expect(validate(JSON.parse(version.props.content))).toBe(true);
  });

  it("the hosted version is the core routing document, parses with the core schema, and is created before the old one is destroyed", () => {
    const doc = JSON.parse(version.props.content);
    expect(routingDocumentSchema.safeParse(doc).success).toBe(true);
    expect(doc).toEqual(buildRoutingDocument(env, region, guardrails));
    expect(version.props.content_type).toBe("application/json");
    expect(version.props.lifecycle).toEqual(expect.objectContaining({ create_before_destroy: true })); // plus the catalog preflight (catalog-preflight.test.ts)
    expect(version.props.configuration_profile_id).toBe(ref("aws_appconfig_configuration_profile", profile.name, "configuration_profile_id"));
  });

  it("the deployment deploys that version to the environment with the routine strategy", () => {
    const strategy = rawConfig(name).appConfig.deploymentStrategy;
    expect(typeof strategy).toBe("string");
    expect(deployment).toMatchObject({
      application_id: ref("aws_appconfig_application", app.name, "id"),
      environment_id: ref("aws_appconfig_environment", environmentRes.name, "environment_id"),
      configuration_profile_id: ref("aws_appconfig_configuration_profile", profile.name, "configuration_profile_id"),
      configuration_version: ref("aws_appconfig_hosted_configuration_version", version.name, "version_number"),
      deployment_strategy_id: strategy,
    });
  });

  it("one monitor: the composite rollback alarm, read through a role AppConfig can assume", () => {
    const composite = only(json, "aws_cloudwatch_composite_alarm");
    const roles = Object.entries<any>(resources(json, "aws_iam_role"));
    const [roleName, role] = roles.find(([, r]) => r.name === names.rollbackRole(name, region))!;
    expect(environmentRes.props.monitor).toEqual([{ alarm_arn: ref("aws_cloudwatch_composite_alarm", composite.name, "arn"), alarm_role_arn: ref("aws_iam_role", roleName, "arn") }]);
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([expect.objectContaining({ Effect: "Allow", Action: ["sts:AssumeRole"], Principal: { Service: ["appconfig.amazonaws.com"] } })]);
    const inline = Object.values<any>(resources(json, "aws_iam_role_policy")).find((p) => p.role === ref("aws_iam_role", roleName, "name"));
    expect(inline.role).toBe(ref("aws_iam_role", roleName, "name"));
    expect(JSON.parse(inline.policy).Statement).toEqual([expect.objectContaining({ Effect: "Allow", Action: ["cloudwatch:DescribeAlarms"], Resource: "*" })]);
  });

  it("the emergency strategy lands at once with no bake (a kill switch must not be rolled back by its own alarm)", () => {
    const strategies = Object.values<any>(resources(json, "aws_appconfig_deployment_strategy"));
    expect(strategies).toEqual([
      expect.objectContaining({
        name: names.emergencyStrategy(name),
        deployment_duration_in_minutes: 0,
        growth_factor: 100,
        growth_type: "LINEAR",
        final_bake_time_in_minutes: 0,
        replicate_to: "NONE",
      }),
    ]);
  });
});

describe("custom routine strategy", () => {
  const raw = rawConfig("dev");
  raw.appConfig.deploymentStrategy = { durationMinutes: 10, growthFactor: 25, finalBakeMinutes: 5, growthType: "EXPONENTIAL" };
  const { json } = synthRegion(planOf(raw));
  const strategies = Object.entries<any>(resources(json, "aws_appconfig_deployment_strategy"));

  it("becomes a strategy resource named for the planOf, and the deployment uses it", () => {
    const [key, routine] = strategies.find(([, s]) => s.name === names.routineStrategy("dev"))!;
    expect(routine).toMatchObject({ deployment_duration_in_minutes: 10, growth_factor: 25, final_bake_time_in_minutes: 5, growth_type: "EXPONENTIAL", replicate_to: "NONE" });
    expect(only(json, "aws_appconfig_deployment").props.deployment_strategy_id).toBe(ref("aws_appconfig_deployment_strategy", key, "id"));
  });

  it("keeps the emergency strategy beside it", () => {
    expect(strategies.map(([, s]) => s.name).sort()).toEqual([names.emergencyStrategy("dev"), names.routineStrategy("dev")].sort());
  });
});

