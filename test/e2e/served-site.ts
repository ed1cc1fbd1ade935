/**
 * For an e2e test file: one Chromium and one production build served with its production
 * headers, started before the file's tests and stopped after them. Read `site.browser` and
 * `site.server` inside tests (they are set once `beforeAll` has run).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { BUILDS, type BuildName } from '../support/site.ts';
import { serveStatic, type StaticServer } from '../support/static-server.ts';

export interface ServedSite {
  readonly browser: Browser;
  readonly server: StaticServer;
}

export function servedSite(build: BuildName = 'root'): ServedSite {
  const site = {} as { browser: Browser; server: StaticServer };
  beforeAll(async () => {
    site.browser = await launchChromium();
    site.server = await serveStatic(BUILDS[build].outDir, { base: BUILDS[build].base, headers: true });
  });
  afterAll(async () => {
    await site.server?.close();
    await site.browser?.close();
  });
  return site;
}
