/**
 * A contributor adds one MDX file to content/chapters/ and nothing else: the
 * chapter appears in the sidebar, in the right place, in previous/next links, and in the
 * landing page's contents.
 */
import { rmSync, writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { RUN_DIR, ROOT, buildSite } from '../support/site.ts';
import { serveStatic, type StaticServer } from '../support/static-server.ts';

const slug = `zz-new-chapter-${process.pid}`;
const file = `${ROOT}content/chapters/${slug}.mdx`;
const outDir = `${RUN_DIR}/site-new-chapter`;
let browser: Browser;
let server: StaticServer;

beforeAll(async () => {
  writeFileSync(
    file,
    `---\ntitle: A brand-new chapter\ndescription: Written by a test to prove that chapters need no registration.\nsummary: Shows that a chapter needs no registration.\nsidebar:\n  order: 9999\n---\n\nA chapter that only exists during this test.\n`,
  );
  try {
    buildSite(outDir, '/');
  } finally {
    rmSync(file, { force: true });
  }
  server = await serveStatic(outDir);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('shows up in the sidebar and in previous/next links with no other edit', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}chapters/${slug}/`);
  const links = await page.locator('#starlight__sidebar a').evaluateAll((anchors) =>
    anchors.map((a) => {
      // Without the reader's progress mark ("(✓ read)"): this short page is read on arrival.
      const title = a.cloneNode(true) as Element;
      title.querySelector('.progress-mark')?.remove();
      return { href: a.getAttribute('href'), text: title.textContent?.trim() };
    }),
  );
  const index = links.findIndex((link) => link.href === `/chapters/${slug}/`);
  expect(index).toBeGreaterThan(0);
  expect(links[index]?.text).toBe('A brand-new chapter');
  expect(await page.locator('#starlight__sidebar a[aria-current="page"]').textContent()).toContain(
    'A brand-new chapter',
  );

  // Its "Previous" link is the sidebar entry just before it, and that page links "Next" to it.
  const previous = links[index - 1]!;
  expect(await page.locator('.pagination-links a[rel="prev"]').getAttribute('href')).toBe(previous.href);
  await page.goto(`${server.origin}${previous.href}`);
  expect(await page.locator('.pagination-links a[rel="next"]').getAttribute('href')).toBe(
    `/chapters/${slug}/`,
  );
  await page.close();
});

it("shows up last in the landing page's contents, with its summary, without JavaScript", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url);
  const chapters = await page.locator('.book-chapters > li').evaluateAll((items) =>
    items.map((item) => ({
      href: item.querySelector('a')?.getAttribute('href'),
      lines: [...item.querySelectorAll('a > *, p')].map((part) => part.textContent),
    })),
  );
  expect(chapters.length).toBeGreaterThan(1);
  expect(chapters.at(-1)).toEqual({
    href: `/chapters/${slug}/`,
    lines: [
      `Chapter ${chapters.length}`,
      'A brand-new chapter',
      'Shows that a chapter needs no registration.',
    ],
  });
  await context.close();
});
