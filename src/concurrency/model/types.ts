/**
 * The public shapes of `interleave/model`: what a program declares (the {@link ProgramApi} its
 * set-up receives), what a scheduler chooses, and what a run and an exploration give back.
 */

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
export interface ModelMove extends Choice {
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

/** How one run of a model goes. */
export interface ModelRunOptions {
  /** Steps a run may take before it ends as `limit`. Default 10 000. */
  maxSteps?: number;
  /** Record where each operation was called (a stack trace per step: for by-hand mode). */
  locate?: boolean;
}

export interface ExploreOptions extends ModelRunOptions {
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

/** What a pending step touches, for deciding whether two steps commute (the explorer's reduction). */
export interface Footprint {
  readonly objects: readonly string[];
  readonly readOnly: boolean;
  /** It depends on every write (a spin whose loop did more than read variables). */
  readonly all?: boolean;
}
