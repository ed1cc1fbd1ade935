/**
 * Installs the runner's runtime into one thread's global — the main-thread run's iframe window,
 * the run's worker, or a worker the snippet started — and runs code there. The same code serves
 * all three, so the snippet sees the same world everywhere: an ES module (strict, top-level
 * await), a captured `console`, the loop guard, `spawn()`, a `Worker` whose blob:/data: workers
 * report their output too, and `interleave/…` imports.
 *
 * The parts, in the order they are installed: where events leave and tracing (tracing.ts), the
 * console, error reporting (errors.ts), the loop guard (guard.ts), timers (timers.ts), workers
 * (workers.ts), evaluation (evaluate.ts).
 *
 * What it guarantees:
 * - Capture never goes through the global's mutable names after installation: a snippet that
 *   replaces `console`, `postMessage`, `onmessage` or `Worker` cannot hide errors, timers or
 *   workers from the runner.
 * - Console calls are formatted synchronously, in call order, so the stream's order is exactly
 *   the engine's order of sync code, microtasks and timers.
 * - The runtime knows what keeps its thread busy: top-level code still running, pending timers
 *   and live workers. Once the top level has settled and nothing is pending (still so 10 ms
 *   later), it calls `onIdle`, once.
 * - Every worker the snippet starts (and, through them, theirs) is terminated by `terminateAll`.
 */
import { createConsole, type CapturedConsole } from '../console.ts';
import type { RunEvent, ThreadRef, WithoutStamp } from '../events.ts';
import type { Outcome, PackedBatch, RuntimeSettings } from '../protocol.ts';
import { LOOP_GUARD } from '../../snippet/index.ts';
import { describeThrown, installErrorReporting, type SourceInfo } from './errors.ts';
import { installEvaluation } from './evaluate.ts';
import { createLoopGuard, type LoopGuard, type RunawayLoopError } from './guard.ts';
import { captureNatives, type AnyGlobal, type Natives } from './natives.ts';
import { installTimers } from './timers.ts';
import type { TraceWriter } from './trace-buffer.ts';
import { createThreadEvents, type ThreadEvents } from './tracing.ts';
import { installWorkers } from './workers.ts';

export interface RuntimeConfig {
  /** The thread's global object (iframe window or worker global scope). */
  readonly global: AnyGlobal;
  readonly thread: ThreadRef;
  readonly settings: RuntimeSettings;
  /** True for the page's main thread (changes the loop message; no Atomics.wait there). */
  readonly mainThread: boolean;
  /** Receives every event of this thread and of the workers it starts. */
  readonly emit: (event: RunEvent) => void;
  /** Starts a fresh, uninitialised runner worker (runner.worker.ts). */
  readonly newRunnerWorker: () => Worker;
  /** Loads a teaching library by name (src/snippet/libraries.ts). */
  readonly importLibrary: (name: string) => Promise<unknown>;
  readonly libraryNames: readonly string[];
  /** Called once, when the top level has settled and nothing is left that could run later. */
  readonly onIdle: () => void;
  /** Called once when the loop guard trips. */
  readonly onRunaway: (error: RunawayLoopError) => void;
  /**
   * Traced runs in a worker: the batched port's writer, which takes this thread's trace records
   * AND its other events (in order), and passes child workers' batches on as they are. Without
   * it (the page's main thread), the runtime keeps its own writer and decodes into `emit`.
   */
  readonly traceWriter?: TraceWriter;
  readonly forwardBatch?: (batch: PackedBatch) => void;
}

export interface Runtime {
  /** Transforms and runs `code`; resolves when its top level has settled (errors are reported, not thrown). */
  run(code: string, type: 'module' | 'classic', sourceURL: string): Promise<Outcome>;
  /** What keeps the thread busy, for a timeout message ('' when nothing does). */
  describeBusy(): string;
  /** Terminates every worker this thread started. */
  terminateAll(reason: 'run-ended' | 'terminated'): void;
  /** Removes this thread's library tracer (main-thread runs share the page's libraries). */
  stopTracing(): void;
  /** Traced runs: records the loops of the current task so far now (before a message leaves). */
  reportLoops(): void;
}

