import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import ts from "typescript";
import { packageGraph } from "./package-graph";
import { packageOf, repositorySources, sourceImports, type SourceImport } from "./source-imports";

// Every import is a declared dependency of the package that ships the file: an undeclared one works here only because
// something else happened to install it, and fails in an application's or an operator's install.
//  - root, runtime folders (the code `npm run synth/deploy/smoke/toggle/eval/local-endpoint/check:environments` runs):
//    `dependencies` only.
//  - root, development folders (tests, benchmarks and demos, tool configuration): `dependencies` or `devDependencies`.
//  - the client package (client/ and the core/ files its build ships): its own `dependencies` only, type-only imports
//    included (they appear in its .d.ts); relative imports stay inside client/ and those core files.
//  - the construct library (modules/package.json) and the CLI (cli/package.json): every file their builds compile,
//    run-time imports only, answer to the package's `dependencies` and `peerDependencies` (the library's declarations
//    assume skipLibCheck, as cdktf's project template sets it). An optional peer (the CLI's AGPL IAM evaluator) is
//    loaded at run time by its loader only.
const root = join(__dirname, "..", "..");
const readJson = (f: string) => JSON.parse(readFileSync(join(root, f), "utf8"));
const rootPkg = readJson("package.json");
const clientPkg = readJson("client/package.json");
const libraryPkg = readJson("modules/package.json");
const cliPkg = readJson("cli/package.json");

const RUNTIME = ["main.ts", "modules/", "core/", "cli/", "smoke/", "toggle/", "evaluation/", "local/", "environment-check/"];
const DEVELOPMENT = ["__tests__/", "scripts/", "jest.config.js"];

/** core/ files the client build ships: the wings client/tsconfig.build.json includes (`../core/runtime/*.ts`, ...). */
export const SHIPPED_CORE: ReadonlySet<string> = (() => {
  const { config } = ts.readConfigFile(join(root, "client", "tsconfig.build.json"), ts.sys.readFile);
  const wings = (config.include as string[]).filter((f) => f.startsWith("../core/")).map((f) => posix.dirname(posix.normalize(posix.join("client", f))));
  return new Set(wings.flatMap((w) => readdirSync(join(root, w)).filter((f) => f.endsWith(".ts")).map((f) => `${w}/${f}`)));
})();

const keys = (o: Record<string, string> | undefined) => new Set(Object.keys(o ?? {}));
const ROOT_RUNTIME = keys(rootPkg.dependencies);
const ROOT_DEVELOPMENT = new Set([...ROOT_RUNTIME, ...keys(rootPkg.devDependencies)]);
/**
 * The client package's optional peer dependencies (@opentelemetry/api): the package must work without them, so they are
 * loaded at run time in one place only (OPTIONAL_PEER_LOADER, which requires them only once they resolve), and other
 * files import their types alone. The package-install test proves an application without them works.
 */
const CLIENT_OPTIONAL_PEERS = new Set(
  Object.entries<{ optional?: boolean }>(clientPkg.peerDependenciesMeta ?? {})
    .filter(([name, meta]) => meta.optional && !name.startsWith("@types/"))
    .map(([name]) => name),
);
export const OPTIONAL_PEER_LOADER = "client/opentelemetry-api.ts";
const CLIENT = new Set([...keys(clientPkg.dependencies), ...CLIENT_OPTIONAL_PEERS]);

/** Optional peers of a package: declared in peerDependenciesMeta as optional, type packages aside. */
const optionalPeers = (pkg: { peerDependenciesMeta?: Record<string, { optional?: boolean }> }) =>
  new Set(
    Object.entries(pkg.peerDependenciesMeta ?? {})
      .filter(([name, meta]) => meta.optional && !name.startsWith("@types/"))
      .map(([name]) => name),
  );
/** The CLI's optional peers (the IAM evaluator) and the one file that loads them at run time. */
export const CLI_OPTIONAL_PEERS = optionalPeers(cliPkg);
export const CLI_OPTIONAL_PEER_LOADER = "environment-check/iam-evaluator-loader.ts";
const LIBRARY_FILES = packageGraph(root, "modules");
const CLI_FILES = packageGraph(root, "cli");
const withPeers = (pkg: { dependencies?: Record<string, string>; peerDependencies?: Record<string, string> }) => new Set([...keys(pkg.dependencies), ...keys(pkg.peerDependencies)]);

const under = (file: string, places: readonly string[]) => places.some((p) => (p.endsWith("/") ? file.startsWith(p) : file === p));

