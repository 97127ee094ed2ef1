import type { EnvironmentRule } from "../rule";

/** AWS Budgets emails each alert to at most 10 addresses; budget.emails defaults to the alarm emails. */
export const budgetEmailCount: EnvironmentRule = {
  name: "budget-email-count",
  description: "budget alerts email at most 10 addresses (budget.emails, else alarms.emails)",
  stage: "draft",
  check({ draft: d }) {
    const emails = d.budget.emails ?? d.alarms.emails;
    if (!emails || emails.length <= 10) return [];
    return [
      {
        path: d.budget.emails ? "budget.emails" : "alarms.emails",
        message: `budget alerts would email ${emails.length} addresses; AWS Budgets allows 10 per notification`,
        fix: "set budget.emails to at most 10 addresses (or subscribe to the budget SNS topic)",
      },
    ];
  },
};
