/**
 * The pure parts of drawing diagrams at build time (src/build/diagrams/mermaid-svg.mjs,
 * src/build/diagrams/diagram-themes.mjs, src/build/diagrams/remark-mermaid.mjs): ids made unique per drawing, the two
 * themes' drawings merged into one, and Mermaid's error placed at the line of the file. Drawing itself needs Chromium: see
 * test/e2e/content-diagrams.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { toHtml } from 'hast-util-to-html';
import { mergeThemes, THEME_SCOPE } from '../../../src/build/diagrams/diagram-themes.mjs';
import {
  compactNumbers,
  compactPaths,
  DRAWN_ID,
  scopeIds,
} from '../../../src/build/diagrams/mermaid-svg.mjs';
import { locatedMessage } from '../../../src/build/diagrams/remark-mermaid.mjs';

/** Shaped like Mermaid's output: its own ids contain the id it was given; a sequence diagram's markers do not. */
const drawn = [
  `<svg id="${DRAWN_ID}" aria-labelledby="chart-title-${DRAWN_ID}" aria-describedby="chart-desc-${DRAWN_ID}">`,
  `<title id="chart-title-${DRAWN_ID}">Ping</title><desc id="chart-desc-${DRAWN_ID}">A ping</desc>`,
  `<style>#${DRAWN_ID}{fill:#333;}#${DRAWN_ID} #arrowhead path{fill:#333333;}#${DRAWN_ID} .arrowheadPath{fill:#000;}</style>`,
  '<defs><marker id="arrowhead"><path/></marker><marker id="arrowhead-open"><path/></marker></defs>',
  '<line marker-end="url(#arrowhead)"/><line marker-end="url(#arrowhead-open)"/><use href="#arrowhead"/>',
  '<g class="arrowhead"><text>#arrowhead is text</text></g>',
  '</svg>',
].join('');

describe('scopeIds', () => {
  const light = scopeIds(drawn, 'diagram-12-light');
  const dark = scopeIds(drawn, 'diagram-12-dark');
  const ids = (svg: string) => [...svg.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);

  it('gives two drawings of one diagram no id in common', () => {
    expect(ids(light).filter((id) => ids(dark).includes(id))).toEqual([]);
    expect(ids(light)).toEqual([
      'diagram-12-light',
      'chart-title-diagram-12-light',
      'chart-desc-diagram-12-light',
      'diagram-12-light-arrowhead',
      'diagram-12-light-arrowhead-open',
    ]);
  });

  it('rewrites everything that refers to an id, and nothing else', () => {
    expect(light).toContain('aria-labelledby="chart-title-diagram-12-light"');
    expect(light).toContain('aria-describedby="chart-desc-diagram-12-light"');
    expect(light).toContain('#diagram-12-light #diagram-12-light-arrowhead path{fill:#333333;}');
    expect(light).toContain('url(#diagram-12-light-arrowhead)');
    expect(light).toContain('url(#diagram-12-light-arrowhead-open)');
    expect(light).toContain('href="#diagram-12-light-arrowhead"');
    // Colours, class names and a class selector that merely starts like an id stay as they were.
    expect(light).toContain('{fill:#333;}');
    expect(light).toContain('.arrowheadPath{fill:#000;}');
    expect(light).toContain('<g class="arrowhead"><text>#arrowhead is text</text>');
    expect(light).not.toContain(DRAWN_ID);
  });
});

describe('compactNumbers', () => {
  it("cuts attributes' numbers to two decimals, and leaves text, CSS and path data alone", () => {
    const svg =
      '<svg viewBox="0 0 1258.40625 458.0230712890625" style="max-width: 1258.40625px;">' +
      '<path d="M12.258.001l.256.004" transform="translate(4.123456, 0)"/>' +
      '<style>#a{stroke-width:1.123456px}</style><text x="5.5">pi is 3.14159</text></svg>';
    expect(compactNumbers(svg)).toBe(
      '<svg viewBox="0 0 1258.40 458.02" style="max-width: 1258.40px;">' +
        '<path d="M12.258.001l.256.004" transform="translate(4.12, 0)"/>' +
        '<style>#a{stroke-width:1.123456px}</style><text x="5.5">pi is 3.14159</text></svg>',
    );
  });
});

describe('compactPaths', () => {
  it('writes the same path data in fewer characters, rounded to hundredths, and nothing else', () => {
    const svg =
      '<svg><path class="edge" d="M 10 10 L 20 10 L 20 20 C 20 25, 25 30, 30.004999 30" marker-end="url(#m)"/>' +
      '<text x="1.5">d="M 0 0 L 1 1"</text></svg>';
    expect(compactPaths(svg)).toBe(
      '<svg><path class="edge" d="M10 10h10v10c0 5 5 10 10 10" marker-end="url(#m)"/>' +
        '<text x="1.5">d="M 0 0 L 1 1"</text></svg>',
    );
  });

  it('keeps segments a stroke may draw: zero-length ones, and an open outline stays open', () => {
    // A zero-length segment shows as a dot with round caps; closing with z would join, not cap, the ends.
    const compacted = compactPaths('<path d="M 0 0 L 0 0 L 10 0 L 10 10 L 0 0"/>');
    expect(compacted).not.toMatch(/z/i);
    expect(compacted).toBe('<path d="M0 0h0 10v10L0 0"/>');
  });
});

