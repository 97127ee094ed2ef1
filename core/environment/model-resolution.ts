import { type Catalog, catalogModelIds, curated, daysBetween, own, profileGeographies, regionFacts, regionModel, syncCommand } from "../catalog";
import { KNOWN_LIFECYCLE_STATUSES, MODEL_ID_PATTERN, type QuotaFact } from "../catalog";
import type { EnvironmentConfig, ModelConfig, ModelFacts } from "./environment-config";
import { type Geography, geographiesFor } from "../aws";
import { type Invocation, type InvocationKind, invocation } from "../aws";
import type { Problem } from "../problems";

/*
 * Everything validation decides from the model catalog: which declared models exist, how each is invoked in each
 * region, their lifecycle, the snapshot's age, and the facts (output limit, burndown, quota codes) the plan carries.
 * Input: the parsed environment, the catalog and the day; output: specs, invocations and problems. Catalog facts win;
 * facts an environment declares for a model (`models[].facts`) fill in only where the catalog has nothing.
 */

/** Quota tokens per output token assumed when no source gives a model's burndown: the highest documented (bedrock.md §6). */
export const ASSUMED_BURNDOWN = 5;

/** One enabled model as a plan uses it. */
export interface ModelSpec {
  /** Foundation-model ID. */
  readonly id: string;
  readonly displayName: string;
  /** Billed through AWS Marketplace (the first call starts an account-wide subscription). */
  readonly marketplace: boolean;
  /** Largest `maxTokens` the model accepts; undefined when no source gives it (routes are then not checked against it). */
  readonly maxOutputTokens?: number;
  /** Quota tokens charged per output token; ASSUMED_BURNDOWN when unknown. */
  readonly outputBurndown: number;
  /** The model name Service Quotas entries use (smoke's fallback search when a code is unknown). */
  readonly quotaName: string;
  /** `catalog` (snapshot + overlay) or `environment` (declared in the file) for at least one region. */
  readonly origin: "catalog" | "environment";
  /** region -> tokens/requests-per-minute quota of the way the environment invokes the model there, when known. */
  readonly quotas: Readonly<Record<string, { readonly tpm?: QuotaRef; readonly rpm?: QuotaRef }>>;
  /**
   * Service tiers the model accepts (Converse `serviceTier.type`): the overlay's, else the declared facts'; undefined
   * when no source gives them (a route's tier is then not checked against the model).
   */
  readonly serviceTiers?: readonly string[];
}

/** A quota the plan knows: its code, and the applied value when the snapshot read one. */
export interface QuotaRef {
  readonly code: string;
  readonly applied?: number;
}

/**
 * What resolveModels reads: the well-formed parts of an environment file, so model problems are reported even when
 * other sections did not parse.
 */
export interface ModelInput {
  /** Needed for invocations (profile ARNs); without it only problems and specs are computed. */
  readonly account?: string;
  readonly regions: readonly string[];
  /** Index-preserving (problems name `models[i]`); undefined where an entry is malformed and reported elsewhere. */
  readonly models: ReadonlyArray<ModelConfig | undefined>;
  /** `catalog.maxAgeDays`. Default: 30. */
  readonly maxAgeDays?: number;
}

/** The ModelInput of a fully parsed environment. */
export function modelInputOf(env: EnvironmentConfig): ModelInput {
  return { account: env.account, regions: env.regions, models: env.models, maxAgeDays: env.catalog.maxAgeDays };
}

/** What resolveModels returns. */
export interface ModelResolution {
  /** Enabled models that resolved in every region, by foundation-model ID. */
  readonly specs: Readonly<Record<string, ModelSpec>>;
  /** region -> foundation-model ID -> invocation, for the models in `specs`. */
  readonly invocations: Readonly<Record<string, Readonly<Record<string, Invocation>>>>;
  /** Errors and warnings, each with the JSON path in the environment file. */
  readonly problems: readonly Problem[];
}

/** What a model can be invoked with in one region, from the snapshot or from declared facts. */
interface RegionReach {
  readonly from: "catalog" | "environment";
  readonly geographies: readonly Geography[];
  readonly onDemand: boolean;
  readonly lifecycle?: string;
  readonly endOfLife?: string;
  readonly quotas: Partial<Record<InvocationKind, { tpm?: QuotaFact; rpm?: QuotaFact }>>;
}

