import { checkEnvName, checkRegionName, parseEndpointUrl, positiveInt } from "../cli/argument-values";
import { parseCommandLine } from "../cli/command-line";
import { CliError } from "../cli/user-error";
import { MODEL_ID_PATTERN } from "../core/catalog";
import { DEFAULT_MARGIN, DEFAULT_MAX_CALLS, DEFAULT_REPORT_DIR, MAX_REPEAT } from "../core/evaluation";
import { displayText, quote } from "../core/problems";

/** One `npm run eval` run, as parsed from the command line. */
export interface EvalOptions {
  readonly env: string;
  readonly task: string;
  /** Foundation-model ID of the model that would replace the route's primary. */
  readonly candidate: string;
  /** Default: the environment's first region. */
  readonly region?: string;
  /** Default: the deployed routing document's primary of the route. */
  readonly baseline?: string;
  /** Judge of judge checks that name none. Default: the baseline. */
  readonly judgeModel?: string;
  /** Default: evals/<task>.jsonl. */
  readonly golden?: string;
  /** Undefined: automatic (core/evaluation/plan.ts automaticRepeat). */
  readonly repeat?: number;
  readonly maxCalls: number;
  /** Non-inferiority margin as a fraction (the flag takes percentage points). */
  readonly margin: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly deadlineMs: number;
  readonly reportDir: string;
  readonly configDir: string;
  /** Default: the shipped catalog. */
  readonly catalogDir?: string;
  readonly endpointUrl?: string;
  /** `endpointUrl` with credentials redacted: the only form printed or written. */
  readonly endpointShown?: string;
  /** Print prompt and answer excerpts of failing samples (never written to reports). */
  readonly showText: boolean;
  /** Read everything, print the plan, call no model. */
  readonly planOnly: boolean;
}

export const DEFAULTS = { concurrency: 4, timeoutMs: 60_000, deadlineMs: 1_800_000, maxCalls: DEFAULT_MAX_CALLS, reportDir: DEFAULT_REPORT_DIR, configDir: "config" } as const;

export const USAGE = `Usage: npm run eval -- --env <env> --task <task> --candidate <modelId> [options]

Runs the task's golden set against the route's current primary (the baseline, read from the deployed routing document)
and the candidate, through the routing client's own request path (the route's maxTokens, temperature, service tier
and guardrail), then applies the gate: every hard check of the candidate passes, and its pass rate is not worse than
the baseline's by the margin or more (paired score interval, 95%). Prints the planned calls and tokens first.
Exit 0 when the gate passes, 1 when it fails or cannot decide (calls not measured), 2 on usage or configuration errors.

Options:
  --env <env>              environment (config/<env>.json)                                             required
  --task <task>            route to evaluate                                                            required
  --candidate <modelId>    foundation-model ID of a model the environment provisions (models[], enabled) required
  --region <region>        region whose deployed route and models are used (default: the environment's first)
  --golden <file>          golden set, JSON Lines (default evals/<task>.jsonl)
  --repeat <n>             runs of each case per model, 1-${MAX_REPEAT} (default: automatic, the fewest with which the
                           set can show non-inferiority at the margin)
  --max-calls <n>          refuse to start when the plan needs more calls (default ${DEFAULTS.maxCalls})
  --margin <points>        non-inferiority margin in percentage points, above 0 and at most 50 (default ${DEFAULT_MARGIN * 100})
  --baseline <modelId>     compare against this provisioned model instead of the route's primary
  --judge-model <modelId>  judge of judge checks that name no model (default: the baseline)
  --concurrency <n>        model calls in flight at once (default ${DEFAULTS.concurrency})
  --timeout-ms <ms>        timeout per AWS call (default ${DEFAULTS.timeoutMs})
  --deadline-ms <ms>       whole-run deadline; samples not finished by then are not measured (default ${DEFAULTS.deadlineMs})
  --report-dir <dir>       where the JSON, Markdown and JUnit reports go (default ${DEFAULTS.reportDir})
  --config-dir <dir>       environment files (default BEDROCK_CONFIG_DIR, else ${DEFAULTS.configDir})
  --catalog-dir <dir>      catalog snapshot and overlay (default BEDROCK_CATALOG_DIR, else the shipped catalog/)
  --endpoint-url <url>     send every AWS call to this endpoint (e.g. the local stand-in); default: real AWS
  --show-text              print prompt and answer excerpts of failing samples (never written to the reports)
  --plan-only              read everything and print the plan; call no model
  -h, --help               show this help

Credentials come from the AWS SDK default chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, an instance or container role).
Calls go out as Converse with requestMetadata purpose=eval (the judge's: purpose=eval-judge). Reports name cases and
checks, never prompts or answers. See docs/evaluation.md.`;

