/**
 * Which elements the "On this page" highlighter watches (src/chrome/starlight-toc.ts), found without
 * a `:has()` selector. A module of its own, with no DOM at import, so that the benchmark can time it
 * against Starlight's selector in a page (test/bench/site.ts).
 */

/** The id Starlight gives the page title (its PAGE_TITLE_ID), the first entry of every table of contents. */
export const PAGE_TITLE_ID = '_top';

/**
 * Matches only headings that can appear in the table of contents (levels `minH`…`maxH`, and the
 * page title), like `h1#_top,:where(h2,h3)[id]`.
 */
export function tocHeadingSelector(minH: number, maxH: number): string {
  const levels = Array.from({ length: 1 + maxH - minH }, (_, index) => `h${minH + index}`);
  return `h1#${PAGE_TITLE_ID},:where(${levels.join()})[id]`;
}

/**
 * Starlight 0.42's selector for the elements its highlighter watches, verbatim
 * (components-internals/TableOfContents/starlight-toc.js): the contract `observedSections` keeps,
 * for the test that compares the two and the benchmark that times them.
 */
export function starlightObservedSelector(headingSelector: string): string {
  return [
    `main :where(${headingSelector})`,
    `main :where(${headingSelector}, .sl-heading-wrapper) ~ *:not(:has(${headingSelector}))`,
    `main .sl-markdown-content > *:not(:has(${headingSelector}))`,
    `main > *:not(:has(${headingSelector}))`,
  ].join();
}

/**
 * The elements Starlight's selector would find, in document order: the TOC headings in `<main>`;
 * the siblings after a heading (or its wrapper), the children of the Markdown content and the
 * children of `<main>` that contain no TOC heading.
 */
export function observedSections(headingSelector: string, root: ParentNode = document): Element[] {
  const main = root.querySelector('main');
  if (!main) return [];
  const found = new Set<Element>(main.querySelectorAll(`:where(${headingSelector})`));
  const candidates = new Set<Element>();
  for (const start of main.querySelectorAll(`:where(${headingSelector}, .sl-heading-wrapper)`)) {
    for (let next = start.nextElementSibling; next && !candidates.has(next); next = next.nextElementSibling)
      candidates.add(next);
  }
  for (const content of main.querySelectorAll('.sl-markdown-content'))
    for (const child of content.children) candidates.add(child);
  for (const child of main.children) candidates.add(child);
  for (const candidate of candidates) if (!candidate.querySelector(headingSelector)) found.add(candidate);
  return [...found].sort((a, b) =>
    a === b ? 0 : a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1,
  );
}
