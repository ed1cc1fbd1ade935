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
 * Knows nothing of the DOM or the runner; tested directly in Node.
 */
import { seededRandom } from './random.ts';

// ---------------------------------------------------------------------------------------------
// Public types

/** The program's misuse of the model: a bug to fix in the code, not an outcome of a schedule. */
export class ModelError extends Error {
  override name = 'ModelError';
}

/** Thrown by {@link ProgramApi.assert} when a property does not hold. */
export class AssertionFailure extends Error {
  override name = 'AssertionFailure';
}

/** A Go-style runtime panic of a channel ("send on closed channel"). */
export class ModelPanic extends Error {
  override name = 'ModelPanic';
}

/** One scheduling decision: which thread runs its next step (and, for a select, which case). */
export interface Choice {
  /** 1-based thread number. */
  readonly thread: number;
  /** For a select: the index of the case it takes, or -1 for its default. */
  readonly branch?: number;
}

/** Where a thread's pending operation was called, when runs are located (by-hand mode). */
export interface SourceSite {
  readonly file: string;
  readonly line: number;
}

/** A choice the scheduler may make now, described for a reader. */
export interface Move extends Choice {
  /** What it would do: "x.write(1)", "lock(A)", "select: recv(jobs)". */
  readonly action: string;
  readonly site?: SourceSite;
}

/** How a run ended (or `running` while it has not). */
export type Ending =
  | { readonly kind: 'running' }
  | { readonly kind: 'done'; readonly outcome: string }
  | { readonly kind: 'deadlock'; readonly message: string }
  | { readonly kind: 'failed'; readonly thread: number; readonly message: string }
  | { readonly kind: 'limit'; readonly message: string };

/** One step taken: the choice and what it did. */
export interface StepRecord {
  readonly choice: Choice;
  readonly action: string;
  /** What the operation gave the thread, formatted ("0", "{ value: 1, ok: true }"); absent if nothing. */
  readonly result?: string;
  readonly site?: SourceSite;
  /** The partner thread of a rendezvous (an unbuffered hand-off). */
  readonly partner?: number;
}

/** A thread as the scheduler sees it. */
export interface ThreadView {
  readonly id: number;
  readonly name: string;
  readonly status: 'ready' | 'blocked' | 'done' | 'failed';
  /** Its next operation, while it has one. */
  readonly next?: string;
  readonly site?: SourceSite;
  /** Why it cannot run, while blocked ("waits for lock A, held by thread 1"). */
  readonly waits?: string;
}

/** Everything shared, as the scheduler sees it. */
export interface StateView {
  readonly threads: readonly ThreadView[];
  readonly variables: readonly { readonly name: string; readonly value: string }[];
  readonly locks: readonly {
    readonly name: string;
    readonly kind: 'mutex' | 'semaphore' | 'condition';
    /** "thread 1", "free", "2 permits", "waiting: thread 2". */
    readonly state: string;
  }[];
  readonly channels: readonly {
    readonly name: string;
    readonly capacity: number;
    readonly buffer: readonly string[];
    readonly closed: boolean;
  }[];
}

/** A shared variable. Reading and writing are separate steps; the atomic operations are one each. */
export interface Shared<T> {
  readonly name: string;
  read(): Promise<T>;
  write(value: T): Promise<void>;
  /** Atomic fetch-and-add: one step; gives the value before. */
  add(this: Shared<number>, delta: number): Promise<number>;
  /** Atomic swap: one step; gives the value before. */
  exchange(value: T): Promise<T>;
  /** Atomic compare-and-swap: one step; gives the value before (it swapped if that equals `expected`). */
  compareExchange(expected: T, replacement: T): Promise<T>;
  /** The value — only once every thread has ended (for the outcome), never inside a thread. */
  readonly value: T;
}

export interface ModelMutex {
  readonly name: string;
  lock(): Promise<void>;
  unlock(): Promise<void>;
}

export interface ModelSemaphore {
  readonly name: string;
  acquire(): Promise<void>;
  release(): Promise<void>;
}

/** A condition variable used with a mutex: `wait` releases it (one step) and re-takes it (another). */
export interface ModelCondition {
  readonly name: string;
  wait(mutex: ModelMutex): Promise<void>;
  notify(): Promise<void>;
  notifyAll(): Promise<void>;
}

export type Received<T> = { value: T; ok: true } | { value: undefined; ok: false };

export interface ModelChannel<T> {
  readonly name: string;
  send(value: T): Promise<void>;
  recv(): Promise<Received<T>>;
  close(): Promise<void>;
}

export type SelectCase =
  | { readonly recv: ModelChannel<unknown> }
  | { readonly send: ModelChannel<unknown>; readonly value: unknown };

/** What a select took: the case's index (-1: the default) and, for a receive, what it received. */
export type Selected = { index: number } & Partial<Received<unknown>>;

/** What a program's set-up function receives. */
export interface ProgramApi {
  shared<T>(name: string, initial: T): Shared<T>;
  mutex(name: string): ModelMutex;
  semaphore(name: string, permits: number): ModelSemaphore;
  condition(name: string): ModelCondition;
  channel<T>(name: string, capacity?: number): ModelChannel<T>;
  select(cases: readonly SelectCase[], options?: { default?: boolean }): Promise<Selected>;
  /** Declares a thread. Threads are numbered from 1 in the order declared. */
  thread(body: () => Promise<unknown>, name?: string): void;
  /** A step that touches nothing: a point where the scheduler may switch (a bytecode boundary under a GIL). */
  step(label?: string): Promise<void>;
  /** In a busy-wait loop: the thread waits until another step has written shared state. */
  spin(): Promise<void>;
  /** Fails the schedule with `message` unless `condition` holds. Not a step. */
  assert(condition: unknown, message?: string): void;
}

