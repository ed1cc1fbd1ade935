/**
 * `interleave/model`: be the scheduler. A small model of threads whose every operation on shared
 * state is one step, so that a scheduler — the reader by hand, a seeded random one, or an explorer
 * that tries every interleaving — decides which thread moves next.
 *
 * A program is a set-up function that declares shared state and threads:
 *
 * ```js
 * const race = model(({ shared, thread }) => {
 *   const x = shared('x', 0);
 *   for (let i = 0; i < 2; i++)
 *     thread(async () => {
 *       const tmp = await x.read(); // one step
 *       await x.write(tmp + 1); //     another step
 *     });
 * });
 * const report = await race.explore(); // 6 schedules: x = 2 in 2, x = 1 in 4
 * ```
 *
 * How it works. Threads are async functions; a shared operation registers what the thread wants
 * to do and returns a promise that only the scheduler settles. Exactly one thread runs at a time:
 * the scheduler performs one chosen operation, resolves that thread's promise and waits until the
 * thread has asked for its next operation (or ended). Plain JavaScript between two steps therefore
 * runs without interruption, and a run is a pure function of its schedule — the list of choices —
 * so replaying a schedule re-creates the run exactly (a fresh set-up each time).
 *
 * What the model is: sequentially consistent shared memory (every step sees every earlier step),
 * which real hardware and compilers do not promise. Channels follow `interleave/csp`: an unbuffered
 * send is a rendezvous (one step that hands the value to a waiting receiver), a buffered send
 * waits only while the buffer is full, a receive on a closed and drained channel gives
 * `{ ok: false }`, sending on or closing a closed channel panics, and `select` may take any ready
 * case (the explorer tries each).
 *
 * Misuse stops with a {@link ModelError}: a shared operation called outside a thread or not
 * awaited, a thread that does not reach its next step (it awaited something outside the model),
 * reading `.value` while threads run. A run that reaches its step limit ends as `limit`.
 *
 * The modules: `types.ts` (the public shapes), `program.ts` (`model()` and its ways to run),
 * `run.ts` (one run, which a scheduler steps) over `kernel.ts` (the run's threads, parked on
 * their requests), the operations by family — `shared-values.ts`, `locks.ts`, `channels.ts`,
 * `threads.ts` — each a factory over the kernel, `state-view.ts` (what the scheduler sees),
 * `explore.ts` (every interleaving), `schedule-text.ts`, `call-site.ts` (where an operation was
 * called), `format-value.ts` and `errors.ts`.
 *
 * Knows nothing of the DOM or the runner; tested directly in Node.
 */
export { AssertionFailure, ModelError, ModelPanic } from './errors.ts';
export { firstSiteOutside } from './call-site.ts';
export { dependent } from './explore.ts';
export { formatValue } from './format-value.ts';
export { captureProgram, model, ProgramCaptured, type CheckResult, type Model } from './program.ts';
export { ModelRun, stepCount } from './run.ts';
export { formatSchedule, parseSchedule } from './schedule-text.ts';
export type {
  Choice,
  Counterexample,
  Ending,
  Execution,
  ExploreOptions,
  ExploreReport,
  Footprint,
  ModelChannel,
  ModelCondition,
  ModelMove,
  ModelMutex,
  ModelRunOptions,
  ModelSemaphore,
  ProgramApi,
  Received,
  SelectCase,
  Selected,
  Setup,
  Shared,
  SourceSite,
  StateView,
  StepRecord,
  ThreadView,
} from './types.ts';

// The names these had before each got one of its own (the stepper is the event loop stepper's,
// and the stepper's moves and the runner's RunOptions are named apart): kept, because
// `interleave/model` is the book's public API.
export { ModelRun as Stepper } from './run.ts';
export type { ModelMove as Move, ModelRunOptions as RunOptions } from './types.ts';
