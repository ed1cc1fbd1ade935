/**
 * Every page of the book, in every engine: axe finds no WCAG 2.2 A/AA violation on any route, in
 * the light theme and then, switched by the page's own theme menu in the same load, the dark one
 * (diagrams and code blocks drawn, as for a reader who scrolled through); the served build is cross-origin isolated, and on a host that sends no
 * headers the service worker isolates it after at most one reload; "On this page" follows the
 * scroll; and the runner survives workers ended and started at once.
 */
import axe from 'axe-core';
import { describe, expect } from 'vitest';
import { AXE_EXCLUDE, describeViolations, drawCodeBlocks, drawDiagrams, WCAG_TAGS } from '../support/axe.ts';
import { readSite } from '../support/content-crawl.ts';
import { SELECT, shareFragment } from '../support/examples.ts';
import { BUILDS, type BuildName } from '../support/site.ts';
import { serveStatic } from '../support/static-server.ts';
import { scrollIntoHighlighterBand } from '../support/table-of-contents.ts';
import { caseName } from './cases.ts';
import { chooseRealm, editorReady, runAndWait } from './island.ts';
import { engineSuite, onePageLoad } from './suite.ts';

const THEMES = ['light', 'dark'] as const;
const { outDir, base } = BUILDS.root;
const routes = [...readSite(outDir, base).keys()].filter((url) => !url.endsWith('/404')).sort();

/** In the page: axe's violations (WCAG 2.2 A/AA), as plain data every engine can send back. */
async function axeRun({ exclude, tags }: { exclude: string; tags: string[] }) {
  const results = await (window as unknown as { axe: typeof axe }).axe.run(
    { exclude: [exclude] },
    { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] },
  );
  return results.violations.map(({ id, impact, help, nodes }) => ({
    id,
    impact,
    help,
    nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })),
  }));
}

/** In the page: picks a theme in Starlight's theme menu, as a reader does; returns the page's theme. */
function chooseTheme(theme: string): string | undefined {
  const select = document.querySelector<HTMLSelectElement>('starlight-theme-select select')!;
  select.value = theme;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  return document.documentElement.dataset['theme'];
}