/** The set-up: declare state and threads; return a function to name the outcome, or nothing. */
export type Setup = (api: ProgramApi) => void | (() => unknown);

export interface RunOptions {
  /** Steps a run may take before it ends as `limit`. Default 10 000. */
  maxSteps?: number;
  /** Record where each operation was called (a stack trace per step: for by-hand mode). */
  locate?: boolean;
}

export interface ExploreOptions extends RunOptions {
  /** Schedules to try before stopping with an incomplete report. Default 100 000. */
  maxSchedules?: number;
  /**
   * Skip schedules that only reorder steps which commute (different threads touching different
   * objects, or both only reading), with sleep sets: one schedule per class of equivalent ones.
   * Same outcomes, deadlocks and failures, far fewer schedules. Default false: every interleaving.
   */
  reduce?: boolean;
}

/** A finished run. */
export interface Execution {
  readonly schedule: readonly Choice[];
  readonly steps: readonly StepRecord[];
  readonly ending: Exclude<Ending, { kind: 'running' }>;
  readonly state: StateView;
}

/** A failing (deadlocked, failed or limit) schedule found by exploring. */
export interface Counterexample {
  readonly kind: 'deadlock' | 'failed' | 'limit';
  readonly message: string;
  readonly schedule: readonly Choice[];
}