interface Rule {
  readonly label: string;
  readonly allowed: ReadonlySet<string>;
  /** Type-only imports are not checked (the package ships no declarations of them, or assumes skipLibCheck). */
  readonly runtimeOnly?: boolean;
  /** Packages allowed as type-only imports anywhere and at run time in `loader` only. */
  readonly optional?: { readonly names: ReadonlySet<string>; readonly loader: string };
}

/** The packages whose manifests a file's imports must be declared in (a shipped core file is in both). */
export function rulesFor(file: string): Rule[] | undefined {
  const rules: Rule[] = [];
  if (file.startsWith("client/") || SHIPPED_CORE.has(file)) rules.push({ label: "client/package.json dependencies", allowed: CLIENT });
  if (LIBRARY_FILES.has(file)) rules.push({ label: "modules/package.json dependencies or peerDependencies", allowed: withPeers(libraryPkg), runtimeOnly: true });
  if (CLI_FILES.has(file))
    rules.push({ label: "cli/package.json dependencies or peerDependencies", allowed: withPeers(cliPkg), runtimeOnly: true, optional: { names: CLI_OPTIONAL_PEERS, loader: CLI_OPTIONAL_PEER_LOADER } });
  if (under(file, RUNTIME)) rules.push({ label: "package.json dependencies", allowed: ROOT_RUNTIME, optional: { names: CLI_OPTIONAL_PEERS, loader: CLI_OPTIONAL_PEER_LOADER } });
  else if (under(file, DEVELOPMENT)) rules.push({ label: "package.json dependencies or devDependencies", allowed: ROOT_DEVELOPMENT });
  return file.startsWith("client/") || rules.length > 0 ? rules : undefined;
}

/** Without the extension: `client/router.ts` and `../client/router` name the same module. */
const moduleId = (p: string) => p.replace(/(\.d)?\.[cm]?[jt]s$/, "");
const SHIPPED_IDS = new Set([...SHIPPED_CORE].map(moduleId));

/** A client-package file may reach only client/ and the shipped core files; returns the problem, if any. */
export function clientBoundary(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const target = posix.normalize(posix.join(posix.dirname(file), specifier));
  if (target.startsWith("client/") || SHIPPED_IDS.has(moduleId(target)) || SHIPPED_IDS.has(`${target}/index`)) return undefined;
  return `${file}: imports ${specifier} (${target}), which the client package does not ship -> import only client/ and ${[...SHIPPED_CORE].join(", ")}, or add its wing to client/tsconfig.build.json "include"`;
}

/** One line per import a file's packages do not declare. */
export function undeclared(file: string, imports: readonly SourceImport[], rules: readonly Rule[]): string[] {
  const out: string[] = [];
  for (const { specifier, typeOnly } of imports) {
    const pkg = packageOf(specifier);
    if (pkg === undefined) continue;
    for (const r of rules) {
      if (r.runtimeOnly && typeOnly) continue;
      if (r.optional?.names.has(pkg)) {
        // Declared or not, an optional peer may be absent: only its loader may require it at run time.
        if (!typeOnly && file !== r.optional.loader) out.push(`${file}: loads the optional peer ${specifier} at run time, not in ${r.label} -> load it through ${r.optional.loader}`);
        continue;
      }
      if (!r.allowed.has(pkg)) out.push(`${file}: imports ${specifier}, not in ${r.label} -> declare ${pkg} there (pinned exactly)`);
    }
  }
  return out;
}

const files = repositorySources(root).filter((f) => existsSync(join(root, f)));
const importsOf = (f: string) => sourceImports(f, readFileSync(join(root, f), "utf8"));

describe("import parsing", () => {
  const parse = (text: string, name = "x.ts") => sourceImports(name, text).map((i) => `${i.specifier}${i.typeOnly ? " (type)" : ""}`);

  it("sees every import form, and which are type-only", () => {
    expect(
      parse(`import a from "a";
import "side-effect";
import type { B } from "b";
import { type C } from "c";
import { type D, d } from "d";
export { e } from "e";
export type { F } from "f";
export * from "g";
import h = require("h");
const i = require("i");
const j = require.resolve("j/register");
const k = await import("k");
let l: import("l").L;`),
    ).toEqual(["a", "side-effect", "b (type)", "c (type)", "d", "e", "f (type)", "g", "h", "i", "j/register", "k", "l (type)"]);
  });

  it("ignores comments and strings that merely mention a module", () => {
    expect(parse(`// import x from "commented";\nconst s = 'require("quoted")';\n/* export * from "block" */`)).toEqual([]);
  });

  it("reads JavaScript and ES module files", () => {
    expect(parse(`export * from "./dist/index.js";`, "index.mjs")).toEqual(["./dist/index.js"]);
    expect(parse(`module.exports = require("ts-jest");`, "jest.config.js")).toEqual(["ts-jest"]);
  });

  it.each([
    ["@aws-sdk/client-bedrock-runtime", "@aws-sdk/client-bedrock-runtime"],
    ["@smithy/core/event-streams", "@smithy/core"],
    ["cdktf/lib/testing/adapters/jest", "cdktf"],
    ["zod", "zod"],
    ["node:fs", undefined],
    ["fs/promises", undefined],
    ["child_process", undefined],
    ["./router", undefined],
    ["../core/quota", undefined],
  ])("the package of %s is %s", (specifier, pkg) => {
    expect(packageOf(specifier)).toBe(pkg);
  });
});

