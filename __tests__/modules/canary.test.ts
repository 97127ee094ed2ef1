import { runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import { names } from "../../core/aws";
import { devPlan, HAIKU, SONNET, variant } from "../fixtures";
import { only, ref, resources, synthAccount, synthRegion } from "./fixtures";

// What a route's canary adds to a region stack. dev has no Sonnet; the variant declares it only as the
// canary of chat (a streaming route of support-bot), so everything it gets comes from the canary.

const REGION = "us-east-1";
const plan = variant("dev", (c) => {
  c.models.push({ id: SONNET.modelId });
  c.routes.chat.canary = { model: SONNET.modelId, percent: 20 };
});
const { json } = synthRegion(plan, REGION);
const alarms = Object.entries<any>(resources(json, "aws_cloudwatch_metric_alarm"));
const sonnet = plan.invocations[REGION][SONNET.modelId];

/** The Terraform resource name of the alarm called `alarmName`. */
function alarmResource(alarmName: string): string {
  const found = alarms.find(([, a]) => a.alarm_name === alarmName);
  if (!found) throw new Error(`no alarm ${alarmName}`);
  return found[0];
}

describe("a route's canary in the region stack", () => {
  it("the canary model's throttle and server-error alarms are members of the AppConfig rollback composite", () => {
    const rule: string = only(json, "aws_cloudwatch_composite_alarm").props.alarm_rule;
    for (const kind of ["throttles", "server-errors"] as const) {
      const member = `ALARM("${ref("aws_cloudwatch_metric_alarm", alarmResource(names.alarm("dev", kind, sonnet.invokeId)), "arn")}")`;
      expect(rule.split(" OR ")).toContain(member);
    }
    // The environment's AppConfig monitor is that composite, so its bake watches the canary.
    const monitor = only(json, "aws_appconfig_environment").props.monitor;
    expect(monitor).toEqual([expect.objectContaining({ alarm_arn: ref("aws_cloudwatch_composite_alarm", only(json, "aws_cloudwatch_composite_alarm").name, "arn") })]);
  });

  it("the canary of a streaming route gets the route's time-to-first-token alarm", () => {
    expect(alarms.some(([, a]) => a.alarm_name === names.alarm("dev", "ttft-p90", sonnet.invokeId))).toBe(true);
  });

  it("IAM grants the canary to the route's workloads only", async () => {
    const account = synthAccount(plan).json;
    const policyOf = (w: string) => JSON.parse(Object.values<any>(resources(account, "aws_iam_policy")).find((p) => p.name === names.workloadPolicy("dev", w))!.policy);
    const call = (w: string) =>
      runUnsafeSimulation(
        {
          identityPolicies: [{ name: w, policy: policyOf(w) }],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          request: { action: "bedrock:InvokeModel", principal: `arn:aws:iam::${plan.config.account}:role/caller`, resource: { accountId: plan.config.account, resource: sonnet.profileArn! }, contextVariables: { "aws:RequestedRegion": REGION } },
        },
        {},
      );
    expect(await call("support-bot")).toBe("Allowed");
    expect(await call("ticket-triage")).toBe("ImplicitlyDenied");
  });

  it("the dashboard sets primary and canary side by side for the route: latency, errors and tokens", () => {
    const body = JSON.parse(only(json, "aws_cloudwatch_dashboard").props.dashboard_body.replace(/\$\{[^}]+\}/g, "0"));
    const graphs = body.widgets.filter((w: any) => w.type === "metric");
    const rows = graphs.filter((w: any) => w.properties.title.startsWith("Canary on chat"));
    expect(rows.map((w: any) => w.properties.title)).toEqual([
      "Canary on chat: latency (ms), primary vs canary",
      "Canary on chat: errors and throttles, primary vs canary",
      "Canary on chat: tokens, primary vs canary",
    ]);
    const byMetric = (w: any) => w.properties.metrics.map((m: any[]) => `${m[1]} ${m[3]} ${m[4].stat}: ${m[4].label}`);
    const haiku = plan.invocations[REGION][HAIKU.modelId].invokeId;
    expect(byMetric(rows[0])).toEqual(expect.arrayContaining([`InvocationLatency ${haiku} p99: primary ${haiku} p99`, `InvocationLatency ${sonnet.invokeId} p99: canary ${sonnet.invokeId} p99`]));
    expect(byMetric(rows[1])).toEqual(
      expect.arrayContaining([`InvocationServerErrors ${sonnet.invokeId} Sum: canary ${sonnet.invokeId} server errors`, `InvocationThrottles ${haiku} Sum: primary ${haiku} throttles`]),
    );
    expect(byMetric(rows[2])).toEqual(expect.arrayContaining([`OutputTokenCount ${sonnet.invokeId} Sum: canary ${sonnet.invokeId} output`, `InputTokenCount ${haiku} Sum: primary ${haiku} input`]));
    // One row, side by side, below the per-model graphs (the routes' rows follow), none overlapping.
    expect(new Set(rows.map((w: any) => w.y)).size).toBe(1);
    const perModel = graphs.filter((w: any) => w.properties.metrics.every((m: any[]) => m[0] === "AWS/Bedrock") && !rows.includes(w));
    expect(perModel.length).toBeGreaterThan(0);
    expect(rows[0].y).toBeGreaterThanOrEqual(Math.max(...perModel.map((w: any) => w.y + w.height)));
    expect(rows.map((w: any) => w.x)).toEqual([0, 8, 16]);
    for (const a of body.widgets) for (const b of body.widgets) if (a !== b) expect(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y).toBe(true);
  });

  it("a stack without canaries has no canary widgets", () => {
    const body = JSON.parse(only(synthRegion(devPlan(), REGION).json, "aws_cloudwatch_dashboard").props.dashboard_body.replace(/\$\{[^}]+\}/g, "0"));
    expect(body.widgets.some((w: any) => w.type === "metric" && w.properties.title.startsWith("Canary"))).toBe(false);
  });
});
