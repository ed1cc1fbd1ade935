/**
 * On a static host that sends no headers (GitHub Pages), the service worker
 * makes the site cross-origin isolated after at most one reload, and never
 * reloads in a loop when it cannot help.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { BUILDS, type BuildName } from '../support/site.ts';
import { serveStatic, type StaticServer } from '../support/static-server.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Counts top-level document loads of a page (each reload is one more). */
async function openCountingLoads(url: string): Promise<{ page: Page; loads: () => number }> {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  let loads = 0;
  page.on('load', () => loads++);
  await page.goto(url);
  return { page, loads: () => loads };
}

/** Waits until the page has had `ms` of quiet with no further load. */
async function settle(page: Page, loads: () => number, ms = 2_500): Promise<void> {
  for (;;) {
    const before = loads();
    await page.waitForTimeout(ms);
    if (loads() === before) return;
  }
}

describe.each(Object.keys(BUILDS) as BuildName[])('no-header host, build "%s"', (name) => {
  const { outDir, base } = BUILDS[name];
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveStatic(outDir, { base, headers: false });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('becomes isolated after at most one reload, and stays so across pages', async () => {
    const { page, loads } = await openCountingLoads(`${server.url}guide/using-this-book/`);
    await page.waitForFunction(() => crossOriginIsolated, null, { timeout: 15_000 });
    await settle(page, loads);
    expect(loads()).toBeLessThanOrEqual(2);
    expect(await page.evaluate(() => document.documentElement.dataset['isolation'])).toBe('isolated');
    expect(await page.locator('header isolation-status').getAttribute('data-state')).toBe('isolated');

    // Its scope is the site's base path, and later pages need no reload.
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(
      `${server.url}isolation-sw.js`,
    );
    const before = loads();
    await page.getByRole('link', { name: 'Interleave', exact: false }).first().click();
    await page.waitForLoadState('load');
    await settle(page, loads, 1_000);
    expect(loads()).toBe(before + 1);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

    // A new tab of the same browser session is isolated on its first load.
    const second = await page.context().newPage();
    await second.goto(server.url);
    expect(await second.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.context().close();
  });
});

describe('no-header host where the service worker cannot help', () => {
  const { outDir, base } = BUILDS.root;

  it('reloads at most once and then explains, when the worker adds no headers', async () => {
    // A service worker that takes control but passes responses through unchanged.
    const server = await serveStatic(outDir, {
      base,
      headers: false,
      overrides: {
        '/isolation-sw.js': {
          status: 200,
          type: 'text/javascript',
          body: "self.addEventListener('install', () => self.skipWaiting());\nself.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));\nself.addEventListener('message', () => self.clients.claim());",
        },
      },
    });
    const { page, loads } = await openCountingLoads(`${server.url}guide/using-this-book/`);
    await page.waitForFunction(() => document.documentElement.dataset['isolation'] === 'failed');
    await settle(page, loads);
    expect(loads()).toBeLessThanOrEqual(2);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    const badge = page.locator('header isolation-status');
    expect(await badge.textContent()).toContain('Shared memory: off');
    expect(await badge.locator('a').getAttribute('title')).toMatch(/did not take effect/);
    await page.context().close();
    await server.close();
  });

  it('does not reload at all when the service worker cannot be registered', async () => {
    const server = await serveStatic(outDir, {
      base,
      headers: false,
      overrides: { '/isolation-sw.js': { status: 404, type: 'text/plain', body: 'gone' } },
    });
    const { page, loads } = await openCountingLoads(server.url);
    await page.waitForFunction(() => document.documentElement.dataset['isolation'] === 'failed');
    await settle(page, loads);
    expect(loads()).toBe(1);
    expect(await page.locator('header isolation-status').getAttribute('data-state')).toBe('failed');
    await page.context().close();
    await server.close();
  });
});
