import { checkEnvironment } from "../../../core/validation";
import { baseEnvironment } from "../validation/rules/rule-table";
import { CATALOG, TODAY } from "../../fixtures";

// The keys of the observability section and the route alarm thresholds: each bad value one problem naming its path and
// a fix, every problem of a file in one run.

function problems(edit: (e: any) => void) {
  const e = baseEnvironment();
  edit(e);
  return checkEnvironment(e, { catalog: CATALOG, today: TODAY, expectedName: "team" }).problems.filter((p) => p.severity !== "warning");
}

describe("observability and route alarm keys", () => {
  it.each([
    ["log group names of every kind the services use", (e: any) => (e.observability = { clientLogGroups: ["/aws/lambda/support-bot", "/ecs/ticket_triage#1", "app.logs-2"] })],
    ["every switch off", (e: any) => (e.observability = { routingDashboard: false, routeAlarms: false, savedQueries: false })],
    ["route thresholds at the bounds", (e: any) => ((e.routes.chat.alarms = { fallbackRatePercent: 100, failureRatePercent: 0.5 }), (e.alarms.routeMinimumCalls = 1))],
  ])("accepts %s", (_label, edit) => {
    expect(problems(edit)).toEqual([]);
  });

  it.each([
    ["an ARN instead of a name", (e: any) => (e.observability = { clientLogGroups: ["arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/x"] }), "observability.clientLogGroups[0]", /may contain only letters, digits and \. - _ \/ #/],
    ["a wildcard", (e: any) => (e.observability = { clientLogGroups: ["/aws/lambda/*"] }), "observability.clientLogGroups[0]", /may contain only/],
    ["an empty name", (e: any) => (e.observability = { clientLogGroups: [""] }), "observability.clientLogGroups[0]", /is 0 characters; a log group name has 1 to 512/],
    ["a name over 512 characters", (e: any) => (e.observability = { clientLogGroups: ["/".repeat(513)] }), "observability.clientLogGroups[0]", /is 513 characters/],
    ["51 log groups", (e: any) => (e.observability = { clientLogGroups: Array.from({ length: 51 }, (_, i) => `/g/${i}`) }), "observability.clientLogGroups", /at most 50 log groups/],
    ["an unknown key (did you mean)", (e: any) => (e.observability = { clientLogGroup: ["/a"] }), "observability", /clientLogGroup/],
    ["a route threshold over 100", (e: any) => (e.routes.chat.alarms = { fallbackRatePercent: 101 }), "routes.chat.alarms.fallbackRatePercent", /100/],
    ["a route threshold of 0", (e: any) => (e.routes.chat.alarms = { failureRatePercent: 0 }), "routes.chat.alarms.failureRatePercent", /0/],
    ["a minimum of 0 calls", (e: any) => (e.alarms.routeMinimumCalls = 0), "alarms.routeMinimumCalls", /0/],
  ])("refuses %s, naming the path and a fix", (_label, edit, path, message) => {
    const found = problems(edit);
    expect(found).toHaveLength(1);
    expect(found[0].path).toBe(path);
    expect(found[0].message).toMatch(message);
    expect(found[0].fix).toBeTruthy();
  });

  it("every problem of the section at once", () => {
    const found = problems((e) => (e.observability = { clientLogGroups: ["", "a*b"], routeAlarms: "yes" }));
    expect(found.map((p) => p.path).sort()).toEqual(["observability.clientLogGroups[0]", "observability.clientLogGroups[1]", "observability.routeAlarms"]);
  });
});
