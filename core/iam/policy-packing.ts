import { MAX_MANAGED_POLICY_CHARS } from "../aws";
import type { PolicyDocument, PolicyStatement } from "./iam-policy";

/**
 * A policy document split, statement by statement and in order, into as few managed policies as IAM's size limit
 * allows (6,144 characters each, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). IAM
 * evaluates every policy attached to a principal together (a Deny in one overrides an Allow in another), so the split
 * changes no decision; it only keeps an environment with many models, tiers and guardrails deployable.
 *
 * Sizes are measured on `sized`: the same document built with ARNs as long as they will be after apply, since the one
 * a stack renders holds Terraform references of another length. Both must have the same statements in the same order.
 */
export function packPolicy(doc: PolicyDocument, sized: PolicyDocument = doc, maxChars = MAX_MANAGED_POLICY_CHARS): PolicyDocument[] {
  if (doc.Statement.length !== sized.Statement.length) throw new Error("packPolicy: the sized document must have the same statements as the document");
  const empty = JSON.stringify({ Version: doc.Version, Statement: [] }).length;
  const parts: PolicyStatement[][] = [];
  let part: PolicyStatement[] = [];
  let length = empty;
  sized.Statement.forEach((statement, i) => {
    const size = JSON.stringify(statement).length;
    if (part.length > 0 && length + 1 + size > maxChars) {
      parts.push(part);
      part = [];
      length = empty;
    }
    length += (part.length > 0 ? 1 : 0) + size;
    part.push(doc.Statement[i]);
  });
  if (part.length > 0 || parts.length === 0) parts.push(part);
  return parts.map((Statement) => ({ Version: doc.Version, Statement }));
}

/** Characters of each packed part, as IAM will count them (no whitespace in what synth writes). */
export function partSizes(parts: readonly PolicyDocument[]): number[] {
  return parts.map((p) => JSON.stringify(p).length);
}
