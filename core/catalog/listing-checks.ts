import { REGION_PATTERN } from "../aws";
import { displayText, jsonPath, quote } from "../problems";
import { isCalendarDate, KNOWN_LIFECYCLE_STATUSES, MODEL_ID_PATTERN, parseFoundationModelArn, SNAPSHOT_APIS, type ListedFoundationModel, type ListedInferenceProfile, type ListedServiceQuota, type RegionListings } from "./catalog-snapshot";
import { parseQuotaName } from "./quota-names";

/*
 * The boundary between what the control-plane APIs answered and the snapshot. The SDK deserializer validates nothing
 * (a string where a number belongs arrives as is), and one odd value used to crash catalog:sync with a ZodError stack
 * trace for every region. Each entry is checked here: an entry that cannot be taken is skipped with a warning naming
 * the region, the API and the field; an answer no account gives (zero models, zero quotas) refuses the region.
 */

/** One thing noticed in an API answer: the API, the field (a path in its answer), what was wrong and what happened. */
export interface ListingNotice {
  readonly api: string;
  readonly field: string;
  readonly message: string;
}

/** The listings reduced to the entries the snapshot may take, and what was noticed on the way. */
export interface CheckedListings {
  readonly listings: RegionListings;
  /** Entries or values skipped (printed as warnings; the sync goes on). */
  readonly warnings: readonly ListingNotice[];
  /** Answers that cannot be a region's truth (the region fails; nothing is written). */
  readonly refusals: readonly ListingNotice[];
}

/** The raw answers, as the SDK returned them (any shape: the values are checked here). */
export interface RawListings {
  readonly models: readonly unknown[];
  readonly profiles: readonly unknown[];
  readonly quotas: readonly unknown[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
/** A value from the answer as a message shows it: quoted, escaped and bounded (core/problems/problem.ts). */
const shown = (v: unknown) => quote(v);

/** An ISO day from what the SDK made of a timestamp (Date, or a string it passed through); undefined when none. */
function dayOf(v: unknown): string | undefined {
  const t = v instanceof Date ? v : typeof v === "string" || typeof v === "number" ? new Date(v) : undefined;
  if (!t || Number.isNaN(t.getTime())) return undefined;
  const iso = t.toISOString().slice(0, 10);
  return isCalendarDate(iso) ? iso : undefined;
}

class Notes {
  readonly warnings: ListingNotice[] = [];
  readonly refusals: ListingNotice[] = [];
  constructor(private readonly api: string) {}
  warn(field: readonly PropertyKey[], message: string): void {
    this.warnings.push({ api: this.api, field: jsonPath(field), message });
  }
  refuse(field: readonly PropertyKey[], message: string): void {
    this.refusals.push({ api: this.api, field: jsonPath(field), message });
  }
}

function lifecycleOf(raw: unknown, at: PropertyKey[], notes: Notes): ListedFoundationModel["modelLifecycle"] | "skip" {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) {
    notes.warn(at, `is ${shown(raw)}, not an object: entry skipped`);
    return "skip";
  }
  let status: string | undefined;
  if (raw.status !== undefined) {
    if (typeof raw.status !== "string" || raw.status.trim() === "") {
      notes.warn([...at, "status"], `is ${shown(raw.status)}, not a lifecycle status: entry skipped`);
      return "skip";
    }
    status = raw.status.trim().toUpperCase();
    if (!/^[A-Z][A-Z0-9_]*$/.test(status)) {
      notes.warn([...at, "status"], `is ${shown(raw.status)}, not a lifecycle status: entry skipped`);
      return "skip";
    }
    if (status !== raw.status) notes.warn([...at, "status"], `is ${shown(raw.status)}; recorded as ${status}`);
    if (!KNOWN_LIFECYCLE_STATUSES.includes(status))
      notes.warn([...at, "status"], `${status} is not a status this version knows (${KNOWN_LIFECYCLE_STATUSES.join(", ")}): recorded as listed; synth treats it like LEGACY`);
  }
  const dates: Record<string, string> = {};
  for (const key of ["legacyTime", "endOfLifeTime"] as const) {
    if (raw[key] === undefined) continue;
    const d = dayOf(raw[key]);
    if (d === undefined) notes.warn([...at, key], `is ${shown(raw[key] instanceof Date ? "an invalid date" : raw[key])}, not a date: left out`);
    else dates[key] = d;
  }
  return { ...(status !== undefined ? { status } : {}), ...dates };
}

function checkModel(raw: unknown, i: number, notes: Notes): ListedFoundationModel | undefined {
  const at: PropertyKey[] = ["modelSummaries", i];
  if (!isRecord(raw)) return notes.warn(at, `is ${shown(raw)}, not an object: entry skipped`), undefined;
  if (typeof raw.modelId !== "string" || !MODEL_ID_PATTERN.test(raw.modelId))
    return notes.warn([...at, "modelId"], `${shown(raw.modelId)} is not a Bedrock model ID: entry skipped`), undefined;
  const lifecycle = lifecycleOf(raw.modelLifecycle, [...at, "modelLifecycle"], notes);
  if (lifecycle === "skip") return undefined;
  let types: string[] = [];
  if (raw.inferenceTypesSupported !== undefined) {
    if (!Array.isArray(raw.inferenceTypesSupported)) notes.warn([...at, "inferenceTypesSupported"], `is ${shown(raw.inferenceTypesSupported)}, not a list: taken as none`);
    else
      types = raw.inferenceTypesSupported.filter((t, j) => {
        const ok = typeof t === "string" && /^[A-Z][A-Z_]*$/.test(t);
        if (!ok) notes.warn([...at, "inferenceTypesSupported", j], `${shown(t)} is not an inference type: left out`);
        return ok;
      }) as string[];
  }
  const text = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v : undefined);
  if (raw.responseStreamingSupported !== undefined && typeof raw.responseStreamingSupported !== "boolean")
    notes.warn([...at, "responseStreamingSupported"], `is ${shown(raw.responseStreamingSupported)}, not true or false: taken as false`);
  return {
    modelId: raw.modelId,
    ...(text(raw.modelName) ? { modelName: text(raw.modelName) } : {}),
    ...(text(raw.providerName) ? { providerName: text(raw.providerName) } : {}),
    inferenceTypesSupported: types,
    responseStreamingSupported: raw.responseStreamingSupported === true,
    ...(lifecycle ? { modelLifecycle: lifecycle } : {}),
  };
}

