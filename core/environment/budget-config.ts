import { z } from "zod";
import { MAX_BUDGET_USD } from "../aws";
import { emailSchema } from "./alarm-config";
import { issue } from "./schema-issue";

const budgetAlert = z.strictObject({
  /** Percent of the monthly limit. */
  percent: z.number().positive().max(1000),
  /** `actual` spend or `forecasted` month-end spend. Default: actual. */
  type: z.enum(["actual", "forecasted"]).default("actual"),
});

/** A monthly limit in USD: cents at most, at most 1e9 (aws-limits.ts). */
export const monthlyUsdSchema = z
  .number()
  .positive()
  .superRefine((v, ctx) => {
    if (v > MAX_BUDGET_USD) issue(ctx, `${v} USD a month is more than ${"1,000,000,000"}`, "check the amount (it is per month, in USD)");
    else if (Number(v.toFixed(2)) !== v) issue(ctx, `${v} has more than 2 decimal places`, `round it to cents, e.g. ${Math.max(0.01, Number(v.toFixed(2)))}`);
  });

/** Up to 5 alerts (AWS limit per budget). Default: actual 80% and 100%, forecasted 100%. */
export const budgetAlertsSchema = z
  .array(budgetAlert)
  .min(1)
  .max(5, "AWS Budgets allows at most 5 notifications per budget")
  .default([
    { percent: 80, type: "actual" },
    { percent: 100, type: "actual" },
    { percent: 100, type: "forecasted" },
  ]);

/** `budget`: the environment's monthly cost budget (the account stack's). */
export const budgetSchema = z.strictObject({
  /** Monthly limit in USD: cents at most, at most 1e9 (aws-limits.ts). */
  monthlyUsd: monthlyUsdSchema,
  /** Up to 5 alerts (AWS limit per budget). Default: actual 80% and 100%, forecasted 100%. */
  alerts: budgetAlertsSchema,
  /** Up to 10 emails per alert (AWS limit). Default: the alarm emails. */
  emails: z.array(emailSchema).max(10, "AWS Budgets allows at most 10 email subscribers per notification").optional(),
  /**
   * What the budget counts. `account` (default): all spend in the account, right for a dedicated Bedrock account because
   * Marketplace-billed models (Claude) are not under the "Amazon Bedrock" service. `{tag}`: spend carrying an activated
   * cost-allocation tag.
   */
  scope: z
    .union([z.literal("account"), z.strictObject({ tagKey: z.string().min(1), tagValue: z.string() })])
    .default("account"),
});