export interface ExploreReport {
  /** Complete schedules run (each a distinct interleaving). */
  readonly schedules: number;
  /** Partial schedules abandoned by the reduction (each equivalent to one explored). */
  readonly pruned: number;
  /** False when `maxSchedules` stopped the search early. */
  readonly complete: boolean;
  /** Each distinct outcome of a run that ended normally, with how many schedules gave it. */
  readonly outcomes: readonly {
    readonly outcome: string;
    readonly count: number;
    readonly schedule: readonly Choice[];
  }[];
  /** Distinct deadlocks, failures and step-limit endings, with counts and their shortest schedule. */
  readonly problems: readonly (Counterexample & { readonly count: number })[];
  /** The shortest schedule that deadlocks, fails or reaches the limit, or null. */
  readonly shortestFailure: Counterexample | null;
  /** Plain-text lines: what a reader sees. */
  readonly summary: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Schedules as text: "1 2 2 1" — a select's case after a dot: "2.0", its default "2.d"

export function formatSchedule(schedule: readonly Choice[]): string {
  return schedule
    .map((c) => (c.branch === undefined ? `${c.thread}` : `${c.thread}.${c.branch < 0 ? 'd' : c.branch}`))
    .join(' ');
}

export function parseSchedule(text: string): Choice[] {
  const words = text
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  return words.map((word) => {
    const match = /^(\d+)(?:\.(\d+|d))?$/.exec(word);
    if (!match)
      throw new ModelError(
        `"${word}" is not a schedule step: write thread numbers, e.g. "1 2 2 1" (a select's case as "2.0").`,
      );
    const thread = Number(match[1]);
    const branch = match[2] === undefined ? undefined : match[2] === 'd' ? -1 : Number(match[2]);
    return branch === undefined ? { thread } : { thread, branch };
  });
}

// ---------------------------------------------------------------------------------------------
// The model

export interface Model {
  /** One run following `schedule` (a list or its text); past its end, the first thread that can run. */
  run(schedule?: readonly Choice[] | string, options?: RunOptions): Promise<Execution>;
  /** One run where a PRNG seeded with `seed` picks each step; the same seed gives the same run. */
  random(seed: number, options?: RunOptions): Promise<Execution>;
  /** Every interleaving, depth first, up to the bounds. */
  explore(options?: ExploreOptions): Promise<ExploreReport>;
  /** A run the caller steps through one choice at a time. */
  start(options?: RunOptions): Promise<Stepper>;
  /**
   * Requires a property of every schedule (up to the bounds): no deadlock, no failed assertion,
   * and — when given — an outcome that `property` accepts (true, or a string saying what is wrong).
   */
  check(property?: (outcome: string) => boolean | string, options?: ExploreOptions): Promise<CheckResult>;
}

/** What {@link Model.check} found. `message` is one line a reader (or an exercise's check) reads. */
export interface CheckResult {
  readonly passed: boolean;
  readonly schedules: number;
  /** "checked 6 schedules: every one passes" or "counterexample: …, schedule 1 2 1 2". */
  readonly message: string;
  /** The failing schedule, when there is one. */
  readonly schedule?: readonly Choice[];
}

/**
 * Thrown by {@link model} while {@link captureProgram} loads a snippet: the snippet stops at its
 * first model, which the caller (the book's scheduler panel) takes to run by hand.
 */
export class ProgramCaptured extends Error {
  override name = 'ProgramCaptured';
}

let capturing: ((setup: Setup) => void) | null = null;

let stepsTaken = 0;

/** Steps taken by every run in this realm so far: a loop guard tells a stuck thread from a busy explorer. */
export function stepCount(): number {
  return stepsTaken;
}

/**
 * Runs `load` (which evaluates a snippet) with {@link model} taking the first program declared
 * instead of returning it: the rest of the snippet does not run. Gives that program's set-up, or
 * null when the snippet declared none.
 */
export async function captureProgram(load: () => Promise<unknown>): Promise<Setup | null> {
  let taken: Setup | null = null;
  capturing = (setup) => {
    taken = setup;
  };
  try {
    await load();
  } catch (error) {
    if (!(error instanceof ProgramCaptured)) throw error;
  } finally {
    capturing = null;
  }
  return taken;
}

export function model(setup: Setup): Model {
  if (typeof setup !== 'function')
    throw new ModelError('model() takes a set-up function: model(({ shared, thread }) => { … }).');
  if (capturing) {
    capturing(setup);
    throw new ProgramCaptured('The scheduler took this program.');
  }
  const runWith = async (choose: Chooser, options: RunOptions): Promise<Execution> => {
    const run = await Stepper.create(setup, options);
    for (;;) {
      const moves = run.moves();
      if (run.ending.kind !== 'running') break;
      await run.choose(choose(moves, run.steps.length));
    }
    return run.execution();
  };
  return {
    run: (schedule = [], options = {}) => {
      const choices = typeof schedule === 'string' ? parseSchedule(schedule) : schedule;
      return runWith((moves, depth) => (depth < choices.length ? choices[depth]! : moves[0]!), options);
    },
    random: (seed, options = {}) => {
      const random = seededRandom(seed);
      return runWith((moves) => moves[Math.floor(random() * moves.length)]!, options);
    },
    explore: (options = {}) => explore(setup, options),
    start: (options = {}) => Stepper.create(setup, options),
    check: async (property, options = {}) => {
      const report = await explore(setup, options);
      const checked = report.complete
        ? plural(report.schedules, 'schedule')
        : `the first ${plural(report.schedules, 'schedule')} (the bound)`;
      const failure = report.shortestFailure;
      if (failure) {
        return {
          passed: false,
          schedules: report.schedules,
          schedule: failure.schedule,
          message: `counterexample: ${failure.message}, schedule ${formatSchedule(failure.schedule)}`,
        };
      }
      for (const { outcome, schedule } of report.outcomes) {
        const verdict = property ? property(outcome) : true;
        if (verdict === true) continue;
        const why = typeof verdict === 'string' && verdict ? verdict : `the outcome ${outcome} is wrong`;
        return {
          passed: false,
          schedules: report.schedules,
          schedule,
          message: `counterexample: ${why} (${outcome}), schedule ${formatSchedule(schedule)}`,
        };
      }
      return { passed: true, schedules: report.schedules, message: `checked ${checked}: every one passes` };
    },
  };
}

type Chooser = (moves: readonly Move[], depth: number) => Choice;

// ---------------------------------------------------------------------------------------------
// One run

/** Microtask turns a thread may take, after a step, to ask for its next step. */
const SETTLE_TURNS = 10_000;

type Op = {
  readonly action: string;
  /** Null when it can run now; otherwise why not. */
  readonly blocked: () => string | null;
  /** Performs the step; returns what the thread gets. A select's branch picks its case. */
  readonly perform: (branch: number | undefined) => {
    result: unknown;
    partner?: ThreadState;
    partnerResult?: unknown;
  };
  /** A select: the indices of the ready cases (and -1 for a default when none is). */
  readonly branches?: () => number[];
  /** A plain receive or a select with receive cases, for an unbuffered sender to pair with. */
  readonly receives?: readonly ChannelState[];
  readonly site?: SourceSite;
  /** The shared objects it touches, and whether only to read them (for the explorer's reduction). */
  readonly objects?: readonly string[];
  readonly readOnly?: boolean;
  /** The shared variable it operates on (spin() tracks what a loop read). */
  readonly variable?: VariableState;
  /** A spin(): its footprint is what the loop read since the last one. */
  readonly spin?: true;
};

/** What a pending step touches, for deciding whether two steps commute. */
export interface Footprint {
  readonly objects: readonly string[];
  readonly readOnly: boolean;
  /** It depends on every write (a spin whose loop did more than read variables). */
  readonly all?: boolean;
}

interface VariableState {
  readonly name: string;
  /** Bumped whenever the value changes. */
  version: number;
}

interface ThreadState {
  readonly id: number;
  readonly name: string;
  status: 'running' | 'parked' | 'done' | 'failed';
  pending: Op | null;
  resolve: ((value: unknown) => void) | null;
  reject: ((error: unknown) => void) | null;
  error: unknown;
  /** The step count when it parked: receivers pair with senders in the order they started waiting. */
  parkedAt: number;
  /** Writes counted when its last `spin()` ran. */
  spunAtWrites: number;
  /** Since its last spin(): the variables it read, at which version, and whether it did anything else. */
  readSinceSpin: { variable: VariableState; version: number }[];
  otherSinceSpin: boolean;
  body: () => Promise<unknown>;
}

interface ChannelState {
  readonly name: string;
  readonly capacity: number;
  readonly buffer: unknown[];
  closed: boolean;
}

interface MutexState {
  readonly name: string;
  owner: ThreadState | null;
}

/** A run of the program that the caller steps through: `moves()`, then `choose()` one of them. */
export class Stepper {
  readonly steps: StepRecord[] = [];
  ending: Ending = { kind: 'running' };
  readonly #threads: ThreadState[] = [];
  readonly #variables: { name: string; get: () => unknown }[] = [];
  readonly #mutexes: MutexState[] = [];
  readonly #semaphores: { name: string; permits: number }[] = [];
  readonly #conditions: { name: string; waiters: { thread: ThreadState; notified: boolean }[] }[] = [];
  readonly #channels: ChannelState[] = [];
  #running: ThreadState | null = null;
  /** The thread whose step is being performed (set only while an operation's `perform` runs). */
  #performing: ThreadState | null = null;
  #settingUp = true;
  #writes = 0;
  #outcome: (() => unknown) | null = null;
  readonly #maxSteps: number;
  readonly #locate: boolean;

  private constructor(options: RunOptions) {
    this.#maxSteps = options.maxSteps ?? 10_000;
    this.#locate = options.locate ?? false;
  }

