/**
 * Site benchmarks (issues "Site foundation" and #18): full build time, JavaScript
 * the landing and a content page load before any interaction (gzip bytes, as the
 * browser fetched it), diagram JavaScript on every page with diagrams (after
 * scrolling through it), HTML bytes per diagram, how long the "On this page" highlighter takes to
 * find what it watches (Starlight's selector vs ours), and Lighthouse (mobile, the
 * default config; the median of three runs) on every page, served from a production build
 * gzipped and over HTTP/2 with TLS, as real hosts serve it.
 */
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { computeMedianRun } from 'lighthouse/core/lib/median-run.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import {
  observedSections,
  starlightObservedSelector,
  tocHeadingSelector,
} from '../../src/chrome/toc-sections.ts';
import { readSite } from '../support/content-crawl.ts';
import { launchChromium } from '../support/browser.ts';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.ts';
import { buildSite } from '../support/site.ts';
import { localCertificate, serveStatic } from '../support/static-server.ts';
import type { BenchRow } from './concurrency.ts';

type LighthouseResult = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];

const PAGES = { landing: '', 'content page': 'guide/using-this-book/' } as const;

/** A diagram's markup in a built page: the figure (or, before #18, the lazy <mermaid-diagram>). */
const DIAGRAM_MARKUP = /<(mermaid-diagram|figure)\b[^>]*\bdata-diagram-line="\d+"[^>]*>[\s\S]*?<\/\1>/g;
/** Scripts that draw diagrams: the loader, Mermaid and its chunks. */
const isDiagramCode = (path: string) =>
  /DiagramScript|\/render\.[\w-]+\.js|mermaid|Diagram-|dagre|chunk-/.test(path);

