/** Tests run through ts-jest without type-checking (npm test runs `tsc --noEmit` first), which keeps them fast. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true, diagnostics: false }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  reporters: ["default", "<rootDir>/scripts/jest-summary-reporter.js"],
  clearMocks: true,
  testTimeout: 30000,
};
