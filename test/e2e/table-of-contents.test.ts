/**
 * "On this page" (issue #18): Starlight's highlighter is replaced by src/chrome/starlight-toc.ts,
 * which finds the elements it watches without Starlight's `:not(:has(…))` selector (a long task on
 * every chapter). These tests hold it to Starlight's behaviour:
 *
 * - the build ships the replacement, not the original selector;
 * - on every page with a table of contents, each highlighter (desktop and phone) watches exactly the
 *   elements Starlight's own selector finds, in the same order;
 * - scrolling to a section marks its link as current, at desktop and phone size.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { starlightObservedSelector, tocHeadingSelector } from '../../src/chrome/toc-sections.ts';
import { BUILDS } from '../support/site.ts';
import { readSite } from '../support/content-crawl.ts';
import { servedSite } from './served-site.ts';
import { scrollIntoHighlighterBand } from '../support/table-of-contents.ts';

const site = servedSite();
const routes = [...readSite(BUILDS.root.outDir, BUILDS.root.base)]
  .filter(([, page]) => page.html.includes('<starlight-toc'))
  .map(([url]) => url)
  .sort();

/** Records, per IntersectionObserver, the elements it is asked to observe (`window.__observed`). */
function recordObservations(): void {
  const observed = new Map<IntersectionObserver, Element[]>();
  (window as unknown as { __observed: typeof observed }).__observed = observed;
  const observe = IntersectionObserver.prototype.observe;
  IntersectionObserver.prototype.observe = function (this: IntersectionObserver, target: Element) {
    observed.set(this, [...(observed.get(this) ?? []), target]);
    return observe.call(this, target);
  };
}

async function open(context: BrowserContext, route: string): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript(recordObservations);
  await page.goto(site.server.origin + route, { waitUntil: 'load', timeout: 20_000 });
  return page;
}

describe('table of contents', () => {
  it('the build ships the replacement highlighter, not the selector it replaces', () => {
    const folder = `${BUILDS.root.outDir}/_astro`;
    const scripts = readdirSync(folder).filter((file) => file.endsWith('.js'));
    const withSelector = scripts.filter((file) =>
      readFileSync(`${folder}/${file}`, 'utf8').includes(':not(:has('),
    );
    expect(withSelector).toEqual([]);
    expect(scripts.some((file) => readFileSync(`${folder}/${file}`, 'utf8').includes('starlight-toc'))).toBe(
      true,
    );
  });

  it.each(routes)('%s: each highlighter watches what Starlight’s selector finds, in order', async (route) => {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await open(context, route);
      const highlighters = await page.$$eval('starlight-toc, mobile-starlight-toc', (tocs) => tocs.length);
      expect(highlighters).toBe(2);
      // Both start when the page is idle; each watches the page title among its elements.
      await page.waitForFunction(
        (count) =>
          [...(window as unknown as { __observed: Map<unknown, Element[]> }).__observed.values()].filter(
            (targets) => targets.some((target) => target.id === '_top'),
          ).length === count,
        highlighters,
        { timeout: 20_000 },
      );
      const { minH = '2', maxH = '3' } = await page.$eval('starlight-toc', (toc) => ({
        ...(toc as HTMLElement).dataset,
      }));
      const selector = starlightObservedSelector(tocHeadingSelector(Number(minH), Number(maxH)));
      const mismatches = await page.evaluate((selector) => {
        const expected = [...document.querySelectorAll(selector)];
        const describe = (el: Element | undefined) =>
          el ? `<${el.localName}${el.id ? `#${el.id}` : ''} class="${el.className}">` : 'nothing';
        const observers = [
          ...(window as unknown as { __observed: Map<unknown, Element[]> }).__observed.values(),
        ];
        return observers
          .filter((targets) => targets.some((target) => target.id === '_top'))
          .flatMap((targets, n) => {
            if (targets.length === expected.length && targets.every((target, i) => target === expected[i]))
              return [];
            const at = targets.findIndex((target, i) => target !== expected[i]);
            return [
              `highlighter ${n}: ${targets.length} elements, Starlight ${expected.length}; first difference at ${at}: ${describe(targets[at])} vs ${describe(expected[at])}`,
            ];
          });
      }, selector);
      expect(mismatches).toEqual([]);
    } finally {
      await context.close();
    }
  });

  const chapter = routes.find((route) => route.includes('/chapters/'))!;
  it.each([
    ['desktop', { width: 1280, height: 800 }, 'starlight-toc a[aria-current="true"]'],
    ['phone', { width: 390, height: 844 }, 'mobile-starlight-toc a[aria-current="true"]'],
  ] as const)('%s: scrolling to a section marks its link as current', async (_, viewport, current) => {
    const context = await site.browser.newContext({ viewport });
    try {
      const page = await open(context, chapter);
      const ids = await page.$$eval('main .sl-markdown-content h2[id]', (headings) =>
        headings.map((h) => h.id),
      );
      expect(ids.length).toBeGreaterThan(3);
      for (const id of [ids[2]!, ids.at(-1)!, ids[1]!]) {
        await page.evaluate(scrollIntoHighlighterBand, id);
        await expect
          .poll(() => page.$eval(current, (link) => (link as HTMLAnchorElement).hash).catch(() => ''), {
            timeout: 10_000,
          })
          .toBe(`#${encodeURIComponent(id)}`);
      }
      if (viewport.width < 800)
        expect(await page.textContent('mobile-starlight-toc .display-current')).toBe(
          await page.textContent(current),
        );
    } finally {
      await context.close();
    }
  });
});