/** Resolves the environment's models against the catalog on `today` (ISO date). */
export function resolveModels(env: ModelInput, catalog: Catalog, today: string): ModelResolution {
  const maxAgeDays = env.maxAgeDays ?? 30;
  const problems: Problem[] = [];
  const add = (path: string, message: string, fix: string, severity?: "warning") => problems.push({ path, message, fix, ...(severity ? { severity } : {}) });
  const specs: Record<string, ModelSpec> = Object.create(null);
  // A region listed twice is validation's error to report; here each counts once.
  const regions = [...new Set(env.regions)];
  const perRegion = new Map<string, Map<string, Invocation>>(regions.map((r) => [r, new Map()]));
  const unsynced = new Set<string>(); // regions without a snapshot that a catalog-only model needs
  const seen = new Set<string>();

  for (const [i, m] of env.models.entries()) {
    if (!m) continue;
    const at = `models[${i}]`;
    if (seen.has(m.id)) {
      add(`${at}.id`, `duplicate model ${m.id}`, "declare each model once");
      continue;
    }
    seen.add(m.id);
    const overlay = curated(catalog, m.id);
    const synced = Object.values(catalog.snapshot.regions).some((r) => own(r.models, m.id) !== undefined);
    if (!synced && !overlay && !m.facts) {
      add(`${at}.id`, `unknown model ${m.id}: not in the catalog snapshot`, unknownModelFix(catalog, m.id, regions, i));
      continue;
    }
    if (m.facts && !synced && !overlay && !MODEL_ID_PATTERN.test(m.id)) {
      add(`${at}.id`, `${m.id} is not a foundation-model ID`, "use the ID Bedrock lists, e.g. anthropic.claude-opus-4-8 (letters, digits, . - : _)");
      continue;
    }
    if (!m.enabled) continue;
    if (m.geography && m.inference !== "geo") add(`${at}.geography`, `only applies to inference "geo"`, "remove geography or set inference to geo");

    // Where the model can be reached, region by region.
    const reach = new Map<string, RegionReach>();
    const declaredIn: string[] = [];
    const notOffered: string[] = [];
    for (const region of regions) {
      const facts = regionFacts(catalog, region);
      const listed = regionModel(catalog, region, m.id);
      if (listed) {
        const q = facts && own(facts.quotas, m.id);
        reach.set(region, {
          from: "catalog",
          geographies: profileGeographies(catalog, region, m.id),
          onDemand: listed.inferenceTypes.includes("ON_DEMAND"),
          lifecycle: listed.lifecycle.status,
          endOfLife: listed.lifecycle.endOfLife,
          quotas: { ...(q?.geo ? { geo: q.geo } : {}), ...(q?.global ? { global: q.global } : {}), ...(q?.["on-demand"] ? { "on-demand": q["on-demand"] } : {}) },
        });
      } else if (m.facts) {
        reach.set(region, declaredReach(m.facts, region));
        declaredIn.push(region);
      } else if (!facts) unsynced.add(region);
      else notOffered.push(region);
    }

    // End of life: the API's date where it gives one, else the overlay's; a model past it fails every call.
    const eolDates = [...[...reach.values()].flatMap((r) => (r.endOfLife ? [r.endOfLife] : [])), ...(overlay?.endOfLife ? [overlay.endOfLife.value] : [])].sort();
    const replacement = overlay?.replacement?.value;
    const moveTo = replacement ? `move to ${replacement}` : "move to a current model (catalog/overlay.json records no replacement)";
    if (eolDates.length && today >= eolDates[0]) {
      add(`${at}.id`, `${m.id} reached end of life on ${eolDates[0]}; calls fail`, moveTo);
      continue;
    }
    if (notOffered.length)
      add(
        `${at}.id`,
        `${m.id} is not offered in ${notOffered.join(", ")} according to the catalog snapshot (read ${readDates(catalog, notOffered)})`,
        `drop the region or choose another model; if it launched since, ${syncCommand(notOffered)} (or declare it in ${at}.facts)`,
      );
    // Any status but ACTIVE is a model on its way out: LEGACY, or one this code does not know (catalog-snapshot.ts).
    const notActive = [...reach].filter(([, r]) => r.lifecycle !== undefined && r.lifecycle !== "ACTIVE");
    for (const status of new Set(notActive.map(([, r]) => r.lifecycle!))) {
      const where = notActive.filter(([, r]) => r.lifecycle === status).map(([region]) => region);
      const unknown = KNOWN_LIFECYCLE_STATUSES.includes(status) ? "" : ", a lifecycle status this version does not know, treated like LEGACY";
      add(`${at}.id`, `${m.id} is ${status} in ${where.join(", ")} (catalog snapshot${unknown}; end of life ${eolDates[0] ?? "not announced"})`, moveTo, "warning");
    }
    if (declaredIn.length)
      add(
        `${at}.id`,
        `${m.id} is not in the catalog snapshot for ${declaredIn.join(", ")}; using the facts declared in ${at}.facts`,
        `run ${syncCommand(declaredIn)} once the account lists it`,
        "warning",
      );
    else if (m.facts && !needsDeclaredCuration(m.facts, overlay))
      add(`${at}.facts`, `not used: the catalog has ${m.id} in every region of the environment`, "remove facts", "warning");

    // How it is invoked in each region (the geography; the invocation itself needs the account).
    const chosen = new Map<string, Geography | undefined>();
    for (const [region, r] of reach) {
      const choice = invocationFor(m, r, region);
      if ("problem" in choice) add(`${at}.${choice.problem.field}`, choice.problem.message, choice.problem.fix);
      else chosen.set(region, choice.geography);
    }
    if (chosen.size !== regions.length) continue;

    // Curated facts: the overlay, else what the file declares, else unknown (said once, as a warning).
    const maxOutputTokens = overlay?.maxOutputTokens?.value ?? m.facts?.maxOutputTokens;
    const burndown = overlay?.outputBurndown?.value ?? m.facts?.outputBurndown;
    const missing = [...(maxOutputTokens === undefined ? ["output limit"] : []), ...(burndown === undefined ? ["output burndown"] : [])];
    if (missing.length)
      add(
        `${at}.id`,
        `no ${missing.join(" or ")} known for ${m.id} (catalog/overlay.json)${maxOutputTokens === undefined ? ": route maxTokens are not checked against its limit" : ""}${burndown === undefined ? `; quota figures assume burndown ${ASSUMED_BURNDOWN}` : ""}`,
        `add ${missing.map((x) => (x === "output limit" ? "maxOutputTokens" : "outputBurndown")).join(" and ")} with a source to catalog/overlay.json, or declare ${at}.facts`,
        "warning",
      );
    const serviceTiers = overlay?.serviceTiers?.value ?? m.facts?.serviceTiers;
    const listedName = regions.map((r) => regionModel(catalog, r, m.id)?.name).find((n) => n !== undefined);
    const name = listedName ?? overlay?.name ?? m.facts?.name ?? m.id;
    specs[m.id] = {
      id: m.id,
      displayName: name,
      marketplace: overlay?.billing ? overlay.billing.value === "marketplace" : (m.facts?.marketplace ?? !m.id.startsWith("amazon.")),
      ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
      outputBurndown: burndown ?? ASSUMED_BURNDOWN,
      quotaName: overlay?.quotaName?.value ?? name,
      origin: declaredIn.length ? "environment" : "catalog",
      quotas: Object.fromEntries([...reach].map(([region, r]) => [region, quotaRefs(r, m.inference, m.facts)])),
      ...(serviceTiers ? { serviceTiers: [...serviceTiers] } : {}),
    };
    const account = env.account;
    if (account)
      for (const [region, geography] of chosen) perRegion.get(region)!.set(m.id, invocation({ kind: m.inference, modelId: m.id, region, account, geography }));
  }

  for (const region of unsynced)
    add(
      `regions[${env.regions.indexOf(region)}]`,
      `the catalog snapshot has no facts for ${region}`,
      `run ${syncCommand([region])} (or declare the facts of each model in models[].facts)`,
    );

  const stale = regions.filter((r) => {
    const facts = regionFacts(catalog, r);
    return facts !== undefined && daysBetween(facts.read.on, today) > maxAgeDays;
  });
  if (stale.length)
    add(
      "regions",
      `the catalog snapshot of ${stale.join(", ")} was read on ${readDates(catalog, stale)}, more than ${maxAgeDays} days ago (catalog.maxAgeDays): models, profiles and lifecycle may have changed`,
      `run ${syncCommand(stale)}`,
      "warning",
    );

  const invocations = Object.fromEntries([...perRegion].map(([r, byModel]) => [r, Object.fromEntries(byModel)]));
  return { specs, invocations, problems };
}

