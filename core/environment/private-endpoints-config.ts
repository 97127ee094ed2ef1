import { z } from "zod";
import { DEFAULT_ENDPOINT_SERVICES, ENDPOINT_SERVICES } from "../aws";

/**
 * `privateEndpoints`: interface VPC endpoints in each region's `network` VPC for the services the baseline's code calls,
 * each with an endpoint policy that allows only what the baseline provisions
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/vpc-interface-endpoints.html).
 */
export const privateEndpointsSchema = z.strictObject({
  /** Create the endpoints (every region then needs a `network` entry). Default: false. */
  enabled: z.boolean().default(false),
  /** The services that get an endpoint. Default: ["bedrock-runtime", "appconfigdata"] (what the routing client calls). */
  services: z.array(z.enum(ENDPOINT_SERVICES)).min(1).default([...DEFAULT_ENDPOINT_SERVICES]),
  /** Private DNS: the SDK's regional hostnames resolve to the endpoints inside the VPC, so no client changes. Default: true. */
  privateDns: z.boolean().default(true),
  /**
   * Add an `aws:SourceVpce` condition to every workload policy: the workloads' models are reachable only through the
   * region's bedrock-runtime endpoint (the smoke policy keeps working from outside the VPC). Default: false.
   */
  requireSourceVpce: z.boolean().default(false),
});

export type PrivateEndpointsConfig = z.infer<typeof privateEndpointsSchema>;
