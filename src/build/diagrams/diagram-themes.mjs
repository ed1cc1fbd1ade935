// @ts-check
/**
 * One SVG for both themes of a diagram (issue #18: the book shipped each diagram twice, one drawing
 * per theme, hiding one by CSS — about 30 KB of HTML per diagram for a drawing nobody sees).
 *
 * Mermaid draws the same layout in both themes; only colours differ. So the light drawing is kept
 * and the dark one contributes its colours:
 * - each drawing's `<style>` is kept, its rules scoped to its theme (THEME_SCOPE), because the two
 *   themes' style sheets differ in which rules they have, not only in colour;
 * - a colour attribute or inline style that differs becomes `light-dark(light, dark)` in place (an
 *   attribute stays an attribute, so the style sheets win over it as before), resolved by the
 *   drawing's `color-scheme`, which follows the site's theme switch (src/chrome/diagrams.css).
 *
 * Anything else that differs (Mermaid's counters in ids, the jitter of hand-drawn outlines) keeps
 * the light drawing's value. If the two drawings are not the same tree of elements, there is no safe
 * merge: `mergeThemes` returns undefined and the caller keeps both drawings.
 */
import { fromHtml } from 'hast-util-from-html';
import { toString } from 'hast-util-to-string';

/** @typedef {import('hast').Element} HastElement */
/** @typedef {import('hast').ElementContent} HastContent */

/**
 * Where each theme's rules apply: the site's theme switch (`data-theme` on <html>); with no choice
 * made (no JavaScript), dark, as the page itself. Keep in step with src/chrome/diagrams.css.
 */
export const THEME_SCOPE = { light: ":root[data-theme='light']", dark: ":root:not([data-theme='light'])" };

/** SVG presentation attributes that take a colour (hast property name → CSS property). */
const COLOUR_ATTRIBUTES = /** @type {Record<string, string>} */ ({
  fill: 'fill',
  stroke: 'stroke',
  color: 'color',
  floodColor: 'flood-color',
  stopColor: 'stop-color',
  lightingColor: 'lighting-color',
});

/** CSS properties whose value is a colour, in inline styles. */
const COLOUR_PROPERTIES = new Set([
  ...Object.values(COLOUR_ATTRIBUTES),
  'background',
  'background-color',
  'border-color',
  'outline-color',
]);

/** Elements that only define something for others to use by id: never drawn where they stand. */
const DEFINITIONS = new Set([
  'defs',
  'linearGradient',
  'radialGradient',
  'filter',
  'marker',
  'pattern',
  'clipPath',
  'mask',
  'symbol',
]);

class Mismatch extends Error {}

/**
 * The two drawings of one diagram as one SVG element, or undefined if they cannot be merged.
 * @param {string} light the light drawing, ids already scoped (mermaid-svg.mjs scopeIds)
 * @param {string} dark the dark drawing, scoped with the same prefix
 * @returns {HastElement | undefined}
 */
export function mergeThemes(light, dark) {
  const lightSvg = svgOf(light);
  const darkSvg = svgOf(dark);
  const id = String(lightSvg.properties['id'] ?? '');
  if (!id || id !== darkSvg.properties['id']) return undefined;
  try {
    return /** @type {HastElement} */ (mergeNode(lightSvg, darkSvg, id));
  } catch (error) {
    if (error instanceof Mismatch) return undefined;
    throw error;
  }
}

/** The <svg> element of Mermaid's drawing, as hast. @param {string} svg @returns {HastElement} */
export function svgOf(svg) {
  const element = fromHtml(svg, { fragment: true }).children.find(
    /** @returns {child is HastElement} */ (child) => child.type === 'element' && child.tagName === 'svg',
  );
  if (!element) throw new Error(`Mermaid drew no SVG: ${svg.slice(0, 200)}`);
  return element;
}

/**
 * @param {HastContent} light
 * @param {HastContent} dark
 * @param {string} id
 * @returns {HastContent}
 */
