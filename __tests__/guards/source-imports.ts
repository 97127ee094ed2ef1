import { execFileSync } from "node:child_process";
import { builtinModules } from "node:module";
import ts from "typescript";

// Import specifiers read with the TypeScript parser (not regular expressions), so every form counts: static and
// side-effect imports, `export ... from`, `import x = require()`, `require()`, `require.resolve()`, `import()` and
// `import("x").T` types; comments and strings that merely look like imports do not.

/** One module specifier a file names. `typeOnly`: erased from the emitted JavaScript (still needed for types). */
export interface SourceImport {
  readonly specifier: string;
  readonly typeOnly: boolean;
}

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = { ".js": ts.ScriptKind.JS, ".cjs": ts.ScriptKind.JS, ".mjs": ts.ScriptKind.JS };

export function sourceImports(fileName: string, text: string): SourceImport[] {
  const ext = /\.[cm]?js$/.exec(fileName)?.[0] ?? "";
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, SCRIPT_KINDS[ext] ?? ts.ScriptKind.TS);
  const out: SourceImport[] = [];
  const add = (node: ts.Node | undefined, typeOnly: boolean) => {
    if (node && ts.isStringLiteralLike(node)) out.push({ specifier: node.text, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const c = node.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : undefined;
      // `import { type A } from "x"` is elided like `import type`; `import "x"` and `import {} from "x"` are not.
      const onlyTypes = !!c && (c.isTypeOnly || (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, onlyTypes);
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      add(node.moduleSpecifier, node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true);
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const e = node.expression;
      const isRequire = ts.isIdentifier(e) && e.text === "require";
      const isResolve = ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "require" && e.name.text === "resolve";
      if (isRequire || isResolve || e.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** `@scope/name/sub/path` -> `@scope/name`, `name/sub` -> `name`; undefined for relative paths and Node built-ins. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/")) return undefined;
  if (specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0])) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Tracked and untracked-but-not-ignored source files (generated trees such as dist/ and cdktf.out/ are ignored). */
export function repositorySources(root: string): string[] {
  return execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts", "*.mts", "*.cts", "*.js", "*.mjs", "*.cjs"], { cwd: root, encoding: "utf8" })
    .split("\n")
    .filter((f) => f && !f.includes("node_modules/"));
}
