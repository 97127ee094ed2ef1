import * as fs from "node:fs";

/*
 * Every file a command reads (environment and catalog files, --snapshot, --scenario, manifests, the seed) is read
 * through here. A FIFO named like a JSON file blocks a synchronous read forever, a directory gives EISDIR with a stack
 * trace, /dev/zero never ends: only regular files are read, checked on the opened descriptor (no window between a
 * check and the open), and the open itself cannot block (O_NONBLOCK: opening a FIFO without a writer would).
 */

/** Largest file read; the catalog snapshot of every region is well under 1 MiB. Default for `readRegularFile`. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** Why a file was not read, worded for "<file>: <reason>". */
export class UnreadableFile extends Error {
  constructor(
    readonly file: string,
    /** `is a directory`, `is a FIFO (named pipe)`, `does not exist`, ... */
    readonly reason: string,
    /** The errno code when the system refused (ENOENT, EACCES, ELOOP); undefined for kinds of file refused here. */
    readonly code?: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = "UnreadableFile";
  }
}

/** What a stat says a non-regular file is. */
export function fileKind(st: fs.Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isSymbolicLink()) return "a symbolic link";
  return st.isFile() ? "a regular file" : "not a regular file";
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "does not exist",
  ENOTDIR: "does not exist (a part of its path is a file, not a directory)",
  EACCES: "cannot be read (permission denied)",
  EPERM: "cannot be read (operation not permitted)",
  ELOOP: "is a symbolic link loop",
  ENAMETOOLONG: "has a name too long for the system",
  EISDIR: "is a directory",
};

/** The reason an fs call failed, in words (`does not exist`, `is a symbolic link loop`); the code otherwise. */
export function errnoReason(err: unknown): { reason: string; code?: string } {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code && Object.hasOwn(REASONS, code)) return { reason: REASONS[code], code };
  return { reason: `cannot be read (${code ?? (err as Error)?.message ?? String(err)})`, ...(code ? { code } : {}) };
}

/**
 * The bytes of `file` when it is a regular file (symbolic links followed) of at most `maxBytes`; throws
 * UnreadableFile naming why not otherwise. Never blocks on a FIFO or device.
 */
export function readRegularFile(file: string, maxBytes = MAX_INPUT_BYTES): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    const { reason, code } = errnoReason(err);
    throw new UnreadableFile(file, reason, code);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new UnreadableFile(file, `is ${fileKind(st)}, not a regular file`);
    if (st.size > maxBytes) throw new UnreadableFile(file, `is ${st.size.toLocaleString("en-US")} bytes; at most ${maxBytes.toLocaleString("en-US")} are read`);
    return fs.readFileSync(fd);
  } catch (err) {
    if (err instanceof UnreadableFile) throw err;
    const { reason, code } = errnoReason(err);
    throw new UnreadableFile(file, reason, code);
  } finally {
    fs.closeSync(fd);
  }
}

/** Like `readRegularFile`, or undefined when the file does not exist (a first run); other problems still throw. */
export function readRegularFileIfExists(file: string, maxBytes = MAX_INPUT_BYTES): Buffer | undefined {
  try {
    return readRegularFile(file, maxBytes);
  } catch (err) {
    if (err instanceof UnreadableFile && err.code === "ENOENT") return undefined;
    throw err;
  }
}
