import { z } from "zod";
import { bucketNameBreach, MAX_S3_KEY_BYTES } from "../aws";
import { quote } from "../problems";
import { regionName } from "./model-config";
import { issue } from "./schema-issue";

/** `backend`: where Terraform keeps each stack's state. Default (absent): local state files. */
export const backendSchema = z.strictObject({
  s3: z.strictObject({
    bucket: z.string().superRefine((v, ctx) => {
      const breach = bucketNameBreach(v);
      if (breach) issue(ctx, `${quote(v)} ${breach}`, "use the name of an existing S3 bucket");
    }),
    /** State key prefix; each stack appends `/<stack>.tfstate`. Default: `bedrock-baseline`. */
    keyPrefix: z
      .string()
      .superRefine((v, ctx) => {
        // The S3 backend refuses keys starting or ending with "/" or containing "//"
        // (https://developer.hashicorp.com/terraform/language/backend/s3); S3 keys are at most 1,024 bytes.
        if (v === "" || v.startsWith("/") || v.endsWith("/") || v.includes("//")) issue(ctx, `${quote(v)} must be a non-empty path without leading, trailing or doubled "/"`, "e.g. \"bedrock-baseline\"");
        else if (new TextEncoder().encode(v).length > MAX_S3_KEY_BYTES - 100) issue(ctx, `is ${new TextEncoder().encode(v).length} bytes; S3 keys have at most ${MAX_S3_KEY_BYTES} and the stack file name needs room`, "shorten it");
      })
      .default("bedrock-baseline"),
    region: regionName,
    /** Native S3 locking (Terraform >= 1.10). Default: true. */
    useLockfile: z.boolean().default(true),
  }),
});
