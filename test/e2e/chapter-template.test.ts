/**
 * The contributor path, in one sandbox build (a copy of the project,
 * test/support/content-sandbox.ts, so the working tree is never touched, even if the test is
 * killed):
 * - copy .github/chapter-template.mdx to content/chapters/<slug>.mdx, change nothing else,
 *   build: the chapter builds, is in the sidebar, its links resolve, its diagrams are picked up
 *   by the checks and drawn, its runnable example and exercise are found and run, and axe finds
 *   nothing in either theme;
 * - add one more MDX file to content/chapters/ and nothing else: it appears in the sidebar, in
 *   the right place, in previous/next links, and in the landing page's contents.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagramAccessibility, findDiagrams } from '../../src/build/diagrams/content-diagrams.mjs';
import { compareOutput, extractExamples, extractExercises } from '../../src/build/examples/syntax.mjs';
import { launchChromium } from '../support/browser.ts';
import { ROOT } from '../support/site.ts';
import { serveStatic, type StaticServer } from '../support/static-server.ts';
import { axeViolations } from '../support/axe.ts';
import { runAndWait, SELECT } from '../support/examples.ts';
import { createSandbox, type BuildResult, type Sandbox } from '../support/content-sandbox.ts';
import {
  brokenLinks,
  pagesMissingFromSidebar,
  readSite,
  sidebarLinks,
  type BuiltPage,
} from '../support/content-crawl.ts';

const slug = 'zz-from-the-template';
const url = `/chapters/${slug}/`;
/** A chapter of bare frontmatter, last in the reading order. */
const newSlug = 'zz-new-chapter';
const newChapter = `---\ntitle: A brand-new chapter\ndescription: Written by a test to prove that chapters need no registration.\nsummary: Shows that a chapter needs no registration.\nsidebar:\n  order: 9999\n---\n\nA chapter that only exists during this test.\n`;
const template = readFileSync(`${ROOT}.github/chapter-template.mdx`, 'utf8');
let sandbox: Sandbox;
let build: BuildResult;
let outDir: string;
let pages: Map<string, BuiltPage>;
let browser: Browser | undefined;
let server: StaticServer | undefined;

beforeAll(async () => {
  sandbox = createSandbox();
  sandbox.write(`content/chapters/${slug}.mdx`, template);
  sandbox.write(`content/chapters/${newSlug}.mdx`, newChapter);
  outDir = join(sandbox.root, 'dist');
  build = sandbox.build({ outDir });
  if (!build.ok) return;
  pages = readSite(outDir, '/', join(sandbox.root, 'content/'));
  server = await serveStatic(outDir);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  sandbox?.dispose();
});

it('builds with the template copied in unchanged', () => {
  expect(build.output.match(/\[ERROR\].*|Frontmatter problems[\s\S]*/)?.[0] ?? '').toBe('');
  expect(build.ok).toBe(true);
  expect(pages.get(url)?.source).toBe(`content/chapters/${slug}.mdx`);
});

it('builds without a warning about the content collections', () => {
  // Starlight reads an i18n collection on every page: it must be declared (src/content.config.ts).
  expect(build.output.match(/^.*\[WARN\] \[content\].*$/gm) ?? []).toEqual([]);
});

it('appears in the sidebar of every page', () => {
  expect(sidebarLinks(pages.get(url)!)).toContain(url);
  expect(
    pagesMissingFromSidebar(pages, '/', join(sandbox.root, 'content/')).filter((p) => p.includes(url)),
  ).toEqual([]);
  expect(sidebarLinks(pages.get('/guide/using-this-book/')!)).toContain(url);
});

it('has only links that resolve', () => {
  const mine = brokenLinks(outDir, '/', pages).filter((problem) => problem.includes(`(${url})`));
  expect(mine).toEqual([]);
});

