/**
 * The contributor path: copy .github/chapter-template.mdx to
 * content/chapters/<slug>.mdx, change nothing else, build. The chapter builds,
 * is in the sidebar, its links resolve, its diagrams are picked up by the
 * checks and drawn, its runnable example and exercise are found and run, and
 * axe finds nothing in either theme. Runs in a sandbox
 * copy of the project (test/e2e/content-sandbox.ts), so the working tree is
 * never touched, even if the test is killed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { diagramAccessibility, findDiagrams } from '../../src/build/content-diagrams.mjs';
import { compareOutput, extractExamples, extractExercises } from '../../src/build/examples.mjs';
import { launchChromium } from '../support/browser.ts';
import { ROOT } from '../support/site.ts';
import { serveStatic, type StaticServer } from '../support/static-server.ts';
import { axeViolations } from './content-axe.ts';
import { runAndWait, SELECT } from './examples-support.ts';
import { createSandbox, type BuildResult, type Sandbox } from './content-sandbox.ts';
import {
  brokenLinks,
  pagesMissingFromSidebar,
  readSite,
  sidebarLinks,
  type BuiltPage,
} from './content-crawl.ts';

const slug = 'zz-from-the-template';
const url = `/chapters/${slug}/`;
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
