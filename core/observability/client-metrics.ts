/*
 * The routing client's own CloudWatch metrics, as its EMF records publish them into the environment's
 * `metricsNamespace` (client/metrics.ts, client/outcome-report.ts): what the refusal and canary-quality alarms and the
 * dashboard's client rows read. Core cannot import the client, so the names live here too; a test holds both to agree
 * (__tests__/modules/client-alarms.test.ts).
 */

/** 1 for an answered call that ended in a refusal, 0 for any other answer: Average is the refusal rate. */
export const REFUSALS = { metricName: "Refusals", byModel: ["Model"], byModelAndVariant: ["Model", "Variant"] } as const;

/** 1 when the application reported the call a success, 0 otherwise; QualityScore its optional 0-1 score. */
export const TASK_OUTCOMES = { success: "TaskSuccess", score: "QualityScore", dimensions: ["Task", "Model", "Variant"] } as const;

/** One metric a metric-math alarm reads. */
export interface QueryMetric {
  /** Lower-case ID the expression names it by. */
  readonly id: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: string;
}

/**
 * A metric-math alarm: one expression over the metrics it reads
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html; IF and the comparison and
 * logical operators are metric-math functions, and an alarm may watch an expression:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create-alarm-on-metric-math-expression.html).
 */
export interface AlarmQuery {
  readonly expression: string;
  readonly label: string;
  readonly metrics: readonly QueryMetric[];
}

/**
 * A model's refusal rate in percent, 0 while it answered fewer than `minSamples` calls in the period (a quiet period
 * with one refusal must not read as 100%).
 */
export function refusalRateQuery(namespace: string, modelId: string, minSamples: number): AlarmQuery {
  const metric = (id: string, stat: string): QueryMetric => ({ id, namespace, metricName: REFUSALS.metricName, dimensions: { Model: modelId }, stat });
  return { expression: `IF(answered >= ${minSamples}, 100 * refused / answered, 0)`, label: `refusal rate of ${modelId} (%)`, metrics: [metric("refused", "Sum"), metric("answered", "SampleCount")] };
}

/**
 * How many points a route's canary's task success rate is below its primary's, 0 until both have at least `minSamples`
 * reports in the period. Each arm is the model that served it under its own variant (a canary call that fell back to
 * the primary counts for neither the canary nor the primary's own traffic).
 */
export function canaryQualityQuery(namespace: string, task: string, primary: string, canary: string, minSamples: number): AlarmQuery {
  const metric = (id: string, model: string, variant: string, stat: string): QueryMetric => ({ id, namespace, metricName: TASK_OUTCOMES.success, dimensions: { Task: task, Model: model, Variant: variant }, stat });
  return {
    expression: `IF(cn >= ${minSamples} AND pn >= ${minSamples}, 100 * (ps / pn - cs / cn), 0)`,
    label: `${task}: primary success rate minus canary success rate (points)`,
    metrics: [metric("ps", primary, "primary", "Sum"), metric("pn", primary, "primary", "SampleCount"), metric("cs", canary, "canary", "Sum"), metric("cn", canary, "canary", "SampleCount")],
  };
}

/**
 * A dashboard SEARCH over the client's metric by its dimensions, averaged per period: one line per combination that
 * has data (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/search-expression-syntax.html), so a canary
 * a toggle starts shows up without a redeploy. The namespace is quoted (it may hold `:` or `#`).
 */
export function clientSearch(namespace: string, metricName: string, dimensions: readonly string[], periodSeconds: number): string {
  return `SEARCH('{"${namespace}",${dimensions.join(",")}} MetricName="${metricName}"', 'Average', ${periodSeconds})`;
}
