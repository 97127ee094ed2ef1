import * as fs from "node:fs";
import * as path from "node:path";

/** The repository's and its packages' names: each carries the one version they share (scripts/package-versions.ts). */
export const PRODUCT_PACKAGES = ["bedrock-access-baseline", "@bedrock-access-baseline/cdktf", "@bedrock-access-baseline/cli", "@bedrock-access-baseline/routing-client"] as const;

/**
 * The version of the code that runs: the nearest package.json above this file that is one of the product's (the
 * repository's own in a checkout, the installed package's in node_modules). Every product package has the same one.
 */
export function productVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if ((PRODUCT_PACKAGES as readonly unknown[]).includes(pkg.name) && typeof pkg.version === "string") return pkg.version;
    } catch {
      // No package.json here (or not JSON): keep walking up.
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json of the product above ${from}`);
  }
}
