import { z } from "zod";
import { names } from "../aws";
import { quote } from "../problems";
import { regionName } from "./model-config";
import { issue } from "./schema-issue";

/** A KMS key ARN (not an alias): https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-ARN. */
const KMS_KEY_ARN = /^arn:aws(-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

const kmsKeyArn = z
  .string()
  .superRefine((v, ctx) => {
    if (!KMS_KEY_ARN.test(v)) issue(ctx, `${quote(v)} is not a KMS key ARN`, "use arn:aws:kms:<region>:<account>:key/<key id> (aws kms describe-key --key-id alias/NAME --query KeyMetadata.Arn); an alias is not accepted");
  })
  .meta({ pattern: KMS_KEY_ARN.source });

/** Who owns the keys that encrypt the baseline's data at rest. */
export const KEY_MODES = ["aws", "create", "existing"] as const;

/**
 * `encryption`: the keys of the alarm topic, the invocation logs (log group and bucket) and the AppConfig hosted
 * configuration and its deployments.
 */
export const encryptionSchema = z.strictObject({
  /**
   * "aws": AWS managed or owned keys; "create": one customer managed key per region stack (rotation on, a key policy
   * allowing exactly the services that use it); "existing": the keys of `keyArns`. Default: "aws".
   */
  keys: z.enum(KEY_MODES).default("aws"),
  /** region -> key ARN, for keys "existing" (one per region: KMS keys are regional). Default: none. */
  keyArns: z.record(regionName, kmsKeyArn).default({}),
});

export type EncryptionConfig = z.infer<typeof encryptionSchema>;

/**
 * The KMS key a region's AppConfig deployments name (StartDeployment KmsKeyIdentifier: a key ID, alias or ARN,
 * https://docs.aws.amazon.com/appconfig/2019-10-09/APIReference/API_StartDeployment.html): the stack's alias for a key
 * it created, the region's key for "existing", none for AWS managed keys. The baseline's own deployment and the
 * toggle's name the same key, so every copy AppConfig keeps of the routing document is under the team's key.
 */
export function deploymentKeyIdentifier(encryption: EncryptionConfig, env: string, region: string): string | undefined {
  if (encryption.keys === "create") return names.keyAlias(env);
  if (encryption.keys === "existing" && Object.hasOwn(encryption.keyArns, region)) return encryption.keyArns[region];
  return undefined;
}

/** The account and region a key ARN names. */
export function keyArnParts(arn: string): { readonly region: string; readonly account: string } {
  const [, , , region, account] = arn.split(":");
  return { region, account };
}
