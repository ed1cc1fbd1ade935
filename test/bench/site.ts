/**
 * Site benchmarks (issue "Site foundation"): full build time, JavaScript each
 * page loads before any interaction (gzip bytes, as the browser fetched it), and
 * Lighthouse (mobile, the default config) on the landing page and a content
 * page, served from a production build with production headers.
 */
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../support/browser.ts';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.ts';
import { buildSite } from '../support/site.ts';
import { serveStatic } from '../support/static-server.ts';
import type { BenchRow } from './concurrency.ts';

const PAGES = { landing: '', 'content page': 'guide/using-this-book/' } as const;

export default async function benchSite(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const outDir = mkdtempSync(`${tmpdir()}/interleave-bench-`);
  try {
    const started = performance.now();
    buildSite(outDir, '/');
    rows.push({ name: 'site: full build', value: Math.round(performance.now() - started), unit: 'ms' });

    const server = await serveStatic(outDir);
    try {
      rows.push(...(await initialJavaScript(server.url)));
      rows.push(...(await lighthouseScores(server.url)));
    } finally {
      await server.close();
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

async function lighthouseScores(base: string): Promise<BenchRow[]> {
  const chromePath = findChromium();
  if (!chromePath) throw new Error('No Chromium: run `npm test` once, or set CHROME_PATH.');
  const chrome = await launch({ chromePath, chromeFlags: ['--headless=new', ...CHROMIUM_ARGS] });
  const rows: BenchRow[] = [];
  try {
    for (const [label, path] of Object.entries(PAGES)) {
      const result = await lighthouse(base + path, { port: chrome.port, logLevel: 'error', output: 'json' });
      if (!result) throw new Error(`Lighthouse returned nothing for ${base + path}`);
      const { categories, audits } = result.lhr;
      for (const category of ['performance', 'accessibility', 'best-practices', 'seo'] as const) {
        const score = categories[category]?.score;
        const failing = Object.values(audits)
          .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === 'binary')
          .filter((audit) =>
            categories[category]?.auditRefs.some((ref) => ref.id === audit.id && ref.weight > 0),
          )
          .map((audit) => audit.id);
        rows.push({
          name: `lighthouse mobile: ${label}, ${category}`,
          value: Math.round((score ?? 0) * 100),
          unit: '/100',
          ...(failing.length ? { note: `failing: ${failing.join(', ')}` } : {}),
        });
      }
    }
  } finally {
    chrome.kill();
  }
  return rows;
}
