/** Cross-region inference geographies, named by their profile-ID prefix (without the dot). */
export type Geography = "us" | "eu" | "apac" | "jp" | "au" | "us-gov" | "global";

export const GEOGRAPHIES: readonly Geography[] = ["us", "eu", "apac", "jp", "au", "us-gov", "global"];

// Ordered most specific first: a Tokyo stack uses `jp.` where the model has it, else `apac.`.
// Source: CDK CrossRegionInferenceProfileRegion and the AWS geographic CRIS page (bedrock.md §1-2).
const REGION_GEOGRAPHIES: ReadonlyArray<[RegExp, readonly Geography[]]> = [
  [/^us-gov-/, ["us-gov"]],
  [/^(us|ca)-/, ["us"]],
  [/^eu-/, ["eu"]],
  [/^ap-northeast-(1|3)$/, ["jp", "apac"]],
  [/^ap-southeast-(2|4)$/, ["au", "apac"]],
  [/^ap-/, ["apac"]],
];

/** Commercial and GovCloud region names: `us-east-1`, `eu-central-2`, `ap-southeast-4`, `us-gov-west-1`. */
export const REGION_PATTERN = /^(us|eu|ap|ca|sa|me|af|il|mx)(-gov)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d$/;

/** Geographies whose profiles a stack in `region` can call, most specific first (empty when none). */
export function geographiesFor(region: string): readonly Geography[] {
  for (const [pattern, geos] of REGION_GEOGRAPHIES) if (pattern.test(region)) return geos;
  return [];
}

/** The AWS partition of a region, for ARNs. */
export function partitionOf(region: string): "aws" | "aws-us-gov" {
  return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}
