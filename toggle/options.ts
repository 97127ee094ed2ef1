import { checkEnvName, checkRegionName, parseEndpointUrl, positiveInt, type EndpointUrl } from "../cli/argument-values";
import { parseCommandLine } from "../cli/command-line";
import { CliError } from "../cli/user-error";
import { quote } from "../core/problems";
import { CANARY_PERCENT_MAX, CANARY_PERCENT_MIN } from "../core/runtime";
import { isEmergency, type ToggleChange } from "./change";
import { DEFAULT_REPORTS_DIR } from "./upgrade-gate";

/** Longest --reason kept (AppConfig's Description limit); longer text is refused rather than silently cut. */
export const REASON_MAX = 1024;

/** Default bound of the whole command: every AWS call, stopping a running deployment and waiting for the new one. */
export const DEFAULT_TIMEOUT_MS = 600_000;
/** Default bound of one AWS call (SDK retries included), within the whole command's bound. */
export const DEFAULT_CALL_TIMEOUT_MS = 20_000;
/** Default pause between GetDeployment calls. */
export const DEFAULT_POLL_MS = 2_000;

export const USAGE = `usage: npm run toggle -- --env <env> [--region <region>] (--disable <model> | --enable <model> | --primary <task>=<model>
                      | --canary <task>=<model>:<percent> | --promote <task> | --abort <task>)
                      [--reason "..."] [--without-eval] [--reports-dir <dir>] [--golden <file>] [--stop-deployment] [--dry-run]
                      [--endpoint-url <url>] [--timeout-ms <ms>] [--call-timeout-ms <ms>]
  <model> is a foundation-model ID or its invoke ID. --region may be left out when the environment has one region.
  --canary sends <percent> (${CANARY_PERCENT_MIN}-${CANARY_PERCENT_MAX}) of the task's calls to <model> first; --promote makes the canary the
  primary (the old primary becomes the first fallback); --abort removes the canary.
  --disable and --abort deploy with the emergency strategy (all at once, no bake), the others with the environment's
  routine strategy, whose bake the rollback alarm watches.
  --canary and --promote need a passing evaluation of the model on the task's golden set (npm run eval): a report in
  --reports-dir (default ${DEFAULT_REPORTS_DIR}) for this environment, region, task and model, made with the golden set
  as it is now (--golden, default evals/<task>.jsonl) and at most evaluation.maxAgeDays old (default 7).
  --without-eval --reason "..." overrides that; the reason goes into the AppConfig version description.
  A model put into a route (--primary, --canary, --promote) must accept the route's request parameters
  (catalog/overlay.json requestConstraints), as synth checks them.
  --stop-deployment  with --disable or --abort: when a deployment is running in the environment (AppConfig runs one at
                     a time), stop it first (StopDeployment: it rolls back to the version before it) and deploy the
                     change at once. Without it the toggle asks when run in a terminal, and refuses otherwise.
  --dry-run          read the deployed document, compute and validate the change, print it and the document diff, and
                     write nothing (no version, no deployment, no stop); exit as the real run would decide
  --timeout-ms       bound of the whole command: every AWS call, a stop, and the wait for the deployment
                     (default ${DEFAULT_TIMEOUT_MS})
  --call-timeout-ms  bound of one AWS call, SDK retries included (default ${DEFAULT_CALL_TIMEOUT_MS})
  Exit: 0 deployed (or nothing to change), 1 refused, rolled back, failed, timed out or still running, 2 usage or
  configuration error.`;

/** The command line, checked. */
export interface ToggleArgs {
  readonly env: string;
  readonly region?: string;
  readonly change: ToggleChange;
  readonly reason?: string;
  readonly endpoint?: EndpointUrl;
  /** Whole command. */
  readonly timeoutMs: number;
  /** One AWS call. */
  readonly callTimeoutMs: number;
  /** Stop a running deployment without asking (emergency changes only). */
  readonly stopDeployment: boolean;
  /** Print the change and the document diff, write nothing. */
  readonly dryRun: boolean;
  /** --without-eval: deploy a canary or promotion without evaluation evidence (needs --reason). */
  readonly withoutEval: boolean;
  /** Where evaluation reports are read. */
  readonly reportsDir: string;
  /** The task's golden set, when not evals/<task>.jsonl. */
  readonly golden?: string;
}

/**
 * --without-eval, --reports-dir and --golden: only for --canary and --promote; --without-eval only with a --reason (the
 * shared parser has already refused empty and blank values).
 */
function evidenceFlags(change: ToggleChange, values: { "without-eval"?: boolean; "reports-dir"?: string; golden?: string; reason?: string }): Pick<ToggleArgs, "withoutEval" | "reportsDir" | "golden"> {
  const upgrade = change.kind === "canary" || change.kind === "promote";
  for (const flag of ["without-eval", "reports-dir", "golden"] as const)
    if (values[flag] !== undefined && !upgrade) throw new CliError(`--${flag} only applies to --canary and --promote (the changes that need evaluation evidence)`);
  const withoutEval = values["without-eval"] === true;
  if (withoutEval && !values.reason?.trim()) throw new CliError('--without-eval needs --reason "..." saying why the evaluation is skipped (it goes into the AppConfig version description)');
  return { withoutEval, reportsDir: values["reports-dir"] ?? DEFAULT_REPORTS_DIR, ...(values.golden !== undefined ? { golden: values.golden } : {}) };
}

