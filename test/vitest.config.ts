/**
 * Five test projects, by cost:
 *  - unit:    Node only (libraries, content checks, build-time code)
 *  - browser: vitest browser mode in Chromium via Playwright, cross-origin isolated
 *  - e2e:     playwright-core against production builds served with production headers
 *  - engines: the e2e checks that matter most in Firefox ESR (test/support/engines/)
 *  - webkit:  the same in WebKit (WebKitGTK's MiniBrowser)
 * `npm test` (test/run.mjs) finds or provisions Chromium and sets CHROME_PATH first.
 */
import { playwright } from '@vitest/browser-playwright';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { CHAPTER_ENV } from './support/chapter-check.ts';
import { CHROMIUM_ARGS } from './support/chromium.ts';
import { ISOLATION_HEADERS } from '../src/build/headers.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The projects that drive a browser against the production builds (made once per run). */
const AGAINST_BUILDS: {
  environment: 'node';
  globalSetup: string[];
  testTimeout: number;
  hookTimeout: number;
  fileParallelism: boolean;
} = {
  environment: 'node',
  globalSetup: ['test/e2e/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 300_000,
  // One browser and a handful of servers are shared; files run one at a time.
  fileParallelism: false,
};

export default defineConfig({
  root,
  server: { headers: ISOLATION_HEADERS },
  test: {
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
          exclude: ['test/e2e/engines/**'],
        },
      },
      {
        extends: true,
        test: {
          // The e2e checks that matter most, in Firefox ESR (test/e2e/engines/).
          name: 'engines',
          ...AGAINST_BUILDS,
          include: ['test/e2e/engines/engine-layer.test.ts', 'test/e2e/engines/firefox.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          // The same checks in WebKit, the engine of every iPhone.
          name: 'webkit',
          ...AGAINST_BUILDS,
          include: ['test/e2e/engines/webkit.test.ts'],
        },
      },
    ],
  },
});
