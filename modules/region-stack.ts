import { TerraformOutput, TerraformStack } from "./terraform-cdk";
import { Construct } from "constructs";
import { type RegionBaseline, regionBaseline } from "../core/baseline";
import type { BaselinePlan } from "../core/environment";
import { ModelAlarms } from "./alarms";
import { ApplicationProfiles } from "./application-profiles";
import { CatalogPreflight } from "./catalog-preflight";
import { ModelDashboard } from "./dashboard";
import { EncryptionKey } from "./encryption-key";
import { Guardrails } from "./guardrails";
import { InvocationLogging } from "./invocation-logging";
import { PrivateEndpoints } from "./private-endpoints";
import { addProviderAndBackend, defaultTagsOf } from "./provider-and-backend";
import { QuotaStore } from "./quota-store";
import { RoutingConfig } from "./routing-config";
import { SavedQueries } from "./saved-queries";
import { synthesizeManifest } from "./stack-manifest";
import { TpmQuotas } from "./tpm-quotas";
import { WorkloadRole } from "./workload-role";

/** Properties of a RegionStack. */
export interface RegionStackProps {
  /** The validated environment. */
  readonly plan: BaselinePlan;
  /** One of the environment's regions. */
  readonly region: string;
}

/**
 * `bedrock-<env>-<region>`: the workloads' roles, alarms and their topic, the applied TPM quotas they
 * and the dashboards read at plan time, the dashboards, saved Logs Insights queries over the routing client's logs,
 * and the AppConfig routing configuration of one region. Everything
 * in it is computed once in core (core/baseline/region-baseline.ts); the stack renders it.
 */
export class RegionStack extends TerraformStack {
  readonly plan: BaselinePlan;
  readonly region: string;
  /** What the stack renders. */
  readonly baseline: RegionBaseline;
  readonly alarms: ModelAlarms;
  readonly routing: RoutingConfig;
  /** The roles of the workloads that asked for one, by workload (their policy is in the account stack). */
  readonly workloadRoles: Readonly<Record<string, WorkloadRole>>;
  readonly preflight: CatalogPreflight;
  readonly quotas: TpmQuotas;
  readonly guardrails: Guardrails;
  /** With cost attribution: each workload's application inference profiles. */
  readonly applicationProfiles: ApplicationProfiles;
  /** The region's customer managed key, when the environment uses one. */
  readonly key?: EncryptionKey;
  /** Invocation logging, when on. */
  readonly invocationLogging?: InvocationLogging;
  /** Interface endpoints, when on. */
  readonly privateEndpoints?: PrivateEndpoints;
  /** The routers' quota store, when the environment asks for one. */
  readonly quotaStore?: QuotaStore;
  readonly dashboards: ModelDashboard;
  readonly savedQueries: SavedQueries;

  constructor(scope: Construct, props: RegionStackProps) {
    const b = regionBaseline(props.plan, props.region);
    super(scope, b.stackName);
    const c = props.plan.config;
    this.plan = props.plan;
    this.region = props.region;
    this.baseline = b;
    addProviderAndBackend(this, c, b.region);

    const sec = b.security;
    if (sec.key) this.key = new EncryptionKey(this, "encryption-key", { key: sec.key, envName: c.name });
    const keyArn = this.key?.keyArn;
    this.applicationProfiles = new ApplicationProfiles(this, "application-profiles", { profiles: b.applicationProfiles, tags: defaultTagsOf(c) });
    const profiles = this.applicationProfiles.refs;
    this.quotas = new TpmQuotas(this, "tpm-quotas", { codes: b.quotaCodes, otherCodes: b.otherQuotaCodes });
    this.alarms = new ModelAlarms(this, "alarms", { topicName: b.alarmTopic.name, account: c.account, emails: b.alarmTopic.emails, alarms: b.alarms, rollbackAlarmName: b.rollbackAlarmName, quotas: this.quotas, profiles, ...(keyArn ? { keyArn } : {}) });
    this.dashboards = new ModelDashboard(this, "dashboard", { dashboards: b.dashboards, quotas: this.quotas, profiles });
    this.savedQueries = new SavedQueries(this, "saved-queries", { queries: b.savedQueries });
    this.guardrails = new Guardrails(this, "route-guardrails", { guardrails: b.guardrails });
    const refs = this.guardrails.refs;
    if (b.quotaStore) this.quotaStore = new QuotaStore(this, "quota-store", { spec: b.quotaStore, envName: c.name, region: b.region, ...(keyArn ? { keyArn } : {}) });
    this.routing = new RoutingConfig(this, "routing", {
      routing: b.routing,
      region: b.region,
      account: c.account,
      envName: c.name,
      rollbackAlarmArn: this.alarms.rollbackAlarm.arn,
      guardrails: refs,
      profiles,
      ...(keyArn ? { keyArn } : {}),
      ...(this.quotaStore ? { quotaStoreHost: this.quotaStore.host } : {}),
    });
    if (sec.invocationLogging) {
      if (sec.invocationLogging.changeRule) this.alarms.topic.grantPublish("events.amazonaws.com");
      this.invocationLogging = new InvocationLogging(this, "invocation-logging", { spec: sec.invocationLogging, alarmTopicArn: this.alarms.topic.topicArn, ...(keyArn ? { keyArn } : {}) });
    }
    if (sec.privateEndpoints)
      this.privateEndpoints = new PrivateEndpoints(this, "private-endpoints", { spec: sec.privateEndpoints, refs: { routing: this.routing.arns, guardrails: refs, profiles }, envName: c.name, region: b.region });

    this.workloadRoles = Object.fromEntries(b.roles.map((spec) => [spec.workload, new WorkloadRole(this, spec)]));

    // Plan-time preflight: whatever alarms on or routes to a model checks that its profile exists here first. The
    // routing document names every model the region invokes, and the account stack's policies, which grant them,
    // are applied after this stack (modules/account-stack.ts).
    this.preflight = new CatalogPreflight(this, "catalog-preflight", { envName: c.name, region: b.region, invocations: b.invocations });
    this.alarms.alarms.forEach((a, i) => {
      const spec = b.alarms[i];
      // A route, workload or region alarm reads no model of the catalog: nothing must exist for it.
      if (spec.watches === "model") this.preflight.guard(a.alarm, [spec.invocation]);
    });
    for (const p of b.applicationProfiles) this.preflight.guard(this.applicationProfiles.byKey.get(`${p.workload} ${p.modelId}`)!, [p.source]);
    this.preflight.guard(this.routing.hostedVersion, b.invocations);
    this.addOutputs();
    synthesizeManifest(this, b.manifest);
  }

