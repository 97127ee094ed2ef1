import { type EndpointService, endpointServiceName, names, partitionOf } from "../aws";
import { applicationProfiles, type BaselinePlan, effectiveRetentionDays, type GuardrailRefs, profileArnOf, type ProfileRefs, type RegionNetwork, securityPosture, type SecurityPosture, sizingProfileRefs, sizingRefs } from "../environment";
import { endpointPolicy, invocationLogBucketPolicy, invocationLogRolePolicy, invocationLogRoleTrust, keyPolicy, LOG_BUCKET_PREFIXES, type PolicyDocument, type RoutingConfigArns, sizingRouting } from "../iam";

/** The region's customer managed key: created by the stack, or an existing one named by ARN. */
export interface KeySpec {
  readonly mode: "create" | "existing";
  /** The existing key's ARN (mode "existing"). */
  readonly arn?: string;
  /** The created key's alias. */
  readonly alias: string;
  /** The created key's policy; also what an existing key's policy must allow (a stack output shows it). */
  readonly policy: PolicyDocument;
}

/** Bedrock model invocation logging in the region. */
export interface InvocationLoggingSpec {
  /** The log group (with the "cloudwatch" destination). */
  readonly logGroupName?: string;
  readonly logGroupArn?: string;
  /** The delivery role (with the "cloudwatch" destination). */
  readonly roleName?: string;
  readonly roleTrust?: PolicyDocument;
  /** The bucket (with the "s3" destination, or for large payloads). */
  readonly bucketName?: string;
  readonly bucketArn?: string;
  /** Days the destinations keep logs. */
  readonly retentionDays: number;
  /** The *DataDeliveryEnabled flags: all false for metadata only. */
  readonly delivery: { readonly text: boolean; readonly image: boolean; readonly embedding: boolean; readonly video: boolean };
  /** Payloads too large for a log event go to the bucket (CloudWatch and S3 destinations with payloads on). */
  readonly largeDataToBucket: boolean;
  /** The EventBridge rule notifying the alarm topic of changes, when on. */
  readonly changeRule?: { readonly name: string; readonly eventPattern: string; readonly inputPaths: Readonly<Record<string, string>>; readonly inputTemplate: string };
  rolePolicy(): PolicyDocument;
  bucketPolicy(deliveryRoleArn?: string): PolicyDocument;
}

/** What an endpoint policy names of the stack. */
export interface EndpointRefs {
  readonly routing: RoutingConfigArns;
  readonly guardrails: GuardrailRefs;
  /** The workloads' application profiles (cost attribution). Default: none. */
  readonly profiles?: ProfileRefs;
}

/** The interface endpoints of the region. */
export interface PrivateEndpointsSpec {
  readonly network: RegionNetwork;
  readonly services: readonly { readonly service: EndpointService; readonly serviceName: string; readonly nameTag: string }[];
  readonly privateDns: boolean;
  /** Characters of each endpoint policy with applied values as long as real ones (validation checks them). */
  readonly policySizes: Readonly<Partial<Record<EndpointService, number>>>;
  /** An endpoint's policy with the stack's references (with cost attribution, its application profiles too). */
  policy(service: EndpointService, refs: EndpointRefs): PolicyDocument;
}

/** The security controls one region stack provisions (core/environment/security-posture.ts says what is on). */
export interface RegionSecurity {
  readonly posture: SecurityPosture;
  readonly key?: KeySpec;
  readonly invocationLogging?: InvocationLoggingSpec;
  readonly privateEndpoints?: PrivateEndpointsSpec;
  /** Workload policies require the bedrock-runtime endpoint (aws:SourceVpce). */
  readonly requireSourceVpce: boolean;
}

/** The CloudTrail events that change a region's logging configuration, as EventBridge matches them. */
export const LOGGING_CHANGE_EVENTS = ["PutModelInvocationLoggingConfiguration", "DeleteModelInvocationLoggingConfiguration"] as const;

