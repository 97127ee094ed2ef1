import { checkEnvName, checkRegionName, parseEndpointUrl, positiveInt } from "../cli/argument-values";
import { parseCommandLine } from "../cli/command-line";
import { CliError } from "../cli/user-error";
import { quote } from "../core/problems";

/** What one smoke run does, as parsed from the command line. */
export interface SmokeOptions {
  readonly env: string;
  /** Regions to check; empty = every region the environment's manifests declare. */
  readonly regions: readonly string[];
  /** Also probe ConverseStream per model. */
  readonly stream: boolean;
  /** Also send, per model, one tiny request with each parameter the catalog says it refuses (smoke/constraint-check.ts). */
  readonly checkConstraints: boolean;
  readonly concurrency: number;
  /** Per AWS call. */
  readonly timeoutMs: number;
  /** Whole run; checks not finished by then fail with "deadline". */
  readonly deadlineMs: number;
  readonly junitFile?: string;
  readonly jsonFile?: string;
  readonly roleArn?: string;
  /** Explicit opt-in to a non-AWS endpoint (the local stand-in). Default: real AWS (or what AWS_ENDPOINT_URL* names). */
  readonly endpointUrl?: string;
  /** `endpointUrl` with any user name and password redacted: the only form printed or written to reports. */
  readonly endpointShown?: string;
  readonly manifestDir: string;
}

export const DEFAULTS = { concurrency: 4, timeoutMs: 20_000, deadlineMs: 120_000, manifestDir: "cdktf.out/manifests" } as const;

/** A command-line or configuration mistake: printed as one line, exit 2 (1 means a check failed). */
export function usageError(message: string): CliError {
  return new CliError(message, 2);
}

export const USAGE = `Usage: npm run smoke -- --env <env> [options]

Post-apply smoke test: per region of the environment, checks the AppConfig deployment and routing document, makes one
tiny Converse call per enabled model (maxTokens <= 16), reads the TPM quotas, and exits 0 when everything passes,
1 when a check fails, 2 on usage or configuration errors.

Options:
  --env <env>            environment name (reads cdktf.out/manifests/bedrock-<env>-<region>.json)   required
  --region <region>      only this region; repeat for several (default: every region of the environment)
  --stream               also probe ConverseStream (time to first token, whole stream consumed)
  --check-constraints    also send, per model, one tiny request with each parameter the catalog says it refuses
                         (temperature, topP, both, thinking off, forced tool use): a refusal confirms the catalog,
                         an answer contradicts it (WARN rows naming the catalog/overlay.json fact to correct)
  --concurrency <n>      AWS calls in flight at once (default ${DEFAULTS.concurrency})
  --timeout-ms <ms>      timeout per AWS call (default ${DEFAULTS.timeoutMs})
  --deadline-ms <ms>     whole-run deadline; checks still running then fail with "deadline" (default ${DEFAULTS.deadlineMs})
  --junit <file>         write a JUnit XML report (one testsuite per region)
  --json <file>          write a JSON report with every figure
  --role-arn <arn>       assume this role (session name bedrock-smoke) and run every check with its credentials
  --endpoint-url <url>   send every AWS call to this endpoint (e.g. the local stand-in); default: real AWS
  --manifest-dir <dir>   where synth wrote the manifests (default ${DEFAULTS.manifestDir})
  -h, --help             show this help

Credentials and proxies come from the AWS SDK default chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, ...); the run stops at
once (exit 2) when there are none. Endpoints are the SDK's too: AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_<SERVICE>) in
the environment sends calls there, and the first line names every endpoint in use.
Output: a progress line "[n] ..." as each check finishes, then the table (sorted by region, check, subject) and the
summary; stderr carries only errors.
Offline, against the local AWS stand-in seeded as the deploy would have left the account: npm run smoke:local -- --env
<env> [options] (its --help says more).`;

const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** Parses argv (without node and script). Returns "help" for --help; throws CliError (exit 2) on any mistake. */
export function parseOptions(argv: readonly string[]): SmokeOptions | "help" {
  // cli/command-line.ts: a repeated single-value flag, an empty value and an unknown flag are refused (exit 2).
  const { values } = parseCommandLine({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      env: { type: "string" },
      region: { type: "string", multiple: true },
      stream: { type: "boolean" },
      "check-constraints": { type: "boolean" },
      concurrency: { type: "string" },
      "timeout-ms": { type: "string" },
      "deadline-ms": { type: "string" },
      junit: { type: "string" },
      json: { type: "string" },
      "role-arn": { type: "string" },
      "endpoint-url": { type: "string" },
      "manifest-dir": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";

  const env = values.env as string | undefined;
  if (!env) throw usageError("--env is required, e.g. --env dev (see --help)");
  checkEnvName(env);
  const regions = [...new Set((values.region as string[] | undefined) ?? [])];
  for (const r of regions) checkRegionName(r);
  const roleArn = values["role-arn"] as string | undefined;
  if (roleArn !== undefined && !ROLE_ARN.test(roleArn)) throw usageError(`--role-arn ${quote(roleArn, 120)} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
  const endpoint = values["endpoint-url"] === undefined ? undefined : parseEndpointUrl(values["endpoint-url"] as string);

  return {
    env,
    regions,
    stream: values.stream === true,
    checkConstraints: values["check-constraints"] === true,
    concurrency: positiveInt(values.concurrency, "--concurrency", DEFAULTS.concurrency, 64),
    timeoutMs: positiveInt(values["timeout-ms"], "--timeout-ms", DEFAULTS.timeoutMs, 600_000),
    deadlineMs: positiveInt(values["deadline-ms"], "--deadline-ms", DEFAULTS.deadlineMs, 3_600_000),
    ...(values.junit !== undefined ? { junitFile: nonEmpty(values.junit, "--junit") } : {}),
    ...(values.json !== undefined ? { jsonFile: nonEmpty(values.json, "--json") } : {}),
    ...(roleArn !== undefined ? { roleArn } : {}),
    ...(endpoint ? { endpointUrl: endpoint.url, endpointShown: endpoint.shown } : {}),
    manifestDir: values["manifest-dir"] !== undefined ? nonEmpty(values["manifest-dir"], "--manifest-dir") : DEFAULTS.manifestDir,
  };
}

function nonEmpty(raw: unknown, flag: string): string {
  const s = String(raw);
  if (s.trim() === "") throw usageError(`${flag} needs a file or directory name`);
  return s;
}
