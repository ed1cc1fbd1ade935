/**
 * The loop guard object that transformed code calls (`if(--g.n<0)g.c();` at the start of every
 * loop body). `c()` runs every {@link CHECK_EVERY} iterations and looks at the clock.
 *
 * "In one go" means: since the first check in the current macrotask. The first check schedules
 * a macrotask that forgets the start time; while a loop (or an endless chain of microtasks such
 * as `while (true) await null`) holds the thread, that macrotask cannot run, so the elapsed time
 * keeps growing until it passes the budget and the guard throws {@link RunawayLoopError}.
 * Once tripped it stays tripped: every later iteration of any loop throws again, so a `catch`
 * in the reader's code cannot keep the loop alive.
 */
import { formatLimit } from '../../snippet/index.ts';

export const CHECK_EVERY = 1000;

/** Thrown into the reader's code when a loop has held the thread longer than the budget. */
export class RunawayLoopError extends Error {
  override name = 'RunawayLoopError';
}

export interface LoopGuard {
  n: number;
  c(): void;
  /**
   * Tracing: reports the loop time of this macrotask so far now, instead of only after the task
   * (a worker calls it before a message leaves: its parent may terminate it on receipt, and the
   * span would be lost). What is reported is not reported again.
   */
  report(): void;
}

export interface GuardOptions {
  /** Longest time a loop may run in one go; Infinity disables the check (workers). */
  readonly budgetMs: number;
  /** True when this is the page's main thread: the message then says the page froze. */
  readonly mainThread: boolean;
  readonly now: () => number;
  /** Runs `fn` in a later macrotask of the same thread. */
  readonly later: (fn: () => void) => void;
  /** Called once, when the guard trips. */
  readonly onTrip: (error: RunawayLoopError) => void;
  /**
   * Tracing only: called after a macrotask in which loops ran, with the times of the first and
   * last check (a lower bound of how long they held the thread). Makes the guard look at the
   * clock even without a budget.
   */
  readonly onLoop?: (start: number, end: number) => void;
}

export function runawayMessage(budgetMs: number, mainThread: boolean): string {
  const seconds = formatLimit(budgetMs);
  return mainThread
    ? `Stopped: this loop ran for more than ${seconds} without a break; the page was frozen meanwhile. Give the loop an end, or run the example in a worker.`
    : `Stopped: this loop ran for more than ${seconds} without a break.`;
}

export function createLoopGuard(options: GuardOptions): LoopGuard {
  let since: number | undefined;
  /** Where the next report starts: `since`, or the end of what report() already sent. */
  let from: number | undefined;
  let last = 0;
  let tripped: RunawayLoopError | undefined;
  const onLoop = options.onLoop;
  const guard: LoopGuard = {
    n: CHECK_EVERY,
    c() {
      if (tripped) {
        guard.n = 0;
        throw new RunawayLoopError(tripped.message);
      }
      guard.n = CHECK_EVERY;
      if (options.budgetMs === Infinity && !onLoop) return;
      const now = options.now();
      last = now;
      if (since === undefined) {
        since = now;
        options.later(() => {
          guard.report();
          since = from = undefined;
        });
        return;
      }
      if (now - since > options.budgetMs) {
        tripped = new RunawayLoopError(runawayMessage(options.budgetMs, options.mainThread));
        guard.n = 0;
        options.onTrip(tripped);
        throw tripped;
      }
    },
    report() {
      if (since === undefined) return;
      const start = from ?? since;
      if (onLoop && last > start) onLoop(start, last);
      from = last;
    },
  };
  return guard;
}
