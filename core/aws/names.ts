import { AWS_REGIONS } from "./geography";

/** Stack and resource names derived from the environment, shared by synth, smoke, the client and the toggle. */
export const names = {
  regionStack: (env: string, region: string) => `bedrock-${env}-${region}`,
  accountStack: (env: string) => `bedrock-${env}-account`,
  appConfigApplication: (env: string) => `bedrock-${env}`,
  appConfigEnvironment: (env: string) => env,
  appConfigProfile: "routing",
  routineStrategy: (env: string) => `bedrock-${env}-routine`,
  emergencyStrategy: (env: string) => `bedrock-${env}-emergency`,
  alarmTopic: (env: string) => `bedrock-${env}-alarms`,
  budgetTopic: (env: string) => `bedrock-${env}-budget`,
  budget: (env: string) => `bedrock-${env}-monthly`,
  /** One per workload and environment (IAM is global): its grants in every region of the environment. */
  workloadPolicy: (env: string, workload: string) => `bedrock-${env}-${workload}`,
  workloadRole: (env: string, region: string, workload: string) => `bedrock-${env}-${region}-${workload}`,
  /** One per environment: the smoke run's grants in every region. */
  smokePolicy: (env: string) => `bedrock-${env}-smoke`,
  /** Part `part` (1-based) of a managed policy packed into several; "." never occurs in the names above, so no part is another policy's name. */
  policyPart: (policyName: string, part: number) => (part === 1 ? policyName : `${policyName}.part${part}`),
  rollbackRole: (env: string, region: string) => `bedrock-${env}-${region}-appconfig-rollback`,
  dashboard: (env: string, region: string) => `bedrock-${env}-${region}`,
  /** Dashboard `n` (1-based) of a region whose rows need several: the first keeps the region's dashboard name. */
  dashboardPart: (env: string, region: string, n: number) => (n === 1 ? `bedrock-${env}-${region}` : `bedrock-${env}-${region}-${n}`),
  alarm: (env: string, kind: string, invokeId: string) => `bedrock-${env}-${kind}-${invokeId}`,
  rollbackAlarm: (env: string) => `bedrock-${env}-routing-rollback`,
  /** Folder (the part before "/") of an environment's saved Logs Insights queries in the console. */
  queryFolder: (env: string) => `bedrock-${env}`,
  organizationGuard: (env: string) => `bedrock-${env}-deny-api-keys`,
  /** A declared guardrail in each region stack (guardrail names are unique per account and region). */
  guardrail: (env: string, guardrail: string) => `bedrock-${env}-${guardrail}`,
  /** A workload's monthly budget (account-global, like the environment's). */
  workloadBudget: (env: string, workload: string) => `bedrock-${env}-${workload}-monthly`,
  /**
   * A workload's application inference profile of one model (unique per account and Region): readable where it fits
   * the API's 64 characters and pattern (no "." or ":", no doubled separator), else cut and suffixed with a hash of the
   * whole name so two long names never collide.
   */
  applicationProfile: (env: string, workload: string, modelId: string) => fitName(`bedrock-${env}-${workload}-${modelId}`.replace(/[^0-9a-zA-Z]+/g, "-").replace(/-+$/, ""), 64),
  /** A region's alarm about one workload (its spend rate): `bedrock-<env>-<kind>-workload-<workload>`. */
  workloadAlarm: (env: string, kind: string, workload: string) => `bedrock-${env}-${kind}-workload-${workload}`,
  /** A region's alarm on the account-level "Cross-Model Max Tokens Per Day". */
  crossModelDailyAlarm: (env: string) => `bedrock-${env}-daily-quota-cross-model`,
  /** The environment's CUR 2.0 data export. */
  costExport: (env: string) => `bedrock-${env}-cur2`,
  /** File (under `<outdir>/guards/`) the organization guard is written to when the environment does not create it. */
  organizationGuardFile: (env: string) => `bedrock-${env}-scp.json`,
  /** The CloudWatch Logs log group Bedrock delivers a region's invocation logs to. */
  invocationLogGroup: (env: string) => `/aws/bedrock/${env}/model-invocations`,
  /** The role Bedrock assumes to write invocation logs to CloudWatch Logs. */
  invocationLogRole: (env: string, region: string) => `bedrock-${env}-${region}-invocation-logs`,
  /** The S3 bucket of a region's invocation logs: bucket names are global, hence the account. */
  invocationLogBucket: (env: string, region: string, account: string) => `bedrock-${env}-${account}-${region}-invocation-logs`,
  /** The EventBridge rule that notifies when the logging configuration changes outside Terraform. */
  loggingChangeRule: (env: string) => `bedrock-${env}-logging-changed`,
  /** The alias of a region's customer managed key (aliases begin with alias/ and never alias/aws/). */
  keyAlias: (env: string) => `alias/bedrock-${env}`,
  /** The Name tag of an interface endpoint. */
  vpcEndpoint: (env: string, service: string) => `bedrock-${env}-${service}`,
  /** The region's ElastiCache Serverless cache of the routers' quota store (cache names are unique per account and region). */
  quotaStoreCache: (env: string) => `bedrock-${env}-fleet`,
  /** The IAM-authenticated ElastiCache user the routers connect as (user ID = user name, as IAM authentication requires). */
  quotaStoreUser: (env: string) => `bedrock-${env}-router`,
  /** The cache's user group (its only member: the routers' user). */
  quotaStoreUserGroup: (env: string) => `bedrock-${env}-fleet`,
};

/** FNV-1a (32 bits) of a string as 8 hex digits: a short, stable suffix, not a security hash. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (const c of text) h = Math.imul(h ^ c.codePointAt(0)!, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

/** `name` when it has at most `max` characters, else its first characters and a hash of the whole name. */
function fitName(name: string, max: number): string {
  if (name.length <= max) return name;
  return `${name.slice(0, max - 9).replace(/[^0-9a-zA-Z]+$/, "")}-${shortHash(name)}`;
}

/**
 * The environment and region (or "account") a stack name belongs to, undefined for names the baseline does not make.
 * Unambiguous: no known region name is a dash-suffix of another, and none is "account" (a test checks both).
 */
export function parseStackName(stack: string): { env: string; region: string | "account" } | undefined {
  if (!stack.startsWith("bedrock-")) return undefined;
  for (const tail of ["account", ...AWS_REGIONS.keys()])
    if (stack.endsWith(`-${tail}`) && stack.length > "bedrock-".length + tail.length + 1) return { env: stack.slice("bedrock-".length, -tail.length - 1), region: tail };
  return undefined;
}
