/**
 * config/ belongs to the team that adopts the baseline: a valid edit of config/dev.json must never turn the product's
 * own test suite red. This module makes any read of the repository's config/ directory fail, in the jest workers
 * (installed by __tests__/setup-config-guard.ts) and in every Node child process a test starts (through NODE_OPTIONS
 * --require, which child processes inherit). Tests use __tests__/fixtures/environments and pass it explicitly
 * (--config-dir, configDir). Plain JavaScript: child processes load it before any TypeScript hook.
 */
const fs = require("node:fs");
const path = require("node:path");
const { fileURLToPath } = require("node:url");

const ROOT = path.resolve(__dirname, "..", "..");
const INSTALLED = Symbol.for("bedrock-baseline.config-read-guard");

/** The guarded directories: config/ under the checkout, by its path and by its real path. */
function guardedDirs() {
  const dirs = new Set([path.join(ROOT, "config")]);
  try {
    dirs.add(path.join(fs.realpathSync(ROOT), "config"));
  } catch {
    // A checkout that cannot be resolved keeps the plain path.
  }
  return [...dirs];
}
const GUARDED = guardedDirs();

/** The absolute path a file argument names, or undefined for descriptors and other values. */
function pathOf(arg) {
  try {
    if (typeof arg === "string") return path.resolve(arg);
    if (Buffer.isBuffer(arg)) return path.resolve(arg.toString("utf8"));
    if (arg instanceof URL && arg.protocol === "file:") return path.resolve(fileURLToPath(arg));
  } catch {
    return undefined;
  }
  return undefined;
}

/** True when `arg` names config/ or anything below it. */
function isGuarded(arg) {
  const p = pathOf(arg);
  return p !== undefined && GUARDED.some((dir) => p === dir || p.startsWith(dir + path.sep));
}

class ConfigReadError extends Error {
  constructor(arg, operation) {
    super(
      `a test read ${path.relative(ROOT, pathOf(arg))} (${operation}): config/ belongs to the adopting team -> use the test environments ` +
        "in __tests__/fixtures/environments (rawConfig, environmentFile, ENVIRONMENTS_DIR in __tests__/fixtures.ts) and pass them " +
        "explicitly (--config-dir, configDir)",
    );
    this.name = "ConfigReadError";
    this.code = "EACCES";
  }
}

/** Wraps `target[name]` so a guarded first argument throws (or rejects, or calls back with) ConfigReadError. */
function wrap(target, name, style) {
  const original = target[name];
  if (typeof original !== "function") return;
  target[name] = function guarded(arg, ...rest) {
    if (!isGuarded(arg)) return original.call(this, arg, ...rest);
    const error = new ConfigReadError(arg, name);
    if (style === "promise") return Promise.reject(error);
    if (style === "callback") {
      const callback = rest.find((x) => typeof x === "function");
      if (callback) return void process.nextTick(callback, error);
    }
    throw error;
  };
}

/** Installs the guard once per process (jest runs many test files in one worker). */
function install() {
  if (fs[INSTALLED]) return;
  Object.defineProperty(fs, INSTALLED, { value: true });
  // Contents only: walking the tree (a guard listing every source folder) may pass through config/; loading an
  // environment reads its file, which fails here.
  for (const name of ["readFileSync", "openSync", "createReadStream"]) wrap(fs, name, "sync");
  for (const name of ["readFile", "open"]) wrap(fs, name, "callback");
  for (const name of ["readFile", "open"]) wrap(fs.promises, name, "promise");
}

install();

module.exports = { isGuarded, ConfigReadError, GUARDED };

// Child processes load this through NODE_OPTIONS: leave no trace in their module cache, so a test that lists what an
// application loaded (the client package's install test) sees the application's modules only. The guard stays
// installed (fs is patched once per process).
try {
  delete require.cache[__filename];
} catch {
  // A module registry without a deletable cache (jest's) keeps it: nothing lists it there.
}
