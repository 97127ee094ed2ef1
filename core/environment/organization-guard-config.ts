import { z } from "zod";
import { quote } from "../problems";
import { issue } from "./schema-issue";

/**
 * An Organizations target an SCP can be attached to: the root (`r-…`), an organizational unit (`ou-…`) or an account
 * (https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html, TargetId).
 */
const organizationTarget = z.string().superRefine((v, ctx) => {
  if (!/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/.test(v))
    issue(ctx, `${quote(v)} is not an organization root, OU or account ID`, "use r-xxxx, ou-xxxx-xxxxxxxx or a 12-digit account ID (aws organizations list-roots / list-organizational-units-for-parent)");
});

/** `organizationGuard`: the service control policy that closes Bedrock API keys organization-wide. */
export const organizationGuardSchema = z.strictObject({
  /** The one switch: emit the SCP denying bearer-token use and long-term Bedrock key creation. Default: false. */
  enabled: z.boolean().default(false),
  /**
   * The environment's account manages the organization's SCPs (management account or delegated administrator): the
   * account stack creates the policy. Default: false (synth writes it to <outdir>/guards/ to hand to whoever does).
   */
  managementAccount: z.boolean().default(false),
  /** Roots, OUs or accounts to attach the created policy to (only with managementAccount). Default: none. */
  targets: z.array(organizationTarget).default([]),
});
