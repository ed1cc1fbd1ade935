/**
 * The executor contract, in one place: one interface, two implementations (main-thread.ts,
 * worker-host.ts), what a run is given (RunOptions) and what it gives back (RunHandle,
 * RunResult). The page chooses the realm once per run.
 *
 * Words: a run's **realm** is where it executes, the page's main thread or a worker; each thread
 * of a run has the runner's **runtime** installed in its global (runtime/install.ts).
 */
import type { RunEvent, RunState } from './events.ts';

/** Where a run executes: on the page's main thread (an iframe per run) or in a worker. */
export type RealmKind = 'main' | 'worker';

export interface RunOptions {
  /** Whole-run limit in ms (default 10 000). The run, and every worker it started, is stopped. */
  readonly timeoutMs?: number;
  /**
   * How long one loop may hold the thread in one go before the guard throws (default 2000 on
   * the main thread; in a worker, no guard by default: the timeout terminates the worker).
   */
  readonly loopBudgetMs?: number;
  /** Output cap (default: first 1000 lines, last 200). */
  readonly cap?: CapOptions;
  /**
   * Record what the run timeline needs (default false): timers set and fired, loops running,
   * main-thread long tasks, and the teaching libraries' lock / channel / pool / GIL events, in
   * every thread of the run. Off, none of it is recorded and nothing is installed.
   */
  readonly trace?: boolean;
  /** Called for every event, from the very first (`status: running`). */
  readonly onEvent?: (event: RunEvent) => void;
}

export interface CapOptions {
  /** Output lines delivered from the start. Default 1000. */
  readonly head?: number;
  /** Output lines delivered at the end. Default 200. */
  readonly tail?: number;
  /** Trace events kept (RunOptions.trace); later ones are dropped after one `limit` event. Default 20 000. */
  readonly traceEvents?: number;
  /** Message events kept; later ones are dropped after one `limit` event. Default 5 000. */
  readonly messageEvents?: number;
}

export interface Executor {
  readonly realm: RealmKind;
  /** Starts a run. Never throws for problems in `code`: they arrive as events. */
  run(code: string, options?: RunOptions): RunHandle;
  /** Stops any run in progress and releases warm workers. */
  dispose(): void;
}

export interface RunHandle {
  /** Events so far (the kept ones), in order. */
  readonly events: readonly RunEvent[];
  /**
   * Calls `listener` for every event from now on — and first, synchronously, for every event
   * already recorded, so subscribing after `run()` returns misses nothing. Returns unsubscribe.
   */
  subscribe(listener: (event: RunEvent) => void): () => void;
  /** Stops the run: its threads are torn down, its workers terminated. Idempotent. */
  stop(): void;
  /** Settles once, when the run ends for any reason; never rejects. */
  readonly done: Promise<RunResult>;
}

export type EndState = Exclude<RunState, 'running'>;

export interface RunResult {
  readonly status: EndState;
  readonly durationMs: number;
  /** Every kept event, in order (the status events included). */
  readonly events: readonly RunEvent[];
  /** Output lines left out by the cap. */
  readonly droppedLines: number;
  /** Why it ended, when not `done`. */
  readonly reason?: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAIN_LOOP_BUDGET_MS = 2_000;
/** Trace events a run keeps unless CapOptions.traceEvents says otherwise. */
export const DEFAULT_TRACE_EVENTS = 20_000;
