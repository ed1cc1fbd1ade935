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
import { findDiagrams } from '../../src/build/diagrams/content-diagrams.mjs';
import { toHtml } from 'hast-util-to-html';
import { mergeThemes, THEME_SCOPE } from '../../src/build/diagrams/diagram-themes.mjs';
import {
  compactDrawing,
  compactNumbers,
  drawDiagram,
  drawnByMermaid,
  scopeIds,
} from '../../src/build/diagrams/mermaid-svg.mjs';
import remarkMermaid from '../../src/build/diagrams/remark-mermaid.mjs';
import { ROOT, BUILDS } from '../support/site.ts';
import { isChecked } from '../support/chapter-filter.ts';
import { readSite } from '../support/content-crawl.ts';
import { servedSite } from './served-site.ts';
import { readFileSync } from 'node:fs';

const { outDir, base } = BUILDS.root;
const pages = [...readSite(outDir, base).values()];
const FIGURE = /<figure class="diagram" data-diagram-line="(\d+)">([\s\S]*?)<\/figure>/g;
const withDiagrams = pages.filter(
  (page) => page.source.startsWith('content/') && isChecked(page.source) && page.html.match(FIGURE),
);
const site = servedSite();

/** The <svg> drawings in a figure's HTML: [whole, attributes, body]. */
const drawings = (figure: string) => [...figure.matchAll(/<svg\b([^>]*)>([\s\S]*?)<\/svg>/g)];

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
  it('have every diagram of the book, drawn once for both themes', () => {
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
        // One drawing for both themes (src/build/diagrams/diagram-themes.mjs): no second SVG, no theme of its own.
        .filter(([, , inner]) => drawings(inner!).length === 1 && !/data-diagram-theme/.test(inner!))
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
        const svgs = drawings(inner!);
        expect(svgs, where).toHaveLength(1);
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

  it("keep each theme's CSS of a drawing, scoped to its id and to that theme, as CSS", () => {
    for (const page of withDiagrams) {
      for (const [, line, inner] of page.html.matchAll(FIGURE)) {
        for (const [, id, body] of inner!.matchAll(/<svg\b[^>]*\sid="([^"]+)"[^>]*>([\s\S]*?)<\/svg>/g)) {
          const css = /<style>([\s\S]*?)<\/style>/.exec(body!)?.[1] ?? '';
          for (const scope of Object.values(THEME_SCOPE))
            expect(css, `${page.source}:${line}`).toContain(`${scope} #${id}{`);
          // Every selector that names the drawing names its theme too.
          // (`#diagram-12-arrowhead` is another id: the drawing's own is followed by no name character.)
          const count = (text: string) =>
            css.match(new RegExp(`${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'g'))?.length ??
            0;
          const scoped = Object.values(THEME_SCOPE).reduce((sum, scope) => sum + count(`${scope} #${id}`), 0);
          expect(count(`#${id}`), `${page.source}:${line}`).toBe(scoped);
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

  /** Each figure: the colour scheme of its visible drawings (one), and its height. */
  const shown = () =>
    page.$$eval('figure.diagram', (figures) =>
      figures.map((figure) => {
        const visible = [...figure.querySelectorAll('svg.diagram__drawing')].filter(
          (svg) => svg.getBoundingClientRect().height > 0,
        );
        return {
          themes: visible.map((svg) => getComputedStyle(svg).colorScheme),
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

  it.each([
    ['dark', 'light', (brightness: number) => brightness > 150],
    ['light', 'dark', (brightness: number) => brightness < 100],
  ] as const)('draws the %s theme with %s text (SVG text and HTML labels)', async (theme, _, readable) => {
    await page.evaluate((value) => {
      document.documentElement.dataset['theme'] = value;
    }, theme);
    // The colour each piece of text is drawn in: of the element whose own text it is.
    const colours = await page.$$eval(
      'figure.diagram svg.diagram__drawing :is(text, text *, foreignObject *)',
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
      expect(readable((r + g + b) / 3), colour).toBe(true);
    }
  });
});

describe('one drawing for both themes (src/build/diagrams/diagram-themes.mjs)', () => {
  /** What a reader sees of an element: the properties a theme can change, and its box. */
  const SEEN = [
    'fill',
    'stroke',
    'color',
    'stop-color',
    'flood-color',
    'background-color',
    'opacity',
    'fill-opacity',
    'stroke-opacity',
    'stroke-width',
    'display',
    'visibility',
    'font-size',
    'font-weight',
  ];

  it('draws every diagram of the book, in each theme, as Mermaid drew that theme', async () => {
    const diagrams = await Promise.all(
      withDiagrams.flatMap((page) =>
        findDiagrams(readFileSync(`${ROOT}${page.source}`, 'utf8')).map(async ({ source, line }, i) => {
          const drawn = await drawDiagram(source);
          const merged = mergeThemes(
            scopeIds(drawn.light, `m${i}-${line}`),
            scopeIds(drawn.dark, `m${i}-${line}`),
          );
          if (!merged) return { where: `${page.source}:${line}`, html: '' };
          merged.properties['className'] = ['diagram__drawing'];
          return {
            where: `${page.source}:${line}`,
            html: [
              `<div class="theme-light">${scopeIds(drawn.light, `l${i}-${line}`)}</div>`,
              `<div class="theme-dark">${scopeIds(drawn.dark, `d${i}-${line}`)}</div>`,
              `<div class="merged">${toHtml(merged, { space: 'svg' })}</div>`,
            ].join(''),
          };
        }),
      ),
    );
    expect(diagrams.filter((diagram) => !diagram.html).map((diagram) => diagram.where)).toEqual([]);

    const context = await site.browser.newContext({ viewport: { width: 1200, height: 800 } });
    try {
      const page = await context.newPage();
      const css = readFileSync(`${ROOT}src/chrome/diagrams.css`, 'utf8');
      await page.setContent(
        `<!doctype html><html><head><style>${css}</style></head><body>${diagrams
          .map((diagram) => `<section data-where="${diagram.where}">${diagram.html}</section>`)
          .join('')}</body></html>`,
      );
      for (const theme of ['light', 'dark'] as const) {
        const differences = await page.evaluate(
          ({ theme, seen }) => {
            document.documentElement.dataset['theme'] = theme;
            const look = (element: Element) => {
              const style = getComputedStyle(element);
              return seen.map(
                (name) => `${name}: ${style.getPropertyValue(name).replace(/url\("?#[^)"]*"?\)/, 'url(#…)')}`,
              );
            };
            /** Its box's size, if it differs by more than a pixel (rounding at another position on the page). */
            const resized = (original: Element, merged: Element) => {
              const [a, b] = [original, merged].map((element) => element.getBoundingClientRect());
              return Math.abs(a!.width - b!.width) > 1 || Math.abs(a!.height - b!.height) > 1
                ? [`size: ${a!.width}×${a!.height} → ${b!.width}×${b!.height}`]
                : [];
            };
            const found: string[] = [];
            const compare = (original: Element, merged: Element, path: string) => {
              const a = look(original);
              const b = look(merged);
              const changed = [
                ...a.flatMap((value, i) => (value === b[i] ? [] : [`${value} → ${b[i]}`])),
                ...resized(original, merged),
              ];
              if (changed.length) found.push(`${path}: ${changed.join('; ')}`);
              const shared = Math.min(original.children.length, merged.children.length);
              for (let i = 0; i < shared; i++)
                compare(
                  original.children[i]!,
                  merged.children[i]!,
                  `${path} > ${original.children[i]!.localName}[${i}]`,
                );
            };
            // Laid out as on the site (display: block), as the merged drawing is.
            for (const svg of document.querySelectorAll('.theme-light svg, .theme-dark svg'))
              svg.classList.add('diagram__drawing');
            for (const section of document.querySelectorAll<HTMLElement>('section')) {
              const original = section.querySelector(`.theme-${theme} svg`)!;
              const merged = section.querySelector('.merged svg')!;
              const before = found.length;
              compare(original, merged, section.dataset['where']!);
              found.splice(before + 3); // the first few differences of a diagram say enough
            }
            return found;
          },
          { theme, seen: SEEN },
        );
        expect(differences, `${theme} theme`).toEqual([]);
      }
    } finally {
      await context.close();
    }
  }, 120_000);
});

describe('compacted drawings (src/build/diagrams/mermaid-svg.mjs)', () => {
  it("draw every path of the book's diagrams as Mermaid drew it, in fewer bytes", async () => {
    const diagrams = await Promise.all(
      withDiagrams.flatMap((page) =>
        findDiagrams(readFileSync(`${ROOT}${page.source}`, 'utf8')).flatMap(({ source, line }) =>
          (['light', 'dark'] as const).map(async (theme) => {
            const original = await drawnByMermaid(source, theme);
            return {
              where: `${page.source}:${line} (${theme})`,
              original,
              compacted: compactDrawing(original),
            };
          }),
        ),
      ),
    );
    const withoutPathData = (svg: string) => svg.replace(/(<path\b[^>]*?\sd=")[^"]*"/g, '$1"');
    for (const { where, original, compacted } of diagrams) {
      // Only the numbers and the path data are written differently.
      expect(withoutPathData(compacted), where).toBe(withoutPathData(compactNumbers(original)));
    }
    const bytes = (drawing: 'original' | 'compacted') =>
      diagrams.reduce((sum, diagram) => sum + diagram[drawing].length, 0);
    expect(bytes('compacted')).toBeLessThan(bytes('original'));

    const context = await site.browser.newContext();
    try {
      const page = await context.newPage();
      await page.setContent(
        `<!doctype html><html><body>${diagrams
          .map(({ where, original, compacted }, i) =>
            [scopeIds(original, `o${i}`), scopeIds(compacted, `c${i}`)]
              .map(
                (svg, j) =>
                  `<div data-where="${where}" data-drawing="${j ? 'compacted' : 'original'}">${svg}</div>`,
              )
              .join(''),
          )
          .join('')}</body></html>`,
      );
      const differences = await page.evaluate(() => {
        const found: string[] = [];
        const originals = document.querySelectorAll<HTMLElement>('[data-drawing="original"]');
        const compacted = document.querySelectorAll<HTMLElement>('[data-drawing="compacted"]');
        let paths = 0;
        originals.forEach((original, i) => {
          const [a, b] = [original, compacted[i]!].map((drawing) => [...drawing.querySelectorAll('path')]);
          if (a!.length !== b!.length)
            found.push(`${original.dataset['where']}: ${a!.length} → ${b!.length} paths`);
          a!.forEach((path, j) => {
            const other = b![j]!;
            const [box, otherBox] = [path.getBBox(), other.getBBox()];
            const edges = (r: DOMRect) => [r.x, r.y, r.x + r.width, r.y + r.height];
            const moved = Math.max(...edges(box).map((edge, k) => Math.abs(edge - edges(otherBox)[k]!)));
            const [length, otherLength] = [path.getTotalLength(), other.getTotalLength()];
            // Coordinates are rounded to hundredths of a pixel; hundreds of segments may add up a little.
            if (moved > 0.05 || Math.abs(length - otherLength) > 0.05 + length * 0.001)
              found.push(
                `${original.dataset['where']} path ${j}: box moved ${moved.toFixed(3)} px, ` +
                  `length ${length.toFixed(2)} → ${otherLength.toFixed(2)}`,
              );
            paths++;
          });
        });
        return paths ? found : ['no paths compared'];
      });
      expect(differences).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);
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
