import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

// Reading the repository's Markdown the way GitHub renders it, for the documentation guards: headings and their
// anchors, links, inline code, and which lines are inside fenced code blocks.

export const ROOT = join(__dirname, "..", "..");

/**
 * Tracked (and new, not ignored) files of the checkout matching the git pathspecs. config/ is left out: the
 * environments there are the adopting team's, checked by `npm run check:environments`, never read by the tests
 * (__tests__/guards/no-config-reads.test.ts).
 */
export function repositoryFiles(...pathspecs: string[]): string[] {
  return execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "--", ...pathspecs], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter((f) => f && !f.startsWith("node_modules/") && !f.startsWith("config/"));
}

/** The documentation: the README, docs/ and every folder's README.md. */
export const documentationFiles = (): string[] => [...new Set(repositoryFiles("*.md"))].filter((f) => !f.startsWith("__tests__/")).sort();

export const read = (file: string): string => readFileSync(join(ROOT, file), "utf8");

/** The lines of a Markdown text with fenced code blocks blanked, so headings and links are read from prose only. */
export function proseLines(text: string): string[] {
  let fenced = false;
  return text.split("\n").map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return "";
    }
    return fenced ? "" : line;
  });
}

/** The lines inside fenced code blocks (commands, examples). */
export function codeBlockLines(text: string): string[] {
  let fenced = false;
  return text.split("\n").flatMap((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return [];
    }
    return fenced ? [line] : [];
  });
}

/** Heading text as rendered: Markdown escapes and code backticks removed. */
const rendered = (heading: string) => heading.trim().replace(/\\(.)/g, "$1").replace(/`/g, "");

/** Headings of a Markdown text, as rendered. */
export function headings(text: string): string[] {
  return proseLines(text).flatMap((l) => {
    const m = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(l);
    return m ? [rendered(m[1])] : [];
  });
}

/** GitHub's anchor for a heading: lowercase, punctuation but `-` and `_` dropped, spaces to dashes. */
export const slug = (heading: string): string => rendered(heading).toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");

/** Every anchor a Markdown text defines, with GitHub's `-1`, `-2` suffixes for repeated headings. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const h of headings(text)) {
    const base = slug(h);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Prose with inline code spans removed (links inside code are not links). */
const withoutCode = (line: string) => line.replace(/`[^`]*`/g, "");

/** Link targets of a Markdown text (`[text](target)`), outside code. */
export function links(text: string): string[] {
  return proseLines(text).flatMap((l) => [...withoutCode(l).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]));
}

/** Inline code spans of a Markdown text, outside code blocks. */
export function inlineCode(text: string): string[] {
  return proseLines(text).flatMap((l) => [...l.matchAll(/`([^`]+)`/g)].map((m) => m[1]));
}
