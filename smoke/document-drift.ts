import { APPLY_TIME } from "../core/environment";
import { jsonPath } from "../core/problems";

/**
 * JSON paths at which two JSON values differ (leaves and added/removed keys), e.g. `models["amazon.nova-lite-v1:0"].enabled`.
 * Arrays compare element-wise; a different length reports the array itself. An expected APPLY_TIME leaf (a guardrail's
 * ARN or version, which synth cannot know) matches whatever non-empty string was deployed: the deployed value is the
 * applied one, and AppConfig's validator, which pins it, already accepted it.
 */
export function differingPaths(deployed: unknown, expected: unknown, at: readonly PropertyKey[] = []): string[] {
  if (Object.is(deployed, expected)) return [];
  if (expected === APPLY_TIME && typeof deployed === "string" && deployed !== "") return [];
  if (Array.isArray(deployed) && Array.isArray(expected)) {
    if (deployed.length !== expected.length) return [jsonPath(at)];
    return deployed.flatMap((v, i) => differingPaths(v, expected[i], [...at, i]));
  }
  if (isObject(deployed) && isObject(expected)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(deployed)])].sort();
    return keys.flatMap((k) => differingPaths(deployed[k], expected[k], [...at, k]));
  }
  return [jsonPath(at) || "(document)"];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
