/**
 * Offline reading benchmark (issue 17), for `npm run bench` (`npm run bench -- offline`). Builds
 * the site once, serves it with its headers, then:
 *
 * - the precache: bytes and files in the service worker's manifest (src/build/site/offline.mjs);
 * - time to install the service worker: from the start of a first visit (a fresh browser
 *   context) until the worker is active with the whole book precached, median of ROUNDS;
 * - a chapter's load, offline from the worker's cache vs online from the server in a context
 *   with no worker (navigation start → load event), median of ROUNDS each, and their ratio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { precacheManifest } from '../../src/build/site/offline.mjs';
import { median } from '../../src/client/demos/speedup-view.ts';
import { launchChromium } from '../support/browser.ts';
import { buildSite } from '../support/site.ts';
import { serveStatic } from '../support/static-server.ts';
import type { BenchRow } from './concurrency.ts';

const ROUNDS = 5;
const FIRST_PAGE = 'guide/using-this-book/';
const CHAPTER = 'chapters/multithreading/';

export default async function benchOffline(): Promise<BenchRow[]> {
  const outDir = mkdtempSync(`${tmpdir()}/interleave-bench-offline-`);
  const browser = await launchChromium();
  try {
    buildSite(outDir, '/');
    const { files, bytes, version } = precacheManifest(outDir);
    const server = await serveStatic(outDir);
    try {
      const installs: number[] = [];
      const offline: number[] = [];
      const online: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const { page, installedAt } = await firstVisit(browser, server.url + FIRST_PAGE);
        installs.push(installedAt);
        await page.context().setOffline(true);
        offline.push(await loadTime(page, server.url + CHAPTER));
        await page.context().close();

        const context = await browser.newContext({ serviceWorkers: 'block' });
        online.push(await loadTime(await context.newPage(), server.url + CHAPTER));
        await context.close();
      }
      const offlineMedian = median(offline);
      const onlineMedian = median(online);
      return [
        { name: 'offline: precache size', value: bytes, unit: 'B', note: `version ${version}` },
        { name: 'offline: precache files', value: files.length, unit: 'files' },
        {
          name: 'offline: service worker installed',
          value: Math.round(median(installs)),
          unit: 'ms',
          note: `first visit start → active with the book precached, median of ${ROUNDS}`,
        },
        { name: `offline: ${CHAPTER} load, offline`, value: Math.round(offlineMedian), unit: 'ms' },
        {
          name: `offline: ${CHAPTER} load, online`,
          value: Math.round(onlineMedian),
          unit: 'ms',
          note: 'no service worker, local server',
        },
        {
          name: 'offline: offline / online load',
          value: Number((offlineMedian / onlineMedian).toFixed(2)),
          unit: '×',
          note: `median of ${ROUNDS} each, same run`,
        },
      ];
    } finally {
      await server.close();
    }
  } finally {
    await browser.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** A first visit in a fresh context; when (ms after its start) the worker was active. */
async function firstVisit(browser: Browser, url: string): Promise<{ page: Page; installedAt: number }> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  // The page records when the worker reported the book kept (src/client/offline/page.ts).
  await page.waitForFunction(() => document.documentElement.dataset['offline'] === 'ready', null, {
    polling: 10,
  });
  const installedAt = await page.evaluate(() => performance.now());
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  return { page, installedAt };
}

/** Navigation start → load event of a page, as the page itself timed it. */
async function loadTime(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'load' });
  const timing = await page.waitForFunction(() => {
    const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    return navigation && navigation.loadEventEnd > 0 && navigation.loadEventEnd - navigation.startTime;
  });
  return (await timing.jsonValue()) as number;
}
