import * as fs from "node:fs";
import * as path from "node:path";
import { readEnvironmentFile } from "../../cli/environment-files";
import type { BaselinePlan } from "../../core/environment";
import type { EvalReport } from "../../core/evaluation";
import type { AnswerRule } from "../../local/endpoint";
import { main } from "../../evaluation/cli";
import { tempDir, TODAY } from "../fixtures";
import { type Fixture, startFixture, useSharedFixture } from "../smoke/fixtures";

// The evaluation tests' own environment (fixtures/config/shop.json, never config/) and a stand-in account seeded as
// after `cdktf deploy`, with helpers to script what each model answers and to run the command in-process.

export const FIXTURES = path.join(__dirname, "fixtures");
export const CONFIG_DIR = path.join(FIXTURES, "config");
export const HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0";
export const NOVA_LITE = "amazon.nova-lite-v1:0";
export const NOVA_PRO = "amazon.nova-pro-v1:0";
/** Enabled in no region of shop.json. */
export const NOVA_MICRO = "amazon.nova-micro-v1:0";

/** shop.json, validated on the fixed day; `change` edits the raw file first (a variant written to a temp dir). */
export function shopPlan(change?: (raw: any) => void): { plan: BaselinePlan; configDir: string } {
  if (!change) return { plan: readEnvironmentFile(path.join(CONFIG_DIR, "shop.json"), { today: TODAY }).plan, configDir: CONFIG_DIR };
  const raw = JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, "shop.json"), "utf8"));
  change(raw);
  const dir = tempDir("eval-config");
  fs.writeFileSync(path.join(dir, "shop.json"), JSON.stringify(raw));
  return { plan: readEnvironmentFile(path.join(dir, "shop.json"), { today: TODAY }).plan, configDir: dir };
}

/** A stand-in account where a plan was applied (smoke's fixture: the endpoint seeded from the plan's manifests). */
export type EvalFixture = Fixture;

/** A stand-in account where `deployed` (default shop.json as is) was applied. */
export function startEvalFixture(deployed: BaselinePlan = shopPlan().plan): Promise<EvalFixture> {
  return startFixture(deployed);
}

/** One stand-in per test file where shop.json was applied; scripts and the call log cleared before each test. */
export function useEvalFixture(): () => EvalFixture {
  return useSharedFixture(shopPlan().plan);
}

let goldenFiles = 0;

/** Writes a golden set (one object per line) into the work directory; returns its path. */
export function writeGolden(f: EvalFixture, cases: readonly object[]): string {
  const file = path.join(f.workDir, `golden-${++goldenFiles}.jsonl`);
  fs.writeFileSync(file, cases.map((c) => JSON.stringify(c)).join("\n") + "\n");
  return file;
}

/** `model` answers `text` to case `caseId` (the eval's own calls, not the judge's). */
export function answers(model: string, caseId: string, text: string, extra: Partial<AnswerRule> = {}): AnswerRule {
  return { modelId: model, requestMetadata: { purpose: "eval", evalCase: caseId }, text, ...extra };
}

/** The judge `model` scores `score` any answer containing `marker`. */
export function verdict(model: string, marker: string, score: number): AnswerRule {
  return { modelId: model, requestMetadata: { purpose: "eval-judge" }, promptContains: marker, text: `{"score": ${score}, "reason": "scripted"}` };
}

export interface EvalRun {
  readonly code: number;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly reportDir: string;
  /** The JSON report, when one was written. */
  readonly report?: EvalReport;
  /** Files in the report directory after the run. */
  readonly files: string[];
}

let runs = 0;

/** Runs `npm run eval` in-process against the fixture: --env shop, the fixture's config dir and endpoint, its own report dir. */
export async function runEval(f: EvalFixture, args: readonly string[], options: { configDir?: string; endpointUrl?: string } = {}): Promise<EvalRun> {
  const reportDir = path.join(f.workDir, `reports-${++runs}`);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(["--env", "shop", "--config-dir", options.configDir ?? CONFIG_DIR, "--endpoint-url", options.endpointUrl ?? f.endpoint.url, "--report-dir", reportDir, ...args], {
    stdout: (l) => stdout.push(l),
    stderr: (l) => stderr.push(l),
  });
  const files = fs.existsSync(reportDir) ? fs.readdirSync(reportDir).sort() : [];
  const json = files.find((x) => x.endsWith(".json"));
  const report = json ? (JSON.parse(fs.readFileSync(path.join(reportDir, json), "utf8")) as EvalReport) : undefined;
  return { code, stdout, stderr, reportDir, files, ...(report ? { report } : {}) };
}

/** Bedrock calls the endpoint saw, optionally for one model (foundation-model ID, any profile prefix). */
export function bedrockCalls(f: EvalFixture, model?: string) {
  return f.endpoint.calls.filter((c) => c.service === "bedrock-runtime" && (!model || c.modelId?.endsWith(model)));
}
