/**
 * Prints a plain `N passed, N failed` closing line that CI systems read, after jest's own summary, and a line saying
 * the packaging tests were left out when they were (jest.config.js runs them only with BEDROCK_TEST_EXHAUSTIVE=1).
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\njest: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
    if (process.env.BEDROCK_TEST_EXHAUSTIVE !== "1") process.stdout.write("jest: packaging tests (npm pack and install) not run; BEDROCK_TEST_EXHAUSTIVE=1 runs them, as CI does\n");
  }
}
module.exports = SummaryReporter;
