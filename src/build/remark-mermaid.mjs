// @ts-check
/**
 * remark plugin: a ```mermaid fence becomes a diagram figure.
 *
 * The build cannot draw Mermaid (that needs a browser), so it writes HTML that
 * reads well without JavaScript — the Mermaid source itself, escaped, plus a
 * caption from the diagram's `accTitle` / `accDescr` — inside a
 * <mermaid-diagram> element. src/client/mermaid/element.ts loads Mermaid only
 * when such an element nears the viewport and swaps the source for the SVG,
 * keeping the source in the page so it can redraw on a theme switch.
 *
 *   <mermaid-diagram class="diagram" data-diagram-line="12">
 *     <figure class="diagram__figure">
 *       <div class="diagram__canvas"></div>            (SVG goes here)
 *       <pre class="diagram__source" tabindex="0">…</pre>
 *       <figcaption class="diagram__caption">
 *         <span class="diagram__title">…</span> <span class="diagram__description">…</span>
 *       </figcaption>
 *     </figure>
 *   </mermaid-diagram>
 *
 * The figure is built as mdast nodes carrying `data.hName` (not raw HTML), so
 * it works the same in .md and .mdx, and Expressive Code leaves it alone (the
 * <pre> has no <code> child).
 */
import { diagramAccessibility } from './content-diagrams.mjs';

/** @typedef {import('mdast').Root} Root */
/** @typedef {import('mdast').Code} Code */
/** @typedef {import('hast').ElementContent} HastContent */

/**
 * @param {string} tagName
 * @param {Record<string, string | number>} properties
 * @param {HastContent[]} children
 * @returns {import('hast').Element}
 */
const h = (tagName, properties, children) => ({ type: 'element', tagName, properties, children });
/** @param {string} value @returns {import('hast').Text} */
const text = (value) => ({ type: 'text', value });

/** @returns {(tree: Root) => void} */
export default function remarkMermaid() {
  return (tree) => {
    walk(tree);
  };
}

/** @param {import('mdast').Parent} parent */
function walk(parent) {
  parent.children.forEach((child, index) => {
    if (child.type === 'code' && child.lang === 'mermaid') {
      parent.children[index] = /** @type {any} */ (figure(child));
    } else if ('children' in child && Array.isArray(child.children)) {
      walk(/** @type {import('mdast').Parent} */ (child));
    }
  });
}

/** @param {Code} node */
function figure(node) {
  const source = node.value;
  const { title, description } = diagramAccessibility(source);
  /** @type {HastContent[]} */
  const caption = [];
  if (title) caption.push(h('span', { className: 'diagram__title' }, [text(title)]));
  if (title && description) caption.push(text(' '));
  if (description) caption.push(h('span', { className: 'diagram__description' }, [text(description)]));

  /** @type {HastContent[]} */
  const children = [
    h('div', { className: 'diagram__canvas' }, []),
    h(
      'pre',
      {
        className: 'diagram__source',
        tabindex: 0,
        'aria-label': title ? `Diagram source (Mermaid): ${title}` : 'Diagram source (Mermaid)',
      },
      [text(source)],
    ),
  ];
  if (caption.length) children.push(h('figcaption', { className: 'diagram__caption' }, caption));

  return {
    type: 'mermaidDiagram',
    data: {
      hName: 'mermaid-diagram',
      hProperties: { className: 'diagram', 'data-diagram-line': node.position?.start.line ?? 0 },
      hChildren: [h('figure', { className: 'diagram__figure' }, children)],
    },
    position: node.position,
  };
}
