import type { z } from "zod";

/** The refinement context of a string or number schema. */
export type IssueContext = z.core.$RefinementCtx<string> | z.core.$RefinementCtx<number>;

/**
 * Adds a custom issue carrying `params.fix`, the fix validation prints beside the message
 * (core/validation/schema-problems.ts reads it).
 */
export function issue(ctx: IssueContext, message: string, fix: string): void {
  ctx.addIssue({ code: "custom", message, params: { fix } });
}
