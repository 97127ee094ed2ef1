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

/**
 * Statements longer than `maxChars` split into several with the same effect, action and condition, each naming a run
 * of the resources (their Sids numbered on): a statement is packed whole, so one that outgrew a managed policy (a
 * shared grant listing many profiles, a Deny listing many models) could not be packed at all, and long ones waste the
 * rest of the part they open. IAM allows a principal when any statement does, and denies when any Deny matches, so
 * the split decides every request as the whole did. Default: 2,048 characters, a third of a managed policy.
 */
export function splitLongStatements(statements: readonly PolicyStatement[], maxChars = 2048): PolicyStatement[] {
  return statements.flatMap((st) => {
    const resources = Array.isArray(st.Resource) ? (st.Resource as readonly string[]) : undefined;
    if (!resources || resources.length < 2 || JSON.stringify(st).length <= maxChars) return [st];
    const base = JSON.stringify({ ...st, Resource: [] }).length;
    const runs: string[][] = [[]];
    let length = base;
    for (const r of resources) {
      const size = JSON.stringify(r).length + 1;
      if (runs[runs.length - 1].length > 0 && length + size > maxChars) {
        runs.push([]);
        length = base;
      }
      runs[runs.length - 1].push(r);
      length += size;
    }
    return runs.map((Resource, i) => ({ ...st, Sid: i === 0 ? st.Sid : `${st.Sid}${i + 1}`, Resource }));
  });
}
