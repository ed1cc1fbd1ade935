/**
 * axe (WCAG 2.2 A and AA) finds nothing on any page of the production build,
 * in the light and the dark theme, with diagrams drawn.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { BUILDS } from '../support/site.ts';
import { serveStatic, type StaticServer } from '../support/static-server.ts';
import { axeViolations, type Theme } from './content-axe.ts';
import { readSite } from './content-crawl.ts';

const THEMES: Theme[] = ['light', 'dark'];
const { outDir, base } = BUILDS.root;
const routes = [...readSite(outDir, base).keys()].filter((url) => !url.endsWith('/404')).sort();
let browser: Browser;
let server: StaticServer;

beforeAll(async () => {
  server = await serveStatic(outDir, { base, headers: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.each(THEMES)('%s theme', (theme) => {
  it.each(routes)('%s has no WCAG 2.2 A/AA violations', async (route) => {
    expect(await axeViolations(browser, server.origin + route, theme)).toEqual([]);
  });
});
