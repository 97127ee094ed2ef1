/**
 * Tests run through ts-jest without type-checking (npm test runs `tsc --noEmit` first), which keeps them fast: ts-jest
 * transpiles file by file because tsconfig.json sets `isolatedModules` (where ts-jest 29.2+ wants it).
 */
const { availableParallelism } = require("node:os");

/**
 * Test files that pack the product's packages and install them with npm (~100 s of CPU in child processes, the starter
 * alone ~190 s of wall): CI's first jest run sets BEDROCK_TEST_EXHAUSTIVE=1 and runs them; a plain `npm test` leaves
 * them out, and says so (scripts/jest-summary-reporter.js). `BEDROCK_TEST_EXHAUSTIVE=1 npx jest __tests__/packages`.
 */
const PACKAGE_TESTS = ["/__tests__/packages/starter\\.test\\.ts$", "/__tests__/client/package-install\\.test\\.ts$"];
const exhaustive = process.env.BEDROCK_TEST_EXHAUSTIVE === "1";

module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", ...(exhaustive ? [] : PACKAGE_TESTS)],
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  // scripts/jest-profile-setup.js records each test file's wall and CPU time when BEDROCK_TEST_PROFILE names a file
  // (`npm run test:profile`); otherwise it does nothing.
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts", "<rootDir>/scripts/jest-profile-setup.js"],
  // A temp folder per run, removed after it; the run fails when a test leaves anything there.
  globalSetup: "<rootDir>/scripts/jest-temp-setup.js",
  globalTeardown: "<rootDir>/scripts/jest-temp-teardown.js",
  reporters: ["default", "<rootDir>/scripts/jest-summary-reporter.js"],
  clearMocks: true,
  // At least three workers: jest's default (cores - 1) ran the whole suite in one process on a 2-core machine, leaving a
  // core idle whenever a test waited on a child process, a server or a socket, and two still left idle time (quiet,
  // Node 22: 122 s with two workers, 106 s with three; Node 20: 159 s and 146 s). `--maxWorkers` / `-i` still override.
  maxWorkers: Math.max(3, availableParallelism() - 1),
  // Generous: many tests drive child processes (a start under load can take 30 s on a busy 2-core machine).
  testTimeout: 120000,
};
