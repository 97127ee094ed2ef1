import { jsonPath, type Problem } from "../../problems";
import type { EnvironmentRule } from "../rule";

/**
 * Below this, a route's deadline leaves no model time to answer: Bedrock's own latency for a short answer is hundreds
 * of milliseconds (its InvocationLatency metric, https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring.html),
 * and a call the deadline cuts is lost work the quota was still charged for.
 */
export const SHORTEST_USEFUL_DEADLINE_MS = 1000;

/**
 * A route's latency budget holds together (docs/fleet-quota.md, "Latency budgets per route"): the most a call may wait for capacity
 * (`maxQueueMs`) leaves part of its deadline (`deadlineMs`) for the calls themselves, and a deadline is long enough for
 * a model to answer at all.
 */
export const routeLatencyBudget: EnvironmentRule = {
  name: "route-latency-budget",
  description: "a route's maxQueueMs is below its deadlineMs, and its deadlineMs leaves a model time to answer",
  stage: "draft",
  check({ draft: d }) {
    const problems: Problem[] = [];
    for (const [task, r] of Object.entries(d.routes)) {
      if (r.deadlineMs !== undefined && r.maxQueueMs !== undefined && r.maxQueueMs >= r.deadlineMs)
        problems.push({
          path: jsonPath(["routes", task, "maxQueueMs"]),
          message: `is ${r.maxQueueMs} ms, not below the route's deadlineMs (${r.deadlineMs} ms): a call could spend its whole deadline waiting and never be sent`,
          fix: "lower maxQueueMs below deadlineMs by at least the primary's typical latency, or raise deadlineMs",
        });
      if (r.deadlineMs !== undefined && r.deadlineMs < SHORTEST_USEFUL_DEADLINE_MS)
        problems.push({
          path: jsonPath(["routes", task, "deadlineMs"]),
          message: `is ${r.deadlineMs} ms: few model calls complete that fast, and each slower one fails with deadline-exceeded after the quota was charged`,
          fix: `give it at least ${SHORTEST_USEFUL_DEADLINE_MS} ms (a few seconds for anything but the shortest answers${r.streaming ? "; on a streaming route it bounds the whole stream" : ""})`,
          severity: "warning",
        });
    }
    return problems;
  },
};