export function installRuntime(config: RuntimeConfig): Runtime {
  const g = config.global;
  const { thread, settings } = config;
  // Keep the global's own natives before the snippet can touch them.
  const native = captureNatives(g);
  const events = createThreadEvents(config);
  const sources: SourceInfo[] = [];
  installConsole(g, native, events, sources);
  const reportError = installErrorReporting(g, thread, sources, events.emit);
  const guard = installLoopGuard(g, config, native, events);

  // ---- what keeps the thread busy, and when it is idle ----------------------------------------
  let running = 0;
  let settled = false;
  let idle = false;
  let confirming = false;
  // Reads the timers and workers installed below, which call `changed` when they change.
  const busy = () => running > 0 || timers.size > 0 || workers.count() > 0;
  const changed = () => {
    if (idle || confirming || !settled || busy()) return;
    confirming = true;
    // Confirm a little later: an unhandled rejection or a message may still be on its way.
    native.setTimeout(() => {
      confirming = false;
      if (!busy()) {
        idle = true;
        config.onIdle();
      }
    }, 10);
  };

  const timers = installTimers(g, native, events, changed);
  const workers = installWorkers(g, {
    thread,
    settings,
    native,
    events,
    newRunnerWorker: config.newRunnerWorker,
    changed,
  });
  const evaluate = installEvaluation(g, {
    importLibrary: config.importLibrary,
    libraryNames: config.libraryNames,
    sources,
    emit: events.emit,
    reportError,
    running: {
      enter: () => running++,
      leave: () => {
        running--;
        changed();
      },
    },
  });

  return {
    run: async (code, type, sourceURL) => {
      events.startTracing();
      const outcome = await evaluate(code, type, sourceURL);
      // After a syntax error nothing ran, and the run ends as failed rather than idle.
      if (outcome !== 'syntax-error') {
        settled = true;
        changed();
      }
      return outcome;
    },
    describeBusy: () => {
      const parts: string[] = [];
      const intervals = [...timers.values()].filter((k) => k === 'interval').length;
      if (running) parts.push('its top-level code never finished (an await that never resolves?)');
      if (intervals)
        parts.push(`${intervals} setInterval timer${intervals > 1 ? 's were' : ' was'} never cleared`);
      if (timers.size - intervals)
        parts.push(
          `${timers.size - intervals} timer${timers.size - intervals > 1 ? 's were' : ' was'} still pending`,
        );
      const names = workers.live().map((ref) => ref.label);
      if (names.length)
        parts.push(`${names.join(', ')} ${names.length > 1 ? 'were' : 'was'} never terminated or closed`);
      return parts.join('; ');
    },
    terminateAll: workers.terminateAll,
    stopTracing: events.stopTracing,
    reportLoops: () => guard.report(),
  };
}

/** The console: captured, formatted at the call, sent as `log` events. */
function installConsole(
  g: AnyGlobal,
  native: Natives,
  events: ThreadEvents,
  sources: readonly SourceInfo[],
): CapturedConsole {
  const capturedConsole = createConsole(
    (level, text, depth) => events.emit({ kind: 'log', level, text, depth }),
    native.now,
    () => {
      const raw = new Error().stack ?? '';
      return (
        describeThrown(Object.assign(new Error(''), { stack: raw }), sources)
          .stack?.split('\n')
          .slice(1)
          .join('\n') ?? ''
      );
    },
  );
  Object.defineProperty(g, 'console', {
    value: capturedConsole,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return capturedConsole;
}

/** The loop guard transformed code calls: trips after the loop budget, traced runs time loops. */
function installLoopGuard(
  g: AnyGlobal,
  config: RuntimeConfig,
  native: Natives,
  events: ThreadEvents,
): LoopGuard {
  const emit = (event: WithoutStamp<RunEvent>) => events.emit(event);
  const guard = createLoopGuard({
    ...(events.tracing ? { onLoop: (start: number, end: number) => events.task('loop', start, end) } : {}),
    budgetMs: config.settings.loopBudgetMs,
    mainThread: config.mainThread,
    now: native.now,
    later: (fn) => native.setTimeout(fn, 0),
    onTrip: (error) => {
      emit({
        kind: 'error',
        source: 'runner',
        name: error.name,
        message: error.message,
        text: error.message,
      });
      emit({ kind: 'limit', what: 'loop', message: error.message });
      config.onRunaway(error);
    },
  });
  Object.defineProperty(g, LOOP_GUARD, {
    value: guard,
    writable: false,
    configurable: false,
    enumerable: false,
  });
  return guard;
}
