import { type CallMetrics, emfRecord } from "../../../client/metrics";
import { CALL_OUTCOMES } from "../../../core/runtime";

/*
 * The metrics the routing client really writes, from its own record builder (client/metrics.ts): for a route, every
 * kind of call (each outcome, fallen back or not, primary and canary, streamed or not). The dashboard's lines and the
 * alarms' queries must each name one of them, or they would read nothing.
 */

/** `namespace|metric|dim=value,dim=value` (dimensions sorted): one CloudWatch metric. */
export const metricKey = (namespace: string, metricName: string, dimensions: Readonly<Record<string, string>>) =>
  `${namespace}|${metricName}|${Object.entries(dimensions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(",")}`;

/** Every metric the client writes for calls of `task` served by (or failing on) each of `models`. */
export function clientMetrics(namespace: string, task: string, models: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const model of [...models, "none"])
    for (const outcome of CALL_OUTCOMES)
      for (const variant of [undefined, "primary", "canary"] as const)
        for (const fellBack of [false, true])
          for (const streaming of [false, true]) {
            const m: CallMetrics = { task, model, outcome, fellBack, latencyMs: 100, attempts: 1, reservedTokens: 10, inputTokens: 5, outputTokens: 5, streaming, ...(variant ? { variant } : {}), ...(streaming ? { timeToFirstTokenMs: 20 } : {}), guardrailIntervened: false };
            const record = emfRecord(namespace, m, 0) as Record<string, unknown> & ReturnType<typeof emfRecord>;
            for (const d of record._aws.CloudWatchMetrics)
              for (const set of d.Dimensions)
                for (const metric of d.Metrics) out.add(metricKey(d.Namespace, metric.Name, Object.fromEntries(set.map((k) => [k, String(record[k])]))));
          }
  return out;
}
