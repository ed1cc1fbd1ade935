// @ts-check
/**
 * Each page's exercise ids, for the book's outline that every page carries
 * (src/chrome/book-outline.ts). The remark plugin records them as it reads a page, so building the
 * outline on every page reads no fence again; a page the build has not read yet (the dev server
 * compiles a page only when it is first asked for) is parsed here, once per version of its text.
 *
 * Kept on globalThis: the config's modules (the remark plugin) and the pages' modules are separate
 * instances. Keyed by the page's text, trimmed, as a content entry's `body` is, so an edited page
 * is never answered from before the edit.
 */
import { extractExercises } from './syntax.mjs';

const KEY = Symbol.for('interleave.exercise-ids');

/** @returns {Map<string, string[]>} */
function known() {
  const store = /** @type {Record<symbol, Map<string, string[]> | undefined>} */ (globalThis);
  return (store[KEY] ??= new Map());
}

/**
 * What the remark plugin found on a page.
 * @param {string} text  the page's text as the plugin got it
 * @param {string[]} ids
 */
export function recordExerciseIds(text, ids) {
  known().set(text.trim(), ids);
}

/**
 * The ids of a page's exercises, in order.
 * @param {string} body  a content entry's body
 * @param {string} file  for messages
 * @returns {string[]}
 */
export function exerciseIds(body, file) {
  const key = body.trim();
  let ids = known().get(key);
  if (!ids) {
    ids = extractExercises(body, file).exercises.map((exercise) => exercise.id);
    known().set(key, ids);
  }
  return ids;
}
