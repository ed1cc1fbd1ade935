/**
 * Diagrams on the production build, as a reader gets them (issue #18): every
 * ```mermaid fence of the book is an inline SVG in each theme, announced as one
 * image with its accTitle/accDescr, shown by the site's own theme switch; no page
 * loads diagram code; the page does not move while it loads or when the theme
 * changes. And the build's own checks: a diagram Mermaid cannot parse is
 * reported at the line of its file.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import { VFile } from 'vfile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDiagrams } from '../../src/build/content-diagrams.mjs';
import remarkMermaid from '../../src/build/remark-mermaid.mjs';
import { ROOT, BUILDS } from '../support/site.ts';
import { isChecked } from '../support/chapter-filter.ts';
import { readSite } from './content-crawl.ts';
import { servedSite } from './served-site.ts';
import { readFileSync } from 'node:fs';

const { outDir, base } = BUILDS.root;
const pages = [...readSite(outDir, base).values()];
const FIGURE = /<figure class="diagram" data-diagram-line="(\d+)">([\s\S]*?)<\/figure>/g;
const withDiagrams = pages.filter(
  (page) => page.source.startsWith('content/') && isChecked(page.source) && page.html.match(FIGURE),
);
const site = servedSite();

/** Script URLs the page has fetched so far. */
function recordScripts(page: Page): string[] {
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  return scripts;
}
const isDiagramCode = (path: string) =>
  /DiagramScript|\/render\.[\w-]+\.js|mermaid|flowDiagram|sequenceDiagram|dagre/.test(path);

describe('the built pages', () => {
  it('have every diagram of the book, each drawn in both themes', () => {
    const expected = pages
      .filter((page) => page.source.startsWith('content/') && isChecked(page.source))
      .flatMap((page) =>
        findDiagrams(readFileSync(`${ROOT}${page.source}`, 'utf8')).map(
          ({ line }) => `${page.source}:${line}`,
        ),
      );
    expect(expected.length).toBeGreaterThan(0);
    const drawn = pages.flatMap((page) =>
      [...page.html.matchAll(FIGURE)]
        .filter(([, , inner]) => inner?.match(/<svg\b[^>]*data-diagram-theme="(light|dark)"/g)?.length === 2)
        .map(([, line]) => `${page.source}:${line}`),
    );
    expect(drawn.filter((where) => isChecked(where.split(':')[0]!))).toEqual(expected);
    for (const page of pages) expect(page.html, page.source).not.toContain('<mermaid-diagram');
  });

  it('announce each drawing as one image named by its accTitle and described by its accDescr', () => {
    for (const page of withDiagrams) {
      for (const [, line, inner] of page.html.matchAll(FIGURE)) {
        const where = `${page.source}:${line}`;
        const title = /<span class="diagram__title">([^<]*)<\/span>/.exec(inner!)?.[1];
        const svgs = [...inner!.matchAll(/<svg\b([^>]*)>([\s\S]*?)<\/svg>/g)];
        expect(svgs, where).toHaveLength(2);
        for (const [, attributes, body] of svgs) {
          expect(attributes, where).toMatch(/\srole="img"/);
          const labelledBy = /aria-labelledby="([^"]+)"/.exec(attributes!)?.[1];
          const describedBy = /aria-describedby="([^"]+)"/.exec(attributes!)?.[1];
          expect(body, where).toContain(`<title id="${labelledBy}">${title}</title>`);
          expect(body, where).toMatch(new RegExp(`<desc id="${describedBy}">[^<]+</desc>`));
        }
      }
    }
  });

  it("keep each drawing's own CSS, scoped to its id, as CSS", () => {
    for (const page of withDiagrams) {
      for (const [, line, inner] of page.html.matchAll(FIGURE)) {
        for (const [, id, body] of inner!.matchAll(/<svg\b[^>]*\sid="([^"]+)"[^>]*>([\s\S]*?)<\/svg>/g)) {
          expect(body, `${page.source}:${line}`).toMatch(new RegExp(`<style>#${id}\\s*\\{`));
        }
      }
      expect(page.html, page.source).not.toContain('set:html');
    }
  });

  it('never repeat an id on a page (each drawing scopes its own)', () => {
    for (const page of withDiagrams) {
      const ids = [...page.html.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
      const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
      expect(repeated, page.source).toEqual([]);
    }
  });
});

