/**
 * Diagrams on the production build, as a reader gets them: no Mermaid on pages
 * without diagrams, Mermaid fetched only when a diagram nears the viewport,
 * redrawn in the new colours on a theme switch without moving the page, and
 * space reserved on a revisit. Uses whichever book pages have diagrams.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILDS } from '../support/site.ts';
import { readSite } from './content-crawl.ts';
import { servedSite } from './served-site.ts';

const { outDir, base } = BUILDS.root;
const pages = [...readSite(outDir, base).values()];
const withDiagram = pages.find((page) => page.html.includes('<mermaid-diagram'));
const withoutDiagram = pages.find(
  (page) => !page.html.includes('<mermaid-diagram') && page.url !== base && !page.url.endsWith('404'),
);
const VIEWPORT = { width: 1000, height: 300 };
const site = servedSite();

/** Script URLs the page has fetched so far. */
function recordScripts(page: Page): string[] {
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  return scripts;
}
const isDiagramCode = (path: string) =>
  /DiagramScript|\/render\.[\w-]+\.js|mermaid|flowDiagram|dagre/.test(path);

describe.runIf(withoutDiagram)('a page without diagrams', () => {
  it('loads no diagram code at all', async () => {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    const scripts = recordScripts(page);
    await page.goto(site.server.origin + withoutDiagram!.url, { waitUntil: 'networkidle' });
    await page.mouse.wheel(0, 10_000);
    await page.waitForTimeout(300);
    expect(scripts.filter(isDiagramCode)).toEqual([]);
    expect(withoutDiagram!.html).not.toContain('DiagramScript');
    await context.close();
  });
});

describe.runIf(withDiagram)(`a page with diagrams (${withDiagram?.url})`, () => {
  let context: BrowserContext;
  let page: Page;
  let scripts: string[];

  beforeAll(async () => {
    context = await site.browser.newContext({ viewport: VIEWPORT });
    page = await context.newPage();
    scripts = recordScripts(page);
    await page.goto(site.server.origin + withDiagram!.url, { waitUntil: 'networkidle' });
  });
  afterAll(() => context?.close());

  it('shows the Mermaid source until drawn, and fetches Mermaid only near the viewport', async () => {
    const first = page.locator('mermaid-diagram').first();
    const top = await first.evaluate((element) => element.getBoundingClientRect().top);
    if (top > VIEWPORT.height * 2 + 50) {
      expect(await first.getAttribute('data-state')).toBe('pending');
      expect(await first.locator('.diagram__source').isVisible()).toBe(true);
      expect(scripts.some((path) => /\/render\.[\w-]+\.js/.test(path))).toBe(false);
    }
    await first.scrollIntoViewIfNeeded();
    await expect.poll(() => first.getAttribute('data-state'), { timeout: 20_000 }).toBe('drawn');
    expect(await first.locator('.diagram__source').isHidden()).toBe(true);
    expect(await first.locator('.diagram__source').textContent()).toMatch(/\S/);
    expect(scripts.some((path) => /\/render\.[\w-]+\.js/.test(path))).toBe(true);
  });

  it('redraws in the dark theme from the kept source, without moving the page', async () => {
    const first = page.locator('mermaid-diagram').first();
    await page.evaluate(() => {
      (window as unknown as { shifts: number }).shifts = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          (window as unknown as { shifts: number }).shifts += (entry as unknown as { value: number }).value;
      }).observe({ type: 'layout-shift' });
    });
    const before = await first
      .locator('svg')
      .first()
      .evaluate((svg) => ({ html: svg.outerHTML, height: svg.getBoundingClientRect().height }));
    const theme = await page.evaluate(() => document.documentElement.dataset['theme']);
    const next = theme === 'dark' ? 'light' : 'dark';
    await page.evaluate((value) => {
      document.documentElement.dataset['theme'] = value;
    }, next);
    await expect
      .poll(
        () =>
          first
            .locator('svg')
            .first()
            .evaluate((svg) => svg.outerHTML),
        { timeout: 20_000 },
      )
      .not.toBe(before.html);
    const after = await first
      .locator('svg')
      .first()
      .evaluate((svg) => svg.getBoundingClientRect().height);
    expect(Math.abs(after - before.height)).toBeLessThan(2);
    expect(await page.evaluate(() => (window as unknown as { shifts: number }).shifts)).toBe(0);
  });

  it('reserves the drawn height on a revisit, before drawing', async () => {
    const last = page.locator('mermaid-diagram').last();
    await last.scrollIntoViewIfNeeded();
    await expect.poll(() => last.getAttribute('data-state'), { timeout: 20_000 }).toBe('drawn');
    const drawnHeight = await last
      .locator('.diagram__canvas')
      .evaluate((canvas) => canvas.getBoundingClientRect().height);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.reload({ waitUntil: 'load' });
    const state = await last.getAttribute('data-state');
    if (state !== 'pending') return; // within reach of the first screen: drawn at once
    const reserved = await last
      .locator('.diagram__source')
      .evaluate((pre) => pre.getBoundingClientRect().height);
    expect(Math.abs(reserved - drawnHeight)).toBeLessThan(2);
  });
});
