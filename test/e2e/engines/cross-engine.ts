/**
 * The end-to-end checks that matter most, in one engine of the engine layer
 * (test/support/engines/): every runnable example and every exercise through the page's own UI
 * in each realm it offers, with no page errors; cross-origin isolation of the served build, and
 * through the service worker on a host that sends no headers; axe on every page in both themes;
 * the event loop stepper and the scheduler panel (panels.ts).
 * Chromium runs the same checks in examples.test.ts, exercises.test.ts,
 * isolation-service-worker.test.ts and accessibility.test.ts; firefox.test.ts and webkit.test.ts
 * call this. Cases known to fail are listed, with their reason, in known-failures.ts only.
 */
import axe from 'axe-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareOutput } from '../../../src/build/examples.mjs';
import { launchEngine, type Engine, type EngineName, type EnginePage } from '../../support/engines/index.ts';
import { BUILDS, type BuildName } from '../../support/site.ts';
import { serveStatic, type StaticServer } from '../../support/static-server.ts';
import {
  AXE_EXCLUDE,
  codeBlocksFocusable,
  describeViolations,
  drawDiagrams,
  WCAG_TAGS,
  type Theme,
} from '../content-axe.ts';
import { readSite } from '../content-crawl.ts';
import { contentExamples, contentExercises, SELECT, savedEdit, shareFragment } from '../examples-support.ts';
import { scrollIntoHighlighterBand } from '../table-of-contents-support.ts';
import { KNOWN_FAILURES } from './known-failures.ts';
import { schedulerChecks, stepperChecks } from './panels.ts';

export interface Outcome {
  readonly state: string;
  readonly status: string;
  readonly output: string;
  readonly verdict?: string;
  readonly verdictText?: string;
}

/**
 * Picks the realm (when the island offers a choice) the way a reader does: a click on its radio.
 * Waits up to 30 s for it: WebKit, loaded by a parallel run, once took over 10 s to take a click.
 */
async function chooseRealm(page: EnginePage, island: string, realm: 'main' | 'worker'): Promise<void> {
  const radio = `${island} ${SELECT.realmInput(realm)}`;
  if (!(await page.evaluate((selector) => document.querySelector(selector) !== null, radio))) return;
  await page.click(radio);
  await explainTimeout(page, island, () =>
    page.waitFor((selector) => (document.querySelector(selector) as HTMLInputElement).checked, radio, {
      timeoutMs: 30_000,
      what: `the ${realm} realm to be chosen`,
    }),
  );
}

/**
 * Runs `wait`; if it fails, adds to its error what the page looked like then: whether it was
 * visible and focused, whether its timers and frames still ran, and the island's state — a
 * timeout alone does not say whether the page, the engine or the test stalled.
 */
async function explainTimeout<T>(page: EnginePage, island: string, wait: () => Promise<T>): Promise<T> {
  try {
    return await wait();
  } catch (error) {
    const seen = await page
      .evaluate(
        async ({ selector, parts }) => {
          const within = (start: (done: () => void) => void) =>
            Promise.race([
              new Promise<string>((resolve) => {
                const t0 = performance.now();
                start(() => resolve(`${Math.round(performance.now() - t0)} ms`));
              }),
              new Promise<string>((resolve) => setTimeout(() => resolve('not within 2 s'), 2_000)),
            ]);
          const element = document.querySelector(selector) as HTMLElement | null;
          return JSON.stringify({
            visibility: document.visibilityState,
            focus: document.hasFocus(),
            timer: await within((done) => setTimeout(done, 0)),
            frame: await within((done) => requestAnimationFrame(() => done())),
            island: element ? { ...element.dataset } : 'missing',
            status: element?.querySelector(parts.status)?.textContent ?? null,
            lastOutput: [...(element?.querySelectorAll(parts.output) ?? [])]
              .slice(-3)
              .map((l) => l.textContent),
            sinceLoad: `${Math.round(performance.now())} ms`,
            lastClick: (window as { __interleaveLastClick?: string }).__interleaveLastClick ?? null,
          });
        },
        { selector: island, parts: { status: SELECT.status, output: SELECT.outputText } },
      )
      .catch((reason: unknown) => `the page did not answer (${String(reason)})`);
    (error as Error).message += `\nthe page then: ${seen}`;
    throw error;
  }
}