  static async create(setup: Setup, options: RunOptions): Promise<Stepper> {
    const run = new Stepper(options);
    const outcome = setup(run.#api());
    run.#settingUp = false;
    if (outcome !== undefined && typeof outcome !== 'function') {
      throw new ModelError('The set-up function returns a function that names the outcome, or nothing.');
    }
    run.#outcome = outcome ?? null;
    if (run.#threads.length === 0)
      throw new ModelError('The program declares no thread: call thread(async () => { … }).');
    for (const thread of run.#threads) await run.#start(thread);
    run.#conclude();
    return run;
  }

  /** The choices the scheduler may make now (none once the run has ended). */
  moves(): Move[] {
    if (this.ending.kind !== 'running') return [];
    const moves: Move[] = [];
    for (const thread of this.#threads) {
      const op = thread.pending;
      if (!op || thread.status !== 'parked' || !this.#canRun(thread)) continue;
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
    const thread = this.#threads[choice.thread - 1];
    const possible = this.moves().some((m) => m.thread === choice.thread && m.branch === choice.branch);
    if (!thread || !possible) {
      const why =
        thread?.pending?.blocked() ??
        (thread
          ? `it has ${thread.status === 'parked' ? 'no such case' : 'ended'}`
          : 'there is no such thread');
      throw new ModelError(
        `Step ${this.steps.length + 1} of the schedule picks ${formatSchedule([choice])}, which cannot run now: ${why}.`,
      );
    }
    const op = thread.pending!;
    thread.pending = null;
    stepsTaken++;
    if (!op.variable && !op.spin) thread.otherSinceSpin = true;
    let done: ReturnType<Op['perform']>;
    try {
      this.#performing = thread;
      done = op.perform(choice.branch);
    } catch (error) {
      this.#performing = null;
      this.steps.push({ choice: pick(choice), action: op.action, ...(op.site ? { site: op.site } : {}) });
      await this.#resume(thread, error, true);
      this.#conclude();
      return;
    }
    this.#performing = null;
    const { result, partner, partnerResult } = done;
    this.steps.push({
      choice: pick(choice),
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
    return {
      threads: this.#threads.map((t) => {
        const status =
          t.status === 'done' || t.status === 'failed' ? t.status : this.#canRun(t) ? 'ready' : 'blocked';
        const waits = status === 'blocked' ? this.#whyBlocked(t) : undefined;
        return {
          id: t.id,
          name: t.name,
          status,
          ...(t.pending ? { next: t.pending.action } : {}),
          ...(t.pending?.site ? { site: t.pending.site } : {}),
          ...(waits ? { waits } : {}),
        };
      }),
      variables: this.#variables.map((v) => ({ name: v.name, value: formatValue(v.get()) })),
      locks: [
        ...this.#mutexes.map((m) => ({
          name: m.name,
          kind: 'mutex' as const,
          state: m.owner ? `held by ${m.owner.name}` : 'free',
        })),
        ...this.#semaphores.map((s) => ({
          name: s.name,
          kind: 'semaphore' as const,
          state: plural(s.permits, 'permit'),
        })),
        ...this.#conditions.map((c) => ({
          name: c.name,
          kind: 'condition' as const,
          state: c.waiters.length
            ? `waiting: ${c.waiters.map((w) => w.thread.name + (w.notified ? ' (notified)' : '')).join(', ')}`
            : 'no waiters',
        })),
      ],
      channels: this.#channels.map((c) => ({
        name: c.name,
        capacity: c.capacity,
        buffer: c.buffer.map(formatValue),
        closed: c.closed,
      })),
    };
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

  // -------------------------------------------------------------------------------------------
  // Threads

  async #start(thread: ThreadState): Promise<void> {
    this.#running = thread;
    thread.status = 'running';
    let body: Promise<unknown>;
    try {
      body = Promise.resolve(thread.body());
    } catch (error) {
      body = Promise.reject(error);
    }
    body.then(
      () => this.#ended(thread, 'done', undefined),
      (error: unknown) => this.#ended(thread, 'failed', error),
    );
    await this.#settle(thread);
  }

  /** Hands a step's result (or error) to a parked thread and lets it run to its next step. */
  async #resume(thread: ThreadState, value: unknown, failed: boolean): Promise<void> {
    const { resolve, reject } = thread;
    thread.resolve = thread.reject = null;
    thread.status = 'running';
    this.#running = thread;
    if (failed) reject!(value);
    else resolve!(value);
    await this.#settle(thread);
  }

  /** Waits, a microtask at a time, until the running thread parks at its next step or ends. */
  async #settle(thread: ThreadState): Promise<void> {
    for (let turn = 0; thread.status === 'running'; turn++) {
      if (turn === SETTLE_TURNS) {
        this.#running = null;
        throw new ModelError(
          `${thread.name} did not reach its next shared step: it awaited something outside the model ` +
            `(a timer, a fetch, a plain promise). Inside a thread, await only the model's operations.`,
        );
      }
      await null;
    }
    this.#running = null;
    if (thread.status === 'failed' && thread.error instanceof ModelError) throw thread.error;
  }

  #ended(thread: ThreadState, status: 'done' | 'failed', error: unknown): void {
    thread.status = status;
    thread.error = error;
    thread.pending = null;
  }

  /** Registers the running thread's next operation and parks it. */
  #request<T>(op: Omit<Op, 'site'>, name: string): Promise<T> {
    const thread = this.#running;
    if (!thread) {
      throw new ModelError(
        !this.#settingUp && this.#threads.every((t) => t.status === 'done' || t.status === 'failed')
          ? `${name} was called after every thread ended. Read the final values with .value.`
          : `${name} was called outside a thread: shared operations belong inside thread(async () => { … }), each awaited.`,
      );
    }
    if (thread.status !== 'running') {
      throw new ModelError(
        `${thread.name} started ${name} before its previous step finished: await every shared operation.`,
      );
    }
    thread.status = 'parked';
    thread.parkedAt = this.steps.length;
    const site = this.#locate ? callSite() : undefined;
    thread.pending = site ? { ...op, site } : op;
    return new Promise<T>((resolve, reject) => {
      thread.resolve = resolve as (value: unknown) => void;
      thread.reject = reject;
    });
  }

  #canRun(thread: ThreadState): boolean {
    const op = thread.pending;
    if (!op) return false;
    if (op.blocked() !== null) return false;
    return !op.branches || op.branches().length > 0;
  }

  #whyBlocked(thread: ThreadState): string {
    return thread.pending?.blocked() ?? 'waits';
  }

  /** After each step: ended, deadlocked, failed or out of steps? */
  #conclude(): void {
    const failed = this.#threads.find((t) => t.status === 'failed');
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
    const live = this.#threads.filter((t) => t.status !== 'done');
    if (live.length === 0) {
      let outcome: string;
      if (this.#outcome) {
        const value = this.#outcome();
        outcome = typeof value === 'string' ? value : formatValue(value);
      } else
        outcome =
          this.#variables.map((v) => `${v.name} = ${formatValue(v.get())}`).join(', ') ||
          'every thread finished';
      this.ending = { kind: 'done', outcome };
      return;
    }
    if (!live.some((t) => this.#canRun(t))) {
      const why = live.map((t) => `${t.name} ${this.#holds(t)}${this.#whyBlocked(t)}`).join('; ');
      this.ending = { kind: 'deadlock', message: `every thread waits: ${why}` };
      return;
    }
    if (this.steps.length >= this.#maxSteps) {
      this.ending = { kind: 'limit', message: `stopped at the step limit (${this.#maxSteps} steps)` };
    }
  }

  #holds(thread: ThreadState): string {
    const held = this.#mutexes.filter((m) => m.owner === thread).map((m) => m.name);
    return held.length ? `holds ${held.join(' and ')} and ` : '';
  }

  // -------------------------------------------------------------------------------------------
  // The API a set-up function receives

  #api(): ProgramApi {
    const names = new Set<string>();
    const declare = (kind: string, name: string): void => {
      if (!this.#settingUp) {
        throw new ModelError(`Declare ${kind} ${name} in the set-up function, not inside a thread.`);
      }
      if (typeof name !== 'string' || name === '')
        throw new ModelError(`Give the ${kind} a name: ${kind}('x', …).`);
      if (names.has(name))
        throw new ModelError(`Two shared objects are named "${name}": give each its own name.`);
      names.add(name);
    };
    const live = (): boolean => this.#threads.some((t) => t.status === 'running' || t.status === 'parked');
    const countWrite = (): void => void this.#writes++;

    const shared = <T>(name: string, initial: T): Shared<T> => {
      declare('shared', name);
      let value = initial;
      const variable: VariableState = { name, version: 0 };
      this.#variables.push({ name, get: () => value });
      const op = <R>(label: string, perform: () => R, writes: boolean): Promise<R> =>
        this.#request<R>(
          {
            action: label,
            blocked: () => null,
            objects: [name],
            readOnly: !writes,
            variable,
            perform: () => {
              const before = value;
              const result = perform();
              if (!Object.is(before, value)) {
                variable.version++;
                countWrite();
              }
              // A plain write gives the thread nothing: only what it read decides its next turn.
              if (!label.startsWith(`${name}.write(`))
                this.#performing!.readSinceSpin.push({ variable, version: variable.version });
              return { result };
            },
          },
          label,
        );
      return {
        name,
        read: () => op(`${name}.read()`, () => value, false),
        write: (next: T) =>
          op(
            `${name}.write(${formatValue(next)})`,
            () => {
              value = next;
              return undefined;
            },
            true,
          ),
        add(delta: number) {
          return op(
            `${name}.add(${delta})`,
            () => {
              const before = value as number;
              value = (before + delta) as T;
              return before;
            },
            true,
          ) as Promise<number>;
        },
        exchange: (next: T) =>
          op(
            `${name}.exchange(${formatValue(next)})`,
            () => {
              const before = value;
              value = next;
              return before;
            },
            true,
          ),
        compareExchange: (expected: T, replacement: T) =>
          op(
            `${name}.compareExchange(${formatValue(expected)}, ${formatValue(replacement)})`,
            () => {
              const before = value;
              if (Object.is(before, expected)) value = replacement;
              return before;
            },
            true,
          ),
        get value(): T {
          if (live()) {
            throw new ModelError(
              `${name}.value was read while threads run: inside a thread, use await ${name}.read().`,
            );
          }
          return value;
        },
      };
    };

    const mutex = (name: string): ModelMutex => {
      declare('mutex', name);
      const state: MutexState = { name, owner: null };
      this.#mutexes.push(state);
      const handle: ModelMutex & { state: MutexState } = {
        name,
        state,
        lock: () =>
          this.#request<void>(
            {
              action: `lock(${name})`,
              objects: [name],
              blocked: () => (state.owner ? `waits for ${name}` : null),
              perform: () => {
                state.owner = this.#performing!;
                countWrite();
                return { result: undefined };
              },
            },
            `lock(${name})`,
          ),
        unlock: () =>
          this.#request<void>(
            {
              action: `unlock(${name})`,
              objects: [name],
              blocked: () => null,
              perform: () => {
                if (state.owner !== this.#performing) {
                  throw new Error(`unlock(${name}) by ${this.#performing!.name}, which does not hold it`);
                }
                state.owner = null;
                countWrite();
                return { result: undefined };
              },
            },
            `unlock(${name})`,
          ),
      };
      return handle;
    };

    const semaphore = (name: string, permits: number): ModelSemaphore => {
      declare('semaphore', name);
      const state = { name, permits };
      this.#semaphores.push(state);
      return {
        name,
        acquire: () =>
          this.#request<void>(
            {
              action: `acquire(${name})`,
              objects: [name],
              blocked: () => (state.permits > 0 ? null : `waits for ${name} (0 permits)`),
              perform: () => {
                state.permits--;
                countWrite();
                return { result: undefined };
              },
            },
            `acquire(${name})`,
          ),
        release: () =>
          this.#request<void>(
            {
              action: `release(${name})`,
              objects: [name],
              blocked: () => null,
              perform: () => {
                state.permits++;
                countWrite();
                return { result: undefined };
              },
            },
            `release(${name})`,
          ),
      };
    };

    const condition = (name: string): ModelCondition => {
      declare('condition', name);
      const state = { name, waiters: [] as { thread: ThreadState; notified: boolean }[] };
      this.#conditions.push(state);
      const wake = (all: boolean): void => {
        for (const waiter of state.waiters) {
          if (waiter.notified) continue;
          waiter.notified = true;
          if (!all) break;
        }
        countWrite();
      };
      return {
        name,
        wait: async (m: ModelMutex) => {
          const me = this.#running;
          const lock = (m as ModelMutex & { state?: MutexState }).state;
          if (!lock) throw new ModelError(`${name}.wait() takes a mutex made by this program's mutex().`);
          await this.#request<void>(
            {
              action: `${name}.wait(${lock.name})`,
              objects: [name, lock.name],
              blocked: () => null,
              perform: () => {
                const me = this.#performing!;
                if (lock.owner !== me)
                  throw new Error(
                    `${name}.wait(${lock.name}) by ${me.name}, which does not hold ${lock.name}`,
                  );
                lock.owner = null;
                state.waiters.push({ thread: me, notified: false });
                countWrite();
                return { result: undefined };
              },
            },
            `${name}.wait(${lock.name})`,
          );
          await this.#request<void>(
            {
              action: `wake from ${name}, lock(${lock.name})`,
              objects: [name, lock.name],
              blocked: () => {
                const waiter = state.waiters.find((w) => w.thread === me);
                if (!waiter?.notified) return `waits for a notify on ${name}`;
                return lock.owner ? `was notified and waits for ${lock.name}` : null;
              },
              perform: () => {
                state.waiters.splice(
                  state.waiters.findIndex((w) => w.thread === me),
                  1,
                );
                lock.owner = me;
                countWrite();
                return { result: undefined };
              },
            },
            `${name}.wait(${lock.name})`,
          );
        },
        notify: () =>
          this.#request<void>(
            {
              action: `${name}.notify()`,
              objects: [name],
              blocked: () => null,
              perform: () => (wake(false), { result: undefined }),
            },
            `${name}.notify()`,
          ),
        notifyAll: () =>
          this.#request<void>(
            {
              action: `${name}.notifyAll()`,
              objects: [name],
              blocked: () => null,
              perform: () => (wake(true), { result: undefined }),
            },
            `${name}.notifyAll()`,
          ),
      };
    };

    const channel = <T>(name: string, capacity = 0): ModelChannel<T> => {
      declare('channel', name);
      if (!Number.isInteger(capacity) || capacity < 0)
        throw new ModelError(`channel('${name}', ${capacity}): the capacity is a whole number ≥ 0.`);
      const state: ChannelState = { name, capacity, buffer: [], closed: false };
      this.#channels.push(state);
      const handle = {
        name,
        state,
        send: (value: T) => {
          const c = sendCase(state, value);
          return this.#request<void>(
            {
              action: c.action,
              objects: [name],
              blocked: () => (c.ready() ? null : c.waits),
              perform: () => c.perform(),
            },
            c.action,
          );
        },
        recv: () => {
          const c = recvCase(state);
          return this.#request<Received<T>>(
            {
              action: c.action,
              objects: [name],
              blocked: () => (c.ready() ? null : c.waits),
              perform: () => ({ result: c.take() }),
              receives: [state],
            },
            c.action,
          );
        },
        close: () =>
          this.#request<void>(
            {
              action: `close(${name})`,
              objects: [name],
              blocked: () => null,
              perform: () => {
                if (state.closed) throw new ModelPanic(`close of closed channel ${name}`);
                state.closed = true;
                countWrite();
                return { result: undefined };
              },
            },
            `close(${name})`,
          ),
      };
      return handle;
    };

    /** A send as a case: ready, and what performing it does (for a plain send and for select). */
    const sendCase = (state: ChannelState, value: unknown) => {
      const sender = this.#running;
      const receiver = (): ThreadState | undefined =>
        this.#threads
          .filter((t) => t !== sender && t.status === 'parked' && t.pending?.receives?.includes(state))
          .sort((a, b) => a.parkedAt - b.parkedAt)[0];
      return {
        action: `${state.name}.send(${formatValue(value)})`,
        waits:
          state.capacity === 0
            ? `waits for a receiver on ${state.name}`
            : `waits for room in ${state.name} (full)`,
        ready: (): boolean =>
          state.closed ||
          (state.capacity === 0 ? receiver() !== undefined : state.buffer.length < state.capacity),
        perform: (): ReturnType<Op['perform']> => {
          if (state.closed) throw new ModelPanic(`send on closed channel ${state.name}`);
          countWrite();
          if (state.capacity > 0) {
            state.buffer.push(value);
            return { result: undefined };
          }
          const partner = receiver()!;
          const got = { value, ok: true };
          const partnerResult = partner.pending!.branches
            ? { index: this.#recvIndex(partner, state), ...got }
            : got;
          return { result: undefined, partner, partnerResult };
        },
      };
    };

    const recvCase = (state: ChannelState) => ({
      action: `${state.name}.recv()`,
      waits: `waits for a value on ${state.name}`,
      ready: (): boolean => state.buffer.length > 0 || state.closed,
      take: (): Received<unknown> => {
        countWrite();
        if (state.buffer.length > 0) return { value: state.buffer.shift(), ok: true };
        return { value: undefined, ok: false };
      },
    });

    const select = (cases: readonly SelectCase[], options: { default?: boolean } = {}): Promise<Selected> => {
      const parts = cases.map((c) => {
        const state = (('recv' in c ? c.recv : c.send) as unknown as { state?: ChannelState }).state;
        if (!state)
          throw new ModelError(
            'select() takes cases on channels made by this program: { recv: ch } or { send: ch, value }.',
          );
        return 'recv' in c
          ? { kind: 'recv' as const, state, c: recvCase(state) }
          : { kind: 'send' as const, state, c: sendCase(state, c.value) };
      });
      const action = `select(${parts.map((p) => p.c.action).join(', ')}${options.default ? ', default' : ''})`;
      const ready = (): number[] => parts.flatMap((p, i) => (p.c.ready() ? [i] : []));
      return this.#request<Selected>(
        {
          action,
          objects: parts.map((p) => p.state.name),
          blocked: () => (ready().length > 0 || options.default ? null : `waits in ${action}`),
          branches: () => {
            const indices = ready();
            return indices.length > 0 ? indices : options.default ? [-1] : [];
          },
          receives: parts.filter((p) => p.kind === 'recv').map((p) => p.state),
          perform: (branch) => {
            if (branch === undefined || branch === -1) return { result: { index: -1 } };
            const part = parts[branch]!;
            if (part.kind === 'recv') return { result: { index: branch, ...part.c.take() } };
            const done = part.c.perform();
            return { ...done, result: { index: branch } };
          },
        },
        'select()',
      );
    };

    return {
      shared,
      mutex,
      semaphore,
      condition,
      channel,
      select,
      thread: (body, name) => {
        if (!this.#settingUp) {
          throw new ModelError('Declare threads in the set-up function, not inside a thread.');
        }
        if (typeof body !== 'function')
          throw new ModelError('thread() takes an async function: thread(async () => { … }).');
        const id = this.#threads.length + 1;
        this.#threads.push({
          id,
          name: name ?? `thread ${id}`,
          status: 'parked',
          pending: null,
          resolve: null,
          reject: null,
          error: undefined,
          parkedAt: 0,
          spunAtWrites: 0,
          readSinceSpin: [],
          otherSinceSpin: false,
          body,
        });
      },
      step: (label = 'step') =>
        this.#request<void>(
          {
            action: label,
            objects: [],
            readOnly: true,
            blocked: () => null,
            perform: () => ({ result: undefined }),
          },
          `step(${label})`,
        ),
      spin: () => {
        const me = this.#running;
        return this.#request<void>(
          {
            action: 'spin()',
            spin: true,
            blocked: () => (me ? this.#spinWaits(me) : null),
            perform: () => {
              me!.spunAtWrites = this.#writes;
              me!.readSinceSpin = [];
              me!.otherSinceSpin = false;
              return { result: undefined };
            },
          },
          'spin()',
        );
      },
      assert: (condition, message = 'assertion failed') => {
        if (!condition) throw new AssertionFailure(message);
      },
    };
  }

  /**
   * A busy-wait loop's next turn does what this one did unless something it read has changed
   * since, so its spin() waits for such a change (any write, when the loop did more than read
   * variables). Deferring a spin until then loses no outcome: a spin touches nothing.
   */
  #spinWaits(thread: ThreadState): string | null {
    if (thread.otherSinceSpin)
      return this.#writes > thread.spunAtWrites ? null : 'spins until another thread writes shared state';
    if (thread.readSinceSpin.some((r) => r.variable.version !== r.version)) return null;
    const names = [...new Set(thread.readSinceSpin.map((r) => r.variable.name))];
    return names.length === 0
      ? 'spins without reading shared state'
      : `spins until another thread changes ${names.join(' or ')}`;
  }

  /** What each parked thread's next step touches (for the explorer's reduction). */
  footprints(): Map<number, Footprint> {
    const footprints = new Map<number, Footprint>();
    for (const thread of this.#threads) {
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

  #recvIndex(thread: ThreadState, state: ChannelState): number {
    return thread.pending!.receives!.indexOf(state);
  }
}

