import { existsSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import ts from "typescript";
import { sourceImports } from "./source-imports";

// Which repository files a package's build compiles: the entries of its tsconfig.build.json ("files") and every file
// their relative imports reach, as tsc follows them. The construct library (modules/) and the CLI (cli/) are built
// this way from the repository's folders, so this is the set each package ships.

/** `../core/runtime` from `modules/x.ts` -> `core/runtime/index.ts`; undefined when it is not a source file. */
export function resolveRelative(root: string, from: string, specifier: string): string | undefined {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) if (candidate.endsWith(".ts") && existsSync(join(root, candidate))) return candidate;
  return undefined;
}

/** Repository-relative paths of every source file the package in `packageDir` compiles. */
export function packageGraph(root: string, packageDir: string): Set<string> {
  const { config } = ts.readConfigFile(join(root, packageDir, "tsconfig.build.json"), ts.sys.readFile);
  const seen = new Set<string>();
  const queue: string[] = (config.files as string[]).map((f) => posix.normalize(posix.join(packageDir, f)));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const { specifier } of sourceImports(file, readFileSync(join(root, file), "utf8"))) {
      if (!specifier.startsWith(".")) continue;
      const target = resolveRelative(root, file, specifier);
      if (target) queue.push(target);
    }
  }
  return seen;
}
