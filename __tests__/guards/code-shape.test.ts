import { readFileSync } from "node:fs";
import { join } from "node:path";
import { allImportGraph, functionsOf, importCycles, lineCount, productSources, runtimeImportGraph, wingOf, wingViolations } from "./code-shape";

// Keeps the shape the code was given: files and functions small enough to read, no import cycles, and core's wings
// importing only downward. scripts/code-shape.ts prints the figures behind it.

const root = join(__dirname, "..", "..");
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;

/**
 * The order of core's wings: a wing imports only wings of lower rank (never a peer, never one above). `evaluation` is
 * the golden-set wing being added beside environment (it reads problems, runtime and catalog).
 */
const WING_RANKS: Readonly<Record<string, number>> = {
  problems: 0,
  runtime: 1,
  aws: 2,
  catalog: 3,
  environment: 4,
  evaluation: 4,
  iam: 5,
  observability: 5,
  routing: 5,
  baseline: 6,
  validation: 7,
};

const files = productSources(root);
const texts = new Map(files.map((f) => [f, readFileSync(join(root, f), "utf8")]));

/** What a file breaks: its length, and each function over the limit. */
function offences(file: string): string[] {
  const text = texts.get(file)!;
  const lines = lineCount(text);
  return [
    ...(lines > MAX_FILE_LINES ? [`${file}: ${lines} lines (at most ${MAX_FILE_LINES})`] : []),
    ...functionsOf(file, text)
      .filter((fn) => fn.lines > MAX_FUNCTION_LINES)
      .map((fn) => `${file}:${fn.line} ${fn.name}: ${fn.lines} lines (at most ${MAX_FUNCTION_LINES})`),
  ];
}

describe("code shape", () => {
  it("the measurements see files, functions, cycles and wings", () => {
    const sample = "export function a() {\n  return 1;\n}\nclass B {\n  m() {\n    const f = () => 2;\n    return f;\n  }\n}\n";
    expect(functionsOf("x.ts", sample).map((f) => [f.name, f.lines])).toEqual([["a", 3], ["B.m", 4], ["f", 1]]);
    expect(lineCount("a\nb\n")).toBe(2);
    expect(importCycles(new Map([["a", ["b"]], ["b", ["a"]], ["c", ["a"]]]))).toEqual([["a", "b"]]);
    expect(wingOf("core/iam/x.ts")).toBe("iam");
    expect(wingOf("modules/x.ts")).toBeUndefined();
  });

  it.each(files)(`%s: at most ${MAX_FILE_LINES} lines, functions at most ${MAX_FUNCTION_LINES}`, (f) => {
    expect(offences(f)).toEqual([]);
  });

  it("no run-time import cycles", () => {
    expect(importCycles(runtimeImportGraph(root, files))).toEqual([]);
  });

  it("core's wings import only wings below them", () => {
    // The check itself: a peer or upward import is reported, a downward one is not.
    const sample = new Map([["core/iam/a.ts", ["core/environment/index.ts", "core/routing/index.ts"]], ["core/environment/b.ts", ["core/validation/index.ts"]]]);
    expect(wingViolations(sample, WING_RANKS)).toEqual([expect.stringMatching(/^core\/iam\/a\.ts imports core\/routing/), expect.stringMatching(/^core\/environment\/b\.ts imports core\/validation/)]);
    expect(wingViolations(allImportGraph(root, files.filter((f) => f.startsWith("core/"))), WING_RANKS)).toEqual([]);
  });

  it("the client package's code imports only client/ and core's runtime and problems wings", () => {
    const shipped = files.filter((f) => f.startsWith("client/"));
    const graph = runtimeImportGraph(root, files);
    const outside = shipped.flatMap((f) => (graph.get(f) ?? []).filter((to) => !to.startsWith("client/") && !/^core\/(runtime|problems)\//.test(to)).map((to) => `${f} -> ${to}`));
    expect(outside).toEqual([]);
  });
});
