/**
 * Highlighted code out of view is not styled or laid out while a page loads (issue #18: on the
 * chapters, its ~9,000 token spans were most of Lighthouse's total blocking time), and skipping it
 * moves nothing: on every chapter, at desktop and phone size, each code block below the
 * first screen is skipped at load (`content-visibility: auto`), and the height it takes while
 * skipped is the height it has once the reader scrolls to it and it is drawn.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BUILDS } from '../support/site.ts';
import { readSite } from './content-crawl.ts';
import { servedSite } from './served-site.ts';

const site = servedSite();
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const CODE = '.expressive-code pre';

const routes = [...readSite(BUILDS.root.outDir, BUILDS.root.base)]
  .filter(([url, page]) => url.includes('/chapters/') && page.html.includes('class="expressive-code'))
  .map(([url]) => url)
  .sort();

type Block = { index: number; skipped: boolean; height: number };

/** Every code block's height in document order, and whether its lines are skipped right now. */
function blocks(page: Page): Promise<Block[]> {
  return page.$$eval(CODE, (codes) =>
    codes
      // Not in a closed <details> or tab (content-visibility: hidden), nor display: none.
      .filter((code) => code.checkVisibility())
      .map((code) => ({
        index: [...document.querySelectorAll('.expressive-code pre')].indexOf(code),
        skipped: !code.querySelector('.ec-line')!.checkVisibility({ contentVisibilityAuto: true }),
        height: code.getBoundingClientRect().height,
      })),
  );
}

/** Scrolls code block `index` into view and returns its height once drawn. */
function drawnHeight(page: Page, index: number): Promise<number> {
  return page.evaluate(
    ([selector, i]) =>
      new Promise<number>((resolve) => {
        const code = document.querySelectorAll(selector)[i]!;
        code.scrollIntoView({ block: 'center' });
        // Rendering updates run in the frame after the scroll; the height is read after it.
        requestAnimationFrame(() =>
          requestAnimationFrame(() => resolve(code.getBoundingClientRect().height)),
        );
      }),
    [CODE, index] as const,
  );
}

describe.each(Object.entries(VIEWPORTS))('%s', (_, viewport) => {
  it.each(routes)('%s: code out of view is skipped, at its drawn size', async (route) => {
    const context = await site.browser.newContext({ viewport, isMobile: viewport === VIEWPORTS.phone });
    try {
      const page = await context.newPage();
      await page.goto(site.server.origin + route, { waitUntil: 'load', timeout: 20_000 });
      // Bounded: document.fonts.ready alone could wait forever.
      await page.evaluate(() =>
        Promise.race([document.fonts.ready, new Promise((resolve) => setTimeout(resolve, 10_000))]),
      );
      const atLoad = await blocks(page);
      const belowTheFold = atLoad.filter((block) => block.skipped);
      // Every chapter ends far below its first screen with code (exercises and their solutions).
      expect(atLoad.at(-1), 'the last code block is skipped at load').toMatchObject({ skipped: true });
      const resized: string[] = [];
      for (const block of belowTheFold) {
        const drawn = await drawnHeight(page, block.index);
        if (Math.abs(drawn - block.height) > 0.5)
          resized.push(`block ${block.index}: ${block.height} → ${drawn}`);
      }
      expect(resized).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
