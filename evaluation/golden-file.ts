import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { displayNameOf } from "../cli/environment-files";
import { type GoldenSet, parseGoldenSet } from "../core/evaluation";
import { invalidUtf8Offset, lineColumnAt, UserInputError } from "../core/problems";
import { usageError } from "./options";

/** Largest golden-set file read, bytes. */
export const MAX_GOLDEN_BYTES = 20 * 1024 * 1024;

/** A golden set as read from its file. */
export interface GoldenFile {
  /** How reports and messages name it: relative to the working directory when inside it. */
  readonly displayName: string;
  /** SHA-256 of the file's bytes, hex: what evidence compares. */
  readonly sha256: string;
  readonly set: GoldenSet;
}

/** SHA-256 (hex) of a file's bytes, the golden-set hash reports carry and evidence compares. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The default golden set of a task. */
export function defaultGoldenPath(task: string): string {
  return path.join("evals", `${task}.jsonl`);
}

/**
 * Reads and parses a golden set. A missing file, a directory, a FIFO or device, or a file too large is one usage line
 * (exit 2); problems in the file are every problem at once, each naming its line and field (UserInputError).
 */
export function readGoldenFile(file: string, cwd = process.cwd()): GoldenFile {
  const abs = path.resolve(cwd, file);
  const displayName = displayNameOf(abs, cwd);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw usageError(`golden set ${displayName} ${code === "ENOENT" ? "does not exist" : `cannot be read (${code})`}: write one (docs/evaluation.md, "Golden sets") or pass --golden <file>`);
  }
  // Only regular files: a FIFO or device would block the read or never end.
  if (!st.isFile()) throw usageError(`golden set ${displayName} is not a regular file: pass --golden <file.jsonl>`);
  if (st.size > MAX_GOLDEN_BYTES) throw usageError(`golden set ${displayName} is ${st.size} bytes; at most ${MAX_GOLDEN_BYTES}: keep the cases that decide an upgrade`);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(abs);
  } catch (e) {
    throw usageError(`golden set ${displayName} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const text = decode(bytes, displayName);
  const parsed = parseGoldenSet(text);
  if ("problems" in parsed) throw new UserInputError(displayName, parsed.problems);
  return { displayName, sha256: sha256Hex(bytes), set: parsed.set };
}

/** UTF-8 text of the file; a BOM or invalid bytes are a problem naming the line. */
function decode(bytes: Buffer, displayName: string): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) throw new UserInputError(displayName, [{ path: "line 1", message: "starts with a byte-order mark (BOM)", fix: "save the file as UTF-8 without BOM" }]);
  const bad = invalidUtf8Offset(bytes);
  if (bad !== undefined) {
    const before = bytes.subarray(0, bad).toString("utf8");
    throw new UserInputError(displayName, [{ path: `line ${lineColumnAt(before, before.length).line}`, message: "is not valid UTF-8", fix: "save the file as UTF-8" }]);
  }
  return bytes.toString("utf8");
}
