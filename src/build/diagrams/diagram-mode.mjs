// @ts-check
/**
 * Where the book's diagrams are drawn: at build time (always for `astro build`),
 * or, only in the dev server on a machine without Chromium, in the reader's
 * browser. The Astro command is recorded on globalThis by the integration in
 * remark-mermaid.mjs, because the config's modules (the remark plugin) and the
 * pages' modules (src/chrome/Diagrams.astro) are separate instances.
 */
import { findChromium } from '../toolchain/chromium.mjs';

const COMMAND = Symbol.for('interleave.astro-command');

/** @param {string} command Astro's: 'dev', 'build', 'preview' or 'sync' */
export function recordAstroCommand(command) {
  /** @type {Record<symbol, unknown>} */ (globalThis)[COMMAND] = command;
}

/** True only in the dev server when no Chromium can be found. */
export function diagramsDrawnInBrowser() {
  return /** @type {Record<symbol, unknown>} */ (globalThis)[COMMAND] === 'dev' && findChromium() === null;
}
