/**
 * The contract's markup (view.ts builds it as hast, as the build needs it) as DOM nodes, for the
 * parts the page adds after the build: the saved-edit notice, Undo, the share link. Enough of
 * hast's property names for that markup: `className`, `dataX` and `ariaX`, booleans and plain
 * attributes.
 */
import type { Element, ElementContent } from 'hast';

function attributeName(property: string): string {
  if (property === 'className') return 'class';
  const prefixed = /^(data|aria)([A-Z].*)$/.exec(property);
  if (!prefixed) return property.toLowerCase();
  const [, prefix, rest = ''] = prefixed;
  return prefix === 'data'
    ? `data-${rest.replace(/^[A-Z]/, (c) => c.toLowerCase()).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
    : `aria-${rest.toLowerCase()}`;
}

function toNode(node: ElementContent): Node {
  if (node.type === 'text') return document.createTextNode(node.value);
  if (node.type === 'element') return toDom(node);
  return document.createComment(node.type === 'comment' ? node.value : '');
}

/** A new DOM element for a hast element and its children. */
export function toDom(node: Element): HTMLElement {
  const element = document.createElement(node.tagName);
  for (const [property, value] of Object.entries(node.properties)) {
    if (value === false || value === null || value === undefined) continue;
    const text = value === true ? '' : Array.isArray(value) ? value.join(' ') : String(value);
    element.setAttribute(attributeName(property), text);
  }
  element.append(...node.children.map(toNode));
  return element;
}
