/**
 * What an example's controls say, in one place: the build (src/build/remark-examples.mjs) renders
 * the buttons with these words, and the page (bootstrap.ts, island.ts) rewrites them with the same
 * words as runs start and end, so the label a reader sees never depends on who wrote it last.
 */

/** A plain runnable example, or an exercise (every run is followed by the exercise's check). */
export type ExampleKind = 'example' | 'exercise';

/** The Run button's label: what pressing it does, before a run and while one is running. */
export function runLabel(kind: ExampleKind, running = false): string {
  const verb = running ? 'Restart' : 'Run';
  return kind === 'exercise' ? `${verb} and check` : verb;
}

/** The Run button's tooltip (its keyboard shortcut). */
export function runTitle(kind: ExampleKind): string {
  return `${runLabel(kind)} (Ctrl+Enter)`;
}

/** An exercise's verdict line before its first run. */
export const EXERCISE_PROMPT = `Edit the code, then press ${runLabel('exercise')}.`;

/**
 * The status line as soon as Run is pressed, before the island or the runner has loaded: a slow
 * load must never look like a button that does nothing.
 */
export const STARTING = 'Starting…';
