/**
 * Runs this repository's TypeScript under plain Node: `node -r ./cli/transpile-cache.js main.ts`. Every npm script and
 * cdktf.json's app start this way. Each .ts file is transpiled on its own (tsconfig.json sets `isolatedModules`, so
 * per-file output equals a full build's; `tsc --noEmit` in `npm test` does the type checking), and the JavaScript is
 * kept in a cache on disk: a later process reuses it as long as the file, the compiler and tsconfig.json are unchanged,
 * so a start costs reading and hashing the sources instead of loading TypeScript and transpiling ~200 files (what
 * `ts-node --transpile-only` does on every start; ts-node 10 has no cache). On Node >= 22.1 the V8 compile cache
 * (https://nodejs.org/api/module.html#module-compile-cache) is switched on as well, for the dependencies' code and ours.
 *
 *   BEDROCK_TRANSPILE_CACHE   the cache directory (default: node_modules/.cache/bedrock-transpile in the repository),
 *                             or `off` to transpile in memory on every start (as ts-node does)
 *
 * One entry per source file (named by the hash of its path, holding the hash of what it was made from), so the cache
 * never grows past the repository's file count. Entries are written to a temporary name and renamed, so concurrent
 * processes (jest workers, the commands they start) never read a half-written one; a cache that cannot be written
 * (read-only checkout) only costs the transpiling. Stack traces show TypeScript lines with `--enable-source-maps`.
 */
"use strict";
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
/** Bumped when what this file emits changes, so entries made by an earlier version are not reused. */
const FORMAT = "1";

/** Where entries live; undefined when caching is off. */
function cacheDirectory() {
  const setting = process.env.BEDROCK_TRANSPILE_CACHE;
  if (setting === "off") return undefined;
  return setting ? path.resolve(setting) : path.join(ROOT, "node_modules", ".cache", "bedrock-transpile");
}

let compiler; // loaded on the first miss only: requiring typescript alone takes ~0.3 s
function typescript() {
  if (!compiler) {
    const ts = require("typescript");
    const configFile = path.join(ROOT, "tsconfig.json");
    const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
    if (error) throw new Error(`${configFile}: ${ts.flattenDiagnosticMessageText(error.messageText, "\n")}`);
    const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions ?? {}, ROOT);
    // Emit options only: the rest (declaration, incremental, outDir) concerns `tsc`, not one file's JavaScript.
    const compilerOptions = { ...options, declaration: false, incremental: false, tsBuildInfoFile: undefined, composite: false, noEmit: false, sourceMap: false, inlineSourceMap: true, inlineSources: false };
    compiler = { ts, compilerOptions };
  }
  return compiler;
}

/** What an entry depends on besides the source: this file's format, the compiler's version and tsconfig.json. */
let salt;
function cacheSalt() {
  if (salt === undefined) {
    const tsVersion = JSON.parse(fs.readFileSync(require.resolve("typescript/package.json"), "utf8")).version;
    salt = [FORMAT, tsVersion, fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8")].join("\0");
  }
  return salt;
}

const sha256 = (text) => createHash("sha256").update(text).digest("hex");

/** The JavaScript for `filename`, whose text is `source`. */
function transpile(source, filename) {
  const { ts, compilerOptions } = typescript();
  const out = ts.transpileModule(source, { compilerOptions, fileName: filename, reportDiagnostics: false });
  return out.outputText;
}

/** Reads the entry when it was made from exactly this source; undefined otherwise. */
function readEntry(entryFile, stamp) {
  let text;
  try {
    text = fs.readFileSync(entryFile, "utf8");
  } catch {
    return undefined;
  }
  const newline = text.indexOf("\n");
  return newline > 0 && text.slice(0, newline) === stamp ? text.slice(newline + 1) : undefined;
}

/** Writes the entry atomically; a cache that cannot be written is skipped, never an error. */
function writeEntry(dir, entryFile, stamp, js) {
  const temporary = `${entryFile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(temporary, `${stamp}\n${js}`);
    fs.renameSync(temporary, entryFile);
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // nothing to clean up
    }
  }
}

/** The JavaScript for a TypeScript file, from the cache when it holds this exact source. */
function compiled(filename) {
  const source = fs.readFileSync(filename, "utf8");
  const dir = cacheDirectory();
  if (!dir) return transpile(source, filename);
  const entryFile = path.join(dir, `${sha256(filename).slice(0, 32)}.js`);
  const stamp = `//${sha256(`${cacheSalt()}\0${filename}\0${source}`)}`;
  const cached = readEntry(entryFile, stamp);
  if (cached !== undefined) return cached;
  const js = transpile(source, filename);
  writeEntry(dir, entryFile, stamp, js);
  return js;
}

/** Installs the hook for `.ts` files (declaration files are never required). */
function register() {
  // The V8 code cache for every CommonJS module this process loads (Node >= 22.1; absent before, a no-op then).
  const { enableCompileCache } = require("node:module");
  const dir = cacheDirectory();
  if (typeof enableCompileCache === "function" && dir) enableCompileCache(path.join(dir, "v8"));
  require.extensions[".ts"] = function loadTypeScript(module, filename) {
    module._compile(compiled(filename), filename);
  };
}

register();
module.exports = { compiled, cacheDirectory };
