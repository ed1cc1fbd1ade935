/**
 * `npm test` (after run.mjs has checked Node): the whole suite, as CI runs it.
 * 1. finds or provisions Chromium (see support/chromium.ts),
 * 2. runs the vitest projects unit, browser, e2e (Chromium), chromium, firefox (Firefox ESR) and
 *    webkit (WebKitGTK; both found or installed: support/engines/), then coverage,
 * 3. prints each project's wall time and the run's, and the plain summary line
 *    "N passed, N failed" from vitest's JSON report.
 * Extra arguments go to vitest, e.g. `npm test -- --project unit`.
 * `--chapter <file>` (`npm run check:chapter <file>`) runs instead the checks of one chapter, with
 * one build (support/chapter-check.ts).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHAPTER_ENV, chapterCheck } from './support/chapter-check.ts';
import { ensureChromium, NoBrowserError } from './support/chromium.ts';
import { clock, readRunRecord, runRecordPath, timingReport } from './support/run-record.ts';
import { summaryLine } from './support/summary.mjs';

/** CI's limit for a whole run, installs included (.ci/run). */
const CI_MINUTES = 90;

const root = fileURLToPath(new URL('..', import.meta.url));
const report = `${root}test-results/vitest.json`;

let vitestArgs = process.argv.slice(2);
if (vitestArgs[0] === '--chapter') {
  const check = chapterCheck(vitestArgs.slice(1), (path) => existsSync(`${root}${path}`));
  if (!check.ok) {
    console.error(`\n${check.message}\n`);
    process.exit(1);
  }
  process.env[CHAPTER_ENV] = check.chapter;
  vitestArgs = check.vitestArgs;
  console.log(`[test] checking ${check.chapter} alone`);
}

try {
  process.env['CHROME_PATH'] = ensureChromium((line) => console.log(`[test] ${line}`));
} catch (error) {
  const prefix = error instanceof NoBrowserError ? '' : 'Cannot run the tests: ';
  console.error(`\n${prefix}${(error as Error).message}\n`);
  process.exit(1);
}

// Each run builds into its own folder, removed at the end, so runs never disturb each other.
const runDir = `${root}test-results/run-${process.pid}`;
process.env['INTERLEAVE_RUN_DIR'] = runDir;
mkdirSync(runDir, { recursive: true });
rmSync(report, { force: true });
const started = Date.now();
const vitest = spawnSync(
  process.execPath,
  [
    `${root}node_modules/vitest/vitest.mjs`,
    'run',
    '--config',
    `${root}test/vitest.config.ts`,
    '--reporter=default',
    '--reporter=json',
    `--reporter=${root}test/support/run-record.ts`,
    `--outputFile.json=${report}`,
    ...vitestArgs,
  ],
  { stdio: 'inherit', cwd: root, env: process.env },
);

const wall = Date.now() - started;

// Where the time went (kept in test-results/run-record.json for a closer look).
try {
  console.log(`\n[test] ${timingReport(readRunRecord()).join('\n[test] ')}`);
  copyFileSync(runRecordPath(), `${root}test-results/run-record.json`);
} catch {
  console.log('\n[test] vitest left no record of the run');
}
console.log(`[test] npm test took ${clock(wall)} (m:ss) with the builds, of CI's ${CI_MINUTES} minutes`);

rmSync(runDir, { recursive: true, force: true });

let summary = 'vitest wrote no report';
try {
  summary = summaryLine(report, vitest.status !== 0);
} catch {
  // keep the message above
}
console.log(`\n${summary}`);
process.exit(vitest.status ?? 1);
