/**
 * A generated environment file the size of a large organisation, for the size checks and benchmarks that must hold
 * at scale (the routing validator's 32 KB, policy sizes, synth time; `npm run bench:scale`). Models beyond the
 * catalog's are declared with `facts`, as a model launched after the last catalog sync would be, so the environment
 * validates against the shipped catalog unchanged; with regions beyond the US, every model declares the geographies of
 * the environment's regions (the worst case for IAM: one profile per geography and model).
 */
import { type Geography, geographiesFor } from "../core/aws";

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
   * Every fourth workload (the second, sixth, …) attaches its policy to an existing role instead of creating one, and
   * the smoke run has a CI principal: the principals whose policy count IAM caps. Default: false (every workload
   * creates its role; no smoke principal).
   */
  readonly existingPrincipals?: boolean;
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

/**
 * The model IDs of a generated environment: catalog models, then declared ones of the same ID length as real IDs
 * (only declared ones with `declaredOnly`: the catalog's models lack some geographies' profiles in some regions).
 */
export function largeModelIds(count: number, declaredOnly = false): string[] {
  const catalog = declaredOnly ? [] : CATALOG_MODELS;
  const declared = Array.from({ length: Math.max(0, count - catalog.length) }, (_, i) => `example.synthetic-model-${String(i + 1).padStart(2, "0")}-20260101-v1:0`);
  return [...catalog, ...declared].slice(0, count);
}

/** Seventeen commercial regions with cross-region inference in five geographies (us, eu, apac, jp, au). */
export const SEVENTEEN_REGIONS: readonly string[] = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
  "eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1", "eu-south-1",
  "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
];

/** The facts a generated model declares: an 8K output limit and a geo quota code, offered in `geographies`. */
function declaredFacts(id: string, geographies: readonly Geography[]) {
  return { name: id, geographies: [...geographies], maxOutputTokens: 8192, outputBurndown: 1, quotaCodes: { geo: "L-0000AAAA" } };
}

/** The raw environment file (`name` "large", account 111111111111), before validation. */
export function largeEnvironment(shape: LargeEnvironmentShape): Record<string, unknown> {
  const regions = [...(shape.regions ?? ["us-east-1"])];
  const geographies = [...new Set(regions.flatMap((r) => geographiesFor(r)))];
  const beyondUs = geographies.some((g) => g !== "us");
  const ids = largeModelIds(shape.models, beyondUs);
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
    Array.from({ length: workloadCount }, (_, w) => {
      const name = `team-${String(w + 1).padStart(3, "0")}`;
      const access = shape.existingPrincipals && w % 4 === 1 ? { principals: [`arn:aws:iam::111111111111:role/${name}-app`] } : { role: { assumedByServices: ["lambda.amazonaws.com"] } };
      return [name, { routes: [...new Set([0, 1, 2, 3].map((j) => tasks[(w * 4 + j) % tasks.length]))], ...access }];
    }),
  );
  return {
    name: "large",
    account: "111111111111",
    regions,
    models: ids.map((id) => (CATALOG_MODELS.includes(id) ? { id } : { id, facts: declaredFacts(id, beyondUs ? geographies : ["us"]) })),
    routes,
    workloads,
    alarms: { emails: ["platform@example.com"] },
    budget: { monthlyUsd: 1000 },
    ...(shape.existingPrincipals ? { smoke: { principals: ["arn:aws:iam::111111111111:role/ci"] } } : {}),
  };
}
