import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { anchors, codeBlockLines, documentationFiles, headings, inlineCode, links, read, repositoryFiles, ROOT } from "./markdown";

// Messages and docs that send a reader somewhere must name a place that exists: a fix pointing nowhere was a defect (a
// message cited an "Environment file" section the README never had), and so is a doc that links to a moved section,
// names a file that was renamed, or shows a command or flag that no longer exists (the README showed `npm run diff --
// 'bedrock-prod-*'`, which cdktf diff refuses).

const DOCS = documentationFiles();
const docText = new Map(DOCS.map((f) => [f, read(f)]));
const exists = (file: string) => existsSync(join(ROOT, file));
const anchorsOf = (file: string) => anchors(docText.get(file) ?? read(file));

/** Files whose text may cite documentation sections: sources and data outside the tests. */
const citing = repositoryFiles("*.ts", "*.json", "*.js", "*.mjs").filter((f) => !f.startsWith("__tests__/") && f !== "package-lock.json");

/** A quoted section title: "…" (its quotes escaped in JSON), '…' or “…”; apostrophes inside double quotes are text. */
const QUOTED = `(?:\\\\?"([^"\\\\]+)\\\\?"|'([^']+)'|“([^”]+)”)`;

/** [citing file, cited document, section title or #anchor] for every citation in a source or data file. */
function citations(): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  for (const file of citing) {
    const text = readFileSync(join(ROOT, file), "utf8");
    for (const m of text.matchAll(/docRef\(\s*"([^"]+)",\s*"([^"]+)"\s*\)/g)) out.push([file, m[1], m[2]]);
    // Written out in a message or a JSON comment: docs/operations.md, "Section" (quotes may be escaped in JSON).
    for (const m of text.matchAll(new RegExp(`((?:docs/[\\w/.-]+|[\\w/-]*README)\\.md),? ${QUOTED}`, "g"))) out.push([file, m[1], m[2] ?? m[3] ?? m[4]]);
    for (const m of text.matchAll(new RegExp(`README,? ${QUOTED}`, "g"))) out.push([file, "README.md", m[1] ?? m[2] ?? m[3]]);
    for (const m of text.matchAll(/((?:docs\/[\w/.-]+|[\w/-]*README)\.md)#([\w-]+)/g)) out.push([file, m[1], `#${m[2]}`]);
  }
  return out;
}

/** The script a `npm run <name>` line names, and the flags it passes after `--`. */
function npmRuns(line: string): Array<{ script: string; workspace: boolean; flags: string[] }> {
  return [...line.matchAll(/npm run ([\w:.-]+)((?:\s+-w\s+\S+)?)((?:\s+--(?:\s|$)[^`#|;&]*)?)/g)].map((m) => ({
    script: m[1],
    workspace: m[2].trim() !== "",
    flags: [...(m[3] ?? "").matchAll(/(?:^|\s)--([a-z][\w-]*)/g)].map((f) => f[1]),
  }));
}

// A flag is known when some command source declares or prints it (parseArgs keys, usage texts); a renamed one is not.
const commandSources = repositoryFiles("*.ts").filter((f) => !f.startsWith("__tests__/")).map(read).join("\n");
const knownFlag = (flag: string) => commandSources.includes(`--${flag}`) || new RegExp(`["']${flag}["']\\s*:|\\b${flag}\\s*:`).test(commandSources);

/** Lines of the docs that show commands: code blocks and inline code. */
const commandLines = (text: string) => [...codeBlockLines(text), ...inlineCode(text)];

/** Placeholders in a named path (`config/<env>.json`, `config/NAME.json`): a pattern, not a file. */
const PLACEHOLDER = /[<*…]|\b(NAME|FILE|DIR)\b/;

/** Top-level folders and files of the repository a doc may name as a path. */
const REPOSITORY_PATH = /^(\.ci|__tests__|catalog|cli|client|config|core|docs|local|modules|scripts|smoke|toggle)\/[\w./-]*$|^(main\.ts|package\.json|package-lock\.json|cdktf\.json|tsconfig\.json|jest\.config\.js)$/;

describe("documentation references", () => {
  it("finds the documentation and the citations it checks", () => {
    expect(DOCS).toEqual(expect.arrayContaining(["README.md", "docs/architecture.md", "docs/configuration.md", "docs/operations.md", "client/README.md"]));
    expect(citations()).toEqual(
      expect.arrayContaining([
        ["main.ts", "docs/architecture.md", "Bearer-token API keys and the Mantle endpoint"],
        ["catalog/overlay.json", "docs/configuration.md", "The model catalog"],
        ["client/canary-split.ts", "docs/operations.md", "Upgrading a route's model"],
      ]),
    );
  });

  it("every documentation section a source or data file cites exists", () => {
    const missing = citations().filter(([, doc, section]) => {
      if (section.includes("${") || !exists(doc)) return !section.includes("${");
      return section.startsWith("#") ? !anchorsOf(doc).has(section.slice(1)) : !headings(docText.get(doc) ?? read(doc)).includes(section);
    });
    expect(missing).toEqual([]);
  });

  it("every link in the documentation resolves: the file exists and so does the anchor", () => {
    const broken: string[] = [];
    for (const [doc, text] of docText) {
      for (const target of links(text)) {
        if (/^[a-z][\w+.-]*:/i.test(target)) continue; // https:, mailto:
        const [path, anchor] = target.split("#", 2);
        const file = path ? normalize(join(dirname(doc), decodeURIComponent(path))) : doc;
        if (!exists(file)) broken.push(`${doc}: ${target} (no ${file})`);
        else if (anchor !== undefined && file.endsWith(".md") && !anchorsOf(file).has(anchor)) broken.push(`${doc}: ${target} (no heading #${anchor} in ${file})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("every repository file or folder the documentation names exists", () => {
    const missing = [...docText].flatMap(([doc, text]) =>
      inlineCode(text)
        .filter((span) => REPOSITORY_PATH.test(span) && !PLACEHOLDER.test(span) && !span.startsWith("client/dist"))
        .filter((span) => !exists(span))
        .map((span) => `${doc}: ${span}`),
    );
    expect(missing).toEqual([]);
  });

  it("every npm script the documentation runs exists, with the flags it shows", () => {
    const rootScripts = JSON.parse(read("package.json")).scripts as Record<string, string>;
    const clientScripts = JSON.parse(read("client/package.json")).scripts as Record<string, string>;
    const problems: string[] = [];
    for (const [doc, text] of docText)
      for (const line of commandLines(text))
        for (const run of npmRuns(line)) {
          const scripts = run.workspace ? clientScripts : rootScripts;
          if (!Object.hasOwn(scripts, run.script)) problems.push(`${doc}: npm run ${run.script} (no such script)`);
          for (const flag of run.flags.filter((f) => !knownFlag(f))) problems.push(`${doc}: npm run ${run.script} -- --${flag} (no such flag)`);
        }
    expect(problems).toEqual([]);
  });

  it("the flag and script check fails on a script or flag that does not exist", () => {
    expect(npmRuns("npm run diff -- 'bedrock-prod-*'")).toEqual([{ script: "diff", workspace: false, flags: [] }]);
    expect(npmRuns("npm run smoke -- --env prod --junit reports/smoke.xml # comment --not-a-flag")).toEqual([{ script: "smoke", workspace: false, flags: ["env", "junit"] }]);
    expect(npmRuns("npm run build -w client")).toEqual([{ script: "build", workspace: true, flags: [] }]);
    expect(["env", "endpoint-url", "canary", "regions"].filter((f) => !knownFlag(f))).toEqual([]);
    expect(knownFlag("canary-share-percent")).toBe(false);
  });

  it("the README stays a front page (under 250 lines) that links into docs/", () => {
    const readme = docText.get("README.md")!;
    expect(readme.split("\n").length).toBeLessThan(250);
    for (const doc of ["docs/architecture.md", "docs/configuration.md", "docs/operations.md"]) expect(links(readme)).toContain(doc);
  });
});
