import { type Catalog, catalogModelIds, curated, curatedConstraints, daysBetween, own, profileGeographies, regionFacts, regionModel, type RequestConstraints, syncCommand } from "../catalog";
import { KNOWN_LIFECYCLE_STATUSES, MODEL_ID_PATTERN, type QuotaFact } from "../catalog";
import type { EnvironmentConfig, ModelConfig, ModelFacts } from "./environment-config";
import { type Geography, geographiesFor } from "../aws";
import { type Invocation, type InvocationKind, invocation } from "../aws";
import { closest, docRef, type Problem } from "../problems";
import type { TokenPrice } from "../runtime";

/*
 * Everything validation decides from the model catalog: which declared models exist, how each is invoked in each
 * region, their lifecycle, the snapshot's age, and the facts (output limit, burndown, quota codes) the plan carries.
 * Input: the parsed environment, the catalog and the day; output: specs, invocations and problems. Catalog facts win;
 * facts an environment declares for a model (`models[].facts`) fill in only where the catalog has nothing.
 */

/**
 * Quota tokens per output token assumed when no source gives a model's burndown: the highest documented
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html).
 */
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
  /**
   * region -> tokens/requests-per-minute quota of the way the environment invokes the model there, and the model's
   * tokens-per-day quota there, when known.
   */
  readonly quotas: Readonly<Record<string, { readonly tpm?: QuotaRef; readonly rpm?: QuotaRef; readonly tpd?: QuotaRef }>>;
  /**
   * Service tiers the model accepts (Converse `serviceTier.type`): the overlay's, else the declared facts'; undefined
   * when no source gives them (a route's tier is then not checked against the model).
   */
  readonly serviceTiers?: readonly string[];
  /** On-demand price per 1,000 tokens (the overlay's, else the declared facts'); undefined when unknown (no cost estimate). */
  readonly price?: TokenPrice;
  /**
   * What the model accepts in a request: each constraint the overlay's, else the declared facts'; absent ones are
   * unknown (core/catalog/request-constraints.ts).
   */
  readonly requestConstraints: RequestConstraints;
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
  /** region -> the account's quotas there that no one model owns (the synced "Cross-Model Max Tokens Per Day"). */
  readonly regionQuotas: Readonly<Record<string, RegionQuotas>>;
}

/** Account-level quotas of one region, when the snapshot read them. */
export interface RegionQuotas {
  /** "Cross-Model Max Tokens Per Day": tokens per day across every model of the region. */
  readonly crossModelTpd?: QuotaRef;
}

/** What a model can be invoked with in one region, from the snapshot or from declared facts. */
interface RegionReach {
  readonly from: "catalog" | "environment";
  readonly geographies: readonly Geography[];
  readonly onDemand: boolean;
  readonly lifecycle?: string;
  readonly endOfLife?: string;
  readonly quotas: Partial<Record<InvocationKind, { tpm?: QuotaFact; rpm?: QuotaFact }>>;
  /** The model's tokens-per-day quota in the region. */
  readonly tpd?: QuotaFact;
}

/** What resolving one model reads, and where its problems go. */
interface ResolutionContext {
  readonly catalog: Catalog;
  /** The environment's regions, each once. */
  readonly regions: readonly string[];
  readonly today: string;
  /** Regions without a snapshot that a catalog-only model needs (reported once, after every model). */
  readonly unsynced: Set<string>;
  add(path: string, message: string, fix: string, severity?: "warning"): void;
}

