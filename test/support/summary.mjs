// The plain summary line CI reads ("N passed, N failed[, N skipped]"), from
// vitest's JSON report. Used by test/suite.ts and .ci/run; run directly it
// prints the line for test-results/vitest.json and fails if there is none.
import { readFileSync } from 'node:fs';

/**
 * @param {string} reportPath
 * @param {boolean} [runFailed] vitest itself failed: a run that fails before any test (the build in
 *   the e2e global setup) must not read "0 failed"
 */
export function summaryLine(reportPath, runFailed = false) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  // A file that fails to load has no tests but must still count as a failure.
  const brokenFiles = report.testResults.filter(
    (/** @type {{status: string}} */ f) => f.status === 'failed',
  ).length;
  const failed = Math.max(report.numFailedTests, brokenFiles, runFailed ? 1 : 0);
  const skipped = report.numPendingTests + report.numTodoTests;
  return `${report.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(summaryLine(process.argv[2] ?? 'test-results/vitest.json'));
}