/** Waits until the island has swapped in its editor with `what` (saved or shared code) loaded. */
async function editorReady(page: EnginePage, island: string, what: string): Promise<void> {
  await page.waitFor((selector) => document.querySelector(selector)?.hasAttribute('data-editor'), island, {
    timeoutMs: 30_000,
    what: `${what} to be loaded into the editor`,
  });
}

/** Clicks Run and waits until that run (and, for an exercise, its check) has ended. */
async function runAndWait(
  page: EnginePage,
  island: string,
  timeoutMs: number,
  { exercise = false } = {},
): Promise<Outcome> {
  const runs = (selector: string) =>
    Number((document.querySelector(selector) as HTMLElement).dataset['runs'] ?? 0);
  const before = await page.evaluate(runs, island);
  await page.click(`${island} ${SELECT.action('run')}`);
  await explainTimeout(page, island, () =>
    page.waitFor(
      ({ selector, before, exercise }) => {
        const data = (document.querySelector(selector) as HTMLElement).dataset;
        const ended = Number(data['runs'] ?? 0) > before && data['state'] !== 'running';
        return ended && (!exercise || data['verdict'] !== undefined);
      },
      { selector: island, before, exercise },
      { timeoutMs, what: `the run of ${island} to end` },
    ),
  );
  return page.evaluate(
    ({ selector, parts }) => {
      const element = document.querySelector(selector) as HTMLElement;
      return {
        state: element.dataset['state'] ?? '',
        status: element.querySelector(parts.status)?.textContent ?? '',
        output: [...element.querySelectorAll(parts.output)].map((line) => line.textContent).join('\n'),
        ...(element.dataset['verdict'] === undefined
          ? {}
          : {
              verdict: element.dataset['verdict'],
              verdictText: element.querySelector(parts.verdict)?.textContent ?? '',
            }),
      };
    },
    {
      selector: island,
      parts: { status: SELECT.status, output: SELECT.outputText, verdict: SELECT.verdict },
    },
  );
}

