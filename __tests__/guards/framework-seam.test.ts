import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sourceImports } from "./source-imports";

// The Terraform-CDK framework sits behind one seam (modules/terraform-cdk.ts for cdktf's core symbols,
// modules/provider-aws.ts for provider resources), so moving to CDK Terrain is a change to those files and package.json.
const root = join(__dirname, "..", "..");
const SEAMS = ["modules/terraform-cdk.ts", "modules/provider-aws.ts"];

/**
 * Import specifiers (static, dynamic, require, side-effect) naming the framework or its AWS provider, read with the
 * TypeScript parser: an example in a comment or a template string (the starter's main.ts) is no import.
 */
export function frameworkImports(source: string): string[] {
  return sourceImports("source.ts", source)
    .map((i) => i.specifier)
    .filter((s) => /^(cdktf|cdktn|@cdktf\/provider-aws|@cdktn\/provider-aws)(\/|$)/.test(s));
}

describe("framework seam", () => {
  it("the scanner sees every import form of the framework and nothing else", () => {
    expect(frameworkImports(`import { App } from "cdktf";\nimport "cdktf/lib/testing/adapters/jest";\nconst p = require('@cdktf/provider-aws/lib/iam-role');\nimport { z } from "zod";\nimport { x } from "./cdktf-helper";\n// import { App } from "cdktf";\nconst text = \`import { App } from "cdktf";\`;`)).toEqual([
      "cdktf",
      "cdktf/lib/testing/adapters/jest",
      "@cdktf/provider-aws/lib/iam-role",
    ]);
  });

  it("only the seam files import cdktf or the AWS provider", () => {
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
    const offenders = files.filter((f) => !SEAMS.includes(f) && !f.startsWith("__tests__/guards/")).filter((f) => {
      try {
        return frameworkImports(readFileSync(join(root, f), "utf8")).length > 0;
      } catch {
        return false;
      }
    });
    expect(offenders).toEqual([]);
  });
});