function mergeNode(light, dark, id) {
  if (light.type !== dark.type) throw new Mismatch();
  if (light.type !== 'element' || dark.type !== 'element') return light;
  if (light.tagName !== dark.tagName) throw new Mismatch();
  if (light.tagName === 'style') {
    const css =
      scopeCss(toString(light), id, THEME_SCOPE.light) + scopeCss(toString(dark), id, THEME_SCOPE.dark);
    return { ...light, children: [{ type: 'text', value: css }] };
  }
  const shared = Math.min(light.children.length, dark.children.length);
  // A definition only one theme has (Mermaid's dark flowcharts add a gradient) is kept: it is
  // drawn only where that theme's style sheet refers to it by id.
  const extra = [...light.children.slice(shared), ...dark.children.slice(shared)];
  if (!extra.every((child) => child.type === 'element' && DEFINITIONS.has(child.tagName)))
    throw new Mismatch();
  return {
    ...light,
    properties: mergeProperties(light.properties, dark.properties),
    children: [
      ...light.children
        .slice(0, shared)
        .map((child, i) => mergeNode(child, /** @type {HastContent} */ (dark.children[i]), id)),
      ...extra,
    ],
  };
}

/**
 * Rules of one theme's style sheet, applied only in that theme: `#id …` becomes `<scope> #id …`.
 * Mermaid starts every selector of a diagram's style sheet with the SVG's id.
 * @param {string} css
 * @param {string} id
 * @param {string} scope
 */
export function scopeCss(css, id, scope) {
  return css.replace(new RegExp(`#${id}(?![\\w-])`, 'g'), `${scope} #${id}`);
}

/**
 * @param {import('hast').Properties} light
 * @param {import('hast').Properties} dark
 * @returns {import('hast').Properties}
 */
function mergeProperties(light, dark) {
  const merged = { ...light };
  for (const name of Object.keys(dark)) {
    // A colour or style only the dark drawing has cannot be paired with the light one's default.
    if (!(name in light) && (COLOUR_ATTRIBUTES[name] || name === 'style')) throw new Mismatch();
  }
  for (const [name, value] of Object.entries(light)) {
    const other = dark[name];
    if (String(value) === String(other)) continue;
    if (COLOUR_ATTRIBUTES[name]) {
      // Still a presentation attribute, so the style sheets' rules still win over it as before.
      merged[name] = lightDark(String(value), String(other ?? ''));
    } else if (name === 'style') {
      merged['style'] = mergeStyles(String(value), String(other ?? ''));
    }
  }
  return merged;
}

/**
 * An inline style with each colour that differs as `light-dark(light, dark)`.
 * @param {string} light
 * @param {string} dark
 */
export function mergeStyles(light, dark) {
  const lightDeclarations = declarations(light);
  const darkDeclarations = declarations(dark);
  if (lightDeclarations.length !== darkDeclarations.length) throw new Mismatch();
  return lightDeclarations
    .map(([property, value], i) => {
      const [darkProperty, darkValue] = /** @type {[string, string]} */ (darkDeclarations[i]);
      if (darkProperty !== property) throw new Mismatch();
      if (value === darkValue || !COLOUR_PROPERTIES.has(property)) return `${property}:${value}`;
      const important = /\s*!important$/;
      if (important.test(value) !== important.test(darkValue)) throw new Mismatch();
      const flag = important.test(value) ? ' !important' : '';
      return `${property}:${lightDark(value.replace(important, ''), darkValue.replace(important, ''))}${flag}`;
    })
    .join(';');
}

/**
 * `light-dark(light, dark)`, if both are colours: it takes nothing else (`none`, a gradient's `url()`).
 * @param {string} light
 * @param {string} dark
 */
function lightDark(light, dark) {
  if (!isColour(light) || !isColour(dark)) throw new Mismatch();
  return `light-dark(${light},${dark})`;
}

/** @param {string} value */
function isColour(value) {
  return (
    /^#[\da-f]{3,8}$/i.test(value) ||
    /^(rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(/i.test(value) ||
    (/^[a-z]+$/i.test(value) && !/^(none|inherit|initial|unset|revert|auto)$/i.test(value))
  );
}

/** @param {string} style @returns {[string, string][]} */
function declarations(style) {
  return style
    .split(';')
    .map((declaration) => declaration.trim())
    .filter(Boolean)
    .map((declaration) => {
      const colon = declaration.indexOf(':');
      if (colon < 0) throw new Mismatch();
      return [declaration.slice(0, colon).trim().toLowerCase(), declaration.slice(colon + 1).trim()];
    });
}