export function crossEngineSuite(name: Exclude<EngineName, 'chromium'>): void {
  const known = KNOWN_FAILURES[name];
  const named = new Set<string>();
  /** `it`, or `it.fails` for a case listed in known-failures.ts (key: "group > title" without line). */
  const test = (group: string, title: string, body: () => Promise<void>, timeoutMs = 90_000) => {
    // Without the line number, which moves whenever text is added above the example.
    const key = `${group} > ${title.replace(/\.mdx:\d+ /, '.mdx ')}`;
    named.add(key);
    const reason = known[key];
    if (reason) it.fails(`${title} [known failure: ${reason}]`, body, timeoutMs);
    else it(title, body, timeoutMs);
  };

  let engine: Engine;
  let site: StaticServer;
  beforeAll(async () => {
    engine = await launchEngine(name, (line) => console.log(`[${name}] ${line}`));
    site = await serveStatic(BUILDS.root.outDir, { base: BUILDS.root.base, headers: true });
  });
  afterAll(async () => {
    await site?.close();
    await engine?.close();
  });

  describe(name, () => {
    describe('examples', () => {
      const testedPages = contentExamples().pages.filter(({ examples }) =>
        examples.some((e) => !e.playground),
      );
      for (const { file, path, examples } of testedPages) {
        describe(file, () => {
          let page: EnginePage;
          beforeAll(async () => {
            page = await engine.open(site.url + path);
          });
          afterAll(async () => {
            await page?.close();
          });
          for (const example of examples.filter((e) => !e.playground))
            for (const realm of example.realms)
              test('examples', `${file}:${example.line} (${example.id}, ${realm})`, async () => {
                const where = `${name}: ${file}:${example.line} (id ${example.id}, ${realm})`;
                const island = SELECT.example(example.id);
                const errorsBefore = (await page.errors()).length;
                await chooseRealm(page, island, realm);
                const outcome = await runAndWait(page, island, example.timeoutMs + 30_000);
                const comparison = compareOutput(outcome.output, example.expected ?? '', example.match);
                expect(
                  comparison.ok,
                  `${where}: output does not match the \`\`\`output block (line ${example.outputLine}): ${comparison.message}\n(status: ${outcome.state}, ${outcome.status})\n--- actual output ---\n${outcome.output}`,
                ).toBe(true);
                expect(outcome.state, `${where}: the run ended "${outcome.state}" (${outcome.status})`).toBe(
                  example.status,
                );
                expect((await page.errors()).slice(errorsBefore), `${where}: page errors`).toEqual([]);
              });
        });
      }
    });

    describe('exercises', () => {
      for (const { exercise, realm, path } of contentExercises().cases) {
        const title = `${exercise.file}:${exercise.line} (${exercise.id}, ${realm})`;
        const where = `${name}: ${exercise.file}:${exercise.line} (exercise ${exercise.id}, ${realm})`;
        const island = SELECT.example(exercise.id);
        const check = async (code: string | undefined) => {
          const page = await engine.open(site.url + path, {
            ...(code === undefined
              ? {}
              : { localStorage: Object.fromEntries([savedEdit(path, exercise, code)]) }),
          });
          try {
            if (code !== undefined) await editorReady(page, island, 'the saved solution');
            await chooseRealm(page, island, realm);
            const outcome = await runAndWait(page, island, exercise.timeoutMs + 30_000, { exercise: true });
            return { ...outcome, errors: await page.errors() };
          } finally {
            await page.close();
          }
        };
        test('exercises', `${title}: the starter as given fails its check`, async () => {
          const outcome = await check(undefined);
          expect(outcome.verdict, `${where}: the starter passed its check (${outcome.verdictText})`).toBe(
            'fail',
          );
          expect(outcome.verdictText).toMatch(/^✗ Not yet: /);
          expect(outcome.errors, `${where}: page errors`).toEqual([]);
        });
        test('exercises', `${title}: the solution passes its check`, async () => {
          const outcome = await check(exercise.solution);
          expect(
            outcome.verdict,
            `${where}: the solution (line ${exercise.solutionLine}) failed its check: ${outcome.verdictText}`,
          ).toBe('pass');
          expect(outcome.errors, `${where}: page errors`).toEqual([]);
        });
      }
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
            const page = await engine.open(`${site.url}playground/#${shareFragment(respawn, realm)}`);
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

    describe('page chrome', () => {
      // Starlight's highlighter is replaced by src/chrome/starlight-toc.ts (issue #18).
      test('chrome', '"On this page" marks the section scrolled to', async () => {
        const page = await engine.open(`${site.url}chapters/multithreading/`);
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

    describe('cross-origin isolation', () => {
      test('isolation', 'the served build is cross-origin isolated, with SharedArrayBuffer', async () => {
        const page = await engine.open(`${site.url}chapters/multithreading/`);
        try {
          const state = await page.evaluate(() => ({
            isolated: crossOriginIsolated,
            sharedMemory:
              typeof SharedArrayBuffer === 'function' && new SharedArrayBuffer(8).byteLength === 8,
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
            const page = await engine.open(`${server.origin}${path}`);
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

    describe('accessibility', () => {
      const { outDir, base } = BUILDS.root;
      const routes = [...readSite(outDir, base).keys()].filter((url) => !url.endsWith('/404')).sort();
      for (const theme of ['light', 'dark'] as Theme[])
        for (const route of routes)
          test('accessibility', `${theme} theme: ${route} has no WCAG 2.2 A/AA violations`, async () => {
            const page = await engine.open(site.origin + route, { theme });
            try {
              expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe(theme);
              await page.evaluate(drawDiagrams);
              await page
                .waitFor(codeBlocksFocusable, undefined, { timeoutMs: 5_000, what: 'focusable code blocks' })
                .catch(() => undefined);
              await page.evaluate((source) => void (0, eval)(source), axe.source);
              const violations = await page.evaluate(
                async ({ exclude, tags }) => {
                  const results = await (window as unknown as { axe: typeof axe }).axe.run(
                    { exclude: [exclude] },
                    { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] },
                  );
                  // Only what describeViolations reads: plain data every engine can send back.
                  return results.violations.map(({ id, impact, help, nodes }) => ({
                    id,
                    impact,
                    help,
                    nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })),
                  }));
                },
                { exclude: AXE_EXCLUDE, tags: WCAG_TAGS },
              );
              expect(describeViolations(violations as never)).toEqual([]);
            } finally {
              await page.close();
            }
          });
    });

    const parts = { engine: () => engine, site: () => site, test };
    stepperChecks(parts);
    schedulerChecks(parts);

    it('every known failure names a case that exists', () => {
      expect(Object.keys(known).filter((key) => !named.has(key))).toEqual([]);
    });
  });
}
