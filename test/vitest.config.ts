/**
 * Six test projects:
 *  - unit:     Node only (libraries, content checks, build-time code)
 *  - browser:  vitest browser mode in Chromium via Playwright, cross-origin isolated
 *  - e2e:      Chromium-only checks (playwright-core) against the production builds, served
 *              with production headers
 *  - chromium, firefox, webkit: the cross-engine suite (test/engines/: every example and
 *              exercise in both realms, every page's accessibility, isolation, the panels), the
 *              same files in each engine, through the engine layer (test/support/engines/)
 * `npm test` (test/run.mjs) finds or provisions Chromium and sets CHROME_PATH first.
 */
import { playwright } from '@vitest/browser-playwright';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { CHAPTER_ENV } from './support/chapter-check.ts';
import { CHROMIUM_ARGS } from './support/chromium.ts';
import { ENGINE_NAMES } from './support/engines/engine.ts';
import { ISOLATION_HEADERS } from '../src/build/site/headers.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const COVERAGE_GUARD = 'test/engines/coverage.test.ts';

/** The projects that drive a browser against the production builds (made once per run). */
const AGAINST_BUILDS: {
  environment: 'node';
  globalSetup: string[];
  testTimeout: number;
  hookTimeout: number;
} = {
  environment: 'node',
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 300_000,
};

export default defineConfig({
  root,
  server: { headers: ISOLATION_HEADERS },
  test: {
    // Two test files at a time, whatever their project: most of a browser test is waiting for
    // the page, so a second file keeps the second core busy. (vitest's default on two cores is
    // one; and a project left at one worker would run in a group of its own, after the others,
    // which would put the coverage guard before what it counts.)
    maxWorkers: 2,
    // The run's record (projects, files, wall times) for the coverage guard and `npm test`.
    reporters: ['default', './test/support/run-record.ts'],
    // expect.poll waits for something the page will do; its 1 s default is a speed test in
    // disguise on a loaded 2-core machine (a worker's third tick came after 1 s once in CI).
    // Waiting longer costs nothing when the page is quick.
    expect: { poll: { timeout: 15_000 } },
    // `npm run check:chapter` names one chapter for the content checks (support/chapter-filter.ts).
    provide: { chapter: process.env[CHAPTER_ENV] ?? '' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        extends: true,
        server: { headers: ISOLATION_HEADERS },
        // Pre-bundled up front: discovering a dependency mid-run makes Vite reload the browser
        // tests (Mermaid; hast-util-to-html, which test/browser/example/mount.ts renders with;
        // engine262 and CodeMirror, which the stepper's test loads in its worker and editor).
        optimizeDeps: {
          include: [
            'mermaid',
            'hast-util-to-html',
            '@engine262/engine262',
            '@codemirror/state',
            '@codemirror/view',
          ],
        },
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 20_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                ...(process.env['CHROME_PATH'] ? { executablePath: process.env['CHROME_PATH'] } : {}),
                args: CHROMIUM_ARGS,
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          ...AGAINST_BUILDS,
          include: ['test/e2e/**/*.test.ts'],
        },
      },
      ...ENGINE_NAMES.map((engine) => ({
        extends: true as const,
        test: {
          name: engine,
          ...AGAINST_BUILDS,
          include: ['test/engines/**/*.test.ts'],
          exclude: [COVERAGE_GUARD],
          provide: { engine },
        },
      })),
      {
        extends: true,
        test: {
          // After every other project: counts what each engine ran (test/engines/coverage.test.ts).
          name: 'coverage',
          environment: 'node',
          include: [COVERAGE_GUARD],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
