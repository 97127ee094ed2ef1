/**
 * Post-apply smoke test: `npm run smoke -- --env <env> [options]` (see --help).
 * Exit 0 when every check passes (warnings allowed), 1 when any check fails, 2 on usage or configuration errors.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describeUserError, runCli } from "../cli/user-error";
import { sortResults, summarize } from "./check-result";
import { headerLine, rowLine, summaryLines } from "./console-report";
import { jsonReport } from "./json-report";
import { junitXml } from "./junit-report";
import { loadManifests } from "./manifest-files";
import { parseOptions, USAGE, usageError } from "./options";
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

/** The whole command; returns the exit code. User mistakes print one line each and return 2, never a stack trace. */
export async function main(argv: readonly string[], io: SmokeIo = processIo): Promise<number> {
  try {
    const options = parseOptions(argv);
    if (options === "help") {
      io.stdout(USAGE);
      return 0;
    }
    const manifests = loadManifests(options.manifestDir, options.env, options.regions);
    // Fail on an unwritable report path before spending a single token.
    for (const file of [options.junitFile, options.jsonFile]) if (file) ensureWritableDir(file);

    io.stdout(`smoke ${options.env}: ${(options.regions.length ? options.regions : manifests.map((m) => m.region)).join(", ")} against ${options.endpointUrl ?? "AWS"}${options.roleArn ? ` as ${options.roleArn}` : ""}`);
    io.stdout(headerLine());
    const run = await runSmoke(options, manifests, (r) => io.stdout(rowLine(r)));
    const results = sortResults(run.results, run.regions);
    for (const line of summaryLines(summarize(results), run.wallMs)) io.stdout(line);

    if (options.junitFile) {
      fs.writeFileSync(options.junitFile, junitXml(options.env, run.regions, results, run.wallMs));
      io.stdout(`JUnit report: ${options.junitFile}`);
    }
    if (options.jsonFile) {
      fs.writeFileSync(options.jsonFile, JSON.stringify(jsonReport({ options, ...run }), null, 2) + "\n");
      io.stdout(`JSON report: ${options.jsonFile}`);
    }
    io.stdout(run.exitCode === 0 ? "smoke: PASS" : "smoke: FAIL");
    return run.exitCode;
  } catch (err) {
    const user = describeUserError(err);
    if (!user) throw err;
    for (const line of user.lines) io.stderr(line);
    // 1 means "a check failed"; every mistake in the command or its inputs is 2.
    return 2;
  }
}

function ensureWritableDir(file: string): void {
  const dir = path.dirname(path.resolve(file));
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    throw usageError(`cannot write a report to ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

if (require.main === module) void runCli(() => main(process.argv.slice(2)));
