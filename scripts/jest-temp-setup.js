/**
 * jest globalSetup: gives the test run a temp folder of its own (TMPDIR, which os.tmpdir() and every child process
 * honour), so nothing a test or a library leaves behind lands in the machine's shared temp folder, and the teardown
 * (scripts/jest-temp-teardown.js) can see what a run left. Workers start after this and inherit the environment.
 */
const { mkdtempSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

module.exports = async function setupTempRoot() {
  const root = mkdtempSync(join(tmpdir(), "bedrock-tests-"));
  process.env.BEDROCK_TEST_TMPDIR = root;
  process.env.TMPDIR = root;
};