/** maxTokens of a route above the output limit of any of its candidates (models without a known limit are skipped). */
export function maxTokensProblems(task: string, maxTokens: number, candidates: readonly string[], specs: Readonly<Record<string, ModelSpec>>): Problem[] {
  return candidates.flatMap((id) => {
    const limit = own(specs, id)?.maxOutputTokens;
    return limit !== undefined && maxTokens > limit
      ? [{ path: `routes.${task}.maxTokens`, message: `${maxTokens} exceeds the output limit of ${id} (${limit})`, fix: `set maxTokens to at most ${limit}` }]
      : [];
  });
}

/**
 * A route's service tier against each candidate's tiers: an error where the catalog (or declared facts) says the model
 * does not accept it (Bedrock answers every such request with a ValidationException), a warning where no source says.
 */
export function serviceTierProblems(task: string, tier: string | undefined, candidates: readonly string[], specs: Readonly<Record<string, ModelSpec>>): Problem[] {
  if (tier === undefined) return [];
  const path = `routes.${task}.serviceTier`;
  const problems: Problem[] = [];
  const unknown: string[] = [];
  for (const id of candidates) {
    const tiers = own(specs, id)?.serviceTiers;
    if (tiers === undefined) unknown.push(id);
    else if (!tiers.includes(tier))
      problems.push({
        path,
        message: `${id} does not support the ${tier} tier (catalog/overlay.json serviceTiers: ${tiers.join(", ")}); Bedrock would refuse every ${tier} request to it`,
        fix: `remove serviceTier, set one every candidate supports, or route "${task}" to models that offer ${tier} (e.g. Amazon Nova)`,
      });
  }
  if (unknown.length)
    problems.push({
      path,
      message: `no service tiers are known for ${unknown.join(", ")}, so the ${tier} tier is not checked`,
      fix: `add serviceTiers with a source to catalog/overlay.json (or declare models[].facts.serviceTiers)`,
      severity: "warning",
    });
  return problems;
}

