import { type EndpointService, foundationModelArn, type Invocation, partitionOf } from "../aws";
import { INVOKE_ACTIONS, type PolicyDocument, type PolicyStatement, type RoutingConfigArns } from "./iam-policy";
import { applyGuardrailStatement } from "./invoke-grants";

/*
 * VPC endpoint policies: what an interface endpoint lets through, whoever calls (Principal "*"), evaluated besides the
 * caller's own policies (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html). Each allows the
 * calls the baseline's code makes to that service on exactly what the region stack provisions, and only by principals of
 * the environment's account (aws:PrincipalAccount), so a credential from another account cannot use the endpoint to
 * reach anything, and the endpoint cannot be used to reach another account's resources.
 */

/** What the endpoint policies of one region stack are built from (Terraform references at synth, sized copies in validation). */
export interface EndpointPolicyInput {
  readonly region: string;
  readonly account: string;
  /** Every enabled model as invoked in the region. */
  readonly invocations: readonly Invocation[];
  readonly routing: RoutingConfigArns;
  /** ARNs of the guardrails routes apply. Default: none. */
  readonly guardrailArns?: readonly string[];
  /**
   * Foundation-model ID -> the application inference profile ARNs of every workload calling it (cost attribution).
   * Default: none.
   */
  readonly applicationProfiles?: Readonly<Record<string, readonly string[]>>;
}

const inAccount = (account: string) => ({ StringEquals: { "aws:PrincipalAccount": account } });

/** `condition` with aws:PrincipalAccount added to its StringEquals (merged key by key, never replacing a key's block). */
function withAccount(condition: PolicyStatement["Condition"], account: string): NonNullable<PolicyStatement["Condition"]> {
  return { ...condition, StringEquals: { ...condition?.StringEquals, "aws:PrincipalAccount": account } };
}

/** A statement of an endpoint policy: anyone the account condition admits, on `resources`. */
function allow(sid: string, account: string, actions: readonly string[], resources: string | readonly string[]): PolicyStatement {
  return { Sid: sid, Effect: "Allow", Principal: "*", Action: actions, Resource: resources, Condition: inAccount(account) };
}

/**
 * bedrock-runtime: invoke exactly the region's models, the way the workload policies grant them (the profile; the
 * foundation models behind a profile only with bedrock:InferenceProfileArn of a provisioned profile; global routing as
 * AWS prescribes, https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html), and
 * ApplyGuardrail on the routes' guardrails. One statement per way of invoking, listing every model, so the policy grows
 * by three ARNs a model (about 85 models fit its 20,480 characters): a perimeter names what exists, and which workload may
 * call which model stays with the workload policies, as do the tier and guardrail conditions.
 */
function bedrockRuntime(i: EndpointPolicyInput): PolicyStatement[] {
  const partition = partitionOf(i.region);
  const geo = i.invocations.filter((inv) => inv.kind === "geo");
  const global = i.invocations.filter((inv) => inv.kind === "global");
  const onDemand = i.invocations.filter((inv) => inv.kind === "on-demand");
  const via = (invs: readonly Invocation[]) => ({ "bedrock:InferenceProfileArn": invs.map((inv) => inv.profileArn!) });
  const statement = (sid: string, invs: readonly Invocation[], resources: string[], condition: Record<string, string | string[]> = {}): PolicyStatement[] =>
    invs.length ? [{ Sid: sid, Effect: "Allow", Principal: "*", Action: INVOKE_ACTIONS, Resource: resources, Condition: withAccount({ StringEquals: condition }, i.account) }] : [];
  return [
    ...statement("InvokeProvisioned", [...geo, ...onDemand], [...geo.map((inv) => inv.profileArn!), ...onDemand.map((inv) => foundationModelArn(inv.region, inv.modelId))]),
    ...statement("InvokeViaProfiles", geo, geo.map((inv) => foundationModelArn("*", inv.modelId, partition)), via(geo)),
    ...statement("InvokeGlobalProfiles", global, global.map((inv) => inv.profileArn!), { "aws:RequestedRegion": i.region }),
    ...statement("InvokeGlobalInRegion", global, global.map((inv) => foundationModelArn(i.region, inv.modelId)), { "aws:RequestedRegion": i.region, ...via(global) }),
    ...statement("InvokeGlobalRouted", global, global.map((inv) => foundationModelArn("", inv.modelId, partition)), { "aws:RequestedRegion": "unspecified", ...via(global) }),
    ...applicationProfileStatements(i),
    ...applyGuardrailStatement(i.guardrailArns ?? []).map((g) => ({ ...g, Principal: "*" as const, Condition: inAccount(i.account) })),
  ];
}

/**
 * bedrock-runtime with cost attribution: the workloads' application inference profiles, the way their policies grant
 * them (core/iam/iam-policy.ts, applicationGrants): the profile, and the foundation models behind it only with
 * bedrock:InferenceProfileArn of one of them (any region for a geographic or global model, the region for an on-demand
 * one; a global model's as AWS prescribes for global routing). One statement per way, listing every profile: two ARNs a
 * profile. Without these the endpoint would refuse every call a workload makes through its profile.
 */
