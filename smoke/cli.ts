/**
 * Post-apply smoke test: `npm run smoke -- --env <env> [options]` (see --help).
 * Exit 0 when every check passes (warnings allowed), 1 when any check fails, 2 on usage or configuration errors.
 */
import { describeEndpoints } from "../cli/aws-endpoints";
import { noteNodeSupport } from "../cli/node-support";
import { describeUserError, runCli } from "../cli/user-error";
import { displayText } from "../core/problems";
import { postureItems } from "../core/environment";
import { sortResults, summarize } from "./check-result";
import { progressLine, summaryLines, tableLines } from "./console-report";
import { Deadline, DeadlineExceeded } from "../cli/deadline";
import { jsonReport } from "./json-report";
import { junitXml } from "./junit-report";
import { loadManifests } from "./manifest-files";
import { parseOptions, USAGE } from "./options";
import { preflight } from "./aws-session";
import { checkReportPath, writeReport } from "./report-files";
import { runSmoke } from "./smoke-run";

/** Where the command writes; tests pass their own. */
export interface SmokeIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

const processIo: SmokeIo = {
  stdout: (line) => process.stdout.write(line + "\n"),
  stderr: (line) => process.stderr.write(line + "\n"),
};

/**
 * Share of --deadline-ms kept for writing the reports after the checks stop: a quarter, at least 1 s (but never more
 * than half), at most 5 s. Generous on purpose: a loaded machine can stall the event loop for hundreds of ms.
 */
export function reportReserveMs(deadlineMs: number): number {
  return Math.min(5_000, Math.max(Math.floor(deadlineMs / 4), Math.min(1_000, Math.floor(deadlineMs / 2))));
}

/**
 * The whole command; returns the exit code. User mistakes print one line each and return 2, never a stack trace.
 * The run deadline (--deadline-ms) bounds everything after the options are read: credential resolution and the checks
 * end `reportReserveMs` before it, so that the reports (even of a run the deadline cut) are written by it.
 */
export async function main(argv: readonly string[], io: SmokeIo = processIo): Promise<number> {
  let deadline: Deadline | undefined;
  let checksDeadline: Deadline | undefined;
  try {
    const options = parseOptions(argv);
    if (options === "help") {
      io.stdout(USAGE);
      return 0;
    }
    noteNodeSupport(io.stderr);
    const manifests = loadManifests(options.manifestDir, options.env, options.regions);
    // Fail on a report path smoke cannot write before spending a single token.
    if (options.junitFile) checkReportPath(options.junitFile, "--junit");
    if (options.jsonFile) checkReportPath(options.jsonFile, "--json");
    deadline = new Deadline(options.deadlineMs);
    checksDeadline = new Deadline(options.deadlineMs - reportReserveMs(options.deadlineMs));
    const regions = options.regions.length ? options.regions : manifests.map((m) => m.region);

    // Where every call goes, and whether there are credentials at all: once, up front, not one FAIL per check.
    const endpoints = await preflight(regions[0], options, checksDeadline.signal);
    io.stdout(`smoke ${options.env}: ${regions.join(", ")} against ${describeEndpoints(endpoints)}${options.roleArn ? ` as ${displayText(options.roleArn, 120)}` : ""}`);
    // The configuration section: what synth provisioned of the security controls, per region (docs/security.md).
    const configurationLines = Object.fromEntries(manifests.filter((m) => regions.includes(m.region)).map((m) => [m.region, displayText(postureItems(m.security).join("; "), 600)]));
    for (const [region, line] of Object.entries(configurationLines)) io.stdout(`configuration ${region}: ${line}`);
    let done = 0;
    const run = await runSmoke(options, manifests, (r) => io.stdout(progressLine(r, ++done)), checksDeadline);
    const results = sortResults(run.results, run.regions);
    for (const line of tableLines(results)) io.stdout(line);
    for (const line of summaryLines(summarize(results), run.wallMs)) io.stdout(line);

    if (options.junitFile) {
      await writeReport(options.junitFile, junitXml(options.env, run.regions, results, run.wallMs, configurationLines), "--junit", deadline);
      io.stdout(`JUnit report: ${displayText(options.junitFile, 160)}`);
    }
    if (options.jsonFile) {
      const configuration = Object.fromEntries(manifests.filter((m) => run.regions.includes(m.region)).map((m) => [m.region, m.security]));
      await writeReport(options.jsonFile, JSON.stringify(jsonReport({ options, endpoints, configuration, ...run }), null, 2) + "\n", "--json", deadline);
      io.stdout(`JSON report: ${displayText(options.jsonFile, 160)}`);
    }
    io.stdout(run.exitCode === 0 ? "smoke: PASS" : "smoke: FAIL");
    return run.exitCode;
  } catch (err) {
    if (err instanceof DeadlineExceeded) {
      io.stderr(`smoke: ${err.message}`);
      io.stdout("smoke: FAIL");
      return 1;
    }
    const user = describeUserError(err);
    if (!user) throw err;
    for (const line of user.lines) io.stderr(line);
    // 1 means "a check failed"; every mistake in the command or its inputs is 2.
    return 2;
  } finally {
    deadline?.dispose();
    checksDeadline?.dispose();
  }
}

if (require.main === module) void runCli(() => main(process.argv.slice(2)));
