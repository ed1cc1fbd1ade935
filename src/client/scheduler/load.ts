/**
 * Takes an `interleave/model` program out of a reader's snippet, for the scheduler panel.
 *
 * The snippet goes through the runner's transform (library imports, loop guards, exact lines
 * with `//# sourceURL=scheduler.js`) and is loaded as a module (a blob: URL) in the page's own
 * global, where the model library is the same module instance the panel uses: `model()` hands its set-up to the panel and
 * stops the snippet there (the model's captureProgram), so nothing after it — an `explore()`, the
 * output — runs, and no console line escapes (the snippet gets a silent `console`). The threads
 * then run in the page whenever the reader steps them; a loop that spins for over a second
 * between two steps throws instead of freezing the page.
 */
import { captureProgram, stepCount, type Setup } from '../../concurrency/model/index.ts';
import { IMPORT_HOOK, LOOP_GUARD, importLibrary, libraryNames, transform } from '../../snippet/index.ts';
import { SNIPPET_FILE, addSnippetURL } from './session.ts';

/** Longest a loop may run between two steps before its guard throws. */
const LOOP_BUDGET_MS = 1000;

export type Loaded = { readonly setup: Setup } | { readonly problem: string };

const silentConsole = new Proxy({}, { get: () => () => undefined });

/**
 * The page's loop guard (the transform counts `n` down in every loop): every 1000 turns it looks
 * at the clock, which restarts whenever a model step has been taken since the last look.
 */
const guard = {
  n: 1000,
  steps: -1,
  since: 0,
  c(): void {
    guard.n = 1000;
    const now = performance.now();
    if (stepCount() !== guard.steps) {
      guard.steps = stepCount();
      guard.since = now;
    } else if (now - guard.since > LOOP_BUDGET_MS) {
      guard.steps = -1;
      throw new Error(
        `A loop ran for over ${LOOP_BUDGET_MS / 1000} s without a shared step; it was stopped.`,
      );
    }
  },
};

export async function loadProgram(code: string): Promise<Loaded> {
  const result = transform(code, { sourceURL: SNIPPET_FILE, libraries: libraryNames, asFunction: true });
  if (!result.ok) {
    return { problem: `Line ${result.error.line}: ${result.error.message}` };
  }
  if (result.evaluate !== 'function') {
    return {
      problem: 'The scheduler runs code without exports or import.meta: remove them to step it by hand.',
    };
  }
  const scope = globalThis as unknown as Record<string, unknown>;
  scope[IMPORT_HOOK] ??= (name: string) => importLibrary(name);
  scope[LOOP_GUARD] ??= guard;
  try {
    // A module from a blob: URL, not an indirect eval: JavaScriptCore gives eval'd code's stack
    // frames no file and no line, sourceURL or not, so by-hand mode could not name a thread's
    // line in WebKit; every engine names a module's frames (by its sourceURL, or by its URL).
    // Line 1 of the snippet stays line 1: the wrapper adds no line before it.
    const url = URL.createObjectURL(
      new Blob(
        [`export default (function (console) { return ${result.code}\n})\n//# sourceURL=${SNIPPET_FILE}`],
        { type: 'text/javascript' },
      ),
    );
    addSnippetURL(url);
    let make: (console: unknown) => () => Promise<unknown>;
    try {
      ({ default: make } = (await import(/* @vite-ignore */ url)) as { default: typeof make });
    } finally {
      URL.revokeObjectURL(url);
    }
    const setup = await captureProgram(() => make(silentConsole)());
    if (!setup) {
      return {
        problem: "This code declares no model: import { model } from 'interleave/model' and call model(…).",
      };
    }
    return { setup };
  } catch (error) {
    return {
      problem: `The code threw before declaring its model: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
