import { MAX_MANAGED_POLICY_CHARS } from "../aws";
import type { PolicyDocument, PolicyStatement } from "./iam-policy";

/**
 * A policy document split, statement by statement, into as few managed policies as IAM's size limit
 * allows (6,144 characters each, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). IAM
 * evaluates every policy attached to a principal together (a Deny in one overrides an Allow in another), so the split
 * changes no decision; it only keeps an environment with many models, tiers and guardrails deployable. A statement
 * longer than `maxStatementChars` is first split by resource (splitStatement).
 *
 * Sizes are measured on `sized`: the same document built with ARNs as long as they will be after apply, since the one
 * a stack renders holds Terraform references of another length. Both must have the same statements in the same order,
 * with as many resources each; both are split and packed at the same places.
 */
export function packPolicy(doc: PolicyDocument, sized: PolicyDocument = doc, maxChars = MAX_MANAGED_POLICY_CHARS, maxStatementChars = MAX_STATEMENT_CHARS): PolicyDocument[] {
  if (doc.Statement.length !== sized.Statement.length) throw new Error("packPolicy: the sized document must have the same statements as the document");
  const pairs = sized.Statement.flatMap((s, i) => {
    const runs = resourceRuns(s, maxStatementChars);
    const rendered = splitStatement(doc.Statement[i], runs);
    return splitStatement(s, runs).map((sizedPart, k) => ({ statement: rendered[k], size: JSON.stringify(sizedPart).length }));
  });
  const empty = JSON.stringify({ Version: doc.Version, Statement: [] }).length;
  // First fit, longest first (ties in document order): each statement goes to the first part with room, so the short
  // ones fill what the long ones leave (in-order packing left parts a sixth empty); the same document always packs the
  // same way. Order within a policy means nothing to IAM.
  const parts: Array<{ statements: PolicyStatement[]; length: number }> = [];
  const longestFirst = pairs.map((p, i) => ({ ...p, i })).sort((a, b) => b.size - a.size || a.i - b.i);
  for (const { statement, size } of longestFirst) {
    const part = parts.find((p) => p.length + (p.statements.length > 0 ? 1 : 0) + size <= maxChars);
    if (part) {
      part.length += (part.statements.length > 0 ? 1 : 0) + size;
      part.statements.push(statement);
    } else parts.push({ statements: [statement], length: empty + size });
  }
  if (parts.length === 0) parts.push({ statements: [], length: empty });
  return parts.map((p) => ({ Version: doc.Version, Statement: p.statements }));
}

/**
 * Statements are packed whole, so one that outgrew a managed policy (a shared grant listing many profiles, a Deny
 * listing many models) could not be packed at all, and long ones waste the rest of the part they open: beyond 2,048
 * characters, a third of a managed policy, a statement is split by resource.
 */
export const MAX_STATEMENT_CHARS = 2048;

/** How many resources each piece of `st` takes so that each is at most `maxChars` (one run when it fits or cannot split). */
function resourceRuns(st: PolicyStatement, maxChars: number): number[] {
  const resources = Array.isArray(st.Resource) ? (st.Resource as readonly string[]) : undefined;
  if (!resources || resources.length < 2 || JSON.stringify(st).length <= maxChars) return [resources?.length ?? 1];
  const base = JSON.stringify({ ...st, Resource: [] }).length;
  const runs = [0];
  let length = base;
  for (const r of resources) {
    const size = JSON.stringify(r).length + 1;
    if (runs[runs.length - 1] > 0 && length + size > maxChars) {
      runs.push(0);
      length = base;
    }
    runs[runs.length - 1]++;
    length += size;
  }
  return runs;
}

/**
 * `st` as one statement per run of its resources, the same effect, action and condition (Sids numbered on): IAM allows
 * a request when any statement does and denies when any Deny matches, so the pieces decide every request as the whole.
 */
function splitStatement(st: PolicyStatement, runs: readonly number[]): PolicyStatement[] {
  if (runs.length === 1) return [st];
  const resources = st.Resource as readonly string[];
  if (resources.length !== runs.reduce((a, b) => a + b, 0)) throw new Error(`packPolicy: statement ${st.Sid} has other resources than its sized copy`);
  let start = 0;
  return runs.map((n, i) => ({ ...st, Sid: i === 0 ? st.Sid : `${st.Sid}${i + 1}`, Resource: resources.slice(start, (start += n)) }));
}

/** Characters of each packed part, as IAM will count them (no whitespace in what synth writes). */
export function partSizes(parts: readonly PolicyDocument[]): number[] {
  return parts.map((p) => JSON.stringify(p).length);
}

