import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

// The package root of @cdktf/provider-aws is an eager barrel of ~2,200 modules: importing it costs far more load time
// and memory than deep imports (`npm run bench:synth` measures both: docs/development.md, "Benchmarks"), and one such
// import anywhere in the tsconfig set slows every ts-jest run. Only deep paths (`@cdktf/provider-aws/lib/<resource>`)
// are allowed.
const root = join(__dirname, "..", "..");

/** Static `from`/`import` and dynamic `require(...)`/`import(...)` of the package root, with any quote style. */
export const ROOT_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(["'`])@cdktf\/provider-aws\1/;

/** Tracked and untracked-but-not-ignored .ts/.js files, minus generated and vendored trees. */
function sourceFiles(): string[] {
  return execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts", "*.js", "*.mts", "*.cts", "*.mjs", "*.cjs"], { cwd: root, encoding: "utf8" })
    .split("\n")
    .filter((f) => f && !/^(node_modules|cdktf\.out|dist)\//.test(f) && !f.includes("/node_modules/"));
}

// Built by concatenation so this file's own samples do not trip the scan below.
const PKG = "@cdktf/provider-" + "aws";

describe("deep imports of @cdktf/provider-aws only", () => {
  it.each<[string, boolean]>([
    [`import { IamPolicy } from "${PKG}";`, true],
    [`import * as aws from '${PKG}';`, true],
    [`import {\n  iamPolicy,\n} from "${PKG}";`, true],
    [`const aws = require("${PKG}");`, true],
    [`const aws = require( '${PKG}' );`, true],
    [`const aws = await import("${PKG}");`, true],
    [`import "${PKG}";`, true],
    [`export * from "${PKG}";`, true],
    [`import { IamPolicy } from "${PKG}/lib/iam-policy";`, false],
    [`const { IamRole } = require("${PKG}/lib/iam-role");`, false],
    [`import { AwsProvider } from '${PKG}/lib/provider';`, false],
    [`// the package root "${PKG}" is slow`, false],
    [`require("@cdktf/provider-" + "aws")`, false],
  ])("the pattern flags %j: %s", (source, flagged) => {
    expect(ROOT_IMPORT.test(source)).toBe(flagged);
  });

  it("scans a meaningful set of files", () => {
    const files = sourceFiles();
    expect(files).toEqual(expect.arrayContaining(["main.ts", "modules/region-stack.ts"]));
  });

  it("no source file imports the package root", () => {
    const offenders = sourceFiles().filter((f) => {
      let text: string;
      try {
        text = readFileSync(join(root, f), "utf8");
      } catch {
        return false; // listed but deleted in the working tree
      }
      return ROOT_IMPORT.test(text);
    });
    expect(offenders).toEqual([]);
  });
});
