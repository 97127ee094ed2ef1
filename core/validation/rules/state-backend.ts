import { partitionOf } from "../../aws";
import type { EnvironmentRule } from "../rule";

/**
 * The S3 state bucket is in the environment's partition: Terraform reaches it with the credentials that deploy the
 * environment, and an account of one partition cannot sign requests to another (GovCloud accounts are separate:
 * https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud-arns.html), so init fails.
 */
export const stateBackend: EnvironmentRule = {
  name: "state-backend",
  description: "the S3 state bucket's region is in the environment's partition",
  stage: "draft",
  check({ draft: d }) {
    const s3 = d.backend.s3;
    if (!s3 || !d.regions.length) return [];
    const partition = partitionOf(d.regions[0].region);
    const stateIn = partitionOf(s3.region);
    if (stateIn === partition) return [];
    return [
      {
        path: "backend.s3.region",
        message: `${s3.region} is in the ${stateIn} partition, the environment's regions in ${partition}; the credentials that deploy it cannot reach that bucket`,
        fix: `keep the state in a bucket of the ${partition} partition (e.g. in ${d.regions[0].region})`,
      },
    ];
  },
};
