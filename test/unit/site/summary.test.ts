/**
 * The line `npm test` (and `npm run check:chapter`) ends with, which CI reads: a run that fails
 * must never say "0 failed".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { summaryLine } from '../../support/summary.mjs';

const dir = mkdtempSync(join(tmpdir(), 'interleave-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function report(counts: { passed: number; failed: number }, fileStatuses: string[] = []): string {
  const path = join(dir, `report-${counts.passed}-${counts.failed}-${fileStatuses.length}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      numPassedTests: counts.passed,
      numFailedTests: counts.failed,
      numPendingTests: 0,
      numTodoTests: 0,
      testResults: fileStatuses.map((status) => ({ status })),
    }),
  );
  return path;
}

it('counts tests, and a file that failed to load as a failure', () => {
  expect(summaryLine(report({ passed: 3, failed: 1 }, ['passed', 'failed']))).toBe('3 passed, 1 failed');
  expect(summaryLine(report({ passed: 2, failed: 0 }, ['passed', 'failed']))).toBe('2 passed, 1 failed');
});

it('counts a failed run with no failed test (the build of the global setup failed) as a failure', () => {
  expect(summaryLine(report({ passed: 0, failed: 0 }), true)).toBe('0 passed, 1 failed');
  expect(summaryLine(report({ passed: 0, failed: 0 }), false)).toBe('0 passed, 0 failed');
});