/** Resolves the environment's models against the catalog on `today` (ISO date). */
export function resolveModels(env: ModelInput, catalog: Catalog, today: string): ModelResolution {
  const problems: Problem[] = [];
  // A region listed twice is validation's error to report; here each counts once.
  const regions = [...new Set(env.regions)];
  const ctx: ResolutionContext = { catalog, regions, today, unsynced: new Set(), add: (path, message, fix, severity) => problems.push({ path, message, fix, ...(severity ? { severity } : {}) }) };
  const specs: Record<string, ModelSpec> = Object.create(null);
  const perRegion = new Map<string, Map<string, Invocation>>(regions.map((r) => [r, new Map()]));
  const seen = new Set<string>();
  for (const [i, m] of env.models.entries()) {
    if (!m) continue;
    if (seen.has(m.id)) {
      ctx.add(`models[${i}].id`, `duplicate model ${m.id}`, "declare each model once");
      continue;
    }
    seen.add(m.id);
    const resolved = resolveModel(ctx, m, i);
    if (!resolved) continue;
    specs[m.id] = resolved.spec;
    const account = env.account;
    if (account)
      for (const [region, geography] of resolved.chosen) perRegion.get(region)!.set(m.id, invocation({ kind: m.inference, modelId: m.id, region, account, geography }));
  }
  snapshotProblems(ctx, env);
  const invocations = Object.fromEntries([...perRegion].map(([r, byModel]) => [r, Object.fromEntries(byModel)]));
  const regionQuotas = Object.fromEntries(
    regions.map((r) => {
      const q = regionFacts(catalog, r)?.accountQuotas?.crossModelTpd;
      return [r, q ? { crossModelTpd: { code: q.code, applied: q.value } } : {}];
    }),
  );
  return { specs, invocations, problems, regionQuotas };
}

/** Regions the snapshot has no facts for, and regions whose facts are older than catalog.maxAgeDays. */
function snapshotProblems(ctx: ResolutionContext, env: ModelInput): void {
  const { catalog, regions, today } = ctx;
  const maxAgeDays = env.maxAgeDays ?? 30;
  for (const region of ctx.unsynced)
    ctx.add(`regions[${env.regions.indexOf(region)}]`, `the catalog snapshot has no facts for ${region}`, `run ${syncCommand([region])} (or declare the facts of each model in models[].facts)`);
  const stale = regions.filter((r) => {
    const facts = regionFacts(catalog, r);
    return facts !== undefined && daysBetween(facts.read.on, today) > maxAgeDays;
  });
  if (stale.length)
    ctx.add(
      "regions",
      `the catalog snapshot of ${stale.join(", ")} was read on ${readDates(catalog, stale)}, more than ${maxAgeDays} days ago (catalog.maxAgeDays): models, profiles and lifecycle may have changed`,
      `run ${syncCommand(stale)}`,
      "warning",
    );
}

/** One enabled model's spec and its geography per region; undefined when it is unknown, disabled or not invocable. */
function resolveModel(ctx: ResolutionContext, m: ModelConfig, i: number): { spec: ModelSpec; chosen: Map<string, Geography | undefined> } | undefined {
  const { catalog } = ctx;
  const at = `models[${i}]`;
  const overlay = curated(catalog, m.id);
  const synced = Object.values(catalog.snapshot.regions).some((r) => own(r.models, m.id) !== undefined);
  if (!synced && !overlay && !m.facts) {
    ctx.add(`${at}.id`, `unknown model ${m.id}: not in the catalog snapshot`, unknownModelFix(catalog, m.id, ctx.regions, i));
    return undefined;
  }
  if (m.facts && !synced && !overlay && !MODEL_ID_PATTERN.test(m.id)) {
    ctx.add(`${at}.id`, `${m.id} is not a foundation-model ID`, "use the ID Bedrock lists, e.g. anthropic.claude-opus-4-8 (letters, digits, . - : _)");
    return undefined;
  }
  if (!m.enabled) return undefined;
  if (m.geography && m.inference !== "geo") ctx.add(`${at}.geography`, `only applies to inference "geo"`, "remove geography or set inference to geo");
  const { reach, declaredIn, notOffered } = reachOf(ctx, m);
  if (pastEndOfLife(ctx, m, at, reach, overlay)) return undefined;
  availabilityProblems(ctx, m, at, { reach, declaredIn, notOffered }, overlay);
  // How it is invoked in each region (the geography; the invocation itself needs the account).
  const chosen = new Map<string, Geography | undefined>();
  for (const [region, r] of reach) {
    const choice = invocationFor(m, r, region);
    if ("problem" in choice) ctx.add(`${at}.${choice.problem.field}`, choice.problem.message, choice.problem.fix);
    else chosen.set(region, choice.geography);
  }
  if (chosen.size !== ctx.regions.length) return undefined;
  return { spec: specOf(ctx, m, at, reach, declaredIn.length > 0), chosen };
}

