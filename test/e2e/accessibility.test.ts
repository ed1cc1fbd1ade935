/**
 * axe (WCAG 2.2 A and AA) finds nothing in what only a run draws, in the light and the dark
 * theme: an example's output and run timeline with its event table. (Every page of the build,
 * in both themes, is checked in every engine by test/engines/pages.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { axeViolations, type Theme } from '../support/axe.ts';
import { runAndWait } from '../support/examples.ts';
import { servedSite } from './served-site.ts';

const THEMES: Theme[] = ['light', 'dark'];
const site = servedSite();

describe.each(THEMES)('%s theme', (theme) => {
  it('an example after a run, with its output, timeline and event table, has no violations', async () => {
    const example = 'interleave-example[data-id="ping-pong"]';
    const violations = await axeViolations(
      site.browser,
      `${site.server.origin}/chapters/goroutines/`,
      theme,
      {
        include: example,
        prepare: async (page) => {
          const island = page.locator(example);
          const result = await runAndWait(island);
          expect(result.state).toBe('done');
          await island.locator('run-timeline canvas').waitFor();
          await island.locator('run-timeline details.rt-table > summary').click();
          await island.locator('run-timeline details.rt-table tr').nth(1).waitFor();
        },
      },
    );
    expect(violations).toEqual([]);
  });
});
