/**
 * axe (WCAG 2.2 A and AA) finds nothing on any page of the production build,
 * in the light and the dark theme, with diagrams drawn.
 */
import { describe, expect, it } from 'vitest';
import { BUILDS } from '../support/site.ts';
import { axeViolations, type Theme } from './content-axe.ts';
import { readSite } from './content-crawl.ts';
import { servedSite } from './served-site.ts';

const THEMES: Theme[] = ['light', 'dark'];
const { outDir, base } = BUILDS.root;
const routes = [...readSite(outDir, base).keys()].filter((url) => !url.endsWith('/404')).sort();
const site = servedSite();

describe.each(THEMES)('%s theme', (theme) => {
  it.each(routes)('%s has no WCAG 2.2 A/AA violations', async (route) => {
    expect(await axeViolations(site.browser, site.server.origin + route, theme)).toEqual([]);
  });
});