export default async function benchSite(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const outDir = mkdtempSync(`${tmpdir()}/interleave-bench-`);
  try {
    const started = performance.now();
    buildSite(outDir, '/');
    rows.push({ name: 'site: full build', value: Math.round(performance.now() - started), unit: 'ms' });

    const pages = [...readSite(outDir, '/').keys()].filter((url) => !url.endsWith('404')).sort();
    rows.push(...diagramMarkup(outDir));
    // Gzipped, as every real host serves text (GitHub Pages, Netlify, Cloudflare): Lighthouse's
    // simulated slow 4G turns an uncompressed 720 KB chapter into seconds of first paint.
    const server = await serveStatic(outDir, { compress: true });
    try {
      rows.push(...(await initialJavaScript(server.url)));
      rows.push(...(await diagramJavaScript(server.url, outDir)));
      rows.push(...(await tableOfContentsStartup(server.url, pages)));
    } finally {
      await server.close();
    }
    // Lighthouse over HTTP/2 with TLS, as those hosts serve: over HTTP/1.1 Lighthouse's simulation
    // opens a new connection (handshake, slow start) for each of a page's parallel requests.
    const tls = localCertificate();
    const host = await serveStatic(outDir, { compress: true, ...(tls ? { tls } : {}) });
    try {
      if (!tls) console.log('[bench] no openssl: Lighthouse runs over HTTP/1.1, which no real host uses');
      rows.push(...(await lighthouseScores(host.url, pages)));
    } finally {
      await host.close();
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  return rows;
}

/** Gzip bytes of every script a page loads by itself (external and inline), no interaction. */
async function initialJavaScript(base: string): Promise<BenchRow[]> {
  const browser = await launchChromium();
  const rows: BenchRow[] = [];
  try {
    for (const [label, path] of Object.entries(PAGES)) {
      const page = await browser.newPage();
      const scripts: Promise<Buffer>[] = [];
      page.on('response', (response) => {
        if (response.request().resourceType() === 'script') scripts.push(response.body());
      });
      await page.goto(base + path, { waitUntil: 'networkidle' });
      const inline = await page.$$eval('script:not([src])', (nodes) =>
        nodes.filter((n) => !n.getAttribute('type')?.includes('json')).map((n) => n.textContent ?? ''),
      );
      const bodies = [...(await Promise.all(scripts)), ...inline.map((text) => Buffer.from(text))];
      const bytes = bodies.reduce((sum, body) => sum + gzipSync(body).length, 0);
      rows.push({
        name: `site: initial JavaScript, ${label}`,
        value: bytes,
        unit: 'B gzip',
        note: `${bodies.length} scripts`,
      });
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return rows;
}

/** HTML bytes (raw and gzip) of the book's diagrams, per diagram. */
function diagramMarkup(outDir: string): BenchRow[] {
  const figures = [...readSite(outDir, '/').values()].flatMap((page) =>
    [...page.html.matchAll(DIAGRAM_MARKUP)].map((match) => match[0]),
  );
  if (!figures.length) return [];
  const raw = figures.reduce((sum, html) => sum + Buffer.byteLength(html), 0);
  const gzip = figures.reduce((sum, html) => sum + gzipSync(html).length, 0);
  return [
    {
      name: 'site: HTML per diagram',
      value: Math.round(raw / figures.length),
      unit: 'B',
      note: `mean of ${figures.length}; ${Math.round(gzip / figures.length)} B gzip each alone`,
    },
  ];
}

/** Gzip bytes of diagram code each page with diagrams fetches, scrolled to the end and every diagram shown. */
async function diagramJavaScript(base: string, outDir: string): Promise<BenchRow[]> {
  const withDiagrams = [...readSite(outDir, '/').values()]
    .filter((page) => page.html.match(DIAGRAM_MARKUP))
    .map((page) => page.url);
  const browser = await launchChromium();
  const rows: BenchRow[] = [];
  try {
    for (const path of withDiagrams) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const scripts: Promise<number>[] = [];
      page.on('response', (response) => {
        if (response.request().resourceType() !== 'script') return;
        if (!isDiagramCode(new URL(response.url()).pathname)) return;
        scripts.push(
          response.body().then(
            (body) => gzipSync(body).length,
            () => 0,
          ),
        );
      });
      await page.goto(base + path.slice(1), { waitUntil: 'networkidle' });
      for (const figure of await page.locator('[data-diagram-line]').all())
        await figure.scrollIntoViewIfNeeded();
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(500);
      const bytes = (await Promise.all(scripts)).reduce((sum, size) => sum + size, 0);
      rows.push({ name: `site: diagram JavaScript, ${path}`, value: bytes, unit: 'B gzip' });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return rows;
}

/** The book's tables of contents list h2 and h3 (Starlight's default). */
const HEADING = tocHeadingSelector(2, 3);

/**
 * Milliseconds to find what the "On this page" highlighter watches on each chapter, with Starlight's
 * `:has()` selector and with src/chrome/toc-sections.ts (median of 5 each, same page, same run).
 */
async function tableOfContentsStartup(base: string, pages: readonly string[]): Promise<BenchRow[]> {
  const browser = await launchChromium();
  const rows: BenchRow[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 412, height: 823 } });
    for (const path of pages.filter((url) => url.includes('/chapters/'))) {
      await page.goto(base + path.slice(1), { waitUntil: 'load' });
      const [starlight, ours] = await page.evaluate(
        ({ source, heading, selector }) => {
          const find = new Function(`return ${source}`)() as (selector: string) => Element[];
          const median = (run: () => unknown) => {
            const times = Array.from({ length: 5 }, () => {
              const started = performance.now();
              run();
              return performance.now() - started;
            }).sort((a, b) => a - b);
            return times[2]!;
          };
          return [median(() => document.querySelectorAll(selector)), median(() => find(heading))];
        },
        {
          source: observedSections.toString(),
          heading: HEADING,
          selector: starlightObservedSelector(HEADING),
        },
      );
      rows.push({
        name: `site: "On this page" start-up, ${path}`,
        value: Math.round(ours * 10) / 10,
        unit: 'ms',
        note: `Starlight's selector ${starlight.toFixed(1)} ms, ${(starlight / ours).toFixed(0)}× ours`,
      });
    }
  } finally {
    await browser.close();
  }
  return rows;
}

/**
 * Lighthouse runs per page. One run of a page varies by several points on a shared machine (other
 * processes, and Chromium's own: its browser-UI renderer works beside the page), so each
 * row is the median run by Lighthouse's own rule (`computeMedianRun`: nearest the median first
 * paint and time to interactive), with the range of all runs in its note.
 * `LIGHTHOUSE_RUNS=1 npm run bench -- site` for a quick look.
 */
const LIGHTHOUSE_RUNS = Number(process.env['LIGHTHOUSE_RUNS'] ?? 3);
if (!Number.isInteger(LIGHTHOUSE_RUNS) || LIGHTHOUSE_RUNS < 1)
  throw new Error(
    `LIGHTHOUSE_RUNS must be a whole number of runs, 1 or more (it is "${process.env['LIGHTHOUSE_RUNS']}")`,
  );

async function lighthouseScores(base: string, pages: readonly string[]): Promise<BenchRow[]> {
  // serveStatic serves HTTP/2 exactly when it has a certificate, at an https: address.
  const protocol = base.startsWith('https:') ? 'HTTP/2' : 'HTTP/1.1';
  const chromePath = findChromium();
  if (!chromePath) throw new Error('No Chromium: run `npm test` once, or set CHROME_PATH.');
  const chrome = await launch({
    chromePath,
    // The certificate is the bench's own, made for this run (localCertificate).
    chromeFlags: ['--headless=new', '--ignore-certificate-errors', ...CHROMIUM_ARGS],
  });
  const rows: BenchRow[] = [];
  try {
    for (const path of pages) {
      const runs: LighthouseResult[] = [];
      // A run Lighthouse could not finish (its runtimeError: the page did not paint, …) is named in
      // the rows' notes and left out of the median; with no run finished, the rows say so.
      const failed: string[] = [];
      for (let run = 0; run < LIGHTHOUSE_RUNS; run++) {
        const result = await lighthouse(base + path.slice(1), {
          port: chrome.port,
          logLevel: 'error',
          output: 'json',
        });
        if (!result) throw new Error(`Lighthouse returned nothing for ${base + path}`);
        const error = result.lhr.runtimeError;
        if (error) failed.push(`run ${run + 1} failed: ${error.code} (${error.message})`);
        else runs.push(result.lhr);
      }
      if (runs.length === 0) {
        rows.push({
          name: `lighthouse mobile (${protocol}): ${path}`,
          value: 0,
          unit: '/100',
          note: failed.join('; '),
        });
        continue;
      }
      const { categories, audits } = computeMedianRun(runs) as LighthouseResult;
      for (const category of ['performance', 'accessibility', 'best-practices', 'seo'] as const) {
        const score = categories[category]?.score;
        // Failing pass/fail audits first, then the spread of the runs and the figures.
        const notes = Object.values(audits)
          .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === 'binary')
          .filter((audit) =>
            categories[category]?.auditRefs.some((ref) => ref.id === audit.id && ref.weight > 0),
          )
          .map((audit) => audit.id);
        notes.push(...failed);
        const scores = runs.map((run) => Math.round((run.categories[category]?.score ?? 0) * 100));
        if (runs.length > 1 && Math.min(...scores) !== Math.max(...scores))
          notes.push(`runs ${Math.min(...scores)}–${Math.max(...scores)}`);
        if (category === 'performance' && (score ?? 0) < 1) {
          const shown = (id: string) => audits[id]?.displayValue;
          notes.push(
            `first paint ${shown('first-contentful-paint')}, largest ${shown('largest-contentful-paint')}, ` +
              `total blocking time ${shown('total-blocking-time')}, layout shift ${shown('cumulative-layout-shift')}`,
          );
        }
        rows.push({
          name: `lighthouse mobile (${protocol}): ${path}, ${category}`,
          value: Math.round((score ?? 0) * 100),
          unit: '/100',
          ...(notes.length ? { note: notes.join(', ') } : {}),
        });
      }
    }
  } finally {
    chrome.kill();
  }
  return rows;
}