function declaredReach(f: ModelFacts, region: string): RegionReach {
  return { from: "environment", geographies: f.geographies as Geography[], onDemand: f.onDemandRegions.includes(region), quotas: {} };
}

/** True when the declared facts supply a curated fact the overlay lacks (so they are in use even if every region is synced). */
function needsDeclaredCuration(f: ModelFacts, overlay: ReturnType<typeof curated>): boolean {
  return (
    (f.maxOutputTokens !== undefined && !overlay?.maxOutputTokens) ||
    (f.outputBurndown !== undefined && !overlay?.outputBurndown) ||
    (f.marketplace !== undefined && !overlay?.billing) ||
    (f.serviceTiers !== undefined && !overlay?.serviceTiers)
  );
}

function quotaRefs(r: RegionReach, kind: InvocationKind, facts: ModelFacts | undefined): { tpm?: QuotaRef; rpm?: QuotaRef } {
  const q = r.quotas[kind];
  const ref = (f: QuotaFact | undefined) => (f ? { code: f.code, applied: f.value } : undefined);
  const tpm = ref(q?.tpm) ?? (facts?.quotaCodes[kind] ? { code: facts.quotaCodes[kind]! } : undefined);
  const rpm = ref(q?.rpm);
  return { ...(tpm ? { tpm } : {}), ...(rpm ? { rpm } : {}) };
}

type Choice = { geography?: Geography } | { problem: { field: string; message: string; fix: string } };

function invocationFor(m: ModelConfig, r: RegionReach, region: string): Choice {
  const where = r.from === "catalog" ? "catalog snapshot" : `models[].facts`;
  const has = r.geographies.length ? r.geographies.join(", ") : "none";
  if (m.inference === "global")
    return r.geographies.includes("global")
      ? {}
      : { problem: { field: "inference", message: `${m.id} has no global inference profile in ${region} (${where}; profiles: ${has})`, fix: `use inference "geo"${r.onDemand ? ' or "on-demand"' : ""}, or drop ${region}` } };
  if (m.inference === "on-demand")
    return r.onDemand
      ? {}
      : { problem: { field: "inference", message: `${m.id} cannot be invoked on demand by its bare ID in ${region} (${where})`, fix: `use inference "geo" (the inference profile ID)` } };
  const regionGeos = geographiesFor(region);
  const options = regionGeos.filter((g) => r.geographies.includes(g));
  if (m.geography) {
    if (options.includes(m.geography as Geography)) return { geography: m.geography as Geography };
    return { problem: { field: "geography", message: `geography "${m.geography}" does not fit ${region} or has no ${m.id} profile there`, fix: `use one of: ${options.join(", ") || 'none; try inference "global"'}` } };
  }
  if (options.length) return { geography: options[0] };
  return {
    problem: {
      field: "inference",
      message: `${m.id} has no inference profile in the geography of ${region} (${regionGeos.join("/") || "none"}; ${where} profiles: ${has})`,
      fix: r.geographies.includes("global") ? `use inference "global" or drop ${region}` : `drop ${region} or choose another model`,
    },
  };
}

function readDates(catalog: Catalog, regions: readonly string[]): string {
  return [...new Set(regions.map((r) => regionFacts(catalog, r)?.read.on ?? "never"))].join(", ");
}

function unknownModelFix(catalog: Catalog, id: string, regions: readonly string[], index: number): string {
  const family = (x: string) => x.split(/[.-]/).slice(0, 3).join("-");
  const close = catalogModelIds(catalog).filter((c) => family(c) === family(id));
  const hint = close.length ? `did you mean ${close.slice(0, 4).join(" or ")}? Otherwise ` : "";
  return `${hint}if it launched since the last sync, ${syncCommand(regions)}, or declare its facts in models[${index}].facts (README "Adding a model the day it launches")`;
}
