import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { sourceImports } from "./source-imports";

// docs/architecture.md, "Layers": modules, client, smoke -> core; nothing imports smoke; core never imports cdktf or
// performs I/O.
const root = join(__dirname, "..", "..");
const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts"], { cwd: root, encoding: "utf8" })
  .split("\n")
  .filter((f) => f && !f.startsWith("__tests__/"));

/** Runtime (non-type-only) import specifiers of a TypeScript source, every form (`export ... from` included). */
export function runtimeImports(source: string): string[] {
  return sourceImports("source.ts", source)
    .filter((i) => !i.typeOnly)
    .map((i) => i.specifier);
}

const importsOf = (f: string) => runtimeImports(readFileSync(join(root, f), "utf8"));

describe("dependency direction", () => {
  it("the import scanner sees runtime imports and ignores type-only ones", () => {
    expect(runtimeImports(`import { a } from "x";\nimport type { B } from "y";\nconst z = require("z");\nexport { w } from "w";\nimport "v";`)).toEqual(["x", "z", "w", "v"]);
  });

  it.each(files.filter((f) => f.startsWith("core/")))("%s stays pure (no cdktf, AWS SDK, fs, net or other layers)", (f) => {
    for (const spec of importsOf(f)) {
      expect(spec).not.toMatch(/^(cdktf|constructs|@cdktf\/|@aws-sdk\/|node:|fs$|http|net$|child_process)/);
      if (!spec.startsWith(".")) continue;
      // Its own wing (any file of it), or another wing's index.
      const target = posix.normalize(posix.join(posix.dirname(f), spec));
      const [, wing] = f.split("/");
      expect(target.startsWith(`core/${wing}/`) || /^core\/[\w-]+$/.test(target)).toBe(true);
    }
  });

  // The environment check shows smoke's plan with smoke's own planning code (smoke/probe-targets.ts), so the plan it
  // shows cannot drift from the probes smoke makes; like scripts/, it is a command beside smoke, which nothing else uses.
  // The CLI package's command table starts smoke as its `smoke` subcommand; local/local-smoke.ts runs it against the
  // stand-in (smoke:local).
  const SMOKE_USERS = ["smoke/", "scripts/", "environment-check/", "cli/command-table.ts", "local/local-smoke.ts"];
  it.each(files.filter((f) => !SMOKE_USERS.some((p) => f.startsWith(p))))("%s does not import smoke/", (f) => {
    for (const spec of importsOf(f)) expect(spec).not.toMatch(/(^|\/)smoke\//);
  });
});
