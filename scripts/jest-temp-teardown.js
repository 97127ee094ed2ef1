/**
 * jest globalTeardown: removes the run's temp folder (scripts/jest-temp-setup.js) and fails the run when a test left
 * anything in it: a test removes what it makes (tempDir() in __tests__/fixtures.ts does). Libraries leave two kinds,
 * which are only removed: cdktf's Testing.app() makes an output directory per app and never removes it
 * (node_modules/cdktf/lib/testing/index.js), and ts-node's child processes share a compile cache
 * (node_modules/v8-compile-cache-lib), and on Node >= 22.1 tsc enables Node's module compile cache, whose default home
 * is <temp>/node-compile-cache (node_modules/typescript/lib/tsc.js; https://nodejs.org/api/module.html#module-compile-cache).
 */
const { readdirSync, rmSync } = require("node:fs");

/** Entries a library leaves that no test can remove. */
const LIBRARY_LEFTOVERS = [/^cdktf\.outdir\./, /^v8-compile-cache-/, /^node-compile-cache$/];

/** Removes `root`; throws naming what tests left in it (library leftovers aside). */
function checkTempRoot(root) {
  const left = readdirSync(root)
    .filter((name) => !LIBRARY_LEFTOVERS.some((re) => re.test(name)))
    .sort();
  rmSync(root, { recursive: true, force: true });
  if (left.length > 0) {
    const shown = left.slice(0, 10).join(", ") + (left.length > 10 ? `, and ${left.length - 10} more` : "");
    throw new Error(`tests left ${left.length} entries in the temp folder: ${shown} -> remove what a test creates (tempDir() in __tests__/fixtures.ts removes its directories after the test file)`);
  }
}

module.exports = async function teardownTempRoot() {
  if (process.env.BEDROCK_TEST_TMPDIR) checkTempRoot(process.env.BEDROCK_TEST_TMPDIR);
};
module.exports.checkTempRoot = checkTempRoot;
