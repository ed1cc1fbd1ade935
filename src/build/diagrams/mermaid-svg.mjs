// @ts-check
/**
 * Draws the book's Mermaid diagrams at build time, as SVG, in light and dark.
 *
 * Mermaid lays diagrams out by measuring text in a real browser, so the build
 * draws them with the site's own Mermaid (the `mermaid` dependency, the same
 * version the dev server's fallback and the timeline's export use) inside a
 * headless Chromium driven by playwright-core: the system's, found like the
 * tests find theirs (src/build/toolchain/chromium.mjs).
 *
 * State: one Chromium page for the whole build, opened on the first diagram and
 * closed once no diagram has been asked for during a short idle spell (so a
 * build never waits on it to exit). Draws are queued one at a time (Mermaid
 * keeps one global configuration). Drawn SVGs are cached on disk by a hash of
 * the source, Mermaid's version and the drawing settings, in
 * node_modules/.cache/interleave-diagrams/, so a rebuild only launches Chromium
 * for a diagram that changed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { optimize } from 'svgo';
import { mermaidConfig } from '../../client/mermaid/config.ts';
import { CHROMIUM_ARGS, findChromium, installAdvice, NoBrowserError } from '../toolchain/chromium.mjs';

const require = createRequire(import.meta.url);
const MERMAID_VERSION = /** @type {{ version: string }} */ (require('mermaid/package.json')).version;
const MERMAID_SCRIPT = require.resolve('mermaid/dist/mermaid.min.js');
// node_modules/.cache/ of the project that installed Mermaid (a test's sandbox copy shares it).
const CACHE_DIR = join(dirname(require.resolve('mermaid/package.json')), '../.cache/interleave-diagrams/');

/** Bump when what is stored changes (how an SVG is drawn or compacted), so old entries are not used. */
const CACHE_FORMAT = 3;

/** The id Mermaid is given; replaced by a per-figure prefix where the SVG is used (scopeIds). */
export const DRAWN_ID = 'interleave-diagram';

/** @typedef {import('../../client/mermaid/config.ts').SiteTheme} DiagramTheme */
/** @typedef {{ light: string, dark: string }} DrawnDiagram */

/** A diagram Mermaid could not parse; `line` counts from the diagram's first line (1-based), if known. */
export class DiagramSyntaxError extends Error {
  /** @override */
  name = 'DiagramSyntaxError';
  /** @param {string} message @param {number | undefined} line */
  constructor(message, line) {
    super(message);
    this.line = line;
  }
}

/**
 * Both themes of a diagram, from the cache or drawn now.
 * @param {string} source Mermaid source
 * @returns {Promise<DrawnDiagram>}
 */
export async function drawDiagram(source) {
  const key = cacheKey(source);
  const cached = readCache(key);
  if (cached) return cached;
  const drawn = {
    light: compactDrawing(await drawnByMermaid(source, 'light')),
    dark: compactDrawing(await drawnByMermaid(source, 'dark')),
  };
  writeCache(key, drawn);
  return drawn;
}

/** @param {string} source */
function cacheKey(source) {
  return createHash('sha256')
    .update(
      JSON.stringify([CACHE_FORMAT, MERMAID_VERSION, mermaidConfig('light'), mermaidConfig('dark'), source]),
    )
    .digest('hex')
    .slice(0, 32);
}

/** @param {string} key @returns {DrawnDiagram | undefined} */
function readCache(key) {
  try {
    const value = JSON.parse(readFileSync(`${CACHE_DIR}${key}.json`, 'utf8'));
    return typeof value?.light === 'string' && typeof value?.dark === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** @param {string} key @param {DrawnDiagram} drawn */
function writeCache(key, drawn) {
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    writeFileSync(`${CACHE_DIR}${key}.json`, JSON.stringify(drawn));
  } catch {
    // A read-only node_modules only costs speed: the next build draws again.
  }
}

// --- the browser ---------------------------------------------------------------------------

/** How long the page stays open with nothing to draw, for the next file's diagrams. */
const IDLE_MS = 1500;

/** @type {Promise<import('playwright-core').Page> | undefined} */
let pagePromise;
/** @type {Promise<unknown>} */
let queue = Promise.resolve();
let pending = 0;
/** @type {NodeJS.Timeout | undefined} */
let idleTimer;

/**
 * The SVG exactly as Mermaid drew it, not cached or compacted (drawDiagram does both).
 * @param {string} source
 * @param {DiagramTheme} theme
 * @returns {Promise<string>}
 */
export function drawnByMermaid(source, theme) {
  pending++;
  clearTimeout(idleTimer);
  const run = queue.then(async () => {
    const page = await (pagePromise ??= openPage());
    const result = await page.evaluate(drawInPage, { source, id: DRAWN_ID, config: mermaidConfig(theme) });
    if ('error' in result) throw new DiagramSyntaxError(result.error, lineOf(result.error));
    return result.svg;
  });
  queue = run.catch(() => undefined);
  return run.finally(() => {
    if (--pending === 0) idleTimer = setTimeout(closePage, IDLE_MS);
  });
}

async function openPage() {
  const executablePath = findChromium();
  if (!executablePath) {
    throw new NoBrowserError(
      `Drawing the book's Mermaid diagrams needs Chromium (or Chrome), and none was found.\n${installAdvice()}`,
    );
  }
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  // The stage is as wide as the book's column, so diagrams that size to their container (gantt) fit it.
  await page.setContent(
    '<!doctype html><html><body><div id="stage" style="width: 45rem"></div></body></html>',
  );
  await page.addScriptTag({ path: MERMAID_SCRIPT });
  return page;
}

async function closePage() {
  const opened = pagePromise;
  pagePromise = undefined;
  const page = await opened?.catch(() => undefined);
  await page?.context().browser()?.close();
}

/**
 * Runs in the page: draws one diagram, or says why it cannot.
 * @param {{ source: string, id: string, config: object }} input
 * @returns {Promise<{ svg: string } | { error: string }>}
 */
async function drawInPage({ source, id, config }) {
  const stage = /** @type {HTMLElement} */ (document.getElementById('stage'));
  const mermaid = /** @type {any} */ (globalThis).mermaid;
  try {
    mermaid.initialize(config);
    await mermaid.parse(source);
    const { svg } = await mermaid.render(id, source, stage);
    return { svg };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    stage.replaceChildren();
    // On an error Mermaid may leave its own error drawing in the body.
    document.getElementById(`d${id}`)?.remove();
  }
}

/** Mermaid's "... on line N" (counted from the diagram's first line), if it says one. */
function lineOf(/** @type {string} */ message) {
  const line = /\bon line (\d+)/.exec(message)?.[1];
  return line === undefined ? undefined : Number(line);
}

/** Mermaid's drawing as the book stores and ships it: its numbers and path data written briefly. */
export function compactDrawing(/** @type {string} */ svg) {
  return compactPaths(compactNumbers(svg));
}

/**
 * Cuts the numbers in an SVG's attributes to two decimals. Mermaid writes coordinates with up to
 * 15: this halves some diagrams, and a hundredth of a pixel is never seen. Text and CSS are left
 * alone, and so is path data: it may pack numbers without separators (`l.256.004`), where a
 * pattern cannot tell one number from the next; compactPaths rounds it.
 * @param {string} svg
 */
export function compactNumbers(svg) {
  return svg.replace(/(\s([\w:-]+)=")([^"]*)"/g, (whole, start, name, value) =>
    name === 'd' ? whole : `${start}${value.replace(/(\d\.\d\d)\d+/g, '$1')}"`,
  );
}

