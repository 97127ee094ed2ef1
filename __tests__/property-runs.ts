/**
 * How many cases a property test generates: `quick` in a plain `npm test` (a developer's loop on a 2-core machine),
 * `exhaustive` when BEDROCK_TEST_EXHAUSTIVE=1, which .ci/run sets for its first jest run. Seeds stay as each test fixes
 * them, so a failure reproduces at either size. A module of its own (no imports) so that any test can use it without
 * loading the shared fixtures.
 */
export function propertyRuns(quick: number, exhaustive: number): number {
  return process.env.BEDROCK_TEST_EXHAUSTIVE === "1" ? exhaustive : quick;
}