engineSuite(['accessibility', 'isolation', 'chrome', 'runner'], ({ engine, site, test }) => {
  describe('accessibility', () => {
    for (const route of routes)
      describe(route, () => {
        /** Code blocks that scroll sideways but cannot be focused once drawn (axe's rule, as readers meet it). */
        let unfocusable: string[];
        const page = onePageLoad(async () => {
          const opened = await engine().open(site().origin + route, { theme: THEMES[0] });
          await opened.evaluate(drawDiagrams);
          unfocusable = await opened.evaluate(drawCodeBlocks);
          await opened.evaluate((source) => void (0, eval)(source), axe.source);
          return opened;
        });

        for (const theme of THEMES)
          test('accessibility', caseName.route(route, theme), async () => {
            if (theme !== THEMES[0]) expect(await page().evaluate(chooseTheme, theme)).toBe(theme);
            expect(await page().evaluate(() => document.documentElement.dataset['theme'])).toBe(theme);
            expect(unfocusable, 'code blocks that scroll sideways but cannot be focused').toEqual([]);
            const violations = await page().evaluate(axeRun, { exclude: AXE_EXCLUDE, tags: WCAG_TAGS });
            expect(describeViolations(violations as never)).toEqual([]);
          });
      });
  });

  describe('cross-origin isolation', () => {
    test('isolation', 'the served build is cross-origin isolated, with SharedArrayBuffer', async () => {
      const page = await engine().open(`${site().url}chapters/multithreading/`);
      try {
        const state = await page.evaluate(() => ({
          isolated: crossOriginIsolated,
          sharedMemory: typeof SharedArrayBuffer === 'function' && new SharedArrayBuffer(8).byteLength === 8,
          badge: document.querySelector('header isolation-status')?.getAttribute('data-state') ?? null,
        }));
        expect(state).toEqual({ isolated: true, sharedMemory: true, badge: 'isolated' });
      } finally {
        await page.close();
      }
    });

    for (const build of Object.keys(BUILDS) as BuildName[])
      test(
        'isolation',
        `a host with no headers (build "${build}") is isolated by the service worker after at most one reload`,
        async () => {
          const { outDir, base } = BUILDS[build];
          const server = await serveStatic(outDir, { base, headers: false });
          const path = `${base}guide/using-this-book/`;
          // Page loads only: the service worker also fetches this page, into its offline precache.
          const loads = () => server.navigations.filter((request) => request === path).length;
          const page = await engine().open(`${server.origin}${path}`);
          try {
            await page.waitFor(() => crossOriginIsolated, undefined, {
              timeoutMs: 30_000,
              what: 'crossOriginIsolated',
            });
            // Settled: no further load for 2.5 s.
            for (let seen = -1; seen !== loads();) {
              seen = loads();
              await new Promise((resolve) => setTimeout(resolve, 2_500));
            }
            expect(loads(), 'page loads (the first, and at most one reload)').toBeGreaterThanOrEqual(1);
            expect(loads(), 'page loads (the first, and at most one reload)').toBeLessThanOrEqual(2);
            expect(
              await page.evaluate(() => ({
                isolation: document.documentElement.dataset['isolation'],
                worker: navigator.serviceWorker.controller?.scriptURL,
              })),
            ).toEqual({ isolation: 'isolated', worker: `${server.url}isolation-sw.js` });
            // Later pages need no reload (the worker may serve them from its precache: no load
            // reaches the server at all then).
            const homeLoads = () => server.navigations.filter((request) => request === base).length;
            await page.goto(server.url);
            expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
            expect(
              await page.evaluate(
                () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).type,
              ),
            ).toBe('navigate');
            expect(homeLoads()).toBeLessThanOrEqual(1);
          } finally {
            await page.close();
            await server.close();
          }
        },
      );
  });

  describe('page chrome', () => {
    // Starlight's highlighter is replaced by src/chrome/starlight-toc.ts (issue #18).
    test('chrome', '"On this page" marks the section scrolled to', async () => {
      const page = await engine().open(`${site().url}chapters/multithreading/`);
      try {
        const ids = await page.evaluate(() =>
          [...document.querySelectorAll('main .sl-markdown-content h2[id]')].map((heading) => heading.id),
        );
        for (const id of [ids[2]!, ids.at(-1)!, ids[1]!]) {
          await page.evaluate(scrollIntoHighlighterBand, id);
          await page.waitFor(
            (id) =>
              [...document.querySelectorAll('starlight-toc, mobile-starlight-toc')]
                .filter((toc) => toc.querySelector('nav')!.getClientRects().length > 0)
                .map((toc) => toc.querySelector<HTMLAnchorElement>('a[aria-current="true"]')?.hash)
                .includes(`#${encodeURIComponent(id)}`),
            id,
            { timeoutMs: 15_000, what: `the table of contents to mark #${id}` },
          );
        }
        expect(await page.errors()).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });

  describe('runner', () => {
    // Firefox froze a worker inside `new Worker()` now and then when it started workers while
    // others were shutting down (see src/runner/worker/broker.ts); 5 rounds hung 6 runs of 8
    // before. Four rounds, to stay well inside the playground's 10 s in WebKit under load.
    const respawn = `// Four rounds: start three workers, get an answer from each, terminate them, start the next three.
const double = () => {
  onmessage = ({ data }) => postMessage(data * 2);
};
let total = 0;
for (let round = 0; round < 4; round++) {
  const workers = [1, 2, 3].map(() => spawn(double));
  const answers = await Promise.all(
    workers.map((w, i) => new Promise((resolve) => {
      w.onmessage = (event) => resolve(event.data);
      w.postMessage(i);
    })),
  );
  total += answers[0] + answers[1] + answers[2];
  workers.forEach((w) => w.terminate());
}
console.log('total', total);`;
    for (const realm of ['worker', 'main'] as const)
      test(
        'runner',
        `a ${realm} run that terminates its workers and starts new ones at once finishes`,
        async () => {
          const island = SELECT.example('playground');
          const page = await engine().open(`${site().url}playground/#${shareFragment(respawn, realm)}`);
          try {
            await editorReady(page, island, 'the shared code');
            await chooseRealm(page, island, realm);
            const outcome = await runAndWait(page, island, 40_000);
            expect(`${outcome.state}: ${outcome.output}`, outcome.status).toBe('done: total 24');
            expect(await page.errors()).toEqual([]);
          } finally {
            await page.close();
          }
        },
      );
  });
});
