import { TerraformOutput, TerraformStack } from "./terraform-cdk";
import { Construct } from "constructs";
import { regionPolicies } from "../core/iam";
import { buildManifest } from "../core/routing";
import { names } from "../core/aws";
import { ttftThresholds, tpmQuotaCodes } from "../core/observability";
import { ModelAlarms } from "./alarms";
import { CatalogPreflight } from "./catalog-preflight";
import { canaryComparisons, ModelDashboard } from "./dashboard";
import { Guardrails } from "./guardrails";
import { InvokePolicy } from "./invoke-policy";
import { addProviderAndBackend } from "./provider-and-backend";
import { RoutingConfig } from "./routing-config";
import { TpmQuotas } from "./tpm-quotas";
import { BaselinePlan, workloadInvocations } from "../core/environment";

/** Properties of a RegionStack. */
export interface RegionStackProps {
  /** The validated environment. */
  readonly plan: BaselinePlan;
  /** One of the environment's regions. */
  readonly region: string;
}

/**
 * `bedrock-<env>-<region>`: IAM for workloads and the smoke run, alarms and their topic, the applied TPM quotas they
 * and the dashboard read at plan time, the dashboard, and the AppConfig routing configuration of one region.
 */
export class RegionStack extends TerraformStack {
  readonly plan: BaselinePlan;
  readonly region: string;
  readonly alarms: ModelAlarms;
  readonly routing: RoutingConfig;
  readonly workloadPolicies: Readonly<Record<string, InvokePolicy>>;
  readonly smokePolicy: InvokePolicy;
  readonly preflight: CatalogPreflight;
  readonly quotas: TpmQuotas;
  readonly guardrails: Guardrails;

  constructor(scope: Construct, props: RegionStackProps) {
    const plan = props.plan;
    const c = plan.config;
    const region = props.region;
    if (!plan.invocations[region]) throw new Error(`${region} is not a region of ${c.name}`);
    super(scope, names.regionStack(c.name, region));
    this.plan = plan;
    this.region = region;
    addProviderAndBackend(this, c, region);

    const invocations = Object.values(plan.invocations[region]);
    // Models without a known quota code get no quota-usage alarm; validation has warned about each.
    const codes = new Map([...tpmQuotaCodes(plan, region)].flatMap(([id, code]) => (code ? [[id, code] as const] : [])));
    this.quotas = new TpmQuotas(this, "tpm-quotas", { codes });
    this.alarms = new ModelAlarms(this, "alarms", { envName: c.name, account: c.account, invocations, settings: c.alarms, quotas: this.quotas, ttft: ttftThresholds(plan) });
    new ModelDashboard(this, "dashboard", { dashboardName: names.dashboard(c.name, region), region, invocations, periodSeconds: c.alarms.periodSeconds, quotas: this.quotas, canaries: canaryComparisons(plan, region) });
    this.guardrails = new Guardrails(this, "route-guardrails", { envName: c.name, guardrails: c.guardrails });
    const refs = this.guardrails.refs;
    this.routing = new RoutingConfig(this, "routing", { plan, region, rollbackAlarmArn: this.alarms.rollbackAlarm.arn, guardrails: refs });

    const policies: Record<string, InvokePolicy> = Object.create(null);
    let smoke: InvokePolicy | undefined;
    for (const p of regionPolicies(plan, region)) {
      const policy = new InvokePolicy(this, p.id, { policyName: p.policyName, description: p.description, documents: p.parts({ routing: this.routing.arns, guardrails: refs }), principals: p.principals, role: p.role });
      if (p.workload === undefined) smoke = policy;
      else policies[p.workload] = policy;
    }
    this.workloadPolicies = policies;
    this.smokePolicy = smoke!;

    // Plan-time preflight: whatever grants, alarms on or routes to a model checks that its profile exists here first.
    this.preflight = new CatalogPreflight(this, "catalog-preflight", { envName: c.name, region, invocations });
    for (const name of Object.keys(c.workloads)) for (const p of policies[name].policies) this.preflight.guard(p, workloadInvocations(plan, region, name));
    for (const p of this.smokePolicy.policies) this.preflight.guard(p, invocations);
    const byModel = new Map(invocations.map((i) => [i.modelId, i]));
    for (const a of this.alarms.alarms) this.preflight.guard(a.alarm, [byModel.get(a.modelId)!]);
    this.preflight.guard(this.routing.hostedVersion, invocations);

    const output = (id: string, value: unknown, description: string) => new TerraformOutput(this, id, { value, description });
    output("workload_policy_arns", Object.fromEntries(Object.entries(policies).map(([n, p]) => [n, p.policyArns])), "Managed invoke policies per workload (more than one when the policy exceeds IAM's size limit)");
    output(
      "workload_role_arns",
      Object.fromEntries(Object.entries(policies).flatMap(([n, p]) => (p.roleArn ? [[n, p.roleArn]] : []))),
      "Role per workload that asked for one",
    );
    output("smoke_policy_arns", this.smokePolicy.policyArns, "Policies for the CI principal that runs the smoke test (attach all)");
    output("alarm_topic_arn", this.alarms.topic.topicArn, "SNS topic of the model alarms");
    output("rollback_alarm_arn", this.alarms.rollbackAlarm.arn, "Composite alarm AppConfig watches to roll back routing deployments");
    output("appconfig_application_id", this.routing.application.id, "AppConfig application ID");
    output("appconfig_environment_id", this.routing.appConfigEnvironment.environmentId, "AppConfig environment ID");
    output("appconfig_profile_id", this.routing.profile.configurationProfileId, "AppConfig routing profile ID");
    output("routine_strategy_id", this.routing.routineStrategyId, "Deployment strategy for routine routing changes");
    output("emergency_strategy_id", this.routing.emergencyStrategy.id, "Deployment strategy for kill switches (all at once, no bake)");
    output(
      "guardrails",
      Object.fromEntries([...this.guardrails.byName].map(([n, g]) => [n, { arn: g.guardrail.guardrailArn, id: g.guardrail.guardrailId, version: g.version.version }])),
      "Guardrail per declared name: ARN, ID and the published version routes apply",
    );
    output("manifest", JSON.stringify(buildManifest(plan, region)), "What this stack provisions (JSON; also written to <outdir>/manifests/)");
  }
}
