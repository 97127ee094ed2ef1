import type { EnvironmentRule } from "../rule";

/** Someone hears of alarms and budget alerts (a warning: the SNS topic can be subscribed to outside the baseline). */
export const alarmRecipients: EnvironmentRule = {
  name: "alarm-recipients",
  description: "someone is emailed alarms or budget alerts (warning)",
  stage: "draft",
  check: ({ draft: d }) =>
    d.alarms.emails?.length === 0 && !d.budget.emails?.length
      ? [{ path: "alarms.emails", message: "no one is notified of alarms or budget alerts", fix: "add at least one email (or subscribe to the SNS topic yourself)", severity: "warning" }]
      : [],
};
