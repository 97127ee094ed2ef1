import { readFileSync } from "node:fs";
import { join } from "node:path";
import { emfRecord } from "../../../client/metrics";
import { SAVED_QUERIES, savedQueries } from "../../../core/observability";
import { CALL_OUTCOMES } from "../../../core/runtime";
import { devPlan, ROOT, variant } from "../../fixtures";

// The saved queries read the routing client's records as log events: every field they name must be one the client
// writes (client/metrics.ts), or a query would silently group or filter on nothing.

/** Every top-level field of the client's records, over every kind of call. */
function recordFields(): Set<string> {
  const out = new Set<string>();
  for (const outcome of CALL_OUTCOMES)
    for (const fellBack of [false, true]) {
      const r = emfRecord("BedrockRouting", { task: "t", model: "m", outcome, fellBack, variant: "canary", workload: "w", latencyMs: 1, attempts: 1, reservedTokens: 1, inputTokens: 1, outputTokens: 1, timeToFirstTokenMs: 1, cause: "c", fallbackCause: "f", streaming: true, serviceTier: "flex", guardrail: "g", guardrailIntervened: false }, 0);
      for (const k of Object.keys(r)) out.add(k);
    }
  return out;
}

describe("saved queries", () => {
  const fields = recordFields();

  it.each(SAVED_QUERIES.map((q) => [q.title, q.queryString]))("%s names only fields the client writes, and reads its records only", (_title, query) => {
    // Fields are capitalized in the records; aliases, commands and functions are not.
    const named = new Set(query.replace(/"[^"]*"/g, "").match(/\b[A-Z][A-Za-z]*\b/g));
    expect(named.size).toBeGreaterThan(0);
    for (const f of named) expect(fields).toContain(f);
    expect(query.startsWith("filter ispresent(Task) and ispresent(Outcome) and ispresent(LatencyMs)\n| ")).toBe(true);
    expect(query.length).toBeLessThanOrEqual(10_000);
  });

  it("one per question the issue asks, in a folder named for the environment, on observability.clientLogGroups", () => {
    const plan = variant("dev", (c) => (c.observability = { clientLogGroups: ["/aws/lambda/chat"] }));
    expect(savedQueries(plan).map((q) => q.name)).toEqual([
      "bedrock-dev/Top tasks and workloads by tokens",
      "bedrock-dev/Fallback and failure reasons per task",
      "bedrock-dev/Slowest calls by model",
      "bedrock-dev/Calls per variant during a canary",
    ]);
    for (const q of savedQueries(plan)) expect(q.logGroupNames).toEqual(["/aws/lambda/chat"]);
    expect(savedQueries(devPlan()).every((q) => q.logGroupNames.length === 0)).toBe(true);
  });

  it("docs/observability.md shows each query exactly as the stacks create it", () => {
    const doc = readFileSync(join(ROOT, "docs", "observability.md"), "utf8");
    for (const q of SAVED_QUERIES) expect(doc).toContain(`### ${q.title}\n\n${q.question}.\n\n\`\`\`\n${q.queryString}\n\`\`\`\n`);
  });
});
