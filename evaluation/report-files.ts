import * as fs from "node:fs";
import * as path from "node:path";
import { checkOutputDirectory } from "../cli/output-directory";
import { displayText } from "../core/problems";
import { usageError } from "./options";

/** The three reports of a run: the JSON (evidence), the Markdown summary and JUnit. */
export const REPORT_EXTENSIONS = ["json", "md", "xml"] as const;
export type ReportExtension = (typeof REPORT_EXTENSIONS)[number];

/** Paths of a run's reports in `dir`. */
export function reportPaths(dir: string, baseName: string): Record<ReportExtension, string> {
  return Object.fromEntries(REPORT_EXTENSIONS.map((ext) => [ext, path.join(dir, `${baseName}.${ext}`)])) as Record<ReportExtension, string>;
}

/**
 * Before any call: the report directory can be written (or created), and no report path is taken by something that is
 * not a regular file (a directory, FIFO or device). Throws CliError (exit 2).
 */
export function checkReportTargets(dir: string, baseName: string): void {
  checkOutputDirectory(dir, "--report-dir");
  for (const file of Object.values(reportPaths(dir, baseName))) {
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") throw usageError(`report ${displayText(file, 160)} cannot be checked (${code})`);
    }
    if (st && !st.isFile()) throw usageError(`report ${displayText(file, 160)} exists and is not a regular file: move it away or pass another --report-dir`);
  }
}

/**
 * Writes the reports all or nothing: each to a new temporary file beside its target (created exclusively, so nothing
 * else is opened or followed), then renamed over the targets once all are written. On any failure the temporary
 * files are removed and the previous reports stay as they were.
 */
export function writeReports(dir: string, baseName: string, contents: Record<ReportExtension, string>): Record<ReportExtension, string> {
  const targets = reportPaths(dir, baseName);
  fs.mkdirSync(dir, { recursive: true });
  const temps: string[] = [];
  try {
    for (const ext of REPORT_EXTENSIONS) {
      const temp = `${targets[ext]}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
      temps.push(temp);
      fs.writeFileSync(temp, contents[ext], { encoding: "utf8", flag: "wx", mode: 0o644 });
    }
    REPORT_EXTENSIONS.forEach((ext, i) => fs.renameSync(temps[i], targets[ext]));
    return targets;
  } catch (e) {
    for (const t of temps) fs.rmSync(t, { force: true });
    throw usageError(`the reports cannot be written to ${displayText(dir, 160)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
