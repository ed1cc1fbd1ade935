/**
 * The executor contract: one interface, two implementations (main-thread.ts, worker-host.ts).
 * The page chooses once per run.
 */
import type { RunEvent } from './events.ts';
import type { CapOptions, RunHandle } from './recorder.ts';

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

export interface Executor {
  readonly realm: RealmKind;
  /** Starts a run. Never throws for problems in `code`: they arrive as events. */
  run(code: string, options?: RunOptions): RunHandle;
  /** Stops any run in progress and releases warm workers. */
  dispose(): void;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAIN_LOOP_BUDGET_MS = 2_000;
