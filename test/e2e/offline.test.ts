/**
 * Offline reading (public/isolation-sw.js, manifest by src/build/site/offline.mjs): after one online
 * visit, the reader goes offline and opens another chapter, searches, and runs an example in both
 * realms — on a host that sends the isolation headers and on one that sends none (the worker then
 * adds them, offline too). And the update path: a new build deployed at the same origin is
 * announced, the page that was open keeps working with its own build's chunks, and Reload
 * switches to the new build once.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { cpSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareOutput, type Example } from '../../src/build/examples/syntax.mjs';
import { writeServiceWorker } from '../../src/build/site/offline.mjs';
import { launchChromium } from '../support/browser.ts';
import { BUILDS, ROOT, RUN_DIR, type BuildName } from '../support/site.ts';
import { serveStatic, type StaticServer } from '../support/static-server.ts';
import { describeViolations, WCAG_TAGS } from '../support/axe.ts';
import { searchHrefs } from './search-support.ts';
import { chooseRealm, contentExamples, exampleLocator, runAndWait } from '../support/examples.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** A chapter's example that runs in both realms and has an expected output to compare. */
const { path: chapter, example } = (() => {
  for (const { path, examples } of contentExamples().pages) {
    if (!path.startsWith('chapters/')) continue;
    const found = examples.find(
      (e: Example) => !e.playground && e.status === 'done' && e.realms.length === 2 && e.expected,
    );
    if (found) return { path, example: found };
  }
  throw new Error('no chapter has an example that runs in both realms');
})();

/** Opens a page online and waits until the service worker controls it with the book precached. */
async function firstVisit(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  // On a host without headers this spans the bootstrap's one reload.
  await page.waitForFunction(() => crossOriginIsolated && navigator.serviceWorker.controller !== null);
  // The worker says when it has kept every file of the manifest.
  await page.waitForFunction(() => document.documentElement.dataset['offline'] === 'ready');
  return page;
}

async function expectExampleRuns(page: Page, realm: 'main' | 'worker'): Promise<void> {
  const island = exampleLocator(page, example.id);
  await chooseRealm(island, realm);
  const outcome = await runAndWait(island, example.timeoutMs + 15_000);
  const comparison = compareOutput(outcome.output, example.expected ?? '', example.match);
  expect(comparison.ok, `${realm}: ${comparison.message}\n${outcome.output}`).toBe(true);
  expect(outcome.state).toBe('done');
}

const hosts: { name: string; build: BuildName; headers: boolean }[] = [
  { name: 'a host that sends the isolation headers', build: 'root', headers: true },
  { name: 'a host that sends no headers, under a sub-path', build: 'subPath', headers: false },
];

describe.each(hosts)('offline after one visit, on $name', ({ build, headers }) => {
  const { outDir, base } = BUILDS[build];
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveStatic(outDir, { base, headers });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('opens another chapter, searches and runs an example in both realms', async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(20_000);
    const problems: string[] = [];
    context.on('weberror', (error) => problems.push(error.error().message));
    const page = await firstVisit(context, `${server.url}guide/using-this-book/`);

    // Offline as a reader is: the page's requests fail in the browser, and anything the browser
    // still sends (its own update check of the service worker script) finds the host unreachable.
    await context.setOffline(true);
    server.setUnreachable(true);
    const served = server.requests.length;
    await page.goto(server.url + chapter);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

    const hrefs = await searchHrefs(page, 'reading comfortably');
    expect(hrefs.some((href) => href?.startsWith(`${base}guide/using-this-book/`))).toBe(true);
    await page.keyboard.press('Escape');

    await expectExampleRuns(page, 'main');
    await expectExampleRuns(page, 'worker');
    // Nothing else was asked of the host: all of it came from the service worker's cache. The one
    // exception is not the page's: Chromium checks the worker script for an update after a
    // navigation, and under load that check reached the host after `served` was counted (seen in a
    // clean-clone run). It fails here, as offline, and the page works on.
    const workerScript = `${base}isolation-sw.js`;
    expect(server.requests.slice(served).filter((path) => path !== workerScript)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

/**
 * Build B: build A with every chunk under another name (as a rebuild with changed code gives) and
 * a marker in every page, and its own manifest. Served in A's place, A's chunks are gone.
 */
function deriveBuildB(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
  renameSync(join(to, '_astro'), join(to, '_astro-b'));
  for (const entry of readdirSync(to, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(html|js|css|json)$/.test(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    let text = readFileSync(file, 'utf8').replaceAll('_astro/', '_astro-b/');
    if (entry.name.endsWith('.html')) text = text.replace('<head>', '<head><meta name="build" content="B">');
    writeFileSync(file, text);
  }
  cpSync(join(ROOT, 'public/isolation-sw.js'), join(to, 'isolation-sw.js'));
  writeServiceWorker(to);
}

describe('a new version deployed at the same origin (no-header host)', () => {
  const { outDir, base } = BUILDS.root;
  const buildB = `${RUN_DIR}/site-root-b`;
  let server: StaticServer;
  beforeAll(async () => {
    deriveBuildB(outDir, buildB);
    server = await serveStatic(outDir, { base, headers: false });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(buildB, { recursive: true, force: true });
  });

  it('is announced, the open page keeps its own chunks, and Reload switches once', async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(20_000);
    const problems: string[] = [];
    context.on('weberror', (error) => problems.push(error.error().message));
    const isB = (page: Page) =>
      page
        .locator('meta[name="build"]')
        .count()
        .then((n) => n === 1);

    const reading = await firstVisit(context, server.url + chapter);
    server.setRoot(buildB);
    const deployed = server.requests.length;

    // The next page is still A (from A's cache); its visit finds B, which installs and waits.
    const next = await context.newPage();
    let loads = 0;
    next.on('load', () => loads++);
    await next.goto(`${server.url}guide/using-this-book/`);
    const notice = next.getByRole('status').filter({ hasText: 'A new version of the book is ready' });
    await notice.waitFor();
    expect(await isB(next)).toBe(false);
    expect(await isB(reading)).toBe(false);
    for (const theme of ['light', 'dark']) {
      await next.evaluate((name) => (document.documentElement.dataset['theme'] = name), theme);
      const axe = await new AxeBuilder({ page: next })
        .withTags(WCAG_TAGS)
        .include('.update-notice')
        .analyze();
      expect(describeViolations(axe.violations), theme).toEqual([]);
    }

    // Keyboard: the notice's button is reachable and works with Enter.
    const reload = notice.getByRole('button', { name: 'Reload' });
    await reload.focus();
    await Promise.all([next.waitForEvent('load'), next.keyboard.press('Enter')]);
    expect(await isB(next)).toBe(true);
    expect(await next.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await next.getByRole('status').filter({ hasText: 'A new version' }).count()).toBe(0);

    // The page opened before the update runs its example with A's chunks, which the server no
    // longer has: they come from A's cache, never from B.
    await expectExampleRuns(reading, 'worker');
    await expectExampleRuns(reading, 'main');
    expect(await isB(reading)).toBe(false);
    const fromServer = server.requests.slice(deployed);
    expect(fromServer.filter((path) => path.startsWith(`${base}_astro/`))).toEqual([]);

    // One reload, no more.
    await next.waitForTimeout(2_000);
    expect(loads).toBe(2);
    expect(problems).toEqual([]);
    await context.close();
  });
});