/**
 * What SVGO's convertPathData may do to a path it sees on its own: write the same geometry in
 * fewer characters (relative or absolute, whichever is shorter; shorthand curves and lines). Out of
 * context it cannot know the path's stroke, line caps or markers, so everything that could change
 * what is drawn is off: removing zero-length or repeated segments, arcs that only approximate a
 * curve, closing a subpath that was left open, applying transforms.
 */
const SAME_GEOMETRY = {
  floatPrecision: 2,
  makeArcs: /** @type {undefined} */ (/** @type {unknown} */ (null)), // null: no arcs (undefined: SVGO's default, on)
  removeUseless: false,
  convertToZ: false, // a line back to the start is not a closed outline: its ends get caps, not a join
  collapseRepeated: false,
  applyTransforms: false,
  applyTransformsStroked: false,
};

/**
 * Rewrites every path's data more briefly, with SVGO (issue #18: Mermaid draws rounded and
 * hand-drawn outlines as paths of hundreds of absolute points; this takes a quarter off a
 * goroutines page's gzipped HTML). The geometry stays the same to a hundredth of a pixel (an
 * e2e test compares every path of the book's diagrams, before and after, in Chromium).
 * @param {string} svg
 */
export function compactPaths(svg) {
  return svg.replace(/(<path\b[^>]*?\sd=")([^"]*)"/g, (_, start, data) => `${start}${shorterPath(data)}"`);
}

/** @param {string} data */
function shorterPath(data) {
  const { data: svg } = optimize(`<svg xmlns="http://www.w3.org/2000/svg"><path d="${data}"/></svg>`, {
    plugins: [{ name: 'convertPathData', params: SAME_GEOMETRY }],
  });
  const shorter = /\sd="([^"]*)"/.exec(svg)?.[1];
  return shorter !== undefined && shorter.length < data.length ? shorter : data;
}

// --- using an SVG in a page ----------------------------------------------------------------

/**
 * Gives every id in a drawn SVG a prefix unique on its page, and rewrites what
 * refers to them (the id-scoped <style>, url(#…), href="#…", aria-*): the same
 * diagram in two themes, or two diagrams whose Mermaid uses fixed ids (a
 * sequence diagram's `arrowhead`), would otherwise collide.
 * @param {string} svg an SVG drawn with the id DRAWN_ID
 * @param {string} prefix e.g. "diagram-12-dark"
 */
export function scopeIds(svg, prefix) {
  // Mermaid's own ids (the SVG's, its title's, its markers') contain the id it was given.
  const fixed = [...svg.matchAll(/\sid="([^"]+)"/g)]
    .map((match) => match[1] ?? '')
    .filter((id) => !id.includes(DRAWN_ID));
  const scoped = svg.replaceAll(DRAWN_ID, prefix);
  if (!fixed.length) return scoped;
  const ids = new Set(fixed);
  const names = [...ids].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const withPrefix = (/** @type {string} */ id) => (ids.has(id) ? `${prefix}-${id}` : id);
  /** `#id` in CSS or in url(#id) / href="#id". */
  const references = (/** @type {string} */ text) =>
    text.replace(new RegExp(`#(${names.join('|')})(?![\\w-])`, 'g'), (_, id) => `#${withPrefix(id)}`);
  return scoped
    .replace(/(<style>)([\s\S]*?)(<\/style>)/g, (_, open, css, close) => open + references(css) + close)
    .replace(/(\s)([\w:-]+)="([^"]*)"/g, (_, space, name, value) => {
      if (name === 'id') return `${space}id="${withPrefix(value)}"`;
      if (name === 'aria-labelledby' || name === 'aria-describedby')
        return `${space}${name}="${value.split(/\s+/).map(withPrefix).join(' ')}"`;
      return `${space}${name}="${references(value)}"`;
    });
}

/** @param {string} text */
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
