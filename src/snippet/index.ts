/**
 * The snippet toolkit: what a reader's snippet is turned into and what it gets, wherever it runs.
 * Pure (no DOM, no runner), so the runner (every thread of a run), the stepper (engine262, in its
 * worker and in Node) and the model scheduler share it. Import it from here.
 *
 * - `transform.ts`: the snippet as the code a thread runs (loop guards, library imports, the
 *   reader's line numbers kept).
 * - `libraries.ts`: the teaching libraries by the names snippets import them with
 *   (`interleave/sync`, …), loaded on first use.
 * - `format.ts`: values as the console prints them, as text (Node's `util.inspect` style).
 */
export {
  IMPORT_HOOK,
  LOOP_GUARD,
  transform,
  warmUpTransform,
  type SourceProblem,
  type TransformOptions,
  type TransformResult,
} from './transform.ts';
export { importLibrary, libraryInGlobal, libraryNames } from './libraries.ts';
export {
  formatArgs,
  formatError,
  formatLimit,
  formatTable,
  indent,
  inspect,
  inspectNested,
  messageSummary,
  type InspectOptions,
} from './format.ts';