describe.runIf(withDiagrams.length)(`a page with diagrams (${withDiagrams[0]?.url})`, () => {
  let context: BrowserContext;
  let page: Page;
  let scripts: string[];
  let atLoad: number[];

  beforeAll(async () => {
    context = await site.browser.newContext({ viewport: { width: 1000, height: 700 } });
    page = await context.newPage();
    scripts = recordScripts(page);
    await page.goto(site.server.origin + withDiagrams[0]!.url, { waitUntil: 'load' });
    // How tall each figure is once the page has loaded, before anything has scrolled into view.
    atLoad = (await shown()).map((figure) => figure.height);
  });
  afterAll(() => context?.close());

  /** Each figure: the theme of its visible drawing, and its height. */
  const shown = () =>
    page.$$eval('figure.diagram', (figures) =>
      figures.map((figure) => {
        const visible = [...figure.querySelectorAll('svg.diagram__drawing')].filter(
          (svg) => svg.getBoundingClientRect().height > 0,
        );
        return {
          themes: visible.map((svg) => svg.getAttribute('data-diagram-theme')),
          height: Math.round(figure.getBoundingClientRect().height),
        };
      }),
    );

  it('shows each drawing at its full size from the start, with no diagram code', async () => {
    for (const figure of await page.locator('figure.diagram').all()) await figure.scrollIntoViewIfNeeded();
    await page.waitForLoadState('networkidle');
    expect(scripts.filter(isDiagramCode)).toEqual([]);
    const now = await shown();
    for (const { height } of now) expect(height).toBeGreaterThan(50);
    expect(now.map((figure) => figure.height)).toEqual(atLoad);
  });

  it("follows the site's theme switch, not only the system's setting, without moving the page", async () => {
    const setTheme = (theme: string) =>
      page.evaluate((value) => {
        document.documentElement.dataset['theme'] = value;
      }, theme);
    await setTheme('light');
    const light = await shown();
    expect(light.map((figure) => figure.themes)).toEqual(light.map(() => ['light']));
    await setTheme('dark');
    const dark = await shown();
    expect(dark.map((figure) => figure.themes)).toEqual(dark.map(() => ['dark']));
    // Each figure keeps its height, so switching moves nothing below it.
    expect(dark.map((figure) => figure.height)).toEqual(light.map((figure) => figure.height));
  });

  it('draws the dark theme with light text (SVG text and HTML labels)', async () => {
    await page.evaluate(() => {
      document.documentElement.dataset['theme'] = 'dark';
    });
    // The colour each piece of text is drawn in: of the element whose own text it is.
    const colours = await page.$$eval(
      'svg.diagram__drawing[data-diagram-theme="dark"] :is(text, text *, foreignObject *)',
      (elements) =>
        elements
          .filter(
            (element) =>
              element.getClientRects().length > 0 &&
              [...element.childNodes].some(
                (node) => node.nodeType === Node.TEXT_NODE && node.textContent?.trim(),
              ),
          )
          .map((element) => {
            const style = getComputedStyle(element);
            const colour = element instanceof SVGElement ? style.fill : style.color;
            return `${colour} "${element.textContent?.trim()}" <${element.tagName} class="${element.getAttribute('class')}">`;
          }),
    );
    expect(colours.length).toBeGreaterThan(0);
    for (const colour of colours) {
      const [r = 0, g = 0, b = 0] = (colour.match(/\d+/g) ?? []).map(Number);
      expect((r + g + b) / 3, colour).toBeGreaterThan(150);
    }
  });
});

describe('a diagram Mermaid cannot parse', () => {
  it("fails the build with the file's line of the error", async () => {
    // The fence is on line 5 of the file; the error on the diagram's third line, file line 8.
    const text = [
      '# Broken',
      '',
      'Some prose.',
      '',
      '```mermaid',
      'flowchart LR',
      '  A --> B',
      '  B --> (((',
      '```',
    ].join('\n');
    const file = new VFile({ path: `${ROOT}content/chapters/broken.mdx`, cwd: ROOT, value: text });
    const processor = unified().use(remarkParse).use(remarkMermaid);
    const failure = await processor.run(processor.parse(file), file).then(
      () => 'built',
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/^content\/chapters\/broken\.mdx:8: (Parse|Lexical) error on line 8\b/);
  });
});
