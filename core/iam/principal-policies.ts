import { partitionOf } from "../aws";
import { bearerTokenDeny, type PolicyDocument, type PolicyStatement, type RoutingConfigArns } from "./iam-policy";
import { applyGuardrailStatement, invokeGrantStatements, type ModelGrant } from "./invoke-grants";

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
 * routing profile, publish client metrics.
 */
export function workloadPolicy(args: { grants: PrincipalGrants; routing: readonly RegionRoutingArns[]; metricsNamespace: string }): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      ...invokeStatements(args.grants),
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

/**
 * What the CI smoke run needs in every region: the invoke grants for every model (tier conditions of all routes; no
 * guardrail condition, since it probes unguarded routes too, but ApplyGuardrail to probe the guarded ones), routing
 * read, deployment status, quota reads.
 */
export function smokePolicy(args: { grants: PrincipalGrants; routing: readonly RegionRoutingArns[] }): PolicyDocument {
  const account = args.grants.account;
  return {
    Version: "2012-10-17",
    Statement: [
      ...invokeStatements(args.grants),
      readRouting(args.routing),
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
        Sid: "ReadBedrockQuotas",
        Effect: "Allow",
        Action: ["servicequotas:GetServiceQuota"],
        Resource: args.routing.map((r) => `arn:${partitionOf(r.region)}:servicequotas:${r.region}:${account}:bedrock/*`),
      },
      // ListServiceQuotas supports no resource type; it is read-only metadata, used only when a quota code is unknown.
      { Sid: "ListBedrockQuotas", Effect: "Allow", Action: ["servicequotas:ListServiceQuotas"], Resource: "*" },
      bearerTokenDeny(),
    ],
  };
}