describe("the rules", () => {
  it("runtime folders may not use devDependencies; tests and scripts may", () => {
    const imports = [{ specifier: "fast-check", typeOnly: false }];
    // Refused by the root (a runtime folder) and by the CLI package, which ships toggle/.
    expect(undeclared("toggle/change.ts", imports, rulesFor("toggle/change.ts")!).map((l) => l.replace(/.*not in /, ""))).toEqual([
      "cli/package.json dependencies or peerDependencies -> declare fast-check there (pinned exactly)",
      "package.json dependencies -> declare fast-check there (pinned exactly)",
    ]);
    expect(undeclared("scripts/bench-synth.ts", imports, rulesFor("scripts/bench-synth.ts")!)).toEqual([]);
    expect(undeclared("__tests__/x.test.ts", imports, rulesFor("__tests__/x.test.ts")!)).toEqual([]);
  });

  it("client files answer to the client package only, including type-only imports", () => {
    expect(undeclared("client/router.ts", [{ specifier: "cdktf", typeOnly: true }], rulesFor("client/router.ts")!)).toEqual([
      "client/router.ts: imports cdktf, not in client/package.json dependencies -> declare cdktf there (pinned exactly)",
    ]);
    expect(undeclared("client/router.ts", [{ specifier: "@aws-sdk/client-bedrock-runtime", typeOnly: false }], rulesFor("client/router.ts")!)).toEqual([]);
  });

  it("a core file answers to every package that ships it: the client's wings to all four, the rest to the library, the CLI and the root", () => {
    expect(rulesFor("core/runtime/routing-document.ts")!.map((r) => r.label)).toEqual([
      "client/package.json dependencies",
      "modules/package.json dependencies or peerDependencies",
      "cli/package.json dependencies or peerDependencies",
      "package.json dependencies",
    ]);
    expect(rulesFor("core/environment/environment-config.ts")!.map((r) => r.label)).toEqual([
      "modules/package.json dependencies or peerDependencies",
      "cli/package.json dependencies or peerDependencies",
      "package.json dependencies",
    ]);
    expect(rulesFor("smoke/cli.ts")!.map((r) => r.label)).toEqual(["cli/package.json dependencies or peerDependencies", "package.json dependencies"]);
  });

  it("the library and the CLI check run-time imports only; an optional peer loads at run time in its loader only", () => {
    const cliRule = rulesFor("environment-check/iam-simulator.ts")!;
    const peer = [...CLI_OPTIONAL_PEERS][0];
    expect(undeclared("environment-check/iam-simulator.ts", [{ specifier: peer, typeOnly: true }], cliRule)).toEqual([]);
    expect(undeclared("environment-check/iam-simulator.ts", [{ specifier: peer, typeOnly: false }], cliRule)).toHaveLength(2);
    expect(undeclared(CLI_OPTIONAL_PEER_LOADER, [{ specifier: peer, typeOnly: false }], rulesFor(CLI_OPTIONAL_PEER_LOADER)!)).toEqual([]);
    // The library ships no AWS SDK: a run-time import is refused, a type-only one is not checked.
    expect(undeclared("modules/region-stack.ts", [{ specifier: "@aws-sdk/client-sts", typeOnly: true }], rulesFor("modules/region-stack.ts")!)).toEqual([]);
    expect(undeclared("modules/region-stack.ts", [{ specifier: "@aws-sdk/client-sts", typeOnly: false }], rulesFor("modules/region-stack.ts")!).map((l) => l.replace(/.*not in /, ""))).toEqual([
      "modules/package.json dependencies or peerDependencies -> declare @aws-sdk/client-sts there (pinned exactly)",
    ]);
  });

  it("client/ may import client/ and the shipped core files, not the rest of core/", () => {
    expect(clientBoundary("client/router.ts", "./routing-error")).toBeUndefined();
    expect(clientBoundary("client/router.ts", "../core/runtime")).toBeUndefined();
    expect(clientBoundary("core/runtime/routing-document.ts", "../problems")).toBeUndefined();
    expect(clientBoundary("client/router.ts", "../core/environment")).toMatch(/does not ship/);
    expect(clientBoundary("core/runtime/routing-document.ts", "../environment")).toMatch(/does not ship/);
    expect(clientBoundary("client/router.ts", "../toggle/change")).toMatch(/does not ship/);
  });

  it("a file outside every known folder has no rule, so the scan below reports it", () => {
    expect(rulesFor("tools/new-thing.ts")).toBeUndefined();
  });
});

