import { type Invocation, names } from "../aws";
import { type ApplicationProfileSpec, applicationProfiles, attributesCost, type BaselinePlan, type GuardrailConfig } from "../environment";
import { type AlarmSpec, type DashboardSpec, regionAlarms, regionDashboards, type SavedQuerySpec, savedQueries, tpmQuotaCodes } from "../observability";
import { buildManifest, type RegionRouting, regionRouting, type StackManifest } from "../routing";
import { type QuotaStoreSpec, quotaStoreSpec } from "./quota-store";
import { type RegionSecurity, regionSecurity } from "./region-security";

/** One declared guardrail as a region stack creates it. */
export interface GuardrailSpec {
  /** Its name in the environment file. */
  readonly name: string;
  /** Its AWS name in the region (unique per account and region). */
  readonly awsName: string;
  /** The console description when the file gives none. */
  readonly defaultDescription: string;
  /** The description of each version the stack publishes. */
  readonly versionDescription: string;
  readonly config: GuardrailConfig;
}

/** A role a region stack creates for a workload (its policy is the environment's, core/baseline/account-baseline.ts). */
export interface WorkloadRoleSpec {
  /** Construct ID in the region stack: `workload-<name>` (the address roles always had). */
  readonly id: string;
  readonly workload: string;
  readonly roleName: string;
  readonly assumedByServices: readonly string[];
  readonly assumedByPrincipals: readonly string[];
  /** Tags of the role besides the environment's: the workload's cost allocation tag, with cost attribution. Default: none. */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Everything one region stack of a plan holds, computed once in core: modules/ only render it (modules/region-stack.ts).
 * What it invokes (`invocations`) must exist when Terraform plans, for the stack's catalog preflight.
 */
export interface RegionBaseline {
  readonly stackName: string;
  readonly region: string;
  /** Every enabled model as invoked in the region. */
  readonly invocations: readonly Invocation[];
  /** Foundation-model ID -> tokens-per-minute quota code, for the models with a known one (their quotas are read at plan time). */
  readonly quotaCodes: ReadonlyMap<string, string>;
  /** Quota codes alarms read a share of besides the TPM ones (tokens per day): their applied values are read at plan time too. */
  readonly otherQuotaCodes: readonly string[];
  /** With cost attribution: each workload's application inference profile of each model it uses. */
  readonly applicationProfiles: readonly ApplicationProfileSpec[];
  /** The SNS topic the alarms notify. */
  readonly alarmTopic: { readonly name: string; readonly emails: readonly string[] };
  /** Every per-model alarm of every kind, model by model, then the region's and the workloads' (cost-alarms.ts). */
  readonly alarms: readonly AlarmSpec[];
  /** The composite alarm over the rollback members of `alarms`, which AppConfig watches. */
  readonly rollbackAlarmName: string;
  /** The region's dashboards: one list of rows, split onto as many as CloudWatch's limits need (the first keeps the region's dashboard name). */
  readonly dashboards: readonly DashboardSpec[];
  /** Saved Logs Insights queries over the routing client's log groups. */
  readonly savedQueries: readonly SavedQuerySpec[];
  readonly guardrails: readonly GuardrailSpec[];
  readonly routing: RegionRouting;
  /** The roles of the workloads that asked for one; the account stack attaches each workload's policy to them. */
  readonly roles: readonly WorkloadRoleSpec[];
  /** What the stack provisions, as smoke and operators read it. */
  readonly manifest: StackManifest;
  /** Invocation logging, interface endpoints, the customer managed key, and what is on and off. */
  readonly security: RegionSecurity;
  /** The routers' shared quota store (an ElastiCache Serverless cache), when the environment asks for one. */
  readonly quotaStore?: QuotaStoreSpec;
}

/** The baseline of one region of a validated plan. */
export function regionBaseline(plan: BaselinePlan, region: string): RegionBaseline {
  const c = plan.config;
  if (!Object.hasOwn(plan.invocations, region)) throw new Error(`${region} is not a region of ${c.name}`);
  const quotaStore = quotaStoreSpec(plan, region);
  const alarms = regionAlarms(plan, region);
  const tpmCodes = new Set(tpmQuotaCodes(plan, region).values());
  return {
    stackName: names.regionStack(c.name, region),
    region,
    invocations: Object.values(plan.invocations[region]),
    // Models without a known quota code get no quota-usage alarm; validation has warned about each.
    quotaCodes: new Map([...tpmQuotaCodes(plan, region)].flatMap(([id, code]) => (code ? [[id, code] as const] : []))),
    otherQuotaCodes: [...new Set(alarms.flatMap((a) => ("quotaCode" in a.threshold && !tpmCodes.has(a.threshold.quotaCode) ? [a.threshold.quotaCode] : [])))],
    applicationProfiles: applicationProfiles(plan, region),
    alarmTopic: { name: names.alarmTopic(c.name), emails: c.alarms.emails },
    alarms,
    rollbackAlarmName: names.rollbackAlarm(c.name),
    dashboards: regionDashboards(plan, region),
    savedQueries: savedQueries(plan),
    guardrails: Object.entries(c.guardrails).map(([name, config]) => ({
      name,
      awsName: names.guardrail(c.name, name),
      defaultDescription: `${name} (environment ${c.name}, bedrock-access-baseline)`,
      versionDescription: `Published by bedrock-access-baseline for the routes of ${c.name}`,
      config,
    })),
    routing: regionRouting(plan, region),
    roles: Object.entries(c.workloads).flatMap(([workload, w]) =>
      w.role
        ? [
            {
              id: `workload-${workload}`,
              workload,
              roleName: names.workloadRole(c.name, region, workload),
              assumedByServices: w.role.assumedByServices,
              assumedByPrincipals: w.role.assumedByPrincipals,
              ...(attributesCost(plan) ? { tags: { [c.costAttribution.tagKey]: workload } } : {}),
            },
          ]
        : [],
    ),
    manifest: buildManifest(plan, region),
    security: regionSecurity(plan, region),
    ...(quotaStore ? { quotaStore } : {}),
  };
}
