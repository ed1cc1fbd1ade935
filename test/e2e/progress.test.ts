/**
 * The reader's book on the built site, in Chromium: progress kept in the browser (a page read once
 * its end was on screen, an exercise passed by its check), shown in the sidebar and on the
 * landing page with where to go next, reset with undo; export and import of progress and saved
 * edits; and a chapter printed (light theme, controls hidden, code wrapped, expected output kept).
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { BuildName } from '../support/site.ts';
import { contentExercises, exampleLocator, savedEdit, SELECT } from '../support/examples.ts';
import { servedSite } from './served-site.ts';

const PROGRESS_KEY = 'interleave:progress';
const { files } = contentExercises();
const chapters = files.filter(({ file }) => file.startsWith('content/chapters/'));
const exerciseCount = chapters.reduce((sum, { exercises }) => sum + exercises.length, 0);
const overview = files.find(({ path }) => path === 'chapters/overview/')!;
const overviewExercise = overview.exercises[0]!;

/** The accessible name of the sidebar's link to `path`. */
async function sidebarName(page: Page, path: string): Promise<string> {
  const link = page.locator(`#starlight__sidebar a[href$="/${path}"]`);
  return (await link.evaluate((el) => el.textContent ?? '')).replace(/\s+/g, ' ').trim();
}

async function storedProgress(
  page: Page,
): Promise<{ read: Record<string, number>; passed: Record<string, number> }> {
  return JSON.parse((await page.evaluate((key) => localStorage.getItem(key), PROGRESS_KEY)) ?? 'null');
}

describe.each(['root', 'subPath'] as BuildName[])('progress, build "%s"', (name) => {
  const site = servedSite(name);
  const base = () => new URL(site.server.url).pathname;

  async function newPage(context?: BrowserContext): Promise<Page> {
    const page = await (context ?? (await site.browser.newContext())).newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  it('a chapter counts as read once its end is on screen; the sidebar and the contents say so', async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(site.server.url + 'chapters/overview/');
    await page.waitForLoadState('networkidle');
    expect(await sidebarName(page, 'chapters/overview/')).not.toMatch(/read/);
    expect(await storedProgress(page)).toBeNull();

    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForFunction(() =>
      document.querySelector('#starlight__sidebar a[aria-current="page"] .progress-mark'),
    );
    expect(await sidebarName(page, 'chapters/overview/')).toMatch(/^\S.* \(✓ read\)$/);
    expect(Object.keys((await storedProgress(page)).read)).toEqual([`${base()}chapters/overview/`]);

    await page.goto(site.server.url);
    const panel = page.locator('[data-book-progress]');
    await panel.waitFor();
    expect(await panel.locator('[data-progress-summary]').textContent()).toBe(
      `1 of ${chapters.length} chapters read, 0 of ${exerciseCount} exercises passed.`,
    );
    const next = panel.locator('[data-progress-next] a');
    expect(await next.textContent()).toMatch(/^Chapter 2: /);
    expect(new URL(await next.evaluate((a: HTMLAnchorElement) => a.href)).pathname).toMatch(
      /\/chapters\/[\w-]+\/$/,
    );
    expect(
      await page.locator(`[data-chapter="${base()}chapters/overview/"] .book-number`).textContent(),
    ).toMatch(/Chapter 1\s*\(✓ read\)/);
    await page.context().close();
  });
});

