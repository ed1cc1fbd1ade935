// @ts-check
/**
 * An Expressive Code plugin: highlighted tokens are coloured by a few shared classes, not by an
 * inline style on each token.
 *
 * Expressive Code writes both themes' colours of a token into its own inline style
 * (`<span style="--0:#C792EA;--1:#8844AE">`), which one rule turns into `color`. A chapter has ~8,000
 * such spans but only ~25 different colour pairs, and every inline style is parsed and styled on
 * its own: a browser cannot share the result between elements that merely have equal strings
 * (multithreading: ~245 KB of its HTML; its code blocks' DOM was the largest cost of its
 * Lighthouse total blocking time, issue #18). Here each pair becomes one class, `ix-c-<dark>-<light>`, with one
 * rule in the page: `color: light-dark(<light>, <dark>)`. Which of the two applies follows the
 * block's `color-scheme`, which this plugin declares per theme through Expressive Code's own style
 * settings, so the code follows the site's theme switch (and, with no theme chosen, the reader's
 * system setting) exactly as before. A variant without a colour keeps the line's (currentColor).
 *
 * Colour does not show on spaces: a token of only whitespace loses its span, and tokens of the same
 * colour separated only by whitespace become one span. Only spans carrying nothing but colours are
 * touched (italic, bold, backgrounds keep Expressive Code's styles).
 * Tests: test/unit/site/code-token-classes.test.ts, test/e2e/code-rendering.test.ts.
 */
import { PluginStyleSettings, definePlugin } from '@astrojs/starlight/expressive-code';
import { h } from '@astrojs/starlight/expressive-code/hast';

/** @typedef {import('@astrojs/starlight/expressive-code/hast').Element} Element */
/** @typedef {Element['children'][number]} Node */

/** A token's inline style when it sets only theme colours: `--0:#C792EA;--1:#8844AE`. */
const COLOURS_ONLY = /^--\d+:#[0-9a-f]{3,8}(;--\d+:#[0-9a-f]{3,8})*;?$/i;

/** @param {{ theme: import('@astrojs/starlight/expressive-code').ExpressiveCodeTheme }} context */
const colorScheme = ({ theme }) => theme.type;

export function codeTokenClasses() {
  return definePlugin({
    name: 'interleave: code token classes',
    // The theme each block shows, as a colour scheme: light-dark() in the token rules picks by it.
    // Expressive Code declares it as --ec-ixColScheme wherever it switches themes. (Cast: EC types
    // only its own settings' names.)
    styleSettings: new PluginStyleSettings({
      defaultValues: /** @type {never} */ ({ ixColorScheme: colorScheme }),
    }),
    baseStyles: ({ cssVar }) =>
      `.ec-line { color-scheme: ${cssVar(/** @type {never} */ ('ixColorScheme'))}; }`,
    hooks: {
      postprocessRenderedBlock({ renderData, styleVariants }) {
        const dark = styleVariants.findIndex((variant) => variant.theme.type === 'dark');
        const light = styleVariants.findIndex((variant) => variant.theme.type === 'light');
        // light-dark() chooses between one light and one dark theme; anything else keeps EC's styles.
        if (styleVariants.length !== 2 || dark < 0 || light < 0) return;
        /** @param {Element} span */
        const classify = (span) => {
          const colours = tokenColours(span);
          return colours && `ix-c-${hex(colours.get(dark))}-${hex(colours.get(light))}`;
        };
        visitElements(renderData.blockAst, (element) => {
          element.children = mergeTokens(element.children, classify);
        });
      },
      // The rules go into the page, each once, before the first block that uses it.
      postprocessRenderedBlockGroup({ renderedGroupContents, renderData }) {
        const document = renderedGroupContents[0]?.codeBlock.parentDocument;
        const page = document?.documentRoot;
        /** @type {Set<string>} */
        const written = (page ? rulesWritten.get(page) : undefined) ?? new Set();
        if (page) rulesWritten.set(page, written);
        /** @type {string[]} */
        const rules = [];
        visitElements(renderData.groupAst, (element) => {
          for (const name of classes(element)) {
            if (typeof name !== 'string' || !name.startsWith('ix-c-') || written.has(name)) continue;
            written.add(name);
            rules.push(rule(name));
          }
        });
        if (rules.length)
          renderData.groupAst.children.unshift(
            styleElement(rules.join(''), !!document?.sourceFilePath?.endsWith('.mdx')),
          );
      },
    },
  });
}