/**
 * `--canary <task>=<model>:<percent>`: the percent follows the last colon, since model IDs contain colons
 * (`anthropic.claude-haiku-4-5-20251001-v1:0:10`).
 */
function canaryChange(spec: string): ToggleChange {
  const eq = spec.indexOf("=");
  const colon = spec.lastIndexOf(":");
  const percent = spec.slice(colon + 1);
  if (eq <= 0 || colon <= eq + 1 || !/^\d{1,3}$/.test(percent))
    throw new CliError(`--canary takes <task>=<model>:<percent>, e.g. summarization=amazon.nova-pro-v1:0:10; got ${quote(spec, 120)}`);
  const n = Number(percent);
  // A model ID's own ":0" read as the percent (no percent given) lands here too, so the form is named.
  if (n < CANARY_PERCENT_MIN || n > CANARY_PERCENT_MAX)
    throw new CliError(`--canary percent must be a whole number from ${CANARY_PERCENT_MIN} to ${CANARY_PERCENT_MAX}, got ${n} in ${quote(spec, 120)} (all of a route's calls is --promote); the form is <task>=<model>:<percent>, e.g. summarization=amazon.nova-pro-v1:0:10`);
  return { kind: "canary", task: spec.slice(0, eq), model: spec.slice(eq + 1, colon), percent: n };
}

/** The one change the command line asks for. */
function changeOf(values: Record<string, string | boolean | undefined>): ToggleChange {
  const given = (["disable", "enable", "primary", "canary", "promote", "abort"] as const).filter((k) => values[k] !== undefined);
  if (given.length !== 1) throw new CliError(`give exactly one of --disable, --enable, --primary, --canary, --promote, --abort\n${USAGE}`);
  const value = values[given[0]] as string;
  switch (given[0]) {
    case "disable":
    case "enable":
      return { kind: given[0], model: value };
    case "primary": {
      const eq = value.indexOf("=");
      if (eq <= 0 || eq === value.length - 1) throw new CliError(`--primary takes <task>=<model>, got ${quote(value, 120)}`);
      return { kind: "primary", task: value.slice(0, eq), model: value.slice(eq + 1) };
    }
    case "canary":
      return canaryChange(value);
    default:
      return { kind: given[0], task: value };
  }
}

/** Parses argv; "help" for --help. Throws CliError (exit 2) for every mistake. */
export function parseToggleArgs(argv: readonly string[]): ToggleArgs | "help" {
  const { values, positionals } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    hint: "(see --help)",
    options: {
      env: { type: "string" },
      region: { type: "string" },
      disable: { type: "string" },
      enable: { type: "string" },
      primary: { type: "string" },
      canary: { type: "string" },
      promote: { type: "string" },
      abort: { type: "string" },
      reason: { type: "string" },
      "without-eval": { type: "boolean" },
      "reports-dir": { type: "string" },
      golden: { type: "string" },
      "stop-deployment": { type: "boolean" },
      "dry-run": { type: "boolean" },
      "endpoint-url": { type: "string" },
      "timeout-ms": { type: "string" },
      "call-timeout-ms": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  if (positionals.length) throw new CliError(`unexpected argument ${quote(positionals[0], 60)}\n${USAGE}`);
  if (!values.env) throw new CliError(`--env is required\n${USAGE}`);
  checkEnvName(values.env);
  if (values.region !== undefined) checkRegionName(values.region);
  const change = changeOf(values);
  if ("model" in change && !change.model) throw new CliError("the model must not be empty");
  const stopDeployment = values["stop-deployment"] === true;
  if (stopDeployment && !isEmergency(change)) throw new CliError("--stop-deployment only applies to --disable and --abort: a routine change waits for the running deployment");
  if (values.reason !== undefined && values.reason.length > REASON_MAX) throw new CliError(`--reason is ${values.reason.length} characters; keep it to ${REASON_MAX} (AppConfig's description limit)`);
  const endpoint = values["endpoint-url"] === undefined ? undefined : parseEndpointUrl(values["endpoint-url"]);
  return {
    env: values.env,
    ...(values.region !== undefined ? { region: values.region } : {}),
    change,
    ...(values.reason !== undefined ? { reason: values.reason } : {}),
    ...(endpoint ? { endpoint } : {}),
    timeoutMs: positiveInt(values["timeout-ms"], "--timeout-ms", DEFAULT_TIMEOUT_MS, 86_400_000),
    callTimeoutMs: positiveInt(values["call-timeout-ms"], "--call-timeout-ms", DEFAULT_CALL_TIMEOUT_MS, 600_000),
    stopDeployment,
    dryRun: values["dry-run"] === true,
    ...evidenceFlags(change, values),
  };
}
