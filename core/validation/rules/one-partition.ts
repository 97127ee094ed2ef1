import { partitionOf } from "../../aws";
import type { EnvironmentRule } from "../rule";

/** The regions are in one partition: an account belongs to exactly one. */
export const onePartition: EnvironmentRule = {
  name: "one-partition",
  description: "every region is in the partition of the first (an account belongs to one)",
  stage: "draft",
  check({ draft: d }) {
    if (!d.regions.length) return [];
    const first = d.regions[0].region;
    const partition = partitionOf(first);
    return d.regions
      .filter((r) => partitionOf(r.region) !== partition)
      .map((r) => ({ path: `regions[${r.index}]`, message: `${r.region} is in the ${partitionOf(r.region)} partition, ${first} in ${partition}; an account belongs to one`, fix: "split the environment by partition" }));
  },
};