/**
 * Per page (its syntax tree), the token classes whose rule it already has.
 * @type {WeakMap<object, Set<string>>}
 */
const rulesWritten = new WeakMap();

/**
 * A <style> for the page. In MDX it must be a JSX element with `set:html`, which Astro's JSX
 * runtime renders: a plain <style> (also what Expressive Code's addStyles makes here) is folded by
 * Astro's MDX static optimisation into an HTML string that writes `set:html` out as an attribute,
 * so the browser never applies it (seen with Astro 7.3 and @astrojs/mdx 8).
 * @param {string} css @param {boolean} mdx @returns {Element}
 */
function styleElement(css, mdx) {
  if (!mdx) return h('style', css);
  const attributes = [{ type: 'mdxJsxAttribute', name: 'set:html', value: css }];
  return /** @type {never} */ ({ type: 'mdxJsxFlowElement', name: 'style', attributes, children: [] });
}

/** @param {string} name a token class, `ix-c-<dark>-<light>` @returns {string} its rule */
function rule(name) {
  const [dark, light] = name
    .split('-')
    .slice(2)
    .map((hex) => (hex === 'x' ? 'currentColor' : `#${hex}`));
  return `.expressive-code .${name}{color:light-dark(${light},${dark})}`;
}

/** @param {Element} element @returns {unknown[]} */
function classes(element) {
  const value = element.properties['className'];
  return Array.isArray(value) ? value : [];
}

/** @param {string | undefined} colour */
function hex(colour) {
  return colour ? colour.slice(1).toLowerCase() : 'x';
}

/**
 * The colours of an Expressive Code token span by style variant, or undefined if it is not one
 * (it has a class, or its style sets more than colours).
 * @param {Node} node
 */
function tokenColours(node) {
  if (node.type !== 'element' || node.tagName !== 'span' || node.properties['className']) return undefined;
  const style = node.properties['style'];
  if (typeof style !== 'string' || !COLOURS_ONLY.test(style)) return undefined;
  return new Map(
    style
      .split(';')
      .filter(Boolean)
      .map((declaration) => {
        const [name = '', colour = ''] = declaration.split(':');
        return [Number(name.slice(2)), colour];
      }),
  );
}

/** @param {Node} node @returns {boolean} */
function isWhitespace(node) {
  if (node.type === 'text') return node.value.trim() === '';
  if (node.type === 'element') return node.children.every(isWhitespace);
  return false;
}

/**
 * Children with every colour-only token span turned into a classed span, whitespace-only tokens
 * unwrapped, and tokens of one class separated by nothing but whitespace merged.
 * @param {Node[]} children @param {(span: Element) => string | undefined} classify
 * @returns {Node[]}
 */
function mergeTokens(children, classify) {
  /** @type {Node[]} */
  const result = [];
  /** The last classed token in `result` and the whitespace text after it. */
  /** @type {{ span: Element, name: string, gap: Node[] } | undefined} */
  let open;
  for (const child of children) {
    const name = child.type === 'element' ? classify(child) : undefined;
    if (child.type === 'element' && name) {
      if (isWhitespace(child)) {
        result.push(...child.children);
        open?.gap.push(...child.children);
        continue;
      }
      if (open && open.name === name) {
        // The gap moves into the span: it was pushed to `result` after the span.
        result.splice(result.length - open.gap.length, open.gap.length);
        open.span.children.push(...open.gap, ...child.children);
        open.gap = [];
        continue;
      }
      child.properties = { className: [name] };
      result.push(child);
      open = { span: child, name, gap: [] };
      continue;
    }
    result.push(child);
    if (open && isWhitespace(child)) open.gap.push(child);
    else open = undefined;
  }
  return result;
}

/** @param {Element} root @param {(element: Element) => void} visit children first, so merges see final children */
function visitElements(root, visit) {
  for (const child of root.children) if (child.type === 'element') visitElements(child, visit);
  visit(root);
}
