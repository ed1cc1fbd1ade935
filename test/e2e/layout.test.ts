/**
 * What an example and its run timeline look like, measured in Chromium on the built site: the
 * boxes buttons, swatches and line numbers are drawn in, at desktop and phone size and in both
 * themes. Starlight spaces the blocks of a page's prose (`* + *` gets a top margin, a list item's
 * last block child a bottom margin); these tests catch those rules reaching into the widgets.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Theme } from '../support/axe.ts';
import { exampleLocator, runAndWait } from '../support/examples.ts';
import { servedSite } from './served-site.ts';

const site = servedSite();
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

async function open(path: string, theme: Theme, viewport: typeof DESKTOP): Promise<Page> {
  const context = await site.browser.newContext({
    colorScheme: theme,
    viewport,
    isMobile: viewport === PHONE,
  });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(site.server.url + path, { waitUntil: 'load' });
  return page;
}

/** Top, bottom and vertical centre of each element's border box. */
async function verticals(locator: Locator): Promise<{ top: number; bottom: number; centre: number }[]> {
  return locator.evaluateAll((elements) =>
    elements.map((element) => {
      const { top, bottom } = element.getBoundingClientRect();
      return { top, bottom, centre: (top + bottom) / 2 };
    }),
  );
}

describe.each(['light', 'dark'] as Theme[])('%s theme, 1280×800', (theme) => {
  it("an example's buttons are all one height", async () => {
    const page = await open('chapters/goroutines/', theme, DESKTOP);
    const buttons = exampleLocator(page, 'ping-pong').locator('.ix-bar .ix-button:visible');
    const heights = (await verticals(buttons)).map(({ top, bottom }) => bottom - top);
    expect(heights.length).toBeGreaterThanOrEqual(4); // Run, Edit, Copy, Share, Timeline
    for (const height of heights) expect(Math.abs(height - heights[0]!)).toBeLessThanOrEqual(1);
    await page.context().close();
  });

  it('the timeline\'s "−", "+" and "Fit" share a centre line; legend swatches sit beside their labels', async () => {
    const page = await open('chapters/goroutines/', theme, DESKTOP);
    const example = exampleLocator(page, 'ping-pong');
    await runAndWait(example); // however it ends (a busy machine may time it out), it is drawn
    await example.locator('run-timeline canvas').waitFor();

    const zoom = await verticals(
      example.locator('run-timeline .rt-toolbar button').filter({ hasText: /^(−|\+|Fit)$/ }),
    );
    expect(zoom).toHaveLength(3);
    for (const { centre } of zoom) expect(Math.abs(centre - zoom[0]!.centre)).toBeLessThanOrEqual(1);

    const legend = await example.locator('run-timeline ul.rt-legend > li').evaluateAll((items) =>
      items.map((item) => {
        const swatch = item.querySelector('i')!.getBoundingClientRect();
        const text = document.createRange();
        text.setStartAfter(item.querySelector('i')!);
        text.setEnd(item, item.childNodes.length);
        const label = text.getBoundingClientRect();
        return {
          label: item.textContent,
          centre: (swatch.top + swatch.bottom) / 2,
          labelTop: label.top,
          labelBottom: label.bottom,
          gap: label.left - swatch.right,
        };
      }),
    );
    expect(legend.length).toBeGreaterThan(3);
    for (const { label, centre, labelTop, labelBottom, gap } of legend) {
      expect({ label, inside: centre >= labelTop && centre <= labelBottom, beside: gap >= 0 }).toEqual({
        label,
        inside: true,
        beside: true,
      });
    }
    await page.context().close();
  });
});

describe('phone, 390×844', () => {
  it('draws each line number beside the first row of its line, also when lines wrap', async () => {
    const page = await open('chapters/multithreading/', 'light', PHONE);
    const example = exampleLocator(page, 'deadlock');
    await example.getByRole('button', { name: 'Edit' }).click();
    await example.locator('.cm-content').click();
    await page.keyboard.type('// edited\n');

    // Rendered lines and their numbers, in order (the gutter's hidden spacer left out).
    const rows = await example.evaluate((element) => {
      const firstRowTop = (node: Element) => {
        const range = document.createRange();
        range.selectNodeContents(node);
        const tops = [...range.getClientRects()].map((rect) => rect.top);
        return { top: Math.min(...tops), rows: new Set(tops.map(Math.round)).size };
      };
      const lines = [...element.querySelectorAll('.cm-content > .cm-line')].map(firstRowTop);
      const numbers = [...element.querySelectorAll<HTMLElement>('.cm-lineNumbers .cm-gutterElement')]
        .filter((number) => number.style.visibility !== 'hidden')
        .map((number) => ({ text: number.textContent, top: firstRowTop(number).top }));
      return { lines, numbers };
    });
    expect(rows.numbers).toHaveLength(rows.lines.length);
    expect(rows.lines.some((line) => line.rows > 1)).toBe(true); // some lines do wrap at this width
    const misplaced = rows.numbers.filter(({ top }, i) => Math.abs(top - rows.lines[i]!.top) > 1);
    expect(misplaced.map(({ text }) => text)).toEqual([]);
    await page.context().close();
  });

  it('hides the Edit button once editing has started', async () => {
    const page = await open('chapters/multithreading/', 'light', PHONE);
    const example = exampleLocator(page, 'deadlock');
    const edit = example.getByRole('button', { name: 'Edit' });
    expect(await edit.isVisible()).toBe(true);
    await edit.click();
    await example.locator('.cm-content').waitFor();
    expect(await edit.isVisible()).toBe(false);
    await page.context().close();
  });
});