function applicationProfileStatements(i: EndpointPolicyInput): PolicyStatement[] {
  const partition = partitionOf(i.region);
  const profiled = i.invocations.filter((inv) => Object.hasOwn(i.applicationProfiles ?? {}, inv.modelId) && i.applicationProfiles![inv.modelId].length);
  const arns = (invs: readonly Invocation[]) => invs.flatMap((inv) => i.applicationProfiles![inv.modelId]);
  const regional = profiled.filter((inv) => inv.kind !== "global");
  const global = profiled.filter((inv) => inv.kind === "global");
  const statement = (sid: string, resources: string[], condition: Record<string, string | string[]>): PolicyStatement[] =>
    resources.length ? [{ Sid: sid, Effect: "Allow", Principal: "*", Action: INVOKE_ACTIONS, Resource: resources, Condition: withAccount({ StringEquals: condition }, i.account) }] : [];
  const fm = (inv: Invocation) => foundationModelArn(inv.kind === "on-demand" ? inv.region : "*", inv.modelId, partition);
  return [
    ...statement("InvokeApplicationProfiles", arns(regional), {}),
    ...statement("InvokeViaApplicationProfiles", regional.map(fm), { "bedrock:InferenceProfileArn": arns(regional) }),
    ...statement("InvokeGlobalApplicationProfiles", arns(global), { "aws:RequestedRegion": i.region }),
    ...statement("InvokeGlobalInRegionViaApplicationProfiles", global.map((inv) => foundationModelArn(i.region, inv.modelId)), { "aws:RequestedRegion": i.region, "bedrock:InferenceProfileArn": arns(global) }),
    ...statement("InvokeGlobalRoutedViaApplicationProfiles", global.map((inv) => foundationModelArn("", inv.modelId, partition)), { "aws:RequestedRegion": "unspecified", "bedrock:InferenceProfileArn": arns(global) }),
  ];
}

/** The AppConfig control plane: what smoke reads (deployment status) and the toggle changes (hosted versions, deployments). */
function appConfig(i: EndpointPolicyInput): PolicyStatement[] {
  const partition = partitionOf(i.region);
  return [
    // ListApplications has no resource type; smoke and the toggle find the application by name.
    allow("FindApplication", i.account, ["appconfig:ListApplications"], "*"),
    allow(
      "RoutingApplication",
      i.account,
      [
        "appconfig:ListEnvironments",
        "appconfig:ListConfigurationProfiles",
        "appconfig:GetDeployment",
        "appconfig:ListDeployments",
        "appconfig:StartDeployment",
        "appconfig:StopDeployment",
        "appconfig:CreateHostedConfigurationVersion",
        "appconfig:GetHostedConfigurationVersion",
        "appconfig:ListHostedConfigurationVersions",
        "appconfig:DeleteHostedConfigurationVersion",
      ],
      [i.routing.application, `${i.routing.application}/*`],
    ),
    // ListDeploymentStrategies has no resource type; strategies are read by ARN.
    allow("ListStrategies", i.account, ["appconfig:ListDeploymentStrategies"], "*"),
    allow("ReadStrategies", i.account, ["appconfig:GetDeploymentStrategy"], `arn:${partition}:appconfig:${i.region}:${i.account}:deploymentstrategy/*`),
  ];
}

const BUILDERS: Readonly<Record<EndpointService, (i: EndpointPolicyInput) => PolicyStatement[]>> = {
  "bedrock-runtime": bedrockRuntime,
  // The routing client and smoke read the routing profile: one configuration, two actions.
  appconfigdata: (i) => [allow("ReadRoutingConfig", i.account, ["appconfig:StartConfigurationSession", "appconfig:GetLatestConfiguration"], i.routing.configuration)],
  appconfig: appConfig,
  servicequotas: (i) => [
    allow("ReadBedrockQuotas", i.account, ["servicequotas:GetServiceQuota"], `arn:${partitionOf(i.region)}:servicequotas:${i.region}:${i.account}:bedrock/*`),
    // ListServiceQuotas has no resource type.
    allow("ListQuotas", i.account, ["servicequotas:ListServiceQuotas"], "*"),
  ],
  sts: (i) => [
    // Roles of the account only: smoke --role-arn assumes a workload role; SDK providers in the VPC assume theirs.
    allow("AssumeAccountRoles", i.account, ["sts:AssumeRole", "sts:TagSession"], `arn:${partitionOf(i.region)}:iam::${i.account}:role/*`),
    // A web-identity caller has no AWS principal yet (aws:PrincipalAccount is absent), so only the role's account limits it.
    { Sid: "AssumeAccountRolesWithWebIdentity", Effect: "Allow", Principal: "*", Action: ["sts:AssumeRoleWithWebIdentity"], Resource: `arn:${partitionOf(i.region)}:iam::${i.account}:role/*` },
    allow("WhoAmI", i.account, ["sts:GetCallerIdentity"], "*"),
  ],
  // The control plane's reads catalog:sync, smoke and Terraform's plan-time lookups make (the listings have no resource type).
  bedrock: (i) => [
    allow("ListCatalogAndLogging", i.account, ["bedrock:ListFoundationModels", "bedrock:ListInferenceProfiles", "bedrock:GetModelInvocationLoggingConfiguration"], "*"),
    allow("ReadModelsAndProfiles", i.account, ["bedrock:GetFoundationModel", "bedrock:GetInferenceProfile"], [
      `arn:${partitionOf(i.region)}:bedrock:${i.region}::foundation-model/*`,
      `arn:${partitionOf(i.region)}:bedrock:${i.region}:${i.account}:inference-profile/*`,
    ]),
  ],
};

/** The endpoint policy of `service` in the region. */
export function endpointPolicy(service: EndpointService, input: EndpointPolicyInput): PolicyDocument {
  return { Version: "2012-10-17", Statement: BUILDERS[service](input) };
}
