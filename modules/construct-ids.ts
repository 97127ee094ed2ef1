/*
 * Construct IDs derived from user strings. They must be distinct for distinct strings (two siblings with one ID crash
 * synth), contain no "/" (the construct path separator, which constructs would rewrite to "--") and never equal an
 * Object.prototype member (constructs keeps children in a plain object). cdktf names each Terraform resource after its
 * construct path plus a hash of it, so an ID that stays the same keeps the Terraform address.
 *
 * Until now the ID was the value with "/" replaced by "_", which is ambiguous exactly when a value can contain both
 * ("role/team/x" and "role/team_x"). The IDs below keep that form wherever it was unambiguous, so existing state keeps
 * its addresses, and use a space (which neither an IAM ARN nor an email address can contain) instead of "_" for the
 * rest:
 * - principals: ARNs without "_" keep their ID; an ARN with "_" now maps "/" to " " (its attachment gets a new address);
 * - emails: addresses without "/" keep their ID (the address itself); one with "/" maps it to " ".
 */

/** ID of the attachment of a policy to a principal, by its ARN (prefixed: never a prototype member). */
export function attachmentId(arn: string): string {
  return `attach-${arn.includes("_") ? arn.replace(/\//g, " ") : arn.replace(/\//g, "_")}`;
}

/**
 * ID of the attachment of a policy to a role the baseline creates, by the role's name. IAM names hold no " " and no
 * "/", so "role " never begins an ARN's attachmentId.
 */
export function roleAttachmentId(roleName: string): string {
  return `role ${roleName}`;
}

/** ID of an email subscription, by its address. */
export function emailSubscriptionId(email: string): string {
  return `email-${email.replace(/\//g, " ")}`;
}
