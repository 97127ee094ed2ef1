/**
 * The AWS services the baseline's code calls, each reachable through an interface VPC endpoint (AWS PrivateLink):
 * https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html. Which command calls which
 * was read from the code: the routing client (client/aws-clients.ts), smoke (smoke/aws-session.ts), the toggle
 * (toggle/) and the catalog sync (cli/catalog-sync.ts).
 */
export const ENDPOINT_SERVICES = ["bedrock-runtime", "appconfigdata", "appconfig", "servicequotas", "sts", "bedrock"] as const;

/** One of ENDPOINT_SERVICES: the service part of its endpoint service name. */
export type EndpointService = (typeof ENDPOINT_SERVICES)[number];

/** Who calls each service, for docs, messages and the synth summary. */
export const ENDPOINT_CALLERS: Readonly<Record<EndpointService, string>> = {
  "bedrock-runtime": "routing client and smoke (Converse, ConverseStream)",
  appconfigdata: "routing client and smoke (StartConfigurationSession, GetLatestConfiguration)",
  appconfig: "smoke (deployment status) and the toggle (hosted versions, deployments)",
  servicequotas: "smoke (applied quotas) and catalog:sync",
  sts: "smoke --role-arn (AssumeRole) and SDK credential providers (web identity)",
  bedrock: "catalog:sync and Terraform's plan-time catalog checks (model and profile listings)",
};

/** What the routing client calls: the services an environment gets endpoints for unless it names others. */
export const DEFAULT_ENDPOINT_SERVICES: readonly EndpointService[] = ["bedrock-runtime", "appconfigdata"];

/**
 * The endpoint service name of `service` in `region`, e.g. `com.amazonaws.us-east-1.bedrock-runtime`
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/vpc-interface-endpoints.html,
 * https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-vpc-endpoints.html). GovCloud regions use the same form.
 */
export function endpointServiceName(region: string, service: EndpointService): string {
  return `com.amazonaws.${region}.${service}`;
}

// Resource ID forms (EC2 IDs are a prefix and 8 or 17 lowercase hex digits):
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html
export const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** An interface endpoint's ID, as aws:SourceVpce carries it. */
export const VPC_ENDPOINT_ID = /^vpce-([0-9a-f]{8}|[0-9a-f]{17})$/;
