import { readFileSync } from "node:fs";
import { join } from "node:path";
import { productVersion } from "../../cli/package-version";
import { PACKAGE_DIRS, productVersions } from "../../scripts/package-versions";
import { ROOT } from "../fixtures";

// The product's packages are versioned together, and every version says in CHANGELOG.md what an upgrade changes in
// the synthesized infrastructure.

const changelog = readFileSync(join(ROOT, "CHANGELOG.md"), "utf8");

/** The `## X.Y.Z` sections of the changelog, each with its `### ...` headings. */
function sections(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split("\n")) {
    const version = /^## (\d+\.\d+\.\d+\S*)\s*$/.exec(line)?.[1];
    if (version) out.set(version, (current = []));
    else if (line.startsWith("## ")) current = undefined;
    else if (current && line.startsWith("### ")) current.push(line.slice(4).trim());
  }
  return out;
}

describe("one version", () => {
  it("the repository, the three packages and the lock file carry the same version", () => {
    const versions = productVersions();
    expect(versions.size).toBe(PACKAGE_DIRS.length + 2);
    expect(new Set(versions.values())).toEqual(new Set([productVersion()]));
  });

  it("CHANGELOG.md has a section for it, saying what changes in the infrastructure and in IAM", () => {
    const found = sections(changelog);
    expect(found.get(productVersion())).toEqual(expect.arrayContaining(["Infrastructure", "IAM"]));
    // Newest first: the current version is the first section.
    expect([...found.keys()][0]).toBe(productVersion());
  });

  it("reads a section's headings, and only version sections", () => {
    expect(sections("# Changelog\n## 1.2.0\n### Infrastructure\ntext\n### IAM\n## Notes\n### Other\n## 1.1.0\n### IAM")).toEqual(
      new Map([
        ["1.2.0", ["Infrastructure", "IAM"]],
        ["1.1.0", ["IAM"]],
      ]),
    );
  });
});
