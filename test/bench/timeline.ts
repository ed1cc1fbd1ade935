/**
 * Timeline benchmark for `npm run bench` (`npm run bench -- timeline`). Figures only; nothing is
 * asserted (the machines are shared and noisy).
 *
 * What runs: test/bench/browser/timeline.ts (see it for what each figure means), bundled the way
 * readers get it — Vite in production mode (minified, the site's `worker.format: 'es'`), served
 * as static files with the site's isolation headers by test/support/static-server.ts, in headless
 * Chromium. Not `astro dev`: dev serves unminified, unbundled modules. The built site's own pages
 * cannot be used directly because they expose no runner API to a script; this is the same
 * runner, libraries, worker and timeline code through the same bundler and settings.
 *
 * Targets (issue 8, "Measure"): tracing overhead ≤ 10 % for a run of 10,000 events, relative to
 * the same run untraced; longest main-thread task while the timeline renders ≤ 50 ms.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { build } from 'vite';
import { ISOLATION_HEADERS } from '../../src/build/site/headers.mjs';
import { launchChromium } from '../support/browser.ts';
import { ROOT } from '../support/site.ts';
import { serveStatic } from '../support/static-server.ts';
import { extractExamples } from '../../src/build/examples/syntax.mjs';
import type { BookExample } from './browser/timeline.ts';
import type { BenchRow } from './concurrency.ts';

const ROUNDS = 9;

/** Every runnable example of the chapters that shows the timeline, in its default realm. */
function bookExamples(): BookExample[] {
  const folder = `${ROOT}content/chapters`;
  return readdirSync(folder)
    .filter((name) => name.endsWith('.mdx'))
    .sort()
    .flatMap((name) => extractExamples(readFileSync(`${folder}/${name}`, 'utf8'), name).examples)
    .filter((example) => example.timeline)
    .map((example) => ({
      id: example.id,
      realm: example.realms[0] ?? 'main',
      code: example.code,
      timeoutMs: example.timeoutMs,
    }));
}

/** Bundles browser/timeline.ts (and, through it, the runner, its worker and the libraries) for production. */
async function bundle(outDir: string): Promise<void> {
  await build({
    root: ROOT,
    configFile: false,
    logLevel: 'warn',
    mode: 'production',
    base: './',
    worker: { format: 'es' },
    build: {
      outDir,
      emptyOutDir: true,
      minify: true,
      rollupOptions: {
        input: { measure: `${ROOT}test/bench/browser/timeline.ts` },
        preserveEntrySignatures: 'strict',
        output: { entryFileNames: '[name].js' },
      },
    },
  });
  writeFileSync(
    `${outDir}/index.html`,
    '<!doctype html><meta charset="utf-8"><title>timeline bench</title><body style="margin:0;font:14px system-ui">' +
      '<script type="module">import { measureTimeline } from "./measure.js"; window.measureTimeline = measureTimeline; document.title = "ready";</script>',
  );
  writeFileSync(
    `${outDir}/_headers`,
    `/*\n${Object.entries(ISOLATION_HEADERS)
      .map(([name, value]) => `  ${name}: ${value}`)
      .join('\n')}\n`,
  );
}

export default async function benchTimeline(): Promise<BenchRow[]> {
  const outDir = mkdtempSync(`${tmpdir()}/interleave-bench-timeline-`);
  try {
    await bundle(outDir);
    const server = await serveStatic(outDir, { headers: true });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      await page.goto(server.url, { waitUntil: 'load' });
      await page.waitForFunction(() => document.title === 'ready');
      if (!(await page.evaluate(() => crossOriginIsolated)))
        throw new Error('the bench page is not cross-origin isolated');
      const f = await page.evaluate(
        ([rounds, book]) =>
          (
            window as unknown as {
              measureTimeline(rounds: number, book: BookExample[]): Promise<Record<string, number>>;
            }
          ).measureTimeline(rounds, book),
        [ROUNDS, bookExamples()] as const,
      );
      return rows(f);
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

function rows(f: Record<string, number>): BenchRow[] {
  const round = (n: number | undefined, digits = 1) => Number((n ?? NaN).toFixed(digits));
  const out: BenchRow[] = [
    {
      name: 'timeline.clock.main',
      value: round(f['clock.mainUs'], 3),
      unit: 'µs',
      note: 'one performance.now() on the page; every trace event needs one (its time)',
    },
    {
      name: 'timeline.clock.worker',
      value: round(f['clock.workerUs'], 3),
      unit: 'µs',
      note: 'the same in a worker',
    },
  ];
  const keys = Object.keys(f);
  for (const id of new Set(keys.filter((k) => k.startsWith('book.')).map((k) => k.split('.')[1] as string))) {
    out.push({
      name: `timeline.book.${id}.overhead`,
      value: round(f[`book.${id}.overhead`]),
      unit: '%',
      note: `the book's example, whole run traced vs untraced (untraced ${round(f[`book.${id}.untracedMs`])} ms, ${f[`book.${id}.events`]} trace events kept); median of ${ROUNDS} paired rounds; target <= 10 %`,
    });
  }
  const workloads = new Set(keys.filter((k) => k.startsWith('trace.')).map((k) => k.split('.')[1] as string));
  for (const w of workloads) {
    out.push(
      {
        name: `timeline.trace.${w}.overhead`,
        value: round(f[`trace.${w}.overhead`]),
        unit: '%',
        note: `${f[`trace.${w}.events`]} trace events; snippet time untraced ${round(f[`trace.${w}.untracedMs`], 2)} ms (${round(f[`trace.${w}.workPerEventUs`], 2)} µs of work per event; one clock read per event alone is ${round(f[`trace.${w}.floor`])} %); median of ${ROUNDS} paired rounds; target <= 10 %`,
      },
      {
        name: `timeline.trace.${w}.perEvent`,
        value: round(f[`trace.${w}.perEventUs`], 3),
        unit: 'µs/event',
        note: 'median added snippet time per trace event',
      },
    );
    if (f[`trace.${w}.runOverhead`] !== undefined) {
      out.push({
        name: `timeline.trace.${w}.runOverhead`,
        value: round(f[`trace.${w}.runOverhead`]),
        unit: '%',
        note: `whole run, Run → done incl. posting and decoding on the page; untraced ${round(f[`trace.${w}.untracedRunMs`], 1)} ms`,
      });
    }
  }
  out.push(
    {
      name: 'timeline.render.sync',
      value: round(f['render.ms']),
      unit: 'ms',
      note: `one synchronous layout + draw of ${f['render.events']} events (forced; the element itself spreads layout over frames)`,
    },
    {
      name: 'timeline.render.longestTask',
      value: round(f['render.longestTask']),
      unit: 'ms',
      note: `PerformanceObserver longtask (0 = none over 50 ms) while ${f['render.events']} events render, zoom, table opens and pages; target <= 50 ms`,
    },
  );
  for (const [key, value] of Object.entries(f)) {
    if (key.startsWith('render.longestTask.'))
      out.push({ name: `timeline.${key}`, value: round(value), unit: 'ms' });
    if (key.startsWith('render.frameGap.'))
      out.push({
        name: `timeline.${key}`,
        value: round(value),
        unit: 'ms',
        note: 'longest gap between animation frames (60 Hz: 16.7)',
      });
  }
  return out;
}