describe('progress and the reader’s work (root build)', () => {
  const site = servedSite();

  it('an exercise that passes its check is counted', async () => {
    const context = await site.browser.newContext();
    const [key, value] = savedEdit(overview.path, overviewExercise, overviewExercise.solution);
    await context.addInitScript(([k, v]) => localStorage.setItem(k, v), [key, value] as const);
    const page = await context.newPage();
    page.setDefaultTimeout(overviewExercise.timeoutMs + 30_000);
    await page.goto(site.server.url + overview.path);
    const island = exampleLocator(page, overviewExercise.id);
    await island.locator(SELECT.action('run')).click();
    await page.locator(`${SELECT.example(overviewExercise.id)}[data-verdict="pass"]`).waitFor();
    expect(Object.keys((await storedProgress(page)).passed)).toEqual([
      `/chapters/overview/#${overviewExercise.id}`,
    ]);
    await page.waitForFunction(() =>
      /1\/\d+ exercises/.test(
        document.querySelector('#starlight__sidebar a[aria-current="page"]')?.textContent ?? '',
      ),
    );
    await context.close();
  });

  it('Reset progress clears the counts, and Undo brings them back', async () => {
    const context = await site.browser.newContext();
    const saved = { read: { '/chapters/overview/': 1, '/chapters/synchronous/': 2 }, passed: {} };
    await context.addInitScript(
      ([k, v]) => {
        if (!sessionStorage.getItem('seeded')) localStorage.setItem(k, v);
        sessionStorage.setItem('seeded', '1');
      },
      [PROGRESS_KEY, JSON.stringify(saved)] as const,
    );
    const page = await newPageIn(context);
    await page.goto(site.server.url);
    const summary = page.locator('[data-progress-summary]');
    await expect.poll(() => summary.textContent()).toMatch(/^2 of \d+ chapters read/);
    expect(await page.locator('[data-progress-next]').textContent()).toMatch(/^Next: Chapter 3: /);

    await page.getByRole('button', { name: 'Reset progress' }).click();
    expect(await summary.textContent()).toMatch(/^0 of \d+ chapters read, 0 of \d+ exercises passed\.$/);
    expect(await page.locator('[data-progress-next]').textContent()).toMatch(/^Start with Chapter 1: /);
    const undo = page.getByRole('button', { name: 'Undo' });
    expect(await undo.evaluate((el) => el === document.activeElement)).toBe(true);
    await undo.click();
    expect(await summary.textContent()).toMatch(/^2 of \d+ chapters read/);
    expect(await storedProgress(page)).toEqual(saved);
    await context.close();
  });

  it('without JavaScript the landing page and sidebar read as before: no panel, no marks', async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(site.server.url);
    expect(await page.locator('[data-book-progress]').isVisible()).toBe(false);
    expect(await page.locator('.progress-mark').count()).toBe(0);
    await page.goto(site.server.url + 'guide/using-this-book/');
    expect(await page.locator('[data-transfer-nojs]').isVisible()).toBe(true);
    expect(await page.locator('[data-export]').isVisible()).toBe(false);
    await context.close();
  });

  it('exports progress and saved edits to one file, and imports it in another browser (with undo)', async () => {
    const edit = { code: 'console.log("mine")', hash: 'abc', realm: 'worker', savedAt: 7 };
    const progress = { read: { '/chapters/overview/': 1 }, passed: { '/chapters/overview/#x': 2 } };
    const from = await site.browser.newContext({ acceptDownloads: true });
    await from.addInitScript(
      ([p, e]) => {
        localStorage.setItem('interleave:progress', p);
        localStorage.setItem('interleave:edit:/chapters/gil/#counter', e);
      },
      [JSON.stringify(progress), JSON.stringify(edit)] as const,
    );
    const page = await newPageIn(from);
    await page.goto(site.server.url + 'guide/using-this-book/');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-export]').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^interleave-progress-\d{4}-\d\d-\d\d\.json$/);
    const file = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(file).toMatchObject({
      format: 'interleave-progress',
      version: 1,
      progress,
      edits: { 'interleave:edit:/chapters/gil/#counter': edit },
    });
    expect(await page.locator('[data-transfer-status]').textContent()).toMatch(
      /Exported 1 page read, 1 exercise passed and 1 saved edit\./,
    );
    await from.close();

    const to = await site.browser.newContext();
    const other = await newPageIn(to);
    await other.goto(site.server.url + 'guide/using-this-book/');
    await other.evaluate(() =>
      localStorage.setItem(
        'interleave:progress',
        JSON.stringify({ read: { '/chapters/gil/': 3 }, passed: {} }),
      ),
    );
    const before = await other.evaluate(() => JSON.stringify({ ...localStorage }));
    const status = other.locator('[data-transfer-status]');
    const input = other.locator('[data-import]');

    // A damaged file and a foreign one: a clear message, nothing changed.
    await input.setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"format":'),
    });
    await expect.poll(() => status.textContent()).toMatch(/not valid JSON.*Nothing was changed\./);
    await input.setInputFiles({
      name: 'package.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"name":"x"}'),
    });
    await expect
      .poll(() => status.textContent())
      .toMatch(/not a progress file from this book.*Nothing was changed\./);
    expect(await other.evaluate(() => JSON.stringify({ ...localStorage }))).toBe(before);

    await input.setInputFiles({
      name: 'mine.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(file)),
    });
    await expect
      .poll(() => status.textContent())
      .toMatch(/^Imported from mine\.json: 1 more page read, 1 more exercise passed, 1 saved edit\./);
    expect(await storedProgress(other)).toEqual({
      read: { '/chapters/gil/': 3, '/chapters/overview/': 1 },
      passed: progress.passed,
    });
    expect(
      JSON.parse(
        (await other.evaluate(() => localStorage.getItem('interleave:edit:/chapters/gil/#counter')))!,
      ),
    ).toEqual(edit);

    await status.getByRole('button', { name: 'Undo' }).click();
    expect(await status.textContent()).toMatch(/Import undone/);
    expect(await other.evaluate(() => JSON.stringify({ ...localStorage }))).toBe(before);
    await to.close();
  });

  it('prints a chapter in the light theme, controls hidden, code wrapped, expected output kept', async () => {
    const context = await site.browser.newContext({ colorScheme: 'dark' });
    const page = await newPageIn(context);
    await page.goto(site.server.url + 'reference/runnable-examples/');
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    await page.emulateMedia({ media: 'print' });
    await page.waitForFunction(() => document.documentElement.dataset['theme'] === 'light');
    const shown = (selector: string) => page.locator(selector).first().isVisible();
    expect(await shown('.ix-bar')).toBe(false);
    expect(await shown('#starlight__sidebar')).toBe(false);
    expect(await shown('site-search')).toBe(false);
    expect(await shown('.ix-expected')).toBe(true);
    expect(
      await page
        .locator('.ix-code pre')
        .first()
        .evaluate((el) => getComputedStyle(el.querySelector('code') ?? el).whiteSpace),
    ).toBe('pre-wrap');
    // Every code block is drawn on paper, including those a screen skips until they are near.
    expect(
      await page.evaluate(() =>
        [...document.querySelectorAll('.expressive-code pre')]
          .map((pre) => getComputedStyle(pre).contentVisibility)
          .filter((value) => value !== 'visible'),
      ),
    ).toEqual([]);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(255, 255, 255)');
    // Nothing runs off the page: no element of the content is wider than the content.
    const overflowing = await page.evaluate(() => {
      const content = document.querySelector('main .sl-markdown-content')!;
      const right = content.getBoundingClientRect().right + 1;
      return [...content.querySelectorAll('pre, code, .ix-output, figure')]
        .filter((el) => el.getBoundingClientRect().right > right)
        .map((el) => el.outerHTML.slice(0, 80));
    });
    expect(overflowing).toEqual([]);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    await page.emulateMedia({ media: 'screen' });
    await page.waitForFunction(() => document.documentElement.dataset['theme'] === 'dark');
    await context.close();
  });

  async function newPageIn(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }
});
