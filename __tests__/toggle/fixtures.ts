import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AppConfigClient } from "@aws-sdk/client-appconfig";
import { AppConfigDataClient } from "@aws-sdk/client-appconfigdata";
import { RoutingSource } from "../../client/routing-source";
import { names } from "../../core/aws";
import type { BaselinePlan } from "../../core/environment";
import { EVAL_REPORT_KIND, EVAL_REPORT_VERSION, reportBaseName } from "../../core/evaluation";
import { buildRoutingDocument, customStrategies, routingJsonSchema } from "../../core/routing";
import type { RoutingDocument } from "../../core/runtime";
import type { LocalEndpoint, SeededAppConfig } from "../../local/endpoint";
import { runToggle, type ToggleDeps } from "../../toggle/cli";
import { validateEnvironment } from "../../core/validation";
import { CATALOG, CREDS, rawConfig, SONNET, tempDir, TODAY } from "../fixtures";

// The toggle tests' shared set-up: environment files in a directory of their own, the command run in-process against
// the local endpoint, and its control-plane client.

/** The dev test environment's account, and its home region. */
export const ACCOUNT = "111111111111";
export const EAST = "us-east-1";

/** The ARN of an environment's rollback alarm in us-east-1 (the composite AppConfig watches). */
export const rollbackAlarm = (env: string) => `arn:aws:cloudwatch:${EAST}:${ACCOUNT}:alarm:${names.rollbackAlarm(env)}`;

/** A config directory (removed after the test file) holding `<name>.json` for each raw environment given. */
export function configDirWith(environments: Readonly<Record<string, unknown>>): string {
  const dir = tempDir("toggle-config");
  writeEnvironment(dir, environments);
  return dir;
}

/**
 * dev with Sonnet declared and canaried at 10% on chat in the file (so the stack's IAM and validator allow it there),
 * written to a config directory of its own, its plan, and a passing evaluation of Sonnet on chat (the evidence
 * --canary and --promote of chat need).
 */
export function canariedDev(): { configDir: string; env: BaselinePlan; evidence: Evidence } {
  const raw = rawConfig("dev");
  raw.models.push({ id: SONNET.modelId });
  raw.routes.chat.canary = { model: SONNET.modelId, percent: 10 };
  const evidence = evidenceDir();
  evidence.write({ task: "chat", candidate: SONNET.modelId });
  return { configDir: configDirWith({ dev: raw }), env: validateEnvironment(raw, "dev.json", { today: TODAY, catalog: CATALOG }), evidence };
}

/** `argv` with the evidence flags when it is an upgrade (--canary, --promote), as it is otherwise. */
export const withEvidence = (evidence: Evidence, argv: readonly string[]): string[] => (argv.some((a) => a === "--canary" || a === "--promote") ? [...argv, ...evidence.flags] : [...argv]);

/** Adds or replaces environment files in a config directory. */
export function writeEnvironment(dir: string, environments: Readonly<Record<string, unknown>>): void {
  for (const [name, raw] of Object.entries(environments)) writeFileSync(join(dir, `${name}.json`), JSON.stringify(raw));
}

/** What one toggle run printed, and its exit code. */
export interface ToggleRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the toggle command in-process against `endpoint`, with the environments in `configDir`, on the fixed day. */
export async function toggleAt(endpoint: LocalEndpoint, configDir: string, argv: readonly string[], deps: Partial<ToggleDeps> = {}): Promise<ToggleRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runToggle([...argv, "--endpoint-url", endpoint.url], { out: (l) => out.push(l), err: (l) => err.push(l) }, { configDir, credentials: CREDS, pollMs: 5, today: TODAY, ...deps });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** An AppConfig control-plane client on the stand-in (one attempt: the tests count calls). */
export const appConfigControl = (endpoint: LocalEndpoint, region = EAST) => new AppConfigClient({ region, endpoint: endpoint.url, credentials: CREDS, maxAttempts: 1 });

/**
 * What an environment's stack creates in AppConfig in `region`, as `cdktf deploy` leaves it: the routing profile behind
 * its JSON Schema validator holding `document` (default: the baseline), the rollback alarm as the environment's monitor,
 * and the stack's custom strategies.
 */
export function seedStackProfile(endpoint: LocalEndpoint, env: BaselinePlan, region = EAST, document: RoutingDocument = buildRoutingDocument(env, region)): SeededAppConfig {
  const name = env.config.name;
  return endpoint.seedAppConfig({
    region,
    application: names.appConfigApplication(name),
    environment: names.appConfigEnvironment(name),
    profile: names.appConfigProfile,
    content: JSON.stringify(document),
    jsonSchema: JSON.stringify(routingJsonSchema(env, region)),
    monitors: [rollbackAlarm(name)],
    versionLabel: "baseline",
    strategies: customStrategies(env.config),
  });
}

/** The document clients get now, read through AppConfigData like a client (a fresh session). */
export async function liveDocument(endpoint: LocalEndpoint, envName = "dev", region = EAST): Promise<RoutingDocument> {
  const data = new AppConfigDataClient({ region, endpoint: endpoint.url, credentials: CREDS, maxAttempts: 1 });
  try {
    const r = await new RoutingSource(data, { application: names.appConfigApplication(envName), environment: names.appConfigEnvironment(envName), profile: names.appConfigProfile }).poll();
    if (r.kind !== "updated") throw new Error(`no live document: ${r.kind}`);
    return r.document;
  } finally {
    data.destroy();
  }
}

/** A passing evaluation report of one upgrade, as npm run eval writes it (the fields the toggle reads), and its golden set. */
export interface Evidence {
  /** Directory of the reports (--reports-dir). */
  readonly reportsDir: string;
  /** The golden set the reports were made with (--golden). */
  readonly golden: string;
  /** Writes the report of an upgrade; `edit` changes it before writing (verdict, age, hash). */
  write(upgrade: { environment?: string; region?: string; task: string; candidate: string }, edit?: (report: Record<string, any>) => void): string;
  /** The flags that point the toggle at them. */
  readonly flags: readonly string[];
}

/** A reports directory and a golden set of the tests' own (never evals/ or reports/ of the repository). */
export function evidenceDir(now = new Date()): Evidence {
  const dir = tempDir("toggle-evidence");
  const golden = join(dir, "golden.jsonl");
  writeFileSync(golden, `${JSON.stringify({ id: "one", prompt: "Say hi.", checks: [{ type: "contains", value: "hi" }] })}\n`);
  const sha256 = createHash("sha256").update(readFileSync(golden)).digest("hex");
  const reportsDir = join(dir, "reports");
  mkdirSync(reportsDir);
  return {
    reportsDir,
    golden,
    flags: ["--reports-dir", reportsDir, "--golden", golden],
    write: ({ environment = "dev", region = EAST, task, candidate }, edit = () => undefined) => {
      const report: Record<string, any> = {
        reportVersion: EVAL_REPORT_VERSION,
        kind: EVAL_REPORT_KIND,
        environment,
        region,
        task,
        candidate: { modelId: candidate },
        goldenSet: { file: golden, sha256 },
        finishedAt: new Date(now.getTime() - 3_600_000).toISOString(),
        verdict: "pass",
      };
      edit(report);
      const file = join(reportsDir, `${reportBaseName({ environment, region, task, candidate })}.json`);
      writeFileSync(file, JSON.stringify(report));
      return file;
    },
  };
}
