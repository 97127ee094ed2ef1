import * as fs from "node:fs";
import * as path from "node:path";
import { displayText } from "../core/problems";
import { type Deadline, DeadlineExceeded } from "../cli/deadline";
import { usageError } from "./options";

/**
 * The `--json` / `--junit` report files: checked before any work (a path smoke could not write must not cost a run's
 * tokens first) and written within the run deadline, never blocking: a report is a regular file on a real filesystem,
 * opened non-blocking, so a FIFO without a reader, a device or a kernel pseudo-file cannot hang the command.
 */

/** statfs magic numbers of kernel pseudo-filesystems, where "files" are kernel interfaces (linux/magic.h). */
const PSEUDO_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, "proc"],
  [0x62656572, "sysfs"],
  [0x64626720, "debugfs"],
  [0x74726163, "tracefs"],
  [0x73636673, "securityfs"],
  [0x27e0eb, "cgroup"],
  [0x63677270, "cgroup2"],
  [0x1cd1, "devpts"],
  [0xcafe4a11, "bpf"],
  [0x62656570, "configfs"],
  [0x6165676c, "pstore"],
  [0xde5e81e4, "efivarfs"],
  [0x65735543, "fusectl"],
]);

function code(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

/**
 * Throws a usage error (exit 2) unless `file` can be written as a report: an existing regular file or a new name in a
 * writable directory (created if missing) that is not on a kernel pseudo-filesystem.
 */
export function checkReportPath(file: string, flag: string): void {
  const shown = displayText(file, 160);
  const fail = (why: string): never => {
    throw usageError(`${flag} ${shown}: ${why}`);
  };
  const abs = path.resolve(file);
  let existing: fs.Stats | undefined;
  try {
    existing = fs.statSync(abs);
  } catch (e) {
    if (code(e) === "ENOTDIR") fail("part of its path is a file, not a directory");
    if (code(e) !== "ENOENT") fail(`cannot be checked (${code(e)})`);
  }
  if (existing?.isDirectory()) fail("is a directory; name a file inside it, e.g. reports/smoke.json");
  if (existing && !existing.isFile()) fail("is not a regular file (a device, FIFO or socket); name a file");
  const dir = path.dirname(abs);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    fail(`its directory cannot be created (${code(e)})`);
  }
  let kind: string | undefined;
  try {
    kind = PSEUDO_FILESYSTEMS.get(Number(fs.statfsSync(dir).type));
  } catch (e) {
    fail(`its directory cannot be checked (${code(e)})`);
  }
  if (kind) fail(`is on the kernel's ${kind} filesystem, which holds no report files; name a file on a disk`);
  try {
    fs.accessSync(existing ? abs : dir, fs.constants.W_OK);
  } catch (e) {
    fail(`is not writable (${code(e)})`);
  }
}

/**
 * Writes `content` to `file` within the run deadline: opened with O_NONBLOCK (a FIFO without a reader fails at once
 * instead of blocking a thread), refused unless it is a regular file, written, closed. Throws a usage error naming
 * the file when that fails, DeadlineExceeded when the deadline passes first.
 */
export async function writeReport(file: string, content: string, flag: string, deadline: Deadline): Promise<void> {
  const shown = displayText(file, 160);
  deadline.throwIfExpired();
  const write = (async () => {
    const handle = await fs.promises.open(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_NONBLOCK, 0o644);
    try {
      if (!(await handle.stat()).isFile()) throw Object.assign(new Error("not a regular file"), { code: "ENOTREG" });
      await handle.truncate(0);
      await handle.writeFile(content, "utf8");
    } finally {
      await handle.close();
    }
  })();
  write.catch(() => undefined);
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new DeadlineExceeded(`the run deadline (${deadline.ms} ms) passed while writing ${flag} ${shown}`));
    deadline.signal.addEventListener("abort", onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    await Promise.race([write, aborted]);
  } catch (e) {
    if (e instanceof DeadlineExceeded) throw e;
    throw usageError(`${flag} ${shown}: cannot be written (${code(e)})`);
  } finally {
    deadline.signal.removeEventListener("abort", onAbort);
  }
}