const STRING_OPTIONS = [
  "env",
  "task",
  "candidate",
  "region",
  "golden",
  "repeat",
  "max-calls",
  "margin",
  "baseline",
  "judge-model",
  "concurrency",
  "timeout-ms",
  "deadline-ms",
  "report-dir",
  "config-dir",
  "catalog-dir",
  "endpoint-url",
] as const;
const BOOLEAN_OPTIONS = ["show-text", "plan-only", "help"] as const;

/** A command-line or configuration mistake: one line, exit 2. */
export function usageError(message: string): CliError {
  return new CliError(message, 2);
}

type Raw = Partial<Record<(typeof STRING_OPTIONS)[number], string>> & Partial<Record<(typeof BOOLEAN_OPTIONS)[number], boolean>>;

/**
 * Reads argv with the shared parser (cli/command-line.ts): every option once (a second value is refused, never "last
 * one wins"), no empty value, unknown ones with a suggestion, a forgotten value named.
 */
function readArgs(argv: readonly string[]): Raw {
  const options = Object.fromEntries([...STRING_OPTIONS.map((o) => [o, { type: "string" as const }]), ...BOOLEAN_OPTIONS.map((o) => [o, { type: "boolean" as const }])]);
  const { values } = parseCommandLine({ args: argv, strict: true, allowPositionals: false, options: { ...options, help: { type: "boolean", short: "h" } } });
  return values as Raw;
}

function nonEmpty(value: string | undefined, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === "") throw usageError(`${what} is empty: give a file or directory name, or leave it out for the default`);
  return value;
}

function modelIdFlag(value: string | undefined, flag: string): string | undefined {
  if (value !== undefined && !MODEL_ID_PATTERN.test(value)) throw usageError(`${flag} ${quote(value, 80)} is not a foundation-model ID (e.g. anthropic.claude-haiku-4-5-20251001-v1:0)`);
  return value;
}

function marginOf(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_MARGIN;
  const points = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(points > 0 && points <= 50)) throw usageError(`--margin ${quote(raw, 40)} must be a number of percentage points above 0 and at most 50, e.g. 5`);
  return points / 100;
}

/** Parses argv (without node and script); "help" for --help. Throws CliError (exit 2) on any mistake. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): EvalOptions | "help" {
  const v = readArgs(argv);
  if (v.help) return "help";
  const required = (name: "env" | "task" | "candidate", example: string) => {
    if (v[name] === undefined) throw usageError(`--${name} is required, e.g. --${name} ${example} (see --help)`);
    return v[name]!;
  };
  const envName = checkEnvName(required("env", "dev"));
  const task = required("task", "summarization");
  if (!/^[a-z][a-z0-9-]{0,63}$/.test(task)) throw usageError(`--task ${quote(task, 80)} is not a route name (lowercase letters, digits and dashes)`);
  const candidate = modelIdFlag(required("candidate", "amazon.nova-pro-v1:0"), "--candidate")!;
  if (v.region !== undefined) checkRegionName(v.region);
  const endpoint = v["endpoint-url"] === undefined ? undefined : parseEndpointUrl(v["endpoint-url"]);
  const configDir = nonEmpty(v["config-dir"], "--config-dir") ?? nonEmpty(env.BEDROCK_CONFIG_DIR, "BEDROCK_CONFIG_DIR") ?? DEFAULTS.configDir;
  const catalogDir = nonEmpty(v["catalog-dir"], "--catalog-dir") ?? nonEmpty(env.BEDROCK_CATALOG_DIR, "BEDROCK_CATALOG_DIR");
  const baseline = modelIdFlag(v.baseline, "--baseline");
  const judgeModel = modelIdFlag(v["judge-model"], "--judge-model");
  const golden = nonEmpty(v.golden, "--golden");
  return {
    env: envName,
    task,
    candidate,
    ...(v.region ? { region: v.region } : {}),
    ...(baseline ? { baseline } : {}),
    ...(judgeModel ? { judgeModel } : {}),
    ...(golden ? { golden } : {}),
    ...(v.repeat === undefined ? {} : { repeat: positiveInt(v.repeat, "--repeat", 1, MAX_REPEAT) }),
    maxCalls: positiveInt(v["max-calls"], "--max-calls", DEFAULTS.maxCalls, 100_000),
    margin: marginOf(v.margin),
    concurrency: positiveInt(v.concurrency, "--concurrency", DEFAULTS.concurrency, 64),
    timeoutMs: positiveInt(v["timeout-ms"], "--timeout-ms", DEFAULTS.timeoutMs, 600_000),
    deadlineMs: positiveInt(v["deadline-ms"], "--deadline-ms", DEFAULTS.deadlineMs, 86_400_000),
    reportDir: nonEmpty(v["report-dir"], "--report-dir") ?? DEFAULTS.reportDir,
    configDir,
    ...(catalogDir ? { catalogDir } : {}),
    ...(endpoint ? { endpointUrl: endpoint.url, endpointShown: endpoint.shown } : {}),
    showText: v["show-text"] === true,
    planOnly: v["plan-only"] === true,
  };
}

/** `quote` for paths in messages. */
export const shownPath = (p: string) => displayText(p, 160);
