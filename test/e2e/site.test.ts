/**
 * The production site, served with its production headers, at the root and
 * under a sub-path: Starlight's features work with content in content/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BUILDS, type BuildName } from '../support/site.ts';
import { searchHrefs } from './search-support.ts';
import { servedSite } from './served-site.ts';

describe.each(Object.keys(BUILDS) as BuildName[])('site build "%s"', (name) => {
  const { base } = BUILDS[name];
  const site = servedSite(name);

  /** Opens a page in a fresh context, recording script errors and failed requests. */
  async function open(
    path: string,
    viewport = { width: 1280, height: 900 },
  ): Promise<Page & { problems: string[] }> {
    const context = await site.browser.newContext({ viewport });
    context.setDefaultTimeout(10_000);
    const page = Object.assign(await context.newPage(), { problems: [] as string[] });
    page.on('pageerror', (error) => page.problems.push(`script error: ${error.message}`));
    page.on('console', (message) => {
      // The browser logs the document's own 404 status, which the 404 test expects.
      if (message.type() === 'error' && !message.text().includes('404 (Not Found)')) {
        page.problems.push(`console error: ${message.text()}`);
      }
    });
    page.on('requestfailed', (request) => page.problems.push(`failed: ${request.url()}`));
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.request().isNavigationRequest()) {
        page.problems.push(`${response.status()}: ${response.url()}`);
      }
    });
    await page.goto(site.server.url + path, { waitUntil: 'networkidle' });
    return page;
  }

  it('serves a landing page that says what the book is and leads into it', async () => {
    const page = await open('');
    expect(await page.title()).toBe('Concurrency you can watch run | Interleave');
    expect(await page.locator('meta[name="description"]').getAttribute('content')).toMatch(/concurrency/);
    expect(await page.locator('link[rel~="icon"]').first().getAttribute('href')).toBe(`${base}favicon.svg`);
    await page.getByRole('link', { name: 'Start reading' }).click();
    await page.waitForURL(`**${base}guide/using-this-book/`);
    expect(await page.locator('h1').textContent()).toBe('How to use this book');
    await page.context().close();
  });

  it('is cross-origin isolated and the status badge says so', async () => {
    const page = await open('guide/using-this-book/');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const badge = page.locator('header isolation-status');
    await expect.poll(() => badge.getAttribute('data-state')).toBe('isolated');
    expect(await badge.textContent()).toContain('Shared memory: on');
    await page.context().close();
  });

  it('has a sidebar, table of contents and an edit link to the real file', async () => {
    const page = await open('guide/using-this-book/');
    const sidebarLink = page.locator('#starlight__sidebar a', { hasText: 'How to use this book' });
    expect(await sidebarLink.getAttribute('href')).toBe(`${base}guide/using-this-book/`);
    expect(await sidebarLink.getAttribute('aria-current')).toBe('page');
    expect(await page.locator('starlight-toc a[href="#shared-memory"]').count()).toBe(1);
    expect(await page.getByRole('link', { name: /Edit page/ }).getAttribute('href')).toBe(
      'https://github.com/interleave-book/interleave/edit/main/content/guide/using-this-book.mdx',
    );
    await page.context().close();
  });

  it('switches to dark theme and keeps the choice across pages', async () => {
    const page = await open('guide/using-this-book/');
    await page.locator('starlight-theme-select select').first().selectOption('dark');
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    await page.goto(site.server.url);
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    await page.locator('starlight-theme-select select').first().selectOption('light');
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('light');
    await page.context().close();
  });

  it('finds pages with the search (Pagefind)', async () => {
    const page = await open('');
    const hrefs = await searchHrefs(page, 'reading comfortably');
    // Words only the guide uses: it must be among the results, and every link must respect the base.
    expect(hrefs.some((href) => href?.startsWith(`${base}guide/using-this-book/`))).toBe(true);
    expect(hrefs.every((href) => href?.startsWith(base))).toBe(true);
    await page.context().close();
  });

  it('opens the navigation menu on a phone', async () => {
    const page = await open('guide/using-this-book/', { width: 390, height: 800 });
    const sidebar = page.locator('#starlight__sidebar');
    expect(await sidebar.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    expect(await sidebar.isVisible()).toBe(true);
    expect(await page.locator('#starlight__sidebar isolation-status').isVisible()).toBe(true);
    await page.context().close();
  });

  it('answers unknown addresses with the 404 page and a way back', async () => {
    const page = await open('no/such/page/');
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    expect(await page.getByRole('link', { name: 'start of the book' }).getAttribute('href')).toBe(base);
    await page.context().close();
  });

  it('loads every script, style and image of its pages without errors', async () => {
    for (const path of ['', 'guide/using-this-book/', 'no/such/page/']) {
      const page = await open(path);
      expect(page.problems, path).toEqual([]);
      await page.context().close();
    }
  });
});
