/*
 * Routing configuration in AWS AppConfig: application -> environment (with the rollback monitor) -> freeform hosted
 * profile (with the JSON Schema validator) -> the baseline hosted version -> its deployment.
 *
 * Ownership (design invariant 6). Terraform owns the application, environment, monitor, profile, validator, both
 * deployment strategies, the baseline hosted version and the deployment of that version. A toggle (client/) creates
 * its own hosted versions and deployments through the AppConfig API, outside Terraform state. Terraform does not track
 * "the latest version" or "the currently deployed version": its state holds only the baseline version number and the
 * deployment it started, both of which still exist and are unchanged after a toggle. So the next apply plans no
 * change and the toggle stays live. Only when the code's own routing document changes (config/<env>.json or core/)
 * does the hosted version's content change: Terraform then creates a new baseline version and deploys it with the
 * routine strategy, intentionally superseding any toggle (the new baseline is what the code says).
 *
 * The hosted version uses create_before_destroy: its arguments all force replacement, and destroy-then-create
 * re-used the same version number so the deployment missed the change (hashicorp/terraform-provider-aws#20273).
 */
import { Token } from "./terraform-cdk";
import { AppconfigApplication, AppconfigConfigurationProfile, AppconfigDeployment, AppconfigDeploymentStrategy, AppconfigEnvironment, AppconfigHostedConfigurationVersion, IamRole, IamRolePolicy } from "./provider-aws";
import { Construct } from "constructs";
import { rollbackRolePolicy, RoutingConfigArns, trustPolicy } from "../core/iam";
import { partitionOf } from "../core/aws";
import type { RegionRouting } from "../core/routing";
import type { GuardrailRefs, ProfileRefs } from "../core/environment";

/** Properties of RoutingConfig. */
export interface RoutingConfigProps {
  /** What to create (core/routing/region-routing.ts): names, strategies, the validator and the baseline document. */
  readonly routing: RegionRouting;
  /** The stack's region. */
  readonly region: string;
  /** The environment's account (the ARNs a policy needs to read the profile). */
  readonly account: string;
  /** Names the environment in the application's description. */
  readonly envName: string;
  /** The alarm AppConfig watches during deployments and bake (one monitor; rolls back while it is in ALARM). */
  readonly rollbackAlarmArn: string;
  /**
   * The stack's guardrails (Terraform references): guarded routes carry them in the document and the validator pins
   * them, so Terraform fills in the applied ARN and version. Default: none (only valid without guarded routes).
   */
  readonly guardrails?: GuardrailRefs;
  /**
   * The stack's application profiles (Terraform references), with cost attribution: the document carries each
   * workload's and the validator pins them. Default: none (only valid without cost attribution).
   */
  readonly profiles?: ProfileRefs;
  /**
   * Customer managed key of the hosted configuration versions (the profile's kms_key_identifier) and of the baseline
   * deployment (the deployment's kms_key_identifier). Default: AppConfig's AWS owned key.
   */
  readonly keyArn?: string;
  /** The quota store's endpoint host (a Terraform reference) the baseline document names. Default: none (no quota store). */
  readonly quotaStoreHost?: string;
}

/** The AppConfig application, environment, routing profile, strategies and the baseline routing document deployment. */
export class RoutingConfig extends Construct {
  readonly application: AppconfigApplication;
  readonly appConfigEnvironment: AppconfigEnvironment;
  readonly profile: AppconfigConfigurationProfile;
  readonly rollbackRole: IamRole;
  readonly hostedVersion: AppconfigHostedConfigurationVersion;
  readonly deployment: AppconfigDeployment;
  /** Routine strategy: a predefined name (`AppConfig.…`) or the ID of the custom strategy. */
  readonly routineStrategyId: string;
  /** The custom routine strategy, when the config declares one instead of a predefined name. */
  readonly routineStrategy?: AppconfigDeploymentStrategy;
  readonly emergencyStrategy: AppconfigDeploymentStrategy;
  /** ARNs an IAM policy needs to read the routing profile (Terraform references). */
  readonly arns: RoutingConfigArns;

  constructor(scope: Construct, id: string, props: RoutingConfigProps) {
    super(scope, id);
    const r = props.routing;
    const guardrails = props.guardrails ?? {};

    this.application = new AppconfigApplication(this, "application", { name: r.applicationName, description: `Bedrock routing for ${props.envName} (bedrock-access-baseline)` });
    this.rollbackRole = new IamRole(this, "rollback-role", {
      name: r.rollbackRoleName,
      description: "Lets AppConfig read the rollback alarm state during routing deployments",
      assumeRolePolicy: JSON.stringify(trustPolicy({ services: ["appconfig.amazonaws.com"], principals: [] })),
    });
    new IamRolePolicy(this, "rollback-role-policy", { name: "describe-alarms", role: this.rollbackRole.name, policy: JSON.stringify(rollbackRolePolicy()) });
    this.appConfigEnvironment = new AppconfigEnvironment(this, "environment", {
      applicationId: this.application.id,
      name: r.environmentName,
      monitor: [{ alarmArn: props.rollbackAlarmArn, alarmRoleArn: this.rollbackRole.arn }],
    });
    this.profile = new AppconfigConfigurationProfile(this, "profile", {
      applicationId: this.application.id,
      name: r.profileName,
      description: "Task -> model routing document read by the routing client and the smoke test",
      locationUri: "hosted",
      type: "AWS.Freeform",
      ...(props.keyArn ? { kmsKeyIdentifier: props.keyArn } : {}),
      validator: [{ type: "JSON_SCHEMA", content: r.validator.content(guardrails, props.profiles) }],
    });
    if (typeof r.routineStrategy === "string") {
      // Predefined strategies are referenced by name.
      this.routineStrategyId = r.routineStrategy;
    } else {
      this.routineStrategy = new AppconfigDeploymentStrategy(this, "routine-strategy", { ...r.routineStrategy, description: "Routine routing changes", replicateTo: "NONE" });
      this.routineStrategyId = this.routineStrategy.id;
    }
    // A kill switch must land at once and must not bake: during bake the rollback alarm that prompted it would roll it back.
    this.emergencyStrategy = new AppconfigDeploymentStrategy(this, "emergency-strategy", { ...r.emergencyStrategy, description: "Emergency routing changes (kill switch): all at once, no bake", replicateTo: "NONE" });
    this.hostedVersion = new AppconfigHostedConfigurationVersion(this, "baseline", {
      applicationId: this.application.id,
      configurationProfileId: this.profile.configurationProfileId,
      content: JSON.stringify(r.document(guardrails, props.profiles, props.quotaStoreHost), null, 2),
      contentType: "application/json",
      description: "Baseline routing document (Terraform-owned; toggles create their own versions)",
      lifecycle: { createBeforeDestroy: true },
    });
    this.deployment = new AppconfigDeployment(this, "deployment", {
      applicationId: this.application.id,
      environmentId: this.appConfigEnvironment.environmentId,
      configurationProfileId: this.profile.configurationProfileId,
      configurationVersion: Token.asString(this.hostedVersion.versionNumber),
      deploymentStrategyId: this.routineStrategyId,
      description: "Baseline routing document",
      ...(props.keyArn ? { kmsKeyIdentifier: props.keyArn } : {}),
    });
    const arnBase = `arn:${partitionOf(props.region)}:appconfig:${props.region}:${props.account}:application/${this.application.id}`;
    const environmentArn = `${arnBase}/environment/${this.appConfigEnvironment.environmentId}`;
    this.arns = { application: arnBase, environment: environmentArn, configuration: `${environmentArn}/configuration/${this.profile.configurationProfileId}` };
  }
}
