import { nonModelId } from "../aws";
import { displayText } from "../problems";

/**
 * Why `id` is not what an environment file names a model by, when it is a profile's ID or ARN or a model's ARN (the
 * mistake of copying what the console or a Converse example shows): a message and the fix naming the foundation-model
 * ID to use, and how to keep the profile. Undefined for anything else.
 */
export function modelIdMistake(id: string): { message: string; fix: string } | undefined {
  const other = nonModelId(id);
  if (!other) return undefined;
  const shown = displayText(id, 120);
  if (other.kind === "application-profile-arn")
    return { message: `${shown} is an application inference profile ARN, not a foundation-model ID`, fix: "name the foundation-model ID the profile was created from (aws bedrock get-inference-profile lists it)" };
  const use = JSON.stringify(other.modelId);
  if (other.kind === "model-arn") return { message: `${shown} is a foundation-model ARN, not its ID`, fix: `use ${use}` };
  const what = other.kind === "profile" ? "an inference profile ID" : "an inference profile ARN";
  const keep =
    other.geography === "global"
      ? `with "inference": "global" (the stack calls it through each region's global profile)`
      : other.geography
        ? `(the stack calls it through each region's geographic profile; add "geography": ${JSON.stringify(other.geography)} to the model to pin that one)`
        : "";
  return { message: `${shown} is ${what}, not a foundation-model ID`, fix: `use ${use} ${keep}`.trim() };
}
