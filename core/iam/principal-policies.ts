import { partitionOf } from "../aws";
import { bearerTokenDeny, INVOKE_ACTIONS, type PolicyDocument, type PolicyStatement, type RoutingConfigArns } from "./iam-policy";
import { applyGuardrailStatement, entryPoints, invokeGrantStatements, type ModelGrant } from "./invoke-grants";
import { type QuotaStoreArns, quotaStoreConnect } from "./quota-store-policy";

/** One region's AppConfig routing profile, as a principal's policy names it. */
export interface RegionRoutingArns {
  readonly region: string;
  readonly arns: RoutingConfigArns;
}

/** What a principal's policy grants across the environment: its models, and the guardrails its routes apply. */
export interface PrincipalGrants {
  readonly account: string;
  readonly models: readonly ModelGrant[];
  /** Guardrail ARNs (every region's) the principal may apply. Default: none. */
  readonly applyGuardrails?: readonly string[];
}

/** Where a principal's calls must come from and which keys its routing profiles use: both off by default. */
export interface NetworkAndKeys {
  /** The bedrock-runtime endpoint ID of every region, when workloads must call through them. Default: none. */
  readonly sourceVpce?: readonly string[];
  /** Region -> the customer managed key of its AppConfig routing profile, when the environment uses one. Default: none. */
  readonly routingKeys?: Readonly<Record<string, string>>;
}

/**
 * The explicit Deny of invoke calls that did not come through one of the environment's bedrock-runtime endpoints, on
 * what a call names first (each profile, application profiles included, and an on-demand model in its regions; the foundation models a profile routes
 * to are not listed: their grants already require the profile, and whether the routed authorization carries
 * aws:SourceVpce is not documented, so a condition there could refuse every cross-region call)
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpce).
 * StringNotEquals also matches when the key is absent (a call over the public endpoint), so those are denied too, and
 * no other policy on the principal can allow them. An endpoint serves its own region only, so listing every region's
 * endpoint admits exactly the calls each region's own endpoint carries.
 */
export function outsideEndpointDeny(g: PrincipalGrants, endpointIds: readonly string[]): PolicyStatement[] {
  const entries = entryPoints(g.models, g.account);
  return entries.length ? [{ Sid: "DenyInvokeOutsideEndpoint", Effect: "Deny", Action: INVOKE_ACTIONS, Resource: entries, Condition: { StringNotEquals: { "aws:SourceVpce": [...endpointIds] } } }] : [];
}

/**
 * kms:Decrypt on the keys of encrypted AppConfig routing profiles, only through AppConfig in their regions
 * (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service): whether
 * GetLatestConfiguration decrypts with the caller's permission is not documented, so readers get it, as narrowly as KMS
 * allows. A key is regional, so AppConfig of its region is the only service that can use it.
 */
export function routingKeyRead(keys: Readonly<Record<string, string>>): PolicyStatement[] {
  const regions = Object.keys(keys);
  return regions.length
    ? [{ Sid: "DecryptRoutingConfig", Effect: "Allow", Action: ["kms:Decrypt"], Resource: regions.map((r) => keys[r]), Condition: { StringEquals: { "kms:ViaService": regions.map((r) => `appconfig.${r}.amazonaws.com`) } } }]
    : [];
}

function invokeStatements(g: PrincipalGrants): PolicyStatement[] {
  return [...invokeGrantStatements(g.models, g.account), ...applyGuardrailStatement(g.applyGuardrails ?? [])];
}

function readRouting(routing: readonly RegionRoutingArns[]): PolicyStatement {
  return {
    Sid: "ReadRoutingConfig",
    Effect: "Allow",
    Action: ["appconfig:StartConfigurationSession", "appconfig:GetLatestConfiguration"],
    Resource: routing.map((r) => r.arns.configuration),
  };
}

/**
 * What an application principal needs in every region of the environment: invoke its routes' models, read the region's
 * routing profile, publish client metrics, and connect to each region's quota store when the environment provisions
 * them with IAM authentication (core/iam/quota-store-policy.ts).
 */
export function workloadPolicy(args: { grants: PrincipalGrants; routing: readonly RegionRoutingArns[]; metricsNamespace: string; network?: NetworkAndKeys; quotaStores?: readonly QuotaStoreArns[] }): PolicyDocument {
  const n = args.network ?? {};
  return {
    Version: "2012-10-17",
    Statement: [
      ...invokeStatements(args.grants),
      ...(n.sourceVpce ? outsideEndpointDeny(args.grants, n.sourceVpce) : []),
      readRouting(args.routing),
      ...routingKeyRead(n.routingKeys ?? {}),
      {
        Sid: "PutClientMetrics",
        Effect: "Allow",
        Action: ["cloudwatch:PutMetricData"],
        // PutMetricData has no resource type to scope; the namespace condition is the scope.
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": args.metricsNamespace } },
      },
      ...(args.quotaStores?.length ? [quotaStoreConnect(args.quotaStores)] : []),
      bearerTokenDeny(),
    ],
  };
}

/**
 * What the CI smoke run needs in every region: the invoke grants for every model (tier conditions of all routes; no
 * guardrail condition, since it probes unguarded routes too, but ApplyGuardrail to probe the guarded ones), routing
 * read, deployment status, quota reads. It never requires the endpoints (CI may run smoke outside the VPC).
 */
export function smokePolicy(args: { grants: PrincipalGrants; routing: readonly RegionRoutingArns[]; routingKeys?: Readonly<Record<string, string>> }): PolicyDocument {
  const account = args.grants.account;
  return {
    Version: "2012-10-17",
    Statement: [
      ...invokeStatements(args.grants),
      readRouting(args.routing),
      ...routingKeyRead(args.routingKeys ?? {}),
      // Smoke resolves the AppConfig names in the manifest to IDs; ListApplications has no resource type to scope.
      { Sid: "FindRoutingApplication", Effect: "Allow", Action: ["appconfig:ListApplications"], Resource: "*" },
      { Sid: "FindRoutingEnvironment", Effect: "Allow", Action: ["appconfig:ListEnvironments"], Resource: args.routing.map((r) => r.arns.application) },
      {
        Sid: "ReadDeploymentStatus",
        Effect: "Allow",
        Action: ["appconfig:GetDeployment", "appconfig:ListDeployments"],
        Resource: args.routing.flatMap((r) => [r.arns.environment, `${r.arns.environment}/deployment/*`]),
      },
      {
        // The regions as a condition, not one ARN each: a quota is read where it is requested (the call names its region).
        Sid: "ReadBedrockQuotas",
        Effect: "Allow",
        Action: ["servicequotas:GetServiceQuota"],
        Resource: [...new Set(args.routing.map((r) => `arn:${partitionOf(r.region)}:servicequotas:?*:${account}:bedrock/*`))],
        Condition: { StringEquals: { "aws:RequestedRegion": args.routing.map((r) => r.region) } },
      },
      // ListServiceQuotas supports no resource type; it is read-only metadata, used only when a quota code is unknown.
      { Sid: "ListBedrockQuotas", Effect: "Allow", Action: ["servicequotas:ListServiceQuotas"], Resource: "*" },
      bearerTokenDeny(),
    ],
  };
}