/** Whether two steps of different threads may not commute (conservative: when unsure, they may not). */
export function dependent(a: Footprint, b: Footprint): boolean {
  if ((!a.all && a.objects.length === 0) || (!b.all && b.objects.length === 0)) return false;
  if (a.readOnly && b.readOnly) return false;
  if (a.all || b.all) return true;
  return a.objects.some((o) => b.objects.includes(o));
}

function pick(choice: Choice): Choice {
  return choice.branch === undefined
    ? { thread: choice.thread }
    : { thread: choice.thread, branch: choice.branch };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A value as a reader would write it: 1, "a", true, { value: 1, ok: true }, [1, 2]. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined || typeof value !== 'object' || value === null) return String(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  const entries = Object.entries(value).map(([k, v]) => `${k}: ${formatValue(v)}`);
  return entries.length ? `{ ${entries.join(', ')} }` : '{}';
}

// ---------------------------------------------------------------------------------------------
// Where an operation was called: the first stack frame outside this module

/** A stack frame's file, line and column, in V8's ("at f (url:1:2)") and Firefox/WebKit's ("f@url:1:2") formats. */
const FRAME = /(?:^|[\s(@])([^\s()@]+?):(\d+):(\d+)\)?$/;

const OWN_FILE = fileOf(new Error().stack?.split('\n').find((line) => /:\d+:\d+\)?$/.test(line)) ?? '');

