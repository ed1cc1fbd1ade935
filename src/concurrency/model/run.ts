/**
 * One run of a program, which a scheduler steps through: {@link ModelRun.moves} says which
 * choices it may make now, {@link ModelRun.choose} performs one. Exactly one thread runs at a
 * time: a step resolves that thread's promise, and the run waits, a microtask at a time, until
 * the thread has asked for its next step (or ended). So plain JavaScript between two steps runs
 * without interruption, and a run is a pure function of its schedule.
 */
import { channels } from './channels.ts';
import { AssertionFailure, ModelError, ModelPanic } from './errors.ts';
import { formatValue } from './format-value.ts';
import { canRun, Kernel, whyBlocked, type Performed, type ThreadState } from './kernel.ts';
import { locks } from './locks.ts';
import { formatSchedule } from './schedule-text.ts';
import { sharedValues } from './shared-values.ts';
import { stateView } from './state-view.ts';
import { threads } from './threads.ts';
import type {
  Choice,
  Ending,
  Execution,
  Footprint,
  ModelMove,
  ModelRunOptions,
  ProgramApi,
  Setup,
  StateView,
  StepRecord,
} from './types.ts';

/** Microtask turns a thread may take, after a step, to ask for its next step. */
const SETTLE_TURNS = 10_000;

let stepsTaken = 0;

/** Steps taken by every run in this realm so far: a loop guard tells a stuck thread from a busy explorer. */
export function stepCount(): number {
  return stepsTaken;
}

/** What a set-up function receives: each family of operations, over the run's kernel. */
function programApi(kernel: Kernel): ProgramApi {
  return { ...sharedValues(kernel), ...locks(kernel), ...channels(kernel), ...threads(kernel) };
}

/** A run of the program that the caller steps through: `moves()`, then `choose()` one of them. */
export class ModelRun {
  ending: Ending = { kind: 'running' };
  readonly #kernel: Kernel;
  #outcome: (() => unknown) | null = null;
  readonly #maxSteps: number;

  private constructor(options: ModelRunOptions) {
    this.#maxSteps = options.maxSteps ?? 10_000;
    this.#kernel = new Kernel(options.locate ?? false);
  }

  static async create(setup: Setup, options: ModelRunOptions): Promise<ModelRun> {
    const run = new ModelRun(options);
    const kernel = run.#kernel;
    const outcome = setup(programApi(kernel));
    kernel.settingUp = false;
    if (outcome !== undefined && typeof outcome !== 'function') {
      throw new ModelError('The set-up function returns a function that names the outcome, or nothing.');
    }
    run.#outcome = outcome ?? null;
    if (kernel.threads.length === 0)
      throw new ModelError('The program declares no thread: call thread(async () => { … }).');
    for (const thread of kernel.threads) await run.#start(thread);
    run.#conclude();
    return run;
  }

  /** The steps taken so far. */
  get steps(): StepRecord[] {
    return this.#kernel.steps;
  }

  /** The choices the scheduler may make now (none once the run has ended). */
  moves(): ModelMove[] {
    if (this.ending.kind !== 'running') return [];
    const moves: ModelMove[] = [];
    for (const thread of this.#kernel.threads) {
      const op = thread.pending;
      if (!op || thread.status !== 'parked' || !canRun(thread)) continue;
      const site = op.site ? { site: op.site } : {};
      if (op.branches) {
        for (const branch of op.branches())
          moves.push({ thread: thread.id, branch, action: op.action, ...site });
      } else moves.push({ thread: thread.id, action: op.action, ...site });
    }
    return moves;
  }

  /** Runs one step. Rejects with a {@link ModelError} for a choice that is not possible now. */
  async choose(choice: Choice): Promise<void> {
    if (this.ending.kind !== 'running') throw new ModelError('The run has ended: there is no step to take.');
    const kernel = this.#kernel;
    const thread = kernel.threads[choice.thread - 1];
    const possible = this.moves().some((m) => m.thread === choice.thread && m.branch === choice.branch);
    if (!thread || !possible) {
      const why =
        thread?.pending?.blocked() ??
        (thread
          ? `it has ${thread.status === 'parked' ? 'no such case' : 'ended'}`
          : 'there is no such thread');
      throw new ModelError(
        `Step ${kernel.steps.length + 1} of the schedule picks ${formatSchedule([choice])}, which cannot run now: ${why}.`,
      );
    }
    const op = thread.pending!;
    thread.pending = null;
    stepsTaken++;
    if (!op.variable && !op.spin) thread.otherSinceSpin = true;
    let done: Performed;
    try {
      kernel.performing = thread;
      done = op.perform(choice.branch);
    } catch (error) {
      kernel.performing = null;
      kernel.steps.push({
        choice: bareChoice(choice),
        action: op.action,
        ...(op.site ? { site: op.site } : {}),
      });
      await this.#resume(thread, error, true);
      this.#conclude();
      return;
    }
    kernel.performing = null;
    const { result, partner, partnerResult } = done;
    kernel.steps.push({
      choice: bareChoice(choice),
      action: op.action,
      ...(result === undefined ? {} : { result: formatValue(result) }),
      ...(op.site ? { site: op.site } : {}),
      ...(partner ? { partner: partner.id } : {}),
    });
    await this.#resume(thread, result, false);
    if (partner) {
      partner.pending = null;
      await this.#resume(partner, partnerResult, false);
    }
    this.#conclude();
  }

