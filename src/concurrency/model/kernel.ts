/**
 * The kernel of one run: its threads, the shared objects they declared, and the one way a thread
 * takes a step — {@link Kernel.request} registers what the thread wants to do and parks it on a
 * promise that only the scheduler settles (run.ts). Each family of operations (shared values,
 * locks, channels, threads' own steps) is a factory over a kernel; none knows the others.
 */
import { addModelModule, callSite } from './call-site.ts';
import { ModelError } from './errors.ts';
import type { SourceSite, StepRecord } from './types.ts';

addModelModule(new Error().stack);

/** What performing a step gives: the thread's result and, for a rendezvous, its partner's. */
export interface Performed {
  result: unknown;
  partner?: ThreadState;
  partnerResult?: unknown;
}

/** A thread's next operation, as it waits for the scheduler to perform it. */
export interface Operation {
  readonly action: string;
  /** Null when it can run now; otherwise why not. */
  readonly blocked: () => string | null;
  /** Performs the step; returns what the thread gets. A select's branch picks its case. */
  readonly perform: (branch: number | undefined) => Performed;
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
}

export interface VariableState {
  readonly name: string;
  /** Bumped whenever the value changes. */
  version: number;
}

export interface ThreadState {
  readonly id: number;
  readonly name: string;
  status: 'running' | 'parked' | 'done' | 'failed';
  pending: Operation | null;
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

export interface ChannelState {
  readonly name: string;
  readonly capacity: number;
  readonly buffer: unknown[];
  closed: boolean;
}

export interface MutexState {
  readonly name: string;
  owner: ThreadState | null;
}

export interface SemaphoreState {
  readonly name: string;
  permits: number;
}

export interface ConditionState {
  readonly name: string;
  readonly waiters: { thread: ThreadState; notified: boolean }[];
}

/** The shared objects declared, by kind, as the scheduler's view lists them. */
export interface SharedObjects {
  readonly variables: { name: string; get: () => unknown }[];
  readonly mutexes: MutexState[];
  readonly semaphores: SemaphoreState[];
  readonly conditions: ConditionState[];
  readonly channels: ChannelState[];
}

export class Kernel {
  readonly threads: ThreadState[] = [];
  readonly objects: SharedObjects = {
    variables: [],
    mutexes: [],
    semaphores: [],
    conditions: [],
    channels: [],
  };
  readonly steps: StepRecord[] = [];
  /** The thread running between two steps, if any. */
  running: ThreadState | null = null;
  /** The thread whose step is being performed (set only while an operation's `perform` runs). */
  performing: ThreadState | null = null;
  /** True while the set-up function runs: the only time objects and threads are declared. */
  settingUp = true;
  /** Steps that changed shared state, so far (a spin waits for one). */
  writes = 0;
  readonly #names = new Set<string>();
  /** Record where each operation was called. */
  readonly #locate: boolean;

  constructor(locate: boolean) {
    this.#locate = locate;
  }

  /** Checks a new shared object's name: during the set-up, given, and not taken. */
  declare(kind: string, name: string): void {
    if (!this.settingUp) {
      throw new ModelError(`Declare ${kind} ${name} in the set-up function, not inside a thread.`);
    }
    if (typeof name !== 'string' || name === '')
      throw new ModelError(`Give the ${kind} a name: ${kind}('x', …).`);
    if (this.#names.has(name))
      throw new ModelError(`Two shared objects are named "${name}": give each its own name.`);
    this.#names.add(name);
  }

  countWrite(): void {
    this.writes++;
  }

  /** Whether some thread has not ended. */
  threadsLive(): boolean {
    return this.threads.some((t) => t.status === 'running' || t.status === 'parked');
  }

  /** Registers the running thread's next operation and parks it. */
  request<T>(op: Omit<Operation, 'site'>, name: string): Promise<T> {
    const thread = this.running;
    if (!thread) {
      throw new ModelError(
        !this.settingUp && this.threads.every((t) => t.status === 'done' || t.status === 'failed')
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
}

/** Whether the thread's next operation can run now. */
export function canRun(thread: ThreadState): boolean {
  const op = thread.pending;
  if (!op) return false;
  if (op.blocked() !== null) return false;
  return !op.branches || op.branches().length > 0;
}

/** Why the thread's next operation cannot run now. */
export function whyBlocked(thread: ThreadState): string {
  return thread.pending?.blocked() ?? 'waits';
}
