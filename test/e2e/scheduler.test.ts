/**
 * The scheduler panel on the built site, in Chromium: the reference page's panel steps its
 * example by hand and explores it, nothing loads before the reader asks, and axe finds nothing in
 * the opened panel in either theme.
 */
import { describe, expect, it } from 'vitest';
import { axeViolations, type Theme } from '../support/axe.ts';
import { servedSite } from './served-site.ts';

const PAGE = 'reference/model/';
const PANEL = 'model-scheduler[data-for="model-race"]';
const site = servedSite();

describe('the scheduler panel (model-scheduler)', () => {
  it('steps the example by hand, announces each step, and explores every schedule', async () => {
    const context = await site.browser.newContext();
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(site.server.url + PAGE, { waitUntil: 'networkidle' });
    const panel = page.locator(PANEL);
    await panel.getByRole('button', { name: 'Step by hand' }).click();
    const threads = panel.getByRole('group', { name: 'Threads' });
    await threads.getByRole('button', { name: 'Run thread 1: line 7, const tmp = await x.read()' }).waitFor();
    await page.keyboard.press('2'); // focus is in the group: a digit picks thread 2
    await expect
      .poll(() => panel.getByRole('status').textContent())
      .toBe('thread 2 ran line 7, x.read() → 0.');
    for (const name of ['Run thread 1: line 7', 'Run thread 1: line 8', 'Run thread 2: line 8']) {
      await threads.getByRole('button', { name }).click();
    }
    await expect
      .poll(() => panel.getByRole('status').textContent())
      .toContain('Every thread finished: x = 1.');
    await panel.getByRole('button', { name: 'Explore every schedule' }).click();
    await expect
      .poll(() => panel.locator('.ms-report').textContent())
      .toBe('Explored every schedule: 6 schedules.x = 2: 2 schedulesx = 1: 4 schedules');
    expect(errors).toEqual([]);
    await context.close();
  });

  it.each(['light', 'dark'] as Theme[])(
    'has no WCAG 2.2 A/AA violations when open (%s theme)',
    async (theme) => {
      const violations = await axeViolations(site.browser, site.server.origin + '/' + PAGE, theme, {
        include: PANEL,
        prepare: async (page) => {
          const panel = page.locator(PANEL);
          await panel.getByRole('button', { name: 'Step by hand' }).click();
          const threads = panel.getByRole('group', { name: 'Threads' });
          await threads.getByRole('button', { name: /^Run thread 1/ }).click();
          await panel.locator('.ms-history > summary').click();
          await panel.getByRole('button', { name: 'Show as a timeline' }).click();
          await panel.locator('run-timeline canvas').waitFor();
        },
      });
      expect(violations).toEqual([]);
    },
  );
});
