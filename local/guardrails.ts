/**
 * Guardrails of the stand-in account, per region, and the scripted outcome of applying one. A Converse/ConverseStream
 * request with `guardrailConfig` must name a guardrail of the signing region (by ID or ARN) and one of its published
 * versions, as Bedrock requires; whether it intervenes is scripted (rules in order, like the fault book), by
 * guardrail and/or model. Without a matching rule it does not intervene.
 */

/** A guardrail to create, as `aws_bedrock_guardrail` + `aws_bedrock_guardrail_version` leave it. */
export interface GuardrailSeed {
  /** Guardrail name (unique per region). */
  name: string;
  /** Guardrail ID (lowercase letters and digits); default: derived from the name and region. */
  id?: string;
  /** Number of published versions ("1".."N"); default 1. */
  versions?: number;
  /** What a blocked prompt returns; default a fixed sentence. */
  blockedInputMessaging?: string;
  /** What a blocked answer returns; default a fixed sentence. */
  blockedOutputsMessaging?: string;
}

/** A created guardrail, as the stack's outputs would report it. */
export interface SeededGuardrail {
  readonly name: string;
  readonly id: string;
  readonly arn: string;
  /** The newest published version. */
  readonly version: string;
}

/** Where the guardrail intervenes: the prompt (the model is not called) or the answer (it is replaced). */
export const GUARDRAIL_INTERVENTIONS = ["input", "output", "none"] as const;
export type GuardrailIntervention = (typeof GUARDRAIL_INTERVENTIONS)[number];

/** One scripted outcome. */
export interface GuardrailOutcomeRule {
  /** Guardrail name, ID or ARN, or `*` for every guardrail; default `*`. */
  guardrail?: string;
  /** modelId exactly as the client sends it, or `*`; default `*`. */
  modelId?: string;
  /** Signing region; default every region. */
  region?: string;
  intervene: GuardrailIntervention;
  /** Matching calls the rule applies to; default unlimited. */
  times?: number;
}

interface Stored {
  readonly seed: Required<Omit<GuardrailSeed, "id" | "versions">>;
  readonly id: string;
  readonly arn: string;
  readonly versions: number;
}

const DEFAULT_BLOCKED_INPUT = "Sorry, the model cannot answer this question.";
const DEFAULT_BLOCKED_OUTPUT = "Sorry, the model cannot answer this question.";

/** The guardrail a request resolved to, or why it did not. */
export type GuardrailLookup = { readonly guardrail: SeededGuardrail & { readonly blockedInputMessaging: string; readonly blockedOutputsMessaging: string } } | { readonly error: string };

export class GuardrailBook {
  private readonly byRegion = new Map<string, Map<string, Stored>>();
  private rules: Array<{ rule: GuardrailOutcomeRule; remaining: number }> = [];

  constructor(private readonly accountId: () => string) {}

  seed(region: string, seed: GuardrailSeed): SeededGuardrail {
    const guardrails = this.byRegion.get(region) ?? new Map<string, Stored>();
    this.byRegion.set(region, guardrails);
    const id = seed.id ?? derivedId(seed.name, region);
    const stored: Stored = {
      seed: { name: seed.name, blockedInputMessaging: seed.blockedInputMessaging ?? DEFAULT_BLOCKED_INPUT, blockedOutputsMessaging: seed.blockedOutputsMessaging ?? DEFAULT_BLOCKED_OUTPUT },
      id,
      arn: `arn:aws:bedrock:${region}:${this.accountId()}:guardrail/${id}`,
      versions: seed.versions ?? 1,
    };
    for (const [key, g] of guardrails) if (g.seed.name === seed.name) guardrails.delete(key);
    guardrails.set(id, stored);
    return view(stored);
  }

  /**
   * The guardrail `identifier` (ID or ARN) names in `region` at `version`, or the ValidationException message Bedrock
   * gives (the identifier wording as reported against the real service; the version wording is UNCONFIRMED).
   */
  resolve(region: string, identifier: unknown, version: unknown): GuardrailLookup {
    if (typeof identifier !== "string" || identifier === "") return { error: "The provided guardrail identifier is invalid." };
    if (typeof version !== "string" || version === "") return { error: "A guardrail version is required when a guardrail identifier is provided." };
    const id = identifier.startsWith("arn:") ? (identifier.startsWith(`arn:aws:bedrock:${region}:${this.accountId()}:guardrail/`) ? identifier.slice(identifier.lastIndexOf("/") + 1) : undefined) : identifier;
    const g = id === undefined ? undefined : this.byRegion.get(region)?.get(id);
    if (!g) return { error: "The provided guardrail identifier is invalid." };
    const n = Number(version);
    if (version !== "DRAFT" && !(Number.isInteger(n) && n >= 1 && n <= g.versions && String(n) === version)) return { error: "The provided guardrail version is invalid." };
    return { guardrail: { ...view(g), blockedInputMessaging: g.seed.blockedInputMessaging, blockedOutputsMessaging: g.seed.blockedOutputsMessaging } };
  }

  script(rule: GuardrailOutcomeRule): void {
    if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) throw new Error(`times must be a positive integer, got ${rule.times}`);
    this.rules.push({ rule: { ...rule }, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  /** Consumes one use of the first rule matching the call; "none" when nothing matches. */
  take(region: string, guardrail: SeededGuardrail, modelId: string): GuardrailIntervention {
    const names = new Set([guardrail.name, guardrail.id, guardrail.arn]);
    const matches = (r: GuardrailOutcomeRule) =>
      (r.guardrail === undefined || r.guardrail === "*" || names.has(r.guardrail)) && (r.modelId === undefined || r.modelId === "*" || r.modelId === modelId) && (r.region === undefined || r.region === region);
    const entry = this.rules.find(({ rule, remaining }) => remaining > 0 && matches(rule));
    if (!entry) return "none";
    entry.remaining -= 1;
    this.rules = this.rules.filter((e) => e.remaining > 0);
    return entry.rule.intervene;
  }

  /** Drops the scripted outcomes; the guardrails stay. */
  resetScripts(): void {
    this.rules = [];
  }
}

function view(g: Stored): SeededGuardrail {
  return { name: g.seed.name, id: g.id, arn: g.arn, version: String(g.versions) };
}

/** A stable 12-character ID of lowercase letters and digits (FNV-1a of region and name), like the IDs AWS assigns. */
function derivedId(name: string, region: string): string {
  let h = 0x811c9dc5;
  for (const c of `${region}/${name}`) h = Math.imul(h ^ c.codePointAt(0)!, 0x01000193) >>> 0;
  let h2 = h ^ 0x5bd1e995;
  h2 = Math.imul(h2, 0x01000193) >>> 0;
  return (h.toString(36) + h2.toString(36)).padEnd(12, "0").slice(0, 12);
}
