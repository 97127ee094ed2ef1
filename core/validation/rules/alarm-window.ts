import { MAX_ALARM_EVALUATION_SECONDS } from "../../aws";
import type { EnvironmentRule } from "../rule";

/** An alarm evaluates at most one day of data (CloudWatch's limit on period x evaluation periods). */
export const alarmWindow: EnvironmentRule = {
  name: "alarm-window",
  description: "alarms.periodSeconds x alarms.evaluationPeriods is at most one day",
  stage: "draft",
  check({ draft: d }) {
    const a = d.alarms;
    if (a.periodSeconds === undefined || a.evaluationPeriods === undefined || a.periodSeconds * a.evaluationPeriods <= MAX_ALARM_EVALUATION_SECONDS) return [];
    return [
      {
        path: "alarms.evaluationPeriods",
        message: `${a.evaluationPeriods} periods of ${a.periodSeconds} s is ${a.periodSeconds * a.evaluationPeriods} s; CloudWatch evaluates at most ${MAX_ALARM_EVALUATION_SECONDS} s (one day)`,
        fix: `use at most ${Math.floor(MAX_ALARM_EVALUATION_SECONDS / a.periodSeconds)} evaluation periods, or a shorter period`,
      },
    ];
  },
};
