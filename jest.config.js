/**
 * Tests run through ts-jest without type-checking (npm test runs `tsc --noEmit` first), which keeps them fast: ts-jest
 * transpiles file by file because tsconfig.json sets `isolatedModules` (where ts-jest 29.2+ wants it).
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // A temp folder per run, removed after it; the run fails when a test leaves anything there.
  globalSetup: "<rootDir>/scripts/jest-temp-setup.js",
  globalTeardown: "<rootDir>/scripts/jest-temp-teardown.js",
  reporters: ["default", "<rootDir>/scripts/jest-summary-reporter.js"],
  clearMocks: true,
  // Generous: many tests drive child processes (ts-node start-up alone can take 30 s on a busy 2-core machine).
  testTimeout: 120000,
};
