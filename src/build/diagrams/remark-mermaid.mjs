// @ts-check
/**
 * remark plugin: a ```mermaid fence becomes a diagram figure, drawn at build time.
 *
 * Each diagram is drawn by src/build/diagrams/mermaid-svg.mjs in both themes and
 * inlined as one SVG whose colours follow the site's theme switch
 * (diagram-themes.mjs, src/chrome/diagrams.css). No diagram JavaScript
 * reaches the reader, and the figure's size is known from the first paint.
 *
 *   <figure class="diagram" data-diagram-line="12">
 *     <svg class="… diagram__drawing" role="img"
 *          aria-labelledby="…" aria-describedby="…"><title>…</title><desc>…</desc>…</svg>
 *     <figcaption class="diagram__caption">
 *       <span class="diagram__title">…</span> <span class="diagram__description">…</span>
 *     </figcaption>
 *   </figure>
 *
 * A diagram Mermaid cannot parse fails the build as "content/x.mdx:15: Parse
 * error on line 15: …", at the line of the file.
 *
 * Only the dev server, on a machine without Chromium, leaves drawing to the
 * browser (diagram-mode.mjs): it writes the source inside a
 * <mermaid-diagram> element that src/client/mermaid/element.ts draws, and says
 * so once in the terminal. `npm run build` never does: it stops and says what
 * to install.
 *
 * The figure is built as mdast nodes carrying `data.hName` (not raw HTML), so
 * it works the same in .md and .mdx, and Expressive Code leaves it alone.
 */
import { relative } from 'node:path';
import { installAdvice } from '../toolchain/chromium.mjs';
import { diagramsDrawnInBrowser, recordAstroCommand } from './diagram-mode.mjs';
import { diagramAccessibility } from './content-diagrams.mjs';
import { mergeThemes, svgOf } from './diagram-themes.mjs';
import { DiagramSyntaxError, drawDiagram, scopeIds } from './mermaid-svg.mjs';

/** @typedef {import('mdast').Root} Root */
/** @typedef {import('mdast').Code} Code */
/** @typedef {import('hast').ElementContent} HastContent */
/** @typedef {import('hast').Element} HastElement */

/**
 * @param {string} tagName
 * @param {Record<string, string | number | boolean>} properties
 * @param {HastContent[]} children
 * @returns {HastElement}
 */
const h = (tagName, properties, children) => ({ type: 'element', tagName, properties, children });
/** @param {string} value @returns {import('hast').Text} */
const text = (value) => ({ type: 'text', value });

/**
 * Tells the plugin which Astro command runs (add to `integrations` in astro.config.mjs).
 * @returns {import('astro').AstroIntegration}
 */
export function diagramsIntegration() {
  return {
    name: 'interleave:diagrams',
    hooks: {
      'astro:config:setup': (options) => {
        recordAstroCommand(options.command);
        if (diagramsDrawnInBrowser()) {
          options.logger.warn(
            'No Chromium found, so the dev server leaves Mermaid diagrams to the browser. ' +
              `\`npm run build\` draws them into the pages and needs Chromium: ${installAdvice()}`,
          );
        }
      },
    },
  };
}

/** @returns {(tree: Root, file: import('vfile').VFile) => Promise<void>} */
export default function remarkMermaid() {
  return async (tree, file) => {
    const inBrowser = diagramsDrawnInBrowser();
    for (const { parent, index, node } of mermaidFences(tree)) {
      parent.children[index] = /** @type {any} */ (
        inBrowser ? browserFigure(node) : await staticFigure(node, sourceName(file))
      );
    }
  };
}

/**
 * Every ```mermaid fence, wherever it is nested.
 * @param {import('mdast').Parent} parent
 * @returns {{ parent: import('mdast').Parent, index: number, node: Code }[]}
 */
function mermaidFences(parent) {
  return parent.children.flatMap((child, index) => {
    if (child.type === 'code' && child.lang === 'mermaid') return [{ parent, index, node: child }];
    if ('children' in child && Array.isArray(child.children))
      return mermaidFences(/** @type {import('mdast').Parent} */ (child));
    return [];
  });
}

/** The file as an author names it ("content/chapters/x.mdx"). @param {import('vfile').VFile} file */
function sourceName(file) {
  return file.path ? relative(file.cwd || process.cwd(), file.path).replaceAll('\\', '/') : '<markdown>';
}

