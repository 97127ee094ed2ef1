import { closest } from "../problems";

/** Cross-region inference geographies, named by their profile-ID prefix (without the dot). */
export type Geography = "us" | "eu" | "apac" | "jp" | "au" | "us-gov" | "global";

export const GEOGRAPHIES: readonly Geography[] = ["us", "eu", "apac", "jp", "au", "us-gov", "global"];

// Ordered most specific first: a Tokyo stack uses `jp.` where the model has it, else `apac.`.
// Sources: CDK CrossRegionInferenceProfileRegion
// (https://docs.aws.amazon.com/cdk/api/v2/docs/@aws-cdk_aws-bedrock-alpha.CrossRegionInferenceProfileRegion.html) and
// https://docs.aws.amazon.com/bedrock/latest/userguide/geographic-cross-region-inference.html.
const REGION_GEOGRAPHIES: ReadonlyArray<[RegExp, readonly Geography[]]> = [
  [/^us-gov-/, ["us-gov"]],
  [/^(us|ca)-/, ["us"]],
  [/^eu-/, ["eu"]],
  [/^ap-northeast-(1|3)$/, ["jp", "apac"]],
  [/^ap-southeast-(2|4)$/, ["au", "apac"]],
  [/^ap-/, ["apac"]],
];

/** The shape of commercial and GovCloud region names: `us-east-1`, `eu-central-2`, `us-gov-west-1` (see AWS_REGIONS). */
export const REGION_PATTERN = /^(us|eu|ap|ca|sa|me|af|il|mx)(-gov)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d$/;

/**
 * Every region of the commercial (`aws`) and GovCloud (`aws-us-gov`) partitions, as the pinned AWS SDK's endpoint
 * data lists them (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html); a test keeps
 * this list equal to the SDK's. China, ISO and the European Sovereign Cloud are other partitions the baseline does not
 * target.
 */
export const AWS_REGIONS: ReadonlyMap<string, "aws" | "aws-us-gov"> = new Map([
  ...["af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1",
    "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1",
    "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1",
    "me-central-1", "me-south-1", "me-west-1", "mx-central-1", "sa-east-1", "sa-west-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
  ].map((r) => [r, "aws"] as const),
  ["us-gov-east-1", "aws-us-gov"],
  ["us-gov-west-1", "aws-us-gov"],
]);

/** True for a region of AWS_REGIONS (own entries only: any string is safe to ask about). */
export function isKnownRegion(region: string): boolean {
  return AWS_REGIONS.has(region);
}

/** Known regions closest to a mistyped one, for "did you mean" fixes (always some, nearest first). */
export function closestRegions(region: string, max = 3): string[] {
  return closest(region, AWS_REGIONS.keys(), { max, maxDistance: Infinity });
}

/** Geographies whose profiles a stack in `region` can call, most specific first (empty when none). */
export function geographiesFor(region: string): readonly Geography[] {
  for (const [pattern, geos] of REGION_GEOGRAPHIES) if (pattern.test(region)) return geos;
  return [];
}

/** The AWS partition of a region, for ARNs. */
export function partitionOf(region: string): "aws" | "aws-us-gov" {
  return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}
