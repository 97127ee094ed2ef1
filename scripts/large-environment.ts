/**
 * A generated environment file the size of a large organisation, for the size checks and benchmarks that must hold
 * at scale (the routing validator's 32 KB, policy sizes, synth time). Models beyond the catalog's are declared with
 * `facts`, as a model launched after the last catalog sync would be, so the environment validates against the shipped
 * catalog unchanged.
 */

/** Shape of a generated environment. */
export interface LargeEnvironmentShape {
  /** Number of routes. */
  readonly routes: number;
  /** Number of models (catalog models first, then declared ones). */
  readonly models: number;
  /** Regions (one partition). Default: us-east-1. */
  readonly regions?: readonly string[];
  /** Workloads, each using a few routes through a created role. Default: routes / 4. */
  readonly workloads?: number;
  /**
   * How routes pick their candidates: `distinct` gives (nearly) every route a list of its own, the worst case for the
   * validator; `shared` draws them from 20 lists, as teams standardise on a few model line-ups. Default: distinct.
   */
  readonly candidates?: "distinct" | "shared";
}

/** Catalog models offered through a `us.` profile in the US regions (catalog/snapshot.json). */
const CATALOG_MODELS = [
  "anthropic.claude-haiku-4-5-20251001-v1:0",
  "anthropic.claude-sonnet-4-5-20250929-v1:0",
  "amazon.nova-lite-v1:0",
  "amazon.nova-micro-v1:0",
  "amazon.nova-pro-v1:0",
];

/** The model IDs of a generated environment: catalog models, then declared ones of the same ID length as real IDs. */
export function largeModelIds(count: number): string[] {
  const declared = Array.from({ length: Math.max(0, count - CATALOG_MODELS.length) }, (_, i) => `example.synthetic-model-${String(i + 1).padStart(2, "0")}-20260101-v1:0`);
  return [...CATALOG_MODELS, ...declared].slice(0, count);
}

/** The raw environment file (`name` "large", account 111111111111), before validation. */
export function largeEnvironment(shape: LargeEnvironmentShape): Record<string, unknown> {
  const ids = largeModelIds(shape.models);
  const m = ids.length;
  // Route i takes models a, a+d, a+2d (mod m): distinct lists for every (a, d), so up to m x (m - 1) / 2 routes.
  const listOf = (i: number): string[] => {
    const k = shape.candidates === "shared" ? i % 20 : i;
    const a = k % m;
    const d = 1 + (Math.floor(k / m) % Math.max(1, m - 1));
    return [...new Set([a, a + d, a + 2 * d].map((j) => ids[j % m]))];
  };
  const routes = Object.fromEntries(
    Array.from({ length: shape.routes }, (_, i) => {
      const [primary, ...fallbacks] = listOf(i);
      const canary = i % 10 === 3 ? ids[(i * 5 + 3) % m] : undefined;
      const route = { primary, fallbacks, maxTokens: 1024 + (i % 4) * 1024, ...(canary && canary !== primary ? { canary: { model: canary, percent: 10 } } : {}) };
      return [`task-${String(i + 1).padStart(3, "0")}`, route];
    }),
  );
  const tasks = Object.keys(routes);
  const workloadCount = shape.workloads ?? Math.max(1, Math.floor(shape.routes / 4));
  const workloads = Object.fromEntries(
    Array.from({ length: workloadCount }, (_, w) => [
      `team-${String(w + 1).padStart(3, "0")}`,
      { routes: [...new Set([0, 1, 2, 3].map((j) => tasks[(w * 4 + j) % tasks.length]))], role: { assumedByServices: ["lambda.amazonaws.com"] } },
    ]),
  );
  return {
    name: "large",
    account: "111111111111",
    regions: [...(shape.regions ?? ["us-east-1"])],
    models: ids.map((id) =>
      CATALOG_MODELS.includes(id) ? { id } : { id, facts: { name: id, geographies: ["us"], maxOutputTokens: 8192, outputBurndown: 1, quotaCodes: { geo: "L-0000AAAA" } } },
    ),
    routes,
    workloads,
    alarms: { emails: ["platform@example.com"] },
    budget: { monthlyUsd: 1000 },
  };
}
