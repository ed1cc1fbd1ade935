// @ts-check
/**
 * An Expressive Code plugin: code blocks out of view cost the reader nothing until they scroll to
 * them.
 *
 * A chapter's highlighted code is most of its DOM (multithreading: ~8,800 token spans of ~12,700
 * elements, each with its own inline style of colour variables); styling and laying them all out
 * while the page loads was most of its Lighthouse total blocking time. `content-visibility: auto`
 * skips style, layout and paint of a block's lines while it is off screen (its text stays in the
 * accessibility tree and find-in-page). A skipped block is sized from `contain-intrinsic-block-size`,
 * so that size must be exact, or the page would move when a block is first drawn: the build
 * counts the block's lines into `--ix-code-lines`, and a line is one code line height (code never
 * wraps: EC's `wrap` is off), a length set in astro.config.mjs. Not counted: a horizontal
 * scrollbar that takes room (classic scrollbars, as on Linux; Safari's overlay ones take none),
 * which engines with scroll anchoring (Chromium, Firefox) absorb. Test: test/e2e/code-rendering.test.ts.
 */
import { definePlugin } from '@astrojs/starlight/expressive-code';

export function codeRenderedInView() {
  return definePlugin({
    name: 'interleave: code rendered in view',
    // On the <pre>, the block's scroll container: paint containment on anything inside it would
    // clip long lines instead of letting them scroll. Its content box is the <code>: one line
    // height per line and the block padding (the border is outside the intrinsic size).
    // On paper every block is drawn: src/chrome/print.css.
    baseStyles: `
      pre[style*='--ix-code-lines'] {
        content-visibility: auto;
        contain-intrinsic-block-size: auto
          calc(var(--ix-code-lines) * var(--ec-codeLineHt) + 2 * var(--ec-codePadBlk));
      }
    `,
    // Expressive Code makes a block that scrolls sideways focusable (tabindex, role=region) when
    // a ResizeObserver sees it resized; a skipped block is drawn at the same size, so it would
    // never be seen to overflow. Check it when it is drawn, as EC would.
    jsModules: [
      `document.addEventListener('contentvisibilityautostatechange', (event) => {
        const pre = event.target;
        if (event.skipped || !(pre instanceof HTMLElement) || !pre.matches('.expressive-code pre')) return;
        if (pre.scrollWidth > pre.clientWidth && !pre.hasAttribute('tabindex')) {
          pre.setAttribute('tabindex', '0');
          pre.setAttribute('role', 'region');
        }
      }, true);`,
    ],
    hooks: {
      postprocessRenderedBlock({ renderData }) {
        const pre = find(renderData.blockAst, (element) => element.tagName === 'pre');
        if (!pre) return;
        const lines = count(pre, (element) => classes(element).includes('ec-line'));
        pre.properties['style'] = `--ix-code-lines:${lines}`;
      },
    },
  });
}

/** @typedef {import('@astrojs/starlight/expressive-code/hast').Element} Element */

/** @param {Element} element @returns {unknown[]} */
function classes(element) {
  const value = element.properties['className'];
  return Array.isArray(value) ? value : [];
}

/** @param {Element} root @param {(element: Element) => boolean} test @returns {Element | undefined} */
function find(root, test) {
  for (const child of root.children) {
    if (child.type !== 'element') continue;
    if (test(child)) return child;
    const found = find(child, test);
    if (found) return found;
  }
  return undefined;
}

/** @param {Element} root @param {(element: Element) => boolean} test @returns {number} */
function count(root, test) {
  let total = 0;
  for (const child of root.children) {
    if (child.type !== 'element') continue;
    if (test(child)) total++;
    else total += count(child, test);
  }
  return total;
}
