/**
 * Interleave's runner: runs a reader's snippet on the main thread or in a worker and reports one
 * typed stream of {@link RunEvent}s.
 *
 * ```ts
 * import { createExecutor, outputText } from '../runner/index.ts';
 * const executor = createExecutor('worker');            // or 'main'; choose once per run
 * // (a page with several runnable parts: executorFor(realm, owner), see executors.ts)
 * const run = executor.run(code, { timeoutMs: 10_000 });
 * const off = run.subscribe((event) => render(event));   // replays earlier events first
 * stopButton.onclick = () => run.stop();
 * const result = await run.done;                         // { status, durationMs, events, … }
 * expect(outputText(result.events)).toBe(expected);
 * ```
 *
 * ## What a snippet can use, in both realms
 * - ES module semantics: strict mode, top-level `await`, `import … from 'interleave/sync'`
 *   (and `csp`, …: the book's libraries, see src/snippet/libraries.ts).
 * - `console.*`: log/info/warn/error/debug, table, dir, dirxml, group/groupCollapsed/groupEnd,
 *   count/countReset, time/timeLog/timeEnd, assert, trace. Output is plain text.
 * - `spawn(fnOrCode, { name? })`: starts a worker and returns it (a real `Worker`). A function
 *   is run as the worker's code (`(fn)()`), so write the worker's body inside it and talk with
 *   `postMessage`/`onmessage`; a string is run as module code. Its output is labelled `worker N`.
 * - `new Worker(url, options)`: for `blob:` URLs made with `URL.createObjectURL(new Blob([…]))`
 *   and for `data:` URLs, the worker's console and errors are captured too (classic or
 *   `{ type: 'module' }`). Other URLs start a normal, uncaptured worker.
 * - `SharedArrayBuffer` and `Atomics` where the page is cross-origin isolated
 *   (`crossOriginIsolated === true`) and the engine provides them (see shared-memory.ts).
 *   `Atomics.wait` throws on the main thread, as in any page.
 *
 * ## When a run ends
 * `done` when its top-level code has settled and nothing is left that could run later: no
 * pending timers in the run's first thread and no live workers (a worker lives until it is
 * `terminate()`d or calls `close()`). Otherwise after `timeoutMs` (default 10 s) with
 * `timed-out`, or on `stop()`. A loop that holds the main thread longer than `loopBudgetMs`
 * (default 2 s) is stopped by the loop guard (`stopped`, with the reason).
 */
export type {
  RunEvent,
  ThreadRef,
  LogEvent,
  RunErrorEvent,
  StatusEvent,
  LimitEvent,
  RunMessageEvent,
  WorkerStartedEvent,
  WorkerStoppedEvent,
  RunState,
} from './events.ts';
export type {
  TraceEvent,
  TaskEvent,
  TimerEvent,
  LockEvent,
  ChannelEvent,
  PoolTaskEvent,
  GilRunEvent,
  GilSpan,
} from './events.ts';
export { TRACE_KINDS, plainOutputLine } from './events.ts';
export type { Executor, RunOptions, RealmKind, RunHandle, RunResult, CapOptions } from './types.ts';
export { outputText } from './recorder.ts';
export { MainThreadExecutor } from './main-thread.ts';
export { WorkerExecutor } from './worker-host.ts';
export { createExecutor, executorFor, warmWorker } from './executors.ts';
