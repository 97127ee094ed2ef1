import { Construct } from "constructs";
import type { EndpointRefs, PrivateEndpointsSpec } from "../core/baseline";
import type { EndpointService } from "../core/aws";
import { DataAwsSubnet, VpcEndpoint } from "./provider-aws";

/** Properties of PrivateEndpoints. */
export interface PrivateEndpointsProps {
  /** The endpoints and the region's network (core/baseline/region-security.ts). */
  readonly spec: PrivateEndpointsSpec;
  /** The stack's routing profile and guardrails, which the endpoint policies name. */
  readonly refs: EndpointRefs;
  /** Environment name and region, for the plan-time messages. */
  readonly envName: string;
  readonly region: string;
}

/** An ID in an HCL string literal: validation lets only EC2 IDs (prefix, dash, hex) through, which need no escaping. */
function hclString(id: string): string {
  if (!/^(vpc|subnet|sg)-[0-9a-f]+$/.test(id)) throw new Error(`refusing to put ${JSON.stringify(id)} into a Terraform expression: not an EC2 ID`);
  return `"${id}"`;
}

/**
 * Interface VPC endpoints (AWS PrivateLink) for the services the baseline's code calls, in the environment's VPC of the
 * region, each with its exact endpoint policy (core/iam/endpoint-policies.ts) and private DNS as configured
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html). What no offline check can see is
 * checked when Terraform plans: every subnet is in the VPC, and no two are in the same Availability Zone (an interface
 * endpoint takes one subnet per zone).
 */
export class PrivateEndpoints extends Construct {
  readonly endpoints: ReadonlyMap<EndpointService, VpcEndpoint>;

  constructor(scope: Construct, id: string, props: PrivateEndpointsProps) {
    super(scope, id);
    const s = props.spec;
    const net = s.network;
    const subnets = net.subnetIds.map((subnetId) => new DataAwsSubnet(this, `subnet-${subnetId}`, { id: subnetId }));
    const zones = `[${subnets.map((d) => `${d.fqn}.availability_zone`).join(", ")}]`;
    const vpcs = `[${subnets.map((d) => `${d.fqn}.vpc_id`).join(", ")}]`;
    const file = `config/${props.envName}.json`;
    const precondition = [
      {
        condition: `\${length(distinct(${vpcs})) == 1 && ${vpcs}[0] == ${hclString(net.vpcId)}}`,
        errorMessage: `Every subnet of network.${props.region}.subnetIds must be in ${net.vpcId}. Fix: list subnets of that VPC in ${file} (aws ec2 describe-subnets --filters Name=vpc-id,Values=${net.vpcId}).`,
      },
      {
        condition: `\${length(distinct(${zones})) == ${subnets.length}}`,
        errorMessage: `An interface endpoint takes at most one subnet per Availability Zone, and two subnets of network.${props.region}.subnetIds share one. Fix: keep one subnet per zone in ${file}.`,
      },
    ];
    for (const sg of net.securityGroupIds) hclString(sg);
    this.endpoints = new Map(
      s.services.map(({ service, serviceName, nameTag }) => [
        service,
        new VpcEndpoint(this, service, {
          vpcId: net.vpcId,
          serviceName,
          vpcEndpointType: "Interface",
          subnetIds: [...net.subnetIds],
          securityGroupIds: [...net.securityGroupIds],
          privateDnsEnabled: s.privateDns,
          policy: JSON.stringify(s.policy(service, props.refs)),
          tags: { Name: nameTag },
          lifecycle: { precondition },
        }),
      ]),
    );
  }

  /** The bedrock-runtime endpoint's ID, which workload policies may require (aws:SourceVpce). */
  get runtimeEndpointId(): string | undefined {
    return this.endpoints.get("bedrock-runtime")?.id;
  }
}
