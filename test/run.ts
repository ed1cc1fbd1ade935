/**
 * `npm test`: the whole suite, as CI runs it.
 * 1. checks Node, 2. finds or provisions Chromium (see support/chromium.ts),
 * 3. runs every vitest project, 4. prints the plain summary line
 *    "N passed, N failed" from vitest's JSON report.
 * Extra arguments go to vitest, e.g. `npm test -- --project unit`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assertSupportedNode } from '../src/build/node-version.mjs';
import { ensureChromium, NoBrowserError } from './support/chromium.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const report = `${root}test-results/vitest.json`;

try {
  assertSupportedNode();
  process.env['CHROME_PATH'] = ensureChromium((line) => console.log(`[test] ${line}`));
} catch (error) {
  console.error(`\n${error instanceof NoBrowserError ? '' : 'Cannot run the tests: '}${(error as Error).message}\n`);
  process.exit(1);
}

mkdirSync(`${root}test-results`, { recursive: true });
const vitest = spawnSync(
  process.execPath,
  [
    `${root}node_modules/vitest/vitest.mjs`,
    'run',
    '--config',
    `${root}test/vitest.config.ts`,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', cwd: root, env: process.env },
);

let summary = 'vitest wrote no report';
try {
  const json = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults: { status: string }[];
  };
  // A file that fails to load has no tests but must still count as a failure.
  const brokenFiles = json.testResults.filter((file) => file.status === 'failed').length;
  const failed = Math.max(json.numFailedTests, brokenFiles);
  const skipped = json.numPendingTests + json.numTodoTests;
  summary = `${json.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
} catch {
  // keep the message above
}
console.log(`\n${summary}`);
process.exit(vitest.status ?? 1);
