import { type Problem, plural, readJsonText } from "../problems";
import { caseFromJson } from "./golden-case";
import { type GoldenCase, type GoldenSet, linePath, MAX_GOLDEN_CASES, MAX_GOLDEN_LINE_CHARS, MAX_GOLDEN_PROBLEMS } from "./golden-set";

/** A golden set, or every problem of the text (never both). Blank lines are skipped. */
export function parseGoldenSet(text: string): { readonly set: GoldenSet } | { readonly problems: readonly Problem[] } {
  const problems: Problem[] = [];
  const cases: GoldenCase[] = [];
  const firstLine = new Map<string, number>();
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const line = i + 1;
    const content = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (content.trim() === "") return;
    if (content.length > MAX_GOLDEN_LINE_CHARS) {
      problems.push({ path: linePath(line), message: `is ${content.length} characters; at most ${MAX_GOLDEN_LINE_CHARS}`, fix: "shorten the case (golden prompts are requests, not corpora)" });
      return;
    }
    const json = readJsonText(content);
    if ("error" in json) {
      problems.push({ path: linePath(line), message: `is not JSON (column ${json.error.column}: ${json.error.message})`, fix: `write one JSON object per line; ${json.error.fix}` });
      return;
    }
    for (const d of json.duplicateKeys) problems.push({ path: linePath(line, d.path.join(".")), message: "appears twice in one object; JSON keeps only the last", fix: "keep one of them" });
    const parsed = caseFromJson(json.value, line);
    problems.push(...parsed.problems);
    // Repeated ids are found even on lines with other problems, so one run lists them all.
    const id = typeof json.value === "object" && json.value !== null ? (json.value as { id?: unknown }).id : undefined;
    const seen = typeof id === "string" ? firstLine.get(id) : undefined;
    if (seen !== undefined) problems.push({ path: linePath(line, "id"), message: `repeats the id of line ${seen}`, fix: "give every case its own id" });
    else if (typeof id === "string") firstLine.set(id, line);
    if (parsed.case) cases.push(parsed.case);
  });
  if (cases.length === 0 && problems.length === 0) problems.push({ path: "", message: "has no cases", fix: 'add one JSON object per line, e.g. {"id": "greeting", "prompt": "Say hello", "checks": [{"type": "contains", "value": "hello", "ignoreCase": true}]}' });
  if (cases.length > MAX_GOLDEN_CASES) problems.push({ path: "", message: `has ${cases.length} cases; at most ${MAX_GOLDEN_CASES}`, fix: "split it, or keep the cases that decide an upgrade" });
  if (problems.length > MAX_GOLDEN_PROBLEMS) {
    const rest = problems.length - MAX_GOLDEN_PROBLEMS;
    return { problems: [...problems.slice(0, MAX_GOLDEN_PROBLEMS), { path: "", message: `and ${plural(rest, "more problem")} not listed`, fix: "fix the ones above and run again" }] };
  }
  return problems.length ? { problems } : { set: { cases } };
}
