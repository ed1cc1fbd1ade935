// @ts-check
/**
 * A page's fenced code blocks, as the book's Markdown parser reads them: the one reading of a
 * fence, for the build and for everything that checks the book.
 *
 * The build takes them from the tree Astro has already parsed (`codeBlocks`), so it reads no
 * fence twice. The tests, the bench and the book's outline start from a file's text: `scanFences`
 * parses it with the same parser and the same syntax the build's MDX pages are read with (MDX as
 * @astrojs/mdx reads it, GFM as Astro adds it, directives as Starlight's asides add them), so they
 * find exactly the fences the build renders, and the same code, lines and info strings.
 */
import remarkDirective from 'remark-directive';
import remarkGfm from 'remark-gfm';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

/** @typedef {import('mdast').Code} Code */
/** @typedef {import('mdast').Parent} Parent */

/**
 * @typedef {object} Fence
 * @property {number} line   1-based line of the opening fence
 * @property {string} lang
 * @property {string} meta
 * @property {string} value  content, fence indentation removed, no trailing newline
 * @property {number} end    1-based line of the closing fence (or last line)
 */

/**
 * Every code block of a parsed page, in document order, with the node that holds it (MDX has no
 * indented code blocks, so each is a fence; fences inside components such as `<TabItem>` too).
 * @param {Parent} tree
 * @returns {{ node: Code, parent: Parent }[]}
 */
export function codeBlocks(tree) {
  /** @type {{ node: Code, parent: Parent }[]} */
  const found = [];
  const visit = (/** @type {Parent} */ parent) => {
    for (const child of parent.children) {
      if (child.type === 'code') found.push({ node: child, parent });
      else if ('children' in child && Array.isArray(child.children)) visit(/** @type {Parent} */ (child));
    }
  };
  visit(tree);
  return found;
}

/** @param {Code} node @returns {Fence} */
export function fenceOf(node) {
  return {
    line: node.position?.start.line ?? 0,
    lang: node.lang ?? '',
    meta: node.meta ?? '',
    value: node.value,
    end: node.position?.end.line ?? 0,
  };
}

const parser = unified().use(remarkParse).use(remarkMdx).use(remarkGfm).use(remarkDirective);

/**
 * The fenced code blocks of a Markdown/MDX file's text. YAML frontmatter is blanked first, lines
 * kept, as Astro does before the page is parsed.
 * @param {string} source
 * @returns {readonly Readonly<Fence>[]}
 */
export function scanFences(source) {
  let fences = scanned.get(source);
  if (!fences) {
    const tree = /** @type {Parent} */ (parser.parse(withoutFrontmatter(source)));
    fences = Object.freeze(codeBlocks(tree).map(({ node }) => Object.freeze(fenceOf(node))));
    if (scanned.size >= 100) scanned.delete(/** @type {string} */ (scanned.keys().next().value));
    scanned.set(source, fences);
  }
  return fences;
}

/**
 * The fences of the texts parsed last, by text: a test reads a page's examples and then its
 * exercises, and a full parse of the book costs about a second.
 * @type {Map<string, readonly Readonly<Fence>[]>}
 */
const scanned = new Map();

/** @param {string} source */
function withoutFrontmatter(source) {
  const lines = source.split('\n');
  if (lines[0]?.trimEnd() !== '---') return source;
  const close = lines.findIndex((line, i) => i > 0 && line.trimEnd() === '---');
  if (close < 0) return source;
  return [...lines.slice(0, close + 1).map(() => ''), ...lines.slice(close + 1)].join('\n');
}
