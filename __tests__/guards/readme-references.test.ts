import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "../fixtures";

// Messages and docs that send a reader to a README section must name one that exists: a fix pointing nowhere was a
// defect (a message cited an "Environment file" section the README never had).

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to dashes. */
const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, "").replace(/\s/g, "-");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === "node_modules" || name.startsWith(".") || name === "cdktf.out" || name === "__tests__") return [];
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("README references", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const headings = [...readme.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => m[1].trim());
  const anchors = new Set(headings.map(slug));
  const files = sources(ROOT);

  it("every README section a source file cites exists", () => {
    const cited: Array<[string, string]> = [];
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/readmeRef\("([^"]+)"\)|README(?:\.md)?,? ["'“]([^"'”]+)["'”]/g)) cited.push([relative(ROOT, file), m[1] ?? m[2]]);
      for (const m of text.matchAll(/README\.md#([\w-]+)/g)) cited.push([relative(ROOT, file), `#${m[1]}`]);
    }
    expect(cited.length).toBeGreaterThan(0);
    const missing = cited.filter(([, section]) => !section.includes("${") && (section.startsWith("#") ? !anchors.has(section.slice(1)) : !headings.includes(section)));
    expect(missing).toEqual([]);
  });

  it("every in-page link of the README points at a heading", () => {
    const links = [...readme.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(links.filter((l) => !anchors.has(l))).toEqual([]);
  });
});