  private addOutputs(): void {
    const output = (id: string, value: unknown, description: string) => new TerraformOutput(this, id, { value, description });
    output("workload_role_arns", Object.fromEntries(Object.entries(this.workloadRoles).map(([n, r]) => [n, r.role.arn])), "Role per workload that asked for one (its policy is the account stack's workload_policy_arns)");
    output("alarm_topic_arn", this.alarms.topic.topicArn, "SNS topic of the model alarms");
    output("rollback_alarm_arn", this.alarms.rollbackAlarm.arn, "Composite alarm AppConfig watches to roll back routing deployments");
    output("dashboards", this.baseline.dashboards.map((d) => d.name), "The region's CloudWatch dashboards, in order (Bedrock's per-model graphs first, then the routes')");
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
    if (this.baseline.applicationProfiles.length)
      output(
        "application_profile_arns",
        Object.fromEntries(Object.entries(this.applicationProfiles.refs).map(([w, byModel]) => [w, { ...byModel }])),
        "Application inference profile ARN per workload and model (cost attribution): what each workload's calls must use",
      );
    if (this.baseline.applicationProfiles.length)
      // The same ARNs by profile name (letters, digits and dashes: an HCL attribute name), which the account stack's
      // policies read (modules/region-state.ts): a model ID's dots and colons would need an index with quotes there.
      output(
        "application_profile_arns_by_name",
        Object.fromEntries(this.baseline.applicationProfiles.map((p) => [p.name, this.applicationProfiles.byKey.get(`${p.workload} ${p.modelId}`)!.arn])),
        "Application inference profile ARN per profile name (cost attribution), as the account stack's policies read them",
      );
    output("manifest", JSON.stringify(this.baseline.manifest), "What this stack provisions (JSON; also written to <outdir>/manifests/)");
    if (this.key) output("kms_key_arn", this.key.keyArn, "Customer managed key of the alarm topic, invocation logs and AppConfig routing configuration");
    if (this.privateEndpoints) output("vpc_endpoint_ids", Object.fromEntries([...this.privateEndpoints.endpoints].map(([s, e]) => [s, e.id])), "Interface VPC endpoint per service");
    if (this.quotaStore) {
      const q = this.quotaStore;
      output(
        "quota_store",
        { endpoint: q.host, port: this.baseline.quotaStore!.location("").port, cache_arn: q.cache.arn, user_id: q.user?.userId ?? null },
        "The routers' quota store: ElastiCache Serverless endpoint (TLS), port, cache ARN and the IAM-authenticated user (createRouter quotaStore: \"from-document\" reads it from the routing document)",
      );
    }
    const logging = this.invocationLogging;
    if (logging) output("invocation_logging", { logGroup: logging.logGroup?.name ?? null, bucket: logging.bucket?.bucket ?? null }, "Destinations of Bedrock model invocation logs");
  }
}