describe('locatedMessage', () => {
  it("turns Mermaid's line in the diagram into the line in the file", () => {
    // Fence on line 12: the diagram's first line is the file's line 13, its third line 15.
    const message = "Parse error on line 3:\n...B --> (((\n-------^\nExpecting 'SQE', got 'PS'";
    expect(locatedMessage('content/chapters/x.mdx', 12, message, 3)).toBe(
      "content/chapters/x.mdx:15: Parse error on line 15:\n...B --> (((\n-------^\nExpecting 'SQE', got 'PS'",
    );
  });

  it('names the fence when Mermaid names no line', () => {
    expect(locatedMessage('content/chapters/x.mdx', 12, 'No diagram type detected', undefined)).toBe(
      'content/chapters/x.mdx:12: No diagram type detected',
    );
  });
});

describe('mergeThemes', () => {
  const svg = (css: string, body: string, id = 'diagram-3') =>
    `<svg id="${id}" style="max-width: 100px; background-color: white;"><title>T</title><style>${css}</style>${body}</svg>`;
  const light = svg(
    '#diagram-3{fill:#333;}#diagram-3 .node rect{fill:#ECECFF;}',
    '<g id="actor4"><rect fill="#fff" x="1.25"/><text style="fill:#111;font-size:12px">A</text></g>' +
      '<defs><filter id="f"><feDropShadow flood-color="#000000"/></filter></defs>',
  );
  const dark = svg(
    '#diagram-3{fill:#ccc;}#diagram-3 .node rect{fill:#1f2020;}#diagram-3 .extra{stroke:red;}',
    '<g id="actor9"><rect fill="#000" x="1.75"/><text style="fill:#eee;font-size:12px">A</text></g>' +
      '<defs><filter id="f"><feDropShadow flood-color="#FFFFFF"/></filter></defs><linearGradient id="g"/>',
  ).replace('background-color: white', 'background-color: #333');
  const merged = mergeThemes(light, dark);
  const html = merged ? toHtml(merged, { space: 'svg' }) : '';

  it("keeps each theme's style sheet, each scoped to its theme", () => {
    expect(html).toContain(
      `<style>${THEME_SCOPE.light} #diagram-3{fill:#333;}${THEME_SCOPE.light} #diagram-3 .node rect{fill:#ECECFF;}` +
        `${THEME_SCOPE.dark} #diagram-3{fill:#ccc;}${THEME_SCOPE.dark} #diagram-3 .node rect{fill:#1f2020;}` +
        `${THEME_SCOPE.dark} #diagram-3 .extra{stroke:red;}</style>`,
    );
  });

  it('pairs colours that differ as light-dark(), in attributes and inline styles', () => {
    expect(html).toContain('<rect fill="light-dark(#fff,#000)" x="1.25">');
    expect(html).toContain('<text style="fill:light-dark(#111,#eee);font-size:12px">A</text>');
    expect(html).toContain('<feDropShadow flood-color="light-dark(#000000,#FFFFFF)">');
    expect(html).toContain('style="max-width:100px;background-color:light-dark(white,#333)"');
  });

  it("keeps the light drawing's other values, and a definition only the dark one has", () => {
    expect(html).toContain('<g id="actor4">');
    expect(html).not.toContain('actor9');
    expect(html).toMatch(/<\/defs><linearGradient id="g"><\/linearGradient><\/svg>$/);
  });

  it('gives up when the drawings are not the same tree, or a colour has no partner', () => {
    expect(
      mergeThemes(light, dark.replace('<text', '<tspan').replace('</text>', '</tspan>')),
    ).toBeUndefined();
    expect(mergeThemes(light, dark.replace('<g id="actor9">', '<g id="actor9"><circle/>'))).toBeUndefined();
    expect(mergeThemes(light.replace(' fill="#fff"', ''), dark)).toBeUndefined();
    expect(mergeThemes(light, dark.replace('font-size:12px', 'font-size:12px;stroke:red'))).toBeUndefined();
    // light-dark() takes colours only: not `none`, nor a gradient.
    expect(mergeThemes(light, dark.replace('fill="#000"', 'fill="none"'))).toBeUndefined();
    expect(mergeThemes(light, dark.replace('fill="#000"', 'fill="url(#g)"'))).toBeUndefined();
  });
});
