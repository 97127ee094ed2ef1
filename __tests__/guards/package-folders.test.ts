import { existsSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { repositorySources, sourceImports } from "./source-imports";

// client/, modules/ and cli/ are source folders and package folders at once: an import of the folder itself
// (`../modules`) resolves through its package.json to the built dist/, a stale copy that type-checks against old
// code (it happened to a test: a type from modules/dist/ no longer matched the source). Imports name a file.
const root = join(__dirname, "..", "..");
const PACKAGE_FOLDERS = ["client", "modules", "cli"].filter((f) => existsSync(join(root, f, "package.json")));

/** The package folder `specifier` (relative, from `file`) names itself, if it does. */
export function packageFolderImport(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const target = posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\/$/, "");
  return PACKAGE_FOLDERS.includes(target) ? target : undefined;
}

describe("imports of the package folders", () => {
  it("the three package folders have a package.json", () => {
    expect(PACKAGE_FOLDERS).toEqual(["client", "modules", "cli"]);
  });

  it.each([
    ["__tests__/modules/x.test.ts", "../../modules", "modules"],
    ["__tests__/modules/x.test.ts", "../../modules/", "modules"],
    ["scripts/x.ts", "../cli", "cli"],
    ["__tests__/modules/x.test.ts", "../../modules/index", undefined],
    ["smoke/x.ts", "../client/router", undefined],
    ["core/runtime/x.ts", "../problems", undefined],
  ])("%s importing %s names the folder %s", (file, specifier, folder) => {
    expect(packageFolderImport(file, specifier)).toBe(folder);
  });

  it("no source or test imports a package folder itself (it would load the built dist/)", () => {
    const offenders = repositorySources(root)
      .filter((f) => existsSync(join(root, f)))
      .flatMap((f) => sourceImports(f, readFileSync(join(root, f), "utf8")).flatMap((i) => (packageFolderImport(f, i.specifier) ? [`${f}: ${i.specifier}`] : [])));
    expect(offenders).toEqual([]);
  });
});
