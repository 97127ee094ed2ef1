import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AWS_REGIONS, closestRegions, partitionOf, names, parseStackName } from "../../../core/aws";
import { ROOT } from "../../fixtures";

/** The pinned AWS SDK's endpoint data: region -> partition. */
function sdkRegions(): Map<string, string> {
  const file = join(ROOT, "node_modules/@aws-sdk/core/dist-es/submodules/client/util-endpoints/lib/aws/partitions.js");
  const text = readFileSync(file, "utf8");
  const data = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)) as { partitions: Array<{ id: string; regions: Record<string, unknown> }> };
  return new Map(data.partitions.filter((p) => p.id === "aws" || p.id === "aws-us-gov").flatMap((p) => Object.keys(p.regions).filter((r) => !r.endsWith("-global")).map((r) => [r, p.id] as const)));
}

describe("regions", () => {
  it("the region list is the SDK's commercial and GovCloud regions, each with its partition", () => {
    expect(new Map([...AWS_REGIONS].sort())).toEqual(new Map([...sdkRegions()].sort()));
    for (const [region, partition] of AWS_REGIONS) expect(partitionOf(region)).toBe(partition);
  });

  it("suggests the nearest known regions for a typo", () => {
    expect(closestRegions("us-east-7")[0]).toMatch(/^us-east-[12]$/);
    expect(closestRegions("eu-west1")[0]).toBe("eu-west-1");
    expect(closestRegions("x".repeat(1_000_000))).toHaveLength(3);
  });

  it("stack names parse back to their environment, unambiguously", () => {
    const all = [...AWS_REGIONS.keys(), "account"];
    // No region is a dash-suffix of another (or "account"), so `bedrock-<env>-<tail>` has one reading.
    for (const a of all) for (const b of all) if (a !== b) expect(a.endsWith(`-${b}`)).toBe(false);
    for (const env of ["dev", "dev-eu", "us", "a-us-east-1"]) {
      expect(parseStackName(names.accountStack(env))).toEqual({ env, region: "account" });
      for (const region of AWS_REGIONS.keys()) expect(parseStackName(names.regionStack(env, region))).toEqual({ env, region });
    }
    for (const other of ["bedrock-dev", "bedrock--account", "other-dev-us-east-1", "bedrock-dev-mars-1", "__proto__"]) expect(parseStackName(other)).toBeUndefined();
  });
});
