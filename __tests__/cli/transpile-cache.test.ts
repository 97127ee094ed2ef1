import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir, TS_HOOK } from "../fixtures";

// cli/transpile-cache.js is how every npm script and cdktf.json's app start TypeScript: node -r <hook> file.ts. These
// run it as those do, in child processes, on a program of two modules in a temp folder with a cache folder of its own.

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const CHILD_TIMEOUT_MS = 90_000; // a miss loads the TypeScript compiler: seconds on a busy 2-core machine

function run(entry: string, cache: string): Promise<Run> {
  return new Promise((resolve) =>
    execFile(process.execPath, ["-r", TS_HOOK, entry], { env: { ...process.env, BEDROCK_TRANSPILE_CACHE: cache }, timeout: CHILD_TIMEOUT_MS }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** A program whose entry imports a typed helper; `value` ends up in its output. */
function program(value: number): string {
  const dir = tempDir("transpile-cache-src");
  writeEntryFile(dir, value);
  writeFileSync(join(dir, "helper.ts"), `export interface Shown { readonly text: string }\nexport const show = (n: number): Shown => ({ text: \`value \${n}\` });\n`);
  return dir;
}
const writeEntryFile = (dir: string, value: number) =>
  writeFileSync(join(dir, "main.ts"), `import { show, type Shown } from "./helper";\nconst shown: Shown = show(${value} as number);\nconsole.log(shown.text);\n`);

/** The cache's entries (its JavaScript files; the V8 code cache lives in a subfolder on Node >= 22.1). */
const entries = (cache: string) => readdirSync(cache).filter((f) => f.endsWith(".js"));

describe("node -r cli/transpile-cache.js", () => {
  it("runs TypeScript, keeps one entry per file, reuses it while the source is unchanged and replaces it when it changes", async () => {
    const src = program(1);
    const cache = join(tempDir("transpile-cache"), "cache");

    const first = await run(join(src, "main.ts"), cache);
    expect(first).toMatchObject({ code: 0, stdout: "value 1\n" });
    expect(entries(cache)).toHaveLength(2);

    // An entry is reused as is: rewrite the helper's JavaScript below its stamp and the next run prints the rewrite.
    const helperEntry = entries(cache).find((f) => readFileSync(join(cache, f), "utf8").includes("value "))!;
    const [stamp] = readFileSync(join(cache, helperEntry), "utf8").split("\n", 1);
    writeFileSync(join(cache, helperEntry), `${stamp}\n"use strict";\nexports.show = () => ({ text: "from the cache" });\n`);
    expect((await run(join(src, "main.ts"), cache)).stdout).toBe("from the cache\n");

    // A changed source is transpiled again and replaces its entry: the cache does not grow with edits.
    writeEntryFile(src, 2);
    writeFileSync(join(src, "helper.ts"), readFileSync(join(src, "helper.ts"), "utf8") + "// edited\n");
    expect(await run(join(src, "main.ts"), cache)).toMatchObject({ code: 0, stdout: "value 2\n" });
    expect(entries(cache)).toHaveLength(2);
  }, 3 * CHILD_TIMEOUT_MS);

  it("`off` transpiles in memory and writes nothing; a cache that cannot be written only costs the transpiling", async () => {
    const src = program(3);
    const off = await run(join(src, "main.ts"), "off");
    expect(off).toMatchObject({ code: 0, stdout: "value 3\n", stderr: "" });
    expect(existsSync(join(process.cwd(), "off"))).toBe(false);

    const blocked = join(tempDir("transpile-cache"), "a-file");
    writeFileSync(blocked, "not a directory");
    expect(await run(join(src, "main.ts"), join(blocked, "cache"))).toMatchObject({ code: 0, stdout: "value 3\n", stderr: "" });
  }, 2 * CHILD_TIMEOUT_MS);

  it("processes starting at once on an empty cache all run the right program (entries are written whole, then renamed)", async () => {
    const src = program(4);
    const cache = join(tempDir("transpile-cache"), "cache");
    const runs = await Promise.all([1, 2, 3].map(() => run(join(src, "main.ts"), cache)));
    for (const r of runs) expect(r).toMatchObject({ code: 0, stdout: "value 4\n" });
    expect(readdirSync(cache).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(entries(cache)).toHaveLength(2);
  }, 2 * CHILD_TIMEOUT_MS);
});
