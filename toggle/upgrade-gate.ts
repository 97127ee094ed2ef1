import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { type BaselinePlan, requestParameterProblems } from "../core/environment";
import { DEFAULT_REPORT_DIR, evalCommand, evaluateEvidence, parseEvalReport, reportBaseName } from "../core/evaluation";
import { displayText } from "../core/problems";
import { routeOf, type RoutingDocument } from "../core/runtime";
import type { ToggleChange, ToggleResult } from "./change";

/*
 * What the toggle checks before a model takes a route's traffic, beyond the JSON Schema: that the model accepts the
 * route's request parameters (the catalog's request constraints, as synth checks them), and, for --canary and
 * --promote, that a passing, recent evaluation report of exactly this upgrade exists (npm run eval; docs/evaluation.md).
 */

/** Largest report read (the JSON of a 1,000-case set repeated 20 times stays far below). */
const MAX_REPORT_BYTES = 50 * 1024 * 1024;

/** The model a change puts into a route, with the route and how it enters; undefined for changes that add none. */
export function enteringModel(change: ToggleChange, result: ToggleResult): { task: string; modelId: string; role: string } | undefined {
  if (change.kind === "primary") return { task: change.task, modelId: result.modelId, role: "the new primary" };
  if (change.kind === "canary") return { task: change.task, modelId: result.modelId, role: "the canary" };
  if (change.kind === "promote") return { task: change.task, modelId: result.modelId, role: "the promoted canary" };
  return undefined;
}

/**
 * The model a change puts into a route against the route's request parameters as the new document has them: one line
 * per parameter it refuses (naming model, parameter and fix), as `npm run synth` would report it. Empty when it fits
 * (or the catalog knows nothing of it: then synth warned already).
 */
export function requestFitProblems(plan: BaselinePlan, next: RoutingDocument, change: ToggleChange, result: ToggleResult): string[] {
  const entering = enteringModel(change, result);
  const route = entering && routeOf(next, entering.task);
  if (!entering || !route) return [];
  const problems = requestParameterProblems(entering.task, route, [{ id: entering.modelId, role: entering.role }], plan.specs).filter((p) => p.severity !== "warning");
  const converse = plan.specs[entering.modelId]?.requestConstraints.converse;
  if (converse === "unsupported") problems.push({ path: `routes.${entering.task}`, message: `${entering.role} ${entering.modelId} is not served by Converse (catalog/overlay.json requestConstraints.converse)`, fix: "choose another model" });
  return problems.map((p) => `${p.path}: ${p.message} -> ${p.fix}`);
}

/** Where the toggle looks for evidence, and what it holds it to. */
export interface EvidenceSettings {
  /** Directory of the evaluation reports. Default: DEFAULT_REPORT_DIR (reports/eval). */
  readonly reportsDir: string;
  /** The task's golden set; default evals/<task>.jsonl. */
  readonly goldenFile?: string;
  readonly maxAgeDays: number;
  readonly now: Date;
}

/** The default golden set of a task (as npm run eval reads it). */
export const goldenFileOf = (task: string) => path.join("evals", `${task}.jsonl`);

function readRegularFile(file: string, what: string, limit: number): Buffer | string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "" : `${what} ${displayText(file, 160)} cannot be read (${code})`;
  }
  if (!st.isFile()) return `${what} ${displayText(file, 160)} is not a regular file`;
  if (st.size > limit) return `${what} ${displayText(file, 160)} is ${st.size} bytes, more than ${limit}`;
  try {
    return fs.readFileSync(file);
  } catch (e) {
    return `${what} ${displayText(file, 160)} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
}

/**
 * Whether a passing evaluation report of this upgrade (environment, region, task, candidate) exists in the reports
 * directory, made with the golden set as it is now and at most maxAgeDays old (core/evaluation's evaluateEvidence).
 * Undefined when it does; else one line saying why, ending with the npm run eval command to run.
 */
export function missingEvidence(env: string, region: string, task: string, candidate: string, s: EvidenceSettings): string | undefined {
  const golden = s.goldenFile ?? goldenFileOf(task);
  const request = { environment: env, region, task, candidate };
  const goldenBytes = readRegularFile(golden, "golden set", 20 * 1024 * 1024);
  if (typeof goldenBytes === "string")
    return `${goldenBytes || `the golden set ${displayText(golden, 160)} does not exist`}: an upgrade needs the task's golden set and a passing evaluation on it (${evalCommand(request)})`;
  const file = path.join(s.reportsDir, `${reportBaseName(request)}.json`);
  const text = readRegularFile(file, "evaluation report", MAX_REPORT_BYTES);
  if (typeof text === "string" && text !== "") return `${text}: ${evalCommand(request)} writes it`;
  const report = typeof text === "string" ? undefined : parseEvalReport(text.toString("utf8"));
  if (typeof report === "string") return `the evaluation report ${displayText(file, 160)} ${report}: run ${evalCommand(request)}`;
  const verdict = evaluateEvidence(report, { ...request, goldenSha256: createHash("sha256").update(goldenBytes).digest("hex"), now: s.now, maxAgeDays: s.maxAgeDays });
  return verdict.valid ? undefined : `${verdict.reason} (looked for ${displayText(file, 160)}; --reports-dir)`;
}

/** The evidence --canary and --promote need, for the model they put into the route; undefined for other changes or when it is there. */
export function upgradeEvidence(plan: BaselinePlan, region: string, change: ToggleChange, result: ToggleResult, s: EvidenceSettings): string | undefined {
  if (change.kind !== "canary" && change.kind !== "promote") return undefined;
  const entering = enteringModel(change, result)!;
  return missingEvidence(plan.config.name, region, entering.task, entering.modelId, s);
}

/**
 * A note when a canary is not watched by the refusal and quality alarms (they exist for the canaries the environment
 * file declares: the stack's alarms are synthesized, a toggle cannot add one).
 */
export function unwatchedCanaryNote(plan: BaselinePlan, change: ToggleChange, result: ToggleResult): string | undefined {
  if (change.kind !== "canary") return undefined;
  const declared = Object.hasOwn(plan.config.routes, change.task) ? plan.config.routes[change.task].canary?.model : undefined;
  if (declared === result.modelId) return undefined;
  return `note: ${displayText(result.modelId, 120)} is not the canary config/${plan.config.name}.json declares for ${displayText(change.task, 80)}, so no refusal-rate rollback or canary-quality alarm watches it (only throttles and server errors do): declare it as routes.${displayText(change.task, 80)}.canary and deploy for the full watch`;
}

/** The default directory the toggle reads reports from (where npm run eval writes them). */
export const DEFAULT_REPORTS_DIR = DEFAULT_REPORT_DIR;