describe("every import is declared by the package that ships it", () => {
  it("scans a meaningful set of files", () => {
    expect(files).toEqual(expect.arrayContaining(["main.ts", "client/router.ts", "client/index.mjs", "toggle/change.ts", "local/sigv4-scope.ts", "jest.config.js"]));
  });

  it("every source file belongs to a folder with a rule", () => {
    expect(files.filter((f) => rulesFor(f) === undefined)).toEqual([]);
  });

  it("no file imports a package its package.json does not declare", () => {
    expect(files.flatMap((f) => undeclared(f, importsOf(f), rulesFor(f) ?? []))).toEqual([]);
  });

  it("optional peer dependencies are loaded at run time only by their loader; every other file imports their types alone", () => {
    expect([...CLIENT_OPTIONAL_PEERS]).toEqual(["@opentelemetry/api"]);
    const runtimeUses = files
      .filter((f) => f.startsWith("client/"))
      .flatMap((f) => importsOf(f).filter((i) => !i.typeOnly && CLIENT_OPTIONAL_PEERS.has(packageOf(i.specifier) ?? "")).map((i) => `${f}: ${i.specifier}`));
    expect(runtimeUses).toEqual([`${OPTIONAL_PEER_LOADER}: @opentelemetry/api`, `${OPTIONAL_PEER_LOADER}: @opentelemetry/api`]);
  });

  it("the client package's files import only client/ and the core files it ships", () => {
    const shipped = files.filter((f) => f.startsWith("client/") || SHIPPED_CORE.has(f));
    expect(shipped).toEqual(expect.arrayContaining([...SHIPPED_CORE]));
    expect(shipped.flatMap((f) => importsOf(f).flatMap((i) => clientBoundary(f, i.specifier) ?? []))).toEqual([]);
  });

  it("the client package declares only what it imports, pinned exactly as the root pins it", () => {
    const used = new Set(files.filter((f) => f.startsWith("client/") || SHIPPED_CORE.has(f)).flatMap((f) => importsOf(f).flatMap((i) => packageOf(i.specifier) ?? [])));
    expect([...CLIENT].filter((d) => !used.has(d))).toEqual([]);
    for (const [name, version] of Object.entries<string>(clientPkg.dependencies)) expect([name, version]).toEqual([name, rootPkg.dependencies[name]]);
    for (const [name, version] of Object.entries<string>({ ...rootPkg.dependencies, ...rootPkg.devDependencies })) expect([name, version]).toEqual([name, expect.stringMatching(/^\d+\.\d+\.\d+$/)]);
  });

  it("the CLI's optional peer is the AGPL IAM evaluator, a devDependency of the repository, never a dependency of a package", () => {
    expect([...CLI_OPTIONAL_PEERS]).toEqual(["@cloud-copilot/iam-simulate"]);
    for (const pkg of [rootPkg, clientPkg, libraryPkg, cliPkg]) expect(Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith("@cloud-copilot/"))).toEqual([]);
    expect(rootPkg.devDependencies["@cloud-copilot/iam-simulate"]).toBe(cliPkg.peerDependencies["@cloud-copilot/iam-simulate"]);
  });

  it("the library and the CLI pin their dependencies as the root pins them, and declare only what they import", () => {
    for (const [label, pkg, graph] of [["modules", libraryPkg, LIBRARY_FILES], ["cli", cliPkg, CLI_FILES]] as const) {
      for (const [name, version] of Object.entries<string>(pkg.dependencies ?? {})) expect([label, name, version]).toEqual([label, name, rootPkg.dependencies[name]]);
      const used = new Set([...graph].flatMap((f) => importsOf(f).filter((i) => !i.typeOnly).flatMap((i) => packageOf(i.specifier) ?? [])));
      expect([label, Object.keys(pkg.dependencies ?? {}).filter((d) => !used.has(d))]).toEqual([label, []]);
      expect([label, Object.keys(pkg.dependencies ?? {}).filter((d) => /^(cdktf|constructs|@cdktf\/)/.test(d))]).toEqual([label, []]);
    }
  });

  it("the client package installs no framework, provider or test tooling", () => {
    expect([...CLIENT].filter((d) => /^(cdktf|cdktn|constructs|@cdktf\/|@cdktn\/|jest|ts-|typescript|@types\/)/.test(d))).toEqual([]);
  });
});
