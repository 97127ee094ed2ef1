import { basename } from "node:path";
import { read, repositoryFiles } from "./markdown";

// The repository stands alone: comments, docs and data cite public sources (URLs) or files in the repository, never
// notes that live elsewhere (a `bedrock.md §6` nobody who clones the repository can open) or issue numbers of a
// tracker the reader may not see. Anything cited must be something the reader can follow.

const SCANNED = repositoryFiles("*.ts", "*.md", "*.json", "*.js", "*.mjs", "*.mts", ".ci/*").filter(
  (f) => f !== "package-lock.json" && f !== "__tests__/guards/self-contained.test.ts",
);
const MARKDOWN_FILES = new Set(repositoryFiles("*.md").map((f) => basename(f)));

/** URLs on a line, removed before looking for citations (a URL is a public source, whatever its path holds). */
const withoutUrls = (line: string) => line.replace(/\bhttps?:\/\/\S+/g, "");

/** Why a line cites something outside the repository, or undefined. */
export function outsideCitation(line: string, markdownFiles: ReadonlySet<string> = MARKDOWN_FILES): string | undefined {
  const text = withoutUrls(line);
  if (/(^|[^\w.])\.\.\/shared\b|\bshared\/reference\b/.test(text)) return "cites the shared notes folder";
  // A note's name has no dot before .md; generated names (`env.region.task.md`) are not citations.
  for (const m of text.matchAll(/(?<![\w/.-])((?:[\w-]+\/)*([\w-]+\.md))\b/g)) if (!markdownFiles.has(m[2])) return `cites ${m[1]}, which is not in the repository`;
  if (/§/.test(text) && !/\bRFC\s*\d+/.test(text)) return "cites a section (§) of a document it does not name by URL";
  if (/\bissues?\s*#?\d+/i.test(text)) return "cites an issue number";
  // A tracker reference written without its repository: "(#123)", "see #123", "PR #123" (a deployment "#3" in shown
  // output is not one).
  if (/\(#\d+\)|\b(see|cf\.?|PR|pull|fix(es|ed)?|closes|resolves)\s+#\d+/i.test(text)) return "cites a bare #number";
  return undefined;
}

describe("the repository stands alone", () => {
  it("scans the sources, docs and data", () => {
    expect(SCANNED).toEqual(expect.arrayContaining(["README.md", "main.ts", "catalog/overlay.json", "docs/architecture.md"]));
  });

  it("recognises citations of outside notes and issue numbers, and lets URLs and repository files through", () => {
    const notes = ["bedrock", "lessons", "toolchain", "design"].map((n) => `${n}.md`);
    for (const n of notes) expect(outsideCitation(`// see ${n} for the rule`)).toMatch(/not in the repository/);
    expect(outsideCitation("// quota math (see the notes, §6)")).toMatch(/section/);
    expect(outsideCitation(`// ${["..", "shared", "reference", "x"].join("/")}`)).toMatch(/shared/);
    expect(outsideCitation(`// a route's canary (${"issue"} 11)`)).toMatch(/issue/);
    expect(outsideCitation(`// fixed in a later release (${"#"}123)`)).toMatch(/#number/);
    expect(outsideCitation(`// see ${"#"}123 for the rule`)).toMatch(/#number/);
    expect(outsideCitation("deployment #3: COMPLETE 100%")).toBeUndefined();
    expect(outsideCitation("// https://github.com/hashicorp/terraform-provider-aws/issues/20273 and docs/operations.md")).toBeUndefined();
    expect(outsideCitation("// client/README.md lists the defaults; hashicorp/terraform-provider-aws#20273")).toBeUndefined();
    expect(outsideCitation("// RFC 7230 §3.2: header fields")).toBeUndefined();
  });

  it("no source, doc or data file cites notes outside the repository or issue numbers", () => {
    const found = SCANNED.flatMap((file) =>
      read(file)
        .split("\n")
        .flatMap((line, i) => {
          const why = outsideCitation(line);
          return why ? [`${file}:${i + 1}: ${why}: ${line.trim().slice(0, 120)}`] : [];
        }),
    );
    expect(found).toEqual([]);
  });
});
