/**
 * Highlighted code out of view is not styled or laid out while a page loads (issue #18: on the
 * chapters, its ~9,000 token spans were most of Lighthouse's total blocking time), and skipping it
 * moves nothing: on every chapter, at desktop and phone size, each code block below the
 * first screen is skipped at load (`content-visibility: auto`), and the height it takes while
 * skipped is the height it has once the reader scrolls to it and it is drawn.
 *
 * Tokens are coloured by shared classes, not one inline style each (src/build/code-blocks/code-token-classes.mjs):
 * no chapter's code carries a per-token style, and the colours still follow the site's theme switch.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BUILDS } from '../support/site.ts';
import { readSite } from '../support/content-crawl.ts';
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

/** Inline styles on highlighted code other than the line count code-rendering.mjs writes on <pre>. */
const TOKEN_STYLE = /<span style="--\d/g;

describe('token colours', () => {
  it.each(routes)('%s: no token of its code has an inline style', (route) => {
    const html = readSite(BUILDS.root.outDir, BUILDS.root.base).get(route)!.html;
    expect(html.match(TOKEN_STYLE)?.length ?? 0).toBe(0);
  });

  it('every token takes its class colour in the dark and the light theme, following the theme switch', async () => {
    const context = await site.browser.newContext({ colorScheme: 'dark' });
    try {
      const page = await context.newPage();
      await page.goto(site.server.origin + routes[0]!, { waitUntil: 'load', timeout: 20_000 });
      /** Tokens whose colour is not the one their class names for the theme (x: the line's colour). */
      const wrong = (theme: 'dark' | 'light') =>
        page.evaluate((theme) => {
          document.documentElement.dataset['theme'] = theme;
          const rgb = (hex: string) =>
            `rgb(${[0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
          const tokens = [...document.querySelectorAll<HTMLElement>('.ec-line [class^="ix-c-"]')];
          if (tokens.length === 0) return ['no classed tokens'];
          return tokens.flatMap((token) => {
            const [, dark = '', light = ''] = token.className.split('-').slice(1);
            const wanted = theme === 'dark' ? dark : light;
            const expected = wanted === 'x' ? getComputedStyle(token.parentElement!).color : rgb(wanted);
            const actual = getComputedStyle(token).color;
            return actual === expected ? [] : [`${token.className} "${token.textContent}": ${actual}`];
          });
        }, theme);
      expect(await wrong('dark')).toEqual([]);
      expect(await wrong('light')).toEqual([]);
      expect(await wrong('dark')).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
