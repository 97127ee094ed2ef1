import type { Catalog } from "../../../../core/catalog";
import { checkEnvironment, type EnvironmentRule, type ValidationOptions } from "../../../../core/validation";
import { CATALOG, HAIKU, NOVA, TODAY } from "../../../fixtures";

// The shape every rule test takes (cdk-nag's): a table of compliant and non-compliant cases, each an edit of one small
// valid environment of these tests' own (never config/), judged by validation's own pipeline so the rule reads exactly
// what it reads in production.

/** A valid environment: two models, a streaming and a plain route, a workload with a role and one with a principal. */
export function baseEnvironment(): any {
  return {
    name: "team",
    account: "111111111111",
    regions: ["us-east-1"],
    tags: { team: "platform" },
    models: [{ id: HAIKU.modelId }, { id: NOVA.modelId }],
    routes: {
      chat: { primary: HAIKU.modelId, fallbacks: [NOVA.modelId], maxTokens: 1024, streaming: true },
      summarize: { primary: NOVA.modelId, maxTokens: 2048 },
    },
    workloads: {
      assistant: { routes: ["chat"], role: { assumedByServices: ["lambda.amazonaws.com"] } },
      batch: { routes: ["summarize"], principals: ["arn:aws:iam::111111111111:role/batch-worker"] },
    },
    alarms: { emails: ["oncall@example.com"] },
    budget: { monthlyUsd: 500 },
    smoke: { principals: ["arn:aws:iam::111111111111:role/ci"] },
  };
}

/** A problem a case expects of the rule. */
export interface ExpectedProblem {
  readonly path: string;
  /** The whole message, or a pattern it matches. */
  readonly message: string | RegExp;
  readonly severity?: "warning";
}

/** One row of a rule's table. */
export interface RuleCase {
  readonly name: string;
  /** Changes a fresh copy of baseEnvironment(). */
  readonly edit: (env: any) => void;
  /** What the rule reports: none for a compliant case. */
  readonly problems: readonly ExpectedProblem[];
  /** Default: the shipped catalog. */
  readonly catalog?: Catalog;
  readonly options?: Partial<ValidationOptions>;
}

/** The problems `rule` reports for an edited base environment; fails when the rule did not run. */
export function ruleProblems(rule: EnvironmentRule, edit: (env: any) => void, options: Partial<ValidationOptions> = {}) {
  const env = baseEnvironment();
  edit(env);
  const result = checkEnvironment(env, { catalog: CATALOG, today: TODAY, expectedName: "team", ...options });
  const found = result.byRule.get(rule.name);
  if (!found) throw new Error(`rule ${rule.name} did not run (a plan rule needs a plan that resolves)`);
  return found;
}

/** The table of a rule: every case judged, and at least one compliant and one non-compliant case. */
export function ruleTable(rule: EnvironmentRule, cases: readonly RuleCase[]): void {
  describe(`rule ${rule.name}`, () => {
    it("has compliant and non-compliant cases", () => {
      expect(cases.filter((c) => c.problems.length === 0).length).toBeGreaterThan(0);
      expect(cases.filter((c) => c.problems.length > 0).length).toBeGreaterThan(0);
    });

    it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      const found = ruleProblems(rule, c.edit, { ...(c.catalog ? { catalog: c.catalog } : {}), ...c.options });
      expect(found.map((p) => ({ path: p.path, message: p.message, severity: p.severity }))).toEqual(
        c.problems.map((e) => ({ path: e.path, message: typeof e.message === "string" ? e.message : expect.stringMatching(e.message), severity: e.severity })),
      );
      // Every problem says what to do.
      for (const p of found) expect(p.fix.trim()).not.toBe("");
    });
  });
}