function loggingSpec(plan: BaselinePlan, region: string): InvocationLoggingSpec | undefined {
  const c = plan.config;
  const l = c.invocationLogging;
  if (!l?.enabled) return undefined;
  const partition = partitionOf(region);
  const cw = l.destinations.includes("cloudwatch");
  const payloads = l.payloads.enabled ? new Set(l.payloads.kinds) : new Set<string>();
  const largeDataToBucket = cw && l.destinations.includes("s3") && payloads.size > 0;
  const bucket = l.destinations.includes("s3");
  const logGroupName = names.invocationLogGroup(c.name);
  const logGroupArn = `arn:${partition}:logs:${region}:${c.account}:log-group:${logGroupName}`;
  const bucketName = names.invocationLogBucket(c.name, region, c.account);
  const bucketArn = `arn:${partition}:s3:::${bucketName}`;
  return {
    ...(cw ? { logGroupName, logGroupArn, roleName: names.invocationLogRole(c.name, region), roleTrust: invocationLogRoleTrust(region, c.account) } : {}),
    ...(bucket ? { bucketName, bucketArn } : {}),
    retentionDays: effectiveRetentionDays(l),
    delivery: { text: payloads.has("text"), image: payloads.has("image"), embedding: payloads.has("embedding"), video: payloads.has("video") },
    largeDataToBucket,
    ...(l.alertOnChange
      ? {
          changeRule: {
            name: names.loggingChangeRule(c.name),
            // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
            eventPattern: JSON.stringify({ source: ["aws.bedrock"], "detail-type": ["AWS API Call via CloudTrail"], detail: { eventSource: ["bedrock.amazonaws.com"], eventName: [...LOGGING_CHANGE_EVENTS] } }),
            inputPaths: { event: "$.detail.eventName", who: "$.detail.userIdentity.arn", time: "$.time" },
            inputTemplate: `"Bedrock model invocation logging in ${region} (environment ${c.name}): <event> by <who> at <time>. If this was not a baseline apply, run the deploy again to restore what config/${c.name}.json declares."`,
          },
        }
      : {}),
    rolePolicy: () => invocationLogRolePolicy({ logGroupArn, ...(largeDataToBucket ? { largeDataObjects: `${bucketArn}/${LOG_BUCKET_PREFIXES.largeData}/*` } : {}) }),
    bucketPolicy: (deliveryRoleArn) => invocationLogBucketPolicy({ bucketArn, region, account: c.account, ...(deliveryRoleArn ? { deliveryRoleArn } : {}) }),
  };
}

function endpointsSpec(plan: BaselinePlan, region: string): PrivateEndpointsSpec | undefined {
  const c = plan.config;
  const p = c.privateEndpoints;
  if (!p?.enabled || !Object.hasOwn(c.network, region)) return undefined;
  const invocations = Object.values(plan.invocations[region] ?? {});
  const guardrailNames = [...new Set(Object.values(c.routes).flatMap((r) => (r.guardrail ? [r.guardrail] : [])))];
  const profiles = applicationProfiles(plan, region);
  // Foundation-model ID -> every workload's application profile of it, as `refs` gives them.
  const profileArns = (refs: ProfileRefs = {}) => {
    const out: Record<string, string[]> = Object.create(null);
    for (const p of profiles) {
      const arn = profileArnOf(refs, p.workload, p.modelId);
      if (arn === undefined) throw new Error(`no reference for the application profile of ${p.workload} and ${p.modelId}`);
      (out[p.modelId] ??= []).push(arn);
    }
    return out;
  };
  const policy = (service: EndpointService, refs: EndpointRefs) =>
    endpointPolicy(service, {
      region,
      account: c.account,
      invocations,
      routing: refs.routing,
      guardrailArns: guardrailNames.filter((n) => Object.hasOwn(refs.guardrails, n)).map((n) => refs.guardrails[n].arn),
      applicationProfiles: profileArns(refs.profiles),
    });
  const sizing: EndpointRefs = { routing: sizingRouting(region, c.account), guardrails: sizingRefs(guardrailNames, region, c.account, partitionOf(region)), profiles: sizingProfileRefs(plan, region) };
  return {
    network: c.network[region],
    services: p.services.map((service) => ({ service, serviceName: endpointServiceName(region, service), nameTag: names.vpcEndpoint(c.name, service) })),
    privateDns: p.privateDns,
    policySizes: Object.fromEntries(p.services.map((s) => [s, JSON.stringify(policy(s, sizing)).length])),
    policy,
  };
}

function keySpec(plan: BaselinePlan, region: string, logging: InvocationLoggingSpec | undefined): KeySpec | undefined {
  const c = plan.config;
  const e = c.encryption;
  if (!e || e.keys === "aws") return undefined;
  const policy = keyPolicy({ region, account: c.account, alarmTopic: true, ...(logging?.logGroupArn ? { logGroupArn: logging.logGroupArn } : {}), logBucket: logging?.bucketName !== undefined, appConfig: true, elastiCache: c.quotaStore?.enabled === true });
  const arn = e.keys === "existing" && Object.hasOwn(e.keyArns, region) ? e.keyArns[region] : undefined;
  return { mode: e.keys, ...(arn ? { arn } : {}), alias: names.keyAlias(c.name), policy };
}

/** The security controls of `region`'s stack. */
export function regionSecurity(plan: BaselinePlan, region: string): RegionSecurity {
  const logging = loggingSpec(plan, region);
  const endpoints = endpointsSpec(plan, region);
  const key = keySpec(plan, region, logging);
  return {
    posture: securityPosture(plan.config, region),
    ...(key ? { key } : {}),
    ...(logging ? { invocationLogging: logging } : {}),
    ...(endpoints ? { privateEndpoints: endpoints } : {}),
    requireSourceVpce: endpoints !== undefined && plan.config.privateEndpoints.requireSourceVpce && endpoints.services.some((s) => s.service === "bedrock-runtime"),
  };
}