/**
 * "file:line: message" for Mermaid's error, with its "on line N" (counted from
 * the diagram's first line, the one after the fence) turned into the file's
 * line; the fence's line when Mermaid names none.
 * @param {string} file
 * @param {number} fenceLine 1-based line of the opening fence
 * @param {string} message Mermaid's message
 * @param {number | undefined} lineInDiagram
 */
export function locatedMessage(file, fenceLine, message, lineInDiagram) {
  const fileLine = lineInDiagram === undefined ? fenceLine : fenceLine + lineInDiagram;
  return `${file}:${fileLine}: ${message.replace(/\bon line \d+/, `on line ${fileLine}`)}`;
}

/** @param {Code} node */
function caption(node) {
  const { title, description } = diagramAccessibility(node.value);
  /** @type {HastContent[]} */
  const parts = [];
  if (title) parts.push(h('span', { className: 'diagram__title' }, [text(title)]));
  if (title && description) parts.push(text(' '));
  if (description) parts.push(h('span', { className: 'diagram__description' }, [text(description)]));
  return parts.length ? [h('figcaption', { className: 'diagram__caption' }, parts)] : [];
}

/**
 * @param {Code} node
 * @param {string} file
 */
async function staticFigure(node, file) {
  const line = node.position?.start.line ?? 0;
  let drawn;
  try {
    drawn = await drawDiagram(node.value);
  } catch (error) {
    if (!(error instanceof DiagramSyntaxError)) throw error;
    throw new Error(locatedMessage(file, line, error.message, error.line), { cause: error });
  }
  // One SVG for both themes; two (one hidden by CSS) only if Mermaid drew them too differently.
  const merged = mergeThemes(
    scopeIds(drawn.light, `diagram-${line}`),
    scopeIds(drawn.dark, `diagram-${line}`),
  );
  const drawings = merged
    ? [drawing(merged)]
    : /** @type {const} */ (['light', 'dark']).map((theme) =>
        drawing(svgOf(scopeIds(drawn[theme], `diagram-${line}-${theme}`)), theme),
      );
  return {
    type: 'mermaidDiagram',
    data: {
      hName: 'figure',
      hProperties: { className: 'diagram', 'data-diagram-line': line },
      hChildren: [...drawings, ...caption(node)],
    },
    position: node.position,
  };
}

/**
 * The drawing, announced as one image named by its <title> and described by its <desc>.
 * @param {HastElement} element an <svg>
 * @param {'light' | 'dark'} [theme] the one theme it is drawn for, if it is not for both
 * @returns {HastElement}
 */
function drawing(element, theme) {
  const { properties } = element;
  // Mermaid says "graphics-document document" and a roledescription such as "flowchart-v2".
  properties['role'] = 'img';
  delete properties['ariaRoleDescription'];
  const classes = Array.isArray(properties['className']) ? properties['className'] : [];
  properties['className'] = [...classes, 'diagram__drawing'];
  if (theme) properties['dataDiagramTheme'] = theme;
  // Astro's MDX pipeline turns a <style>'s text into a `set:html` property, which its static-HTML
  // optimisation then writes out as an attribute: the diagram would lose its CSS. A comment beside
  // the text keeps the text as it is (in an SVG, a <style>'s comments are not part of its CSS).
  keepStyleText(element);
  return element;
}

/** @param {HastElement} element */
function keepStyleText(element) {
  for (const child of element.children) {
    if (child.type !== 'element') continue;
    if (child.tagName === 'style') child.children.push({ type: 'comment', value: '' });
    else keepStyleText(child);
  }
}

/**
 * The dev server without Chromium: the source, for src/client/mermaid/element.ts to draw.
 * @param {Code} node
 */
function browserFigure(node) {
  const { title } = diagramAccessibility(node.value);
  const source = h(
    'pre',
    {
      className: 'diagram__source',
      tabindex: 0,
      'aria-label': title ? `Diagram source (Mermaid): ${title}` : 'Diagram source (Mermaid)',
    },
    [text(node.value)],
  );
  return {
    type: 'mermaidDiagram',
    data: {
      hName: 'mermaid-diagram',
      hProperties: { className: 'diagram', 'data-diagram-line': node.position?.start.line ?? 0 },
      hChildren: [
        h('figure', { className: 'diagram__figure' }, [
          h('div', { className: 'diagram__canvas' }, []),
          source,
          ...caption(node),
        ]),
      ],
    },
    position: node.position,
  };
}
