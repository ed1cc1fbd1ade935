/**
 * axe (WCAG 2.2 A and AA) finds nothing on any page of the production build,
 * in the light and the dark theme, with diagrams drawn.
 */
import { describe, expect, it } from 'vitest';
import { BUILDS } from '../support/site.ts';
import { axeViolations, type Theme } from './content-axe.ts';
import { readSite } from './content-crawl.ts';
import { runAndWait } from './examples-support.ts';
import { servedSite } from './served-site.ts';

const THEMES: Theme[] = ['light', 'dark'];
const { outDir, base } = BUILDS.root;
const routes = [...readSite(outDir, base).keys()].filter((url) => !url.endsWith('/404')).sort();
const site = servedSite();

describe.each(THEMES)('%s theme', (theme) => {
  it.each(routes)('%s has no WCAG 2.2 A/AA violations', async (route) => {
    expect(await axeViolations(site.browser, site.server.origin + route, theme)).toEqual([]);
  });

  // Drawn only after a run, so no page above has them: an example's output and run timeline.
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
