/**
 * Nothing drawn after a page has loaded may move what the reader is looking at. Safari (WebKit)
 * has no scroll anchoring: when a figure above the viewport grows, everything in view moves, and a
 * tap lands on whatever slid under the finger. That is how WebKit's runs "ignored" a click on Run
 * in the field test: a Mermaid diagram above the exercise was drawn between the moment the click
 * was aimed and the moment it landed, 223 px lower. So: on every page, at desktop and phone size,
 * the position and size of every heading, example, figure and demo is the same right after load
 * and after the reader has scrolled past everything that loads late and it has finished. Measured
 * in Chromium in document coordinates, so its own scroll anchoring cannot hide a shift.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BUILDS } from '../support/site.ts';
import { readSite } from '../support/content-crawl.ts';
import { servedSite } from './served-site.ts';

const site = servedSite();
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
/** What the reader sees move when something above it changes height. */
const WATCHED =
  'main h2, main h3, interleave-example, figure:not(interleave-example figure), mermaid-diagram, speedup-chart, gil-trace';
/** Elements defined by a module that loads when the element nears the viewport. */
const LAZY_TAGS = ['speedup-chart', 'gil-trace', 'mermaid-diagram'];

type Box = { what: string; top: number; height: number };

function boxes(page: Page): Promise<Box[]> {
  return page.evaluate(
    (selector) =>
      [...document.querySelectorAll(selector)].map((element, index) => {
        // Not rendered (in a closed tab, say): its box is 0 × 0 at the viewport's origin.
        if (element.getClientRects().length === 0)
          return { what: `${index}: not rendered`, top: 0, height: 0 };
        const { top, height } = element.getBoundingClientRect();
        const name =
          element.id || element.getAttribute('data-id') || element.textContent?.trim().slice(0, 40);
        return {
          what: `${index}: <${element.tagName.toLowerCase()}> ${name}`,
          top: Math.round(top + scrollY),
          height: Math.round(height),
        };
      }),
    WATCHED,
  );
}

/** Waits for the page's fonts, bounded: `document.fonts.ready` alone could wait forever. */
async function fontsLoaded(page: Page): Promise<void> {
  const status = await page.evaluate(() =>
    Promise.race([
      document.fonts.ready.then(() => 'loaded'),
      new Promise((resolve) => setTimeout(() => resolve(`still ${document.fonts.status}`), 10_000)),
    ]),
  );
  expect(status, 'fonts of the page').toBe('loaded');
}

/** Scrolls through the page a viewport at a time, then waits until everything lazy has finished. */
async function reachEverything(page: Page): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const step = page.viewportSize()!.height;
  for (let y = 0; y <= height; y += step) {
    // Let lazy loaders see this position: a frame, or 250 ms if frames stall (page.evaluate has
    // no timeout of its own, so a promise waiting on a frame alone could hang the test).
    await page.evaluate(
      (top) =>
        new Promise((resolve) => {
          scrollTo(0, top);
          requestAnimationFrame(() => setTimeout(resolve));
          setTimeout(resolve, 250);
        }),
      y,
    );
  }
  await page.waitForFunction(
    (tags) =>
      tags.every((tag) => !document.querySelector(tag) || customElements.get(tag)) &&
      [...document.querySelectorAll<HTMLElement>('mermaid-diagram')].every(
        // One in a tab the reader has not opened is drawn when they open it.
        (diagram) =>
          !diagram.checkVisibility() || ['drawn', 'error'].includes(diagram.dataset['state'] ?? ''),
      ) &&
      [...document.querySelectorAll<HTMLElement>('interleave-example')].every(
        (example) => example.dataset['ready'] !== undefined,
      ),
    LAZY_TAGS,
    // Polled on a timer rather than per frame, and bounded below the test's timeout, so that a
    // page that never finishes fails with this step's name.
    { timeout: 30_000, polling: 100 },
  );
  await fontsLoaded(page);
}

const routes = [...readSite(BUILDS.root.outDir, BUILDS.root.base).keys()]
  .filter((url) => !url.endsWith('/404'))
  .sort();

describe.each(Object.entries(VIEWPORTS))('%s', (_, viewport) => {
  it.each(routes)('%s: what loads late moves nothing', async (route) => {
    const context = await site.browser.newContext({ viewport, isMobile: viewport === VIEWPORTS.phone });
    try {
      const page = await context.newPage();
      await page.goto(site.server.origin + route, { waitUntil: 'load', timeout: 20_000 });
      await fontsLoaded(page);
      const before = await boxes(page);
      await reachEverything(page);
      const after = await boxes(page);
      const moved = before
        .map((box, i) => ({ box, now: after[i] }))
        .filter(({ box, now }) => !now || now.top !== box.top || now.height !== box.height)
        .map(
          ({ box, now }) =>
            `${box.what}: top ${box.top} → ${now?.top}, height ${box.height} → ${now?.height}`,
        );
      expect(moved.slice(0, 8)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