it('has its diagrams picked up by the checks, captioned, and drawn into the page', async () => {
  const sources = findDiagrams(template);
  expect(sources).toHaveLength(2);
  for (const { source } of sources) {
    const { title, description } = diagramAccessibility(source);
    expect(title && description).toBeTruthy();
  }
  const html = pages.get(url)!.html;
  expect(html.match(/<figure class="diagram"/g)).toHaveLength(2);
  expect(html).toContain('<span class="diagram__title">One task, then every microtask</span>');

  const context = await browser!.newContext();
  const page = await context.newPage();
  await page.goto(server!.origin + url);
  expect(await page.locator('figure.diagram svg.diagram__drawing > title').allTextContents()).toEqual([
    'One task, then every microtask',
    'A message to a worker and back',
  ]);
  await context.close();
}, 60_000);

it('has its runnable example and exercise picked up by the checks, and they run on the page', async () => {
  const { examples, errors } = extractExamples(template, '.github/chapter-template.mdx');
  const found = extractExercises(template, '.github/chapter-template.mdx');
  expect([...errors, ...found.errors]).toEqual([]);
  expect(examples.map((example) => example.id)).toEqual(['template-order']);
  expect(found.exercises.map((exercise) => exercise.id)).toEqual(['template-exercise']);

  const context = await browser!.newContext();
  const page = await context.newPage();
  await page.goto(server!.origin + url);
  const example = page.locator('interleave-example[data-id="template-order"]');
  const { output } = await runAndWait(example, 20_000);
  expect(compareOutput(output, examples[0]!.expected ?? '').ok, output).toBe(true);
  const exercise = page.locator('interleave-example[data-id="template-exercise"]');
  await exercise.locator(SELECT.action('run')).click();
  await expect.poll(() => exercise.getAttribute('data-verdict'), { timeout: 20_000 }).toBe('fail');
  await context.close();
}, 60_000);

it('renders the aside and the synced tabs', () => {
  const html = pages.get(url)!.html;
  expect(html).toContain('starlight-aside--note');
  expect(html).toMatch(/<starlight-tabs[^>]*data-sync-key="lang"/);
});

it('passes axe in light and dark', async () => {
  for (const theme of ['light', 'dark'] as const) {
    expect(await axeViolations(browser!, server!.origin + url, theme)).toEqual([]);
  }
}, 120_000);

describe('a new chapter file, with no other edit', () => {
  it('shows up in the sidebar and in previous/next links', async () => {
    const page = await browser!.newPage();
    await page.goto(`${server!.url}chapters/${newSlug}/`);
    const links = await page.locator('#starlight__sidebar a').evaluateAll((anchors) =>
      anchors.map((a) => {
        // Without the reader's progress mark ("(✓ read)"): this short page is read on arrival.
        const title = a.cloneNode(true) as Element;
        title.querySelector('.progress-mark')?.remove();
        return { href: a.getAttribute('href'), text: title.textContent?.trim() };
      }),
    );
    const index = links.findIndex((link) => link.href === `/chapters/${newSlug}/`);
    expect(index).toBeGreaterThan(0);
    expect(links[index]?.text).toBe('A brand-new chapter');
    expect(await page.locator('#starlight__sidebar a[aria-current="page"]').textContent()).toContain(
      'A brand-new chapter',
    );

    // Its "Previous" link is the sidebar entry just before it, and that page links "Next" to it.
    const previous = links[index - 1]!;
    expect(await page.locator('.pagination-links a[rel="prev"]').getAttribute('href')).toBe(previous.href);
    await page.goto(`${server!.origin}${previous.href}`);
    expect(await page.locator('.pagination-links a[rel="next"]').getAttribute('href')).toBe(
      `/chapters/${newSlug}/`,
    );
    await page.close();
  });

  it("shows up last in the landing page's contents, with its summary, without JavaScript", async () => {
    const context = await browser!.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(server!.url);
    const chapters = await page.locator('.book-chapters > li').evaluateAll((items) =>
      items.map((item) => ({
        href: item.querySelector('a')?.getAttribute('href'),
        lines: [...item.querySelectorAll('a > *, p')].map((part) => part.textContent),
      })),
    );
    expect(chapters.length).toBeGreaterThan(1);
    expect(chapters.at(-1)).toEqual({
      href: `/chapters/${newSlug}/`,
      lines: [
        `Chapter ${chapters.length}`,
        'A brand-new chapter',
        'Shows that a chapter needs no registration.',
      ],
    });
    await context.close();
  });
});
