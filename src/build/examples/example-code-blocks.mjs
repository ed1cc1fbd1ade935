// @ts-check
/**
 * An Expressive Code plugin: the highlighted block of a runnable example or an exercise's starter
 * has no copy button of its own.
 *
 * The example's bar has Copy, which copies the code as the reader has edited it; Expressive Code's
 * button would copy the original, and it carries that code once more in an attribute. Without it
 * the page holds each example's code once, as the block's text (view.ts staticCode; issue #18:
 * the two other copies were 3–10% of a chapter's gzipped HTML). Other blocks, an exercise's
 * solution and check among them, keep it.
 * Test: test/e2e/island.test.ts.
 */
import { definePlugin } from '@astrojs/starlight/expressive-code';
import { tokenizeMeta } from './syntax.mjs';

/** @typedef {import('@astrojs/starlight/expressive-code/hast').Element} Element */

/**
 * The word remark-examples.mjs adds to the meta of the block it puts in an example (the fence's
 * own `run`/`exercise` flags are gone by then). Expressive Code ignores a bare word it does not know.
 */
export const EXAMPLE_BLOCK = 'interleave-example';

/** @param {string} meta */
const isExampleBlock = (meta) =>
  tokenizeMeta(meta).some((token) => token.key === null && token.raw === EXAMPLE_BLOCK);

export function exampleCodeBlocks() {
  return definePlugin({
    name: 'interleave: example code blocks',
    hooks: {
      // After every block's own hooks: the frames plugin adds its button in one of those.
      postprocessRenderedBlockGroup({ renderedGroupContents }) {
        for (const { codeBlock, renderedBlockAst } of renderedGroupContents)
          if (isExampleBlock(codeBlock.meta)) removeCopyButton(renderedBlockAst);
      },
    },
  });
}

/** Removes Expressive Code's `<div class="copy">` (its button and live region). @param {Element} element */
function removeCopyButton(element) {
  element.children = element.children.filter((child) => !(child.type === 'element' && isCopy(child)));
  for (const child of element.children) if (child.type === 'element') removeCopyButton(child);
}

/** @param {Element} element */
function isCopy(element) {
  const names = element.properties['className'];
  return element.tagName === 'div' && Array.isArray(names) && names.includes('copy');
}