  /** Threads, variables, locks and channels now. */
  state(): StateView {
    return stateView(this.#kernel);
  }

  execution(): Execution {
    if (this.ending.kind === 'running') throw new ModelError('The run has not ended.');
    return {
      schedule: this.steps.map((s) => s.choice),
      steps: [...this.steps],
      ending: this.ending,
      state: this.state(),
    };
  }

  /** What each parked thread's next step touches (for the explorer's reduction). */
  footprints(): Map<number, Footprint> {
    const footprints = new Map<number, Footprint>();
    for (const thread of this.#kernel.threads) {
      const op = thread.pending;
      if (!op) continue;
      if (op.spin) {
        footprints.set(
          thread.id,
          thread.otherSinceSpin
            ? { objects: [], readOnly: true, all: true }
            : { objects: thread.readSinceSpin.map((r) => r.variable.name), readOnly: true },
        );
      } else if (op.objects)
        footprints.set(thread.id, { objects: op.objects, readOnly: op.readOnly ?? false });
      else footprints.set(thread.id, { objects: [], readOnly: false, all: true });
    }
    return footprints;
  }

  // -------------------------------------------------------------------------------------------
  // Threads running between steps

  async #start(thread: ThreadState): Promise<void> {
    this.#kernel.running = thread;
    thread.status = 'running';
    let body: Promise<unknown>;
    try {
      body = Promise.resolve(thread.body());
    } catch (error) {
      body = Promise.reject(error);
    }
    body.then(
      () => ended(thread, 'done', undefined),
      (error: unknown) => ended(thread, 'failed', error),
    );
    await this.#settle(thread);
  }

  /** Hands a step's result (or error) to a parked thread and lets it run to its next step. */
  async #resume(thread: ThreadState, value: unknown, failed: boolean): Promise<void> {
    const { resolve, reject } = thread;
    thread.resolve = thread.reject = null;
    thread.status = 'running';
    this.#kernel.running = thread;
    if (failed) reject!(value);
    else resolve!(value);
    await this.#settle(thread);
  }

  /** Waits, a microtask at a time, until the running thread parks at its next step or ends. */
  async #settle(thread: ThreadState): Promise<void> {
    for (let turn = 0; thread.status === 'running'; turn++) {
      if (turn === SETTLE_TURNS) {
        this.#kernel.running = null;
        throw new ModelError(
          `${thread.name} did not reach its next shared step: it awaited something outside the model ` +
            `(a timer, a fetch, a plain promise). Inside a thread, await only the model's operations.`,
        );
      }
      await null;
    }
    this.#kernel.running = null;
    if (thread.status === 'failed' && thread.error instanceof ModelError) throw thread.error;
  }

  /** After each step: ended, deadlocked, failed or out of steps? */
  #conclude(): void {
    const { threads, objects, steps } = this.#kernel;
    const failed = threads.find((t) => t.status === 'failed');
    if (failed) {
      const error = failed.error;
      if (error instanceof ModelError) throw error;
      const message =
        error instanceof AssertionFailure
          ? `assertion failed in ${failed.name}: ${error.message}`
          : error instanceof ModelPanic
            ? `${failed.name} panicked: ${error.message}`
            : `${failed.name} threw ${error instanceof Error ? `${error.name}: ${error.message}` : formatValue(error)}`;
      this.ending = { kind: 'failed', thread: failed.id, message };
      return;
    }
    const live = threads.filter((t) => t.status !== 'done');
    if (live.length === 0) {
      let outcome: string;
      if (this.#outcome) {
        const value = this.#outcome();
        outcome = typeof value === 'string' ? value : formatValue(value);
      } else
        outcome =
          objects.variables.map((v) => `${v.name} = ${formatValue(v.get())}`).join(', ') ||
          'every thread finished';
      this.ending = { kind: 'done', outcome };
      return;
    }
    if (!live.some((t) => canRun(t))) {
      const holds = (thread: ThreadState): string => {
        const held = objects.mutexes.filter((m) => m.owner === thread).map((m) => m.name);
        return held.length ? `holds ${held.join(' and ')} and ` : '';
      };
      const why = live.map((t) => `${t.name} ${holds(t)}${whyBlocked(t)}`).join('; ');
      this.ending = { kind: 'deadlock', message: `every thread waits: ${why}` };
      return;
    }
    if (steps.length >= this.#maxSteps) {
      this.ending = { kind: 'limit', message: `stopped at the step limit (${this.#maxSteps} steps)` };
    }
  }
}

function ended(thread: ThreadState, status: 'done' | 'failed', error: unknown): void {
  thread.status = status;
  thread.error = error;
  thread.pending = null;
}

/** The choice alone, without what a move or a step says about it. */
export function bareChoice(choice: Choice): Choice {
  return choice.branch === undefined
    ? { thread: choice.thread }
    : { thread: choice.thread, branch: choice.branch };
}