function fileOf(frame: string): string {
  const match = FRAME.exec(frame.trim());
  return match?.[1] ?? '';
}

function callSite(): SourceSite | undefined {
  return firstSiteOutside(new Error().stack ?? '', OWN_FILE);
}

/**
 * The first frame of `stack` with a location outside `ownFile`. Frames without one are skipped:
 * JavaScriptCore gives eval'd code none (`f@`), and names a resumed async function's frame `@url`.
 */
export function firstSiteOutside(stack: string, ownFile: string): SourceSite | undefined {
  for (const frame of stack.split('\n')) {
    const match = FRAME.exec(frame.trim());
    if (!match || match[1] === ownFile) continue;
    return { file: match[1]!, line: Number(match[2]) };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Exploring every interleaving (stateless, depth first: each schedule is a fresh run)

async function explore(setup: Setup, options: ExploreOptions): Promise<ExploreReport> {
  const maxSchedules = options.maxSchedules ?? 100_000;
  const runOptions = { maxSteps: options.maxSteps ?? 10_000, locate: false };
  const reduce = options.reduce ?? false;
  /**
   * For each depth of the current schedule: the moves possible there, which one it took, and (when
   * reducing) the sleep set — moves whose every continuation an earlier branch already covered.
   */
  const frames: { moves: Sleeper[]; taken: number; sleep: Sleeper[]; done: Sleeper[] }[] = [];
  const outcomes = new Map<string, { outcome: string; count: number; schedule: readonly Choice[] }>();
  const problems = new Map<string, Counterexample & { count: number }>();
  let schedules = 0;
  let pruned = 0;
  let complete = true;

  for (;;) {
    if (schedules === maxSchedules) {
      complete = false;
      break;
    }
    const run = await Stepper.create(setup, runOptions);
    let blocked = false;
    for (let depth = 0; run.ending.kind === 'running'; depth++) {
      if (depth === frames.length) {
        const footprints = run.footprints();
        const moves = run.moves().map((m) => ({ choice: pick(m), footprint: footprints.get(m.thread)! }));
        const parent = frames.at(-1);
        const sleep = reduce && parent ? childSleep(parent) : [];
        const first = moves.findIndex((m) => !sleep.some((s) => same(s.choice, m.choice)));
        frames.push({ moves, taken: first, sleep, done: [] });
        if (first === -1) {
          // Every move here sleeps: each continuation is equivalent to one explored already.
          blocked = true;
          break;
        }
      }
      await run.choose(frames[depth]!.moves[frames[depth]!.taken]!.choice);
    }
    if (blocked) {
      pruned++;
      frames.pop();
      if (!backtrack(frames)) break;
      continue;
    }
    const { schedule, ending } = run.execution();
    schedules++;
    if (ending.kind === 'done') {
      const entry = outcomes.get(ending.outcome);
      if (entry) entry.count++;
      else outcomes.set(ending.outcome, { outcome: ending.outcome, count: 1, schedule });
    } else {
      const entry = problems.get(ending.message);
      if (!entry)
        problems.set(ending.message, { kind: ending.kind, message: ending.message, schedule, count: 1 });
      else {
        entry.count++;
        if (schedule.length < entry.schedule.length) problems.set(ending.message, { ...entry, schedule });
      }
    }
    frames.length = schedule.length;
    if (!backtrack(frames)) break;
  }

  const problemList = [...problems.values()];
  const shortestFailure = problemList.reduce<Counterexample | null>(
    (best, p) =>
      best === null || p.schedule.length < best.schedule.length
        ? { kind: p.kind, message: p.message, schedule: p.schedule }
        : best,
    null,
  );
  const outcomeList = [...outcomes.values()];
  const summary = [
    `${complete ? 'Explored every schedule' : `Stopped after ${maxSchedules} schedules (not every one)`}: ${plural(schedules, 'schedule')}.`,
    ...outcomeList.map((o) => `${o.outcome}: ${plural(o.count, 'schedule')}`),
    ...problemList.map(
      (p) =>
        `${p.kind === 'deadlock' ? 'deadlock' : p.kind === 'limit' ? 'step limit' : 'failed'} in ${plural(p.count, 'schedule')}: ${p.message}`,
    ),
    ...(shortestFailure
      ? [
          `Shortest failing schedule: ${formatSchedule(shortestFailure.schedule)} (${plural(shortestFailure.schedule.length, 'step')})`,
        ]
      : []),
  ];
  return {
    schedules,
    pruned,
    complete,
    outcomes: outcomeList,
    problems: problemList,
    shortestFailure,
    summary,
  };
}

interface Sleeper {
  readonly choice: Choice;
  readonly footprint: Footprint;
}

type Frame = { moves: Sleeper[]; taken: number; sleep: Sleeper[]; done: Sleeper[] };

function same(a: Choice, b: Choice): boolean {
  return a.thread === b.thread && a.branch === b.branch;
}

/** The sleep set after taking the frame's move: what slept or was done here and commutes with it. */
function childSleep(frame: Frame): Sleeper[] {
  const taken = frame.moves[frame.taken]!;
  return [...frame.sleep, ...frame.done].filter(
    (s) => s.choice.thread !== taken.choice.thread && !dependent(s.footprint, taken.footprint),
  );
}

/** Moves the deepest frame with a move left to it; false when the search is over. */
function backtrack(frames: Frame[]): boolean {
  while (frames.length > 0) {
    const frame = frames.at(-1)!;
    frame.done.push(frame.moves[frame.taken]!);
    const next = frame.moves.findIndex(
      (m, i) => i > frame.taken && !frame.sleep.some((s) => same(s.choice, m.choice)),
    );
    if (next !== -1) {
      frame.taken = next;
      return true;
    }
    frames.pop();
  }
  return false;
}