/** Where the model can be reached, region by region: from the snapshot, else from its declared facts. */
function reachOf(ctx: ResolutionContext, m: ModelConfig): { reach: Map<string, RegionReach>; declaredIn: string[]; notOffered: string[] } {
  const { catalog } = ctx;
  const reach = new Map<string, RegionReach>();
  const declaredIn: string[] = [];
  const notOffered: string[] = [];
  for (const region of ctx.regions) {
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
        ...(q?.tpd ? { tpd: q.tpd } : {}),
      });
    } else if (m.facts) {
      reach.set(region, declaredReach(m.facts, region));
      declaredIn.push(region);
    } else if (!facts) ctx.unsynced.add(region);
    else notOffered.push(region);
  }
  return { reach, declaredIn, notOffered };
}

/** End of life: the API's date where it gives one, else the overlay's; a model past it fails every call (an error). */
function pastEndOfLife(ctx: ResolutionContext, m: ModelConfig, at: string, reach: ReadonlyMap<string, RegionReach>, overlay: ReturnType<typeof curated>): boolean {
  const eol = endOfLifeDates(reach, overlay)[0];
  if (eol === undefined || ctx.today < eol) return false;
  ctx.add(`${at}.id`, `${m.id} reached end of life on ${eol}; calls fail`, moveTo(overlay));
  return true;
}

function endOfLifeDates(reach: ReadonlyMap<string, RegionReach>, overlay: ReturnType<typeof curated>): string[] {
  return [...[...reach.values()].flatMap((r) => (r.endOfLife ? [r.endOfLife] : [])), ...(overlay?.endOfLife ? [overlay.endOfLife.value] : [])].sort();
}

function moveTo(overlay: ReturnType<typeof curated>): string {
  const replacement = overlay?.replacement?.value;
  return replacement ? `move to ${replacement}` : "move to a current model (catalog/overlay.json records no replacement)";
}

/** Where the model is not offered, where it is LEGACY (or in any state but ACTIVE), and whether its declared facts are used. */
function availabilityProblems(
  ctx: ResolutionContext,
  m: ModelConfig,
  at: string,
  where: { readonly reach: ReadonlyMap<string, RegionReach>; readonly notOffered: readonly string[]; readonly declaredIn: readonly string[] },
  overlay: ReturnType<typeof curated>,
): void {
  const { reach, notOffered, declaredIn } = where;
  if (notOffered.length)
    ctx.add(
      `${at}.id`,
      `${m.id} is not offered in ${notOffered.join(", ")} according to the catalog snapshot (read ${readDates(ctx.catalog, notOffered)})`,
      `drop the region or choose another model; if it launched since, ${syncCommand(notOffered)} (or declare it in ${at}.facts)`,
    );
  // Any status but ACTIVE is a model on its way out: LEGACY, or one this code does not know (catalog-snapshot.ts).
  const notActive = [...reach].filter(([, r]) => r.lifecycle !== undefined && r.lifecycle !== "ACTIVE");
  for (const status of new Set(notActive.map(([, r]) => r.lifecycle!))) {
    const where = notActive.filter(([, r]) => r.lifecycle === status).map(([region]) => region);
    const unknown = KNOWN_LIFECYCLE_STATUSES.includes(status) ? "" : ", a lifecycle status this version does not know, treated like LEGACY";
    ctx.add(`${at}.id`, `${m.id} is ${status} in ${where.join(", ")} (catalog snapshot${unknown}; end of life ${endOfLifeDates(reach, overlay)[0] ?? "not announced"})`, moveTo(overlay), "warning");
  }
  if (declaredIn.length)
    ctx.add(`${at}.id`, `${m.id} is not in the catalog snapshot for ${declaredIn.join(", ")}; using the facts declared in ${at}.facts`, `run ${syncCommand(declaredIn)} once the account lists it`, "warning");
  else if (m.facts && !needsDeclaredCuration(m.facts, overlay)) ctx.add(`${at}.facts`, `not used: the catalog has ${m.id} in every region of the environment`, "remove facts", "warning");
}

