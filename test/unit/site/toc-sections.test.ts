/**
 * The "On this page" highlighter (src/chrome/starlight-toc.ts) builds its selectors with
 * src/chrome/toc-sections.ts; the e2e test compares what it watches with Starlight's selector as
 * that module writes it. Here: that module writes it as the installed Starlight does, so that an
 * upgrade of Starlight that changes it fails here rather than silently.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { starlightObservedSelector, tocHeadingSelector } from '../../../src/chrome/toc-sections.ts';

const source = readFileSync(
  new URL(
    '../../../node_modules/@astrojs/starlight/dist/components-internals/TableOfContents/starlight-toc.js',
    import.meta.url,
  ),
  'utf8',
);

/** Evaluates one of Starlight's template literals with `this` as given. */
function starlight(templateLiteral: string, self: object): string {
  return new Function('PAGE_TITLE_ID', `return function () { return ${templateLiteral}; }`)('_top').call(
    self,
  );
}

describe("Starlight's table-of-contents selectors, as installed", () => {
  const headingTemplate = /tocHeadingSelector = (`.*`);/.exec(source)?.[1];
  const observedTemplate = /querySelectorAll\(\s*(\[[\s\S]*?\])\.join\(\)/.exec(source)?.[1];

  it('are where src/chrome/toc-sections.ts expects them', () => {
    expect(headingTemplate).toBeTruthy();
    expect(observedTemplate).toBeTruthy();
  });

  it.each([
    [2, 3],
    [1, 4],
    [3, 3],
  ])('headings h%i to h%i: the same heading selector and the same watched elements', (minH, maxH) => {
    const heading = starlight(headingTemplate!, { minH, maxH });
    expect(tocHeadingSelector(minH, maxH)).toBe(heading);
    const observed = starlight(`${observedTemplate!}.join()`, { tocHeadingSelector: heading });
    expect(starlightObservedSelector(heading)).toBe(observed);
  });
});