function checkProfile(raw: unknown, i: number, notes: Notes): ListedInferenceProfile | undefined {
  const at: PropertyKey[] = ["inferenceProfileSummaries", i];
  if (!isRecord(raw)) return notes.warn(at, `is ${shown(raw)}, not an object: entry skipped`), undefined;
  if (typeof raw.inferenceProfileId !== "string" || !MODEL_ID_PATTERN.test(raw.inferenceProfileId))
    return notes.warn([...at, "inferenceProfileId"], `${shown(raw.inferenceProfileId)} is not an inference profile ID: entry skipped`), undefined;
  if (raw.status !== undefined && (typeof raw.status !== "string" || !/^[A-Z][A-Z_]*$/.test(raw.status)))
    return notes.warn([...at, "status"], `is ${shown(raw.status)}, not a profile status: entry skipped`), undefined;
  const models: { modelArn: string }[] = [];
  if (raw.models !== undefined && !Array.isArray(raw.models)) notes.warn([...at, "models"], `is ${shown(raw.models)}, not a list: taken as none`);
  (Array.isArray(raw.models) ? raw.models : []).forEach((m, j) => {
    const arn = isRecord(m) ? m.modelArn : undefined;
    const parsed = typeof arn === "string" ? parseFoundationModelArn(arn) : undefined;
    // The region-less ARN is global routing; any other region must be one AWS has.
    if (!parsed || (parsed.region !== "" && !REGION_PATTERN.test(parsed.region)) || !MODEL_ID_PATTERN.test(parsed.modelId))
      notes.warn([...at, "models", j, "modelArn"], `${quote(arn, 160)} is not a foundation-model ARN in a known region: destination left out`);
    else models.push({ modelArn: arn as string });
  });
  return { inferenceProfileId: raw.inferenceProfileId, ...(typeof raw.status === "string" ? { status: raw.status } : {}), models };
}

function checkQuota(raw: unknown, i: number, notes: Notes): ListedServiceQuota | undefined {
  const at: PropertyKey[] = ["Quotas", i];
  if (!isRecord(raw) || typeof raw.QuotaName !== "string") return undefined; // nothing to match a model by: not ours
  // Only a per-minute quota of one model ends up in the snapshot; the hundreds of others are not looked at.
  if (!parseQuotaName(raw.QuotaName)) return undefined;
  const name = displayText(raw.QuotaName, 100);
  if (typeof raw.QuotaCode !== "string" || !/^L-[0-9A-F]{8}$/.test(raw.QuotaCode))
    return notes.warn([...at, "QuotaCode"], `${shown(raw.QuotaCode)} of "${name}" is not a Service Quotas code (L-XXXXXXXX): quota skipped`), undefined;
  if (typeof raw.Value !== "number" || !Number.isFinite(raw.Value) || raw.Value < 0)
    return notes.warn([...at, "Value"], `${shown(raw.Value)} of ${raw.QuotaCode} "${name}" is not a quota value (a number >= 0): quota skipped`), undefined;
  return { QuotaCode: raw.QuotaCode, QuotaName: raw.QuotaName, Value: raw.Value };
}

/**
 * Checks one region's raw answers. Bedrock lists models in every region it is offered in, and Service Quotas lists
 * Bedrock's quotas there: an empty answer from either is refused rather than taken as "the region has none".
 */
export function checkListings(raw: RawListings): CheckedListings {
  const m = new Notes(SNAPSHOT_APIS.models);
  const p = new Notes(SNAPSHOT_APIS.profiles);
  const q = new Notes(SNAPSHOT_APIS.quotas);
  const models = raw.models.map((x, i) => checkModel(x, i, m)).filter((x) => x !== undefined);
  const profiles = raw.profiles.map((x, i) => checkProfile(x, i, p)).filter((x) => x !== undefined);
  const quotas = raw.quotas.map((x, i) => checkQuota(x, i, q)).filter((x) => x !== undefined);
  if (raw.models.length === 0) m.refuse(["modelSummaries"], "listed no models; Bedrock lists its models in every region it is offered in, so the answer is not taken");
  else if (models.length === 0) m.refuse(["modelSummaries"], `none of the ${raw.models.length} listed models could be taken (see the warnings)`);
  if (raw.quotas.length === 0) q.refuse(["Quotas"], "listed no quotas for service bedrock; Service Quotas lists them wherever Bedrock is offered, so the answer is not taken");
  if (raw.profiles.length === 0) p.warn(["inferenceProfileSummaries"], "listed no system-defined inference profiles: models of this region are reachable on demand only");
  return {
    listings: { models, profiles, quotas },
    warnings: [...m.warnings, ...p.warnings, ...q.warnings],
    refusals: [...m.refusals, ...p.refusals, ...q.refusals],
  };
}

/** `us-east-1: bedrock:ListFoundationModels modelSummaries[3].modelId: "x" is not ...`, one line. */
export function listingNoticeLine(region: string, n: ListingNotice): string {
  return `${region}: ${n.api} ${n.field}: ${n.message}`;
}