/** The plan's facts of a model: the overlay's, else what the file declares, else unknown (said once, as a warning). */
function specOf(ctx: ResolutionContext, m: ModelConfig, at: string, reach: ReadonlyMap<string, RegionReach>, declared: boolean): ModelSpec {
  const overlay = curated(ctx.catalog, m.id);
  const maxOutputTokens = overlay?.maxOutputTokens?.value ?? m.facts?.maxOutputTokens;
  const burndown = overlay?.outputBurndown?.value ?? m.facts?.outputBurndown;
  const missing = [...(maxOutputTokens === undefined ? ["output limit"] : []), ...(burndown === undefined ? ["output burndown"] : [])];
  if (missing.length)
    ctx.add(
      `${at}.id`,
      `no ${missing.join(" or ")} known for ${m.id} (catalog/overlay.json)${maxOutputTokens === undefined ? ": route maxTokens are not checked against its limit" : ""}${burndown === undefined ? `; quota figures assume burndown ${ASSUMED_BURNDOWN}` : ""}`,
      `add ${missing.map((x) => (x === "output limit" ? "maxOutputTokens" : "outputBurndown")).join(" and ")} with a source to catalog/overlay.json, or declare ${at}.facts`,
      "warning",
    );
  const serviceTiers = overlay?.serviceTiers?.value ?? m.facts?.serviceTiers;
  const listedName = ctx.regions.map((r) => regionModel(ctx.catalog, r, m.id)?.name).find((n) => n !== undefined);
  const name = listedName ?? overlay?.name ?? m.facts?.name ?? m.id;
  return {
    id: m.id,
    displayName: name,
    marketplace: overlay?.billing ? overlay.billing.value === "marketplace" : (m.facts?.marketplace ?? !m.id.startsWith("amazon.")),
    ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
    outputBurndown: burndown ?? ASSUMED_BURNDOWN,
    quotaName: overlay?.quotaName?.value ?? name,
    origin: declared ? "environment" : "catalog",
    quotas: Object.fromEntries([...reach].map(([region, r]) => [region, quotaRefs(r, m.inference, m.facts)])),
    ...(serviceTiers ? { serviceTiers: [...serviceTiers] } : {}),
    ...priceOf(overlay?.price?.value ?? m.facts?.price),
    requestConstraints: { ...m.facts?.requestConstraints, ...curatedConstraints(overlay) },
  };
}

/** The price a spec carries: the per-1,000-token figures without the overlay's basis. */
function priceOf(p: (TokenPrice & { basis?: string }) | undefined): { price?: TokenPrice } {
  if (!p) return {};
  const { basis: _basis, ...price } = p;
  return { price };
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
    (f.serviceTiers !== undefined && !overlay?.serviceTiers) ||
    (f.price !== undefined && !overlay?.price) ||
    Object.keys(f.requestConstraints ?? {}).some((k) => !Object.hasOwn(overlay?.requestConstraints ?? {}, k))
  );
}

function quotaRefs(r: RegionReach, kind: InvocationKind, facts: ModelFacts | undefined): { tpm?: QuotaRef; rpm?: QuotaRef; tpd?: QuotaRef } {
  const q = r.quotas[kind];
  const ref = (f: QuotaFact | undefined) => (f ? { code: f.code, applied: f.value } : undefined);
  const tpm = ref(q?.tpm) ?? (facts?.quotaCodes[kind] ? { code: facts.quotaCodes[kind]! } : undefined);
  const rpm = ref(q?.rpm);
  const tpd = ref(r.tpd) ?? (facts?.quotaCodes.tpd ? { code: facts.quotaCodes.tpd } : undefined);
  return { ...(tpm ? { tpm } : {}), ...(rpm ? { rpm } : {}), ...(tpd ? { tpd } : {}) };
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
  // A typo first (a letter or two off a known ID: one edit per 10 characters, at least 2), then the same family
  // (a newer version of a family, launched since the last sync, is a few edits off every member).
  const known = catalogModelIds(catalog);
  const typo = closest(id, known, { max: 2, maxDistance: Math.max(2, Math.floor(id.length / 10)) });
  const family = (x: string) => x.split(/[.-]/).slice(0, 3).join("-");
  const close = [...new Set([...typo, ...known.filter((c) => family(c) === family(id))])].slice(0, 4);
  const hint = close.length ? `did you mean ${close.join(" or ")}? Otherwise ` : "";
  return `${hint}if it launched since the last sync, ${syncCommand(regions)}, or declare its facts in models[${index}].facts (${docRef("docs/configuration.md", "Adding a model the day it launches")})`;
}
