// @ts-check
/**
 * The Markdown/MDX pipeline for every page of the book.
 *
 * Why unified and not Astro 7's default Sätteri processor: Sätteri runs its own
 * native plugin API (`mdastPlugins` / `hastPlugins`), not remark or rehype
 * plugins. The book's build-time transforms (Mermaid figures from
 * `diagrams/remark-mermaid.mjs`, runnable examples from
 * `examples/remark-examples.mjs`) are ordinary remark plugins — the most widely
 * known plugin shape, testable with plain `unified()` in Node — so the site uses
 * `unified()` from `@astrojs/markdown-remark`. Starlight 0.42 detects the
 * unified processor and adds its own remark/rehype plugins (asides, heading
 * anchor links, RTL code support); Expressive Code hooks in as a rehype plugin.
 * `test/e2e/chapter-template.test.ts` builds the chapter template and checks that
 * its aside renders; `test/engines/examples.test.ts` runs every example through the
 * markup `examples/remark-examples.mjs` renders.
 *
 * To add a remark plugin, import it here and append it to `remarkPlugins`.
 * Order matters: plugins run in array order, before Starlight's own plugins.
 */
import { unified } from '@astrojs/markdown-remark';
import remarkExamples from './examples/remark-examples.mjs';
import remarkMermaid from './diagrams/remark-mermaid.mjs';

/** Remark plugins, in the order they run. */
export const remarkPlugins = [remarkMermaid, remarkExamples];

/**
 * Rehype plugins, in the order they run.
 * @type {import('@astrojs/markdown-remark').RehypePlugins}
 */
export const rehypePlugins = [];

/**
 * Astro's `markdown` option. A function, because `unified()` copies the plugin
 * arrays when it is called: anything pushed onto the arrays above before this
 * runs is included.
 * @returns {NonNullable<import('astro').AstroUserConfig['markdown']>}
 */
export function markdownConfig() {
  return { processor: unified({ remarkPlugins: [...remarkPlugins], rehypePlugins: [...rehypePlugins] }) };
}
