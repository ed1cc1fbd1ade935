/**
 * The one stream a run reports through.
 *
 * Every event carries the thread it came from and `t`, milliseconds since the run started on ONE
 * clock shared by all threads (`performance.timeOrigin + performance.now()` in the thread that
 * produced the event, minus the run's start epoch that the host hands to every thread). Output,
 * the timeline and tests all read this same stream; nothing else leaves the runner.
 *
 * Extending: add a member to {@link RunEvent} with a new `kind` (for example the timeline's
 * lock/channel events). Consumers switch on `kind` and must ignore kinds they do not know.
 */

/** A thread of one run: the page's main thread, or a worker numbered in the order it started. */
export interface ThreadRef {
  readonly id: number;
  readonly label: 'main' | `worker ${number}`;
  /** The `name` given to `spawn()` / `new Worker(url, { name })`, when there was one. */
  readonly name?: string;
}

/** The main thread of every run (the page; in a worker run, the host side). */
export const MAIN_THREAD: ThreadRef = Object.freeze({ id: 0, label: 'main' });

/** Builds the ref of worker number `id` (1, 2, …). */
export function workerThread(id: number, name?: string): ThreadRef {
  return name === undefined ? { id, label: `worker ${id}` } : { id, label: `worker ${id}`, name };
}

export interface EventBase {
  readonly thread: ThreadRef;
  /** ms since the run started, one clock for all threads. */
  readonly t: number;
}

export type LogLevel =
  | 'log'
  | 'info'
  | 'warn'
  | 'error'
  | 'debug'
  | 'trace'
  | 'table'
  | 'dir'
  | 'dirxml'
  | 'group'
  | 'assert'
  | 'count'
  | 'time';

/** One console call, already formatted as text (never HTML: render it with `textContent`). */
export interface LogEvent extends EventBase {
  readonly kind: 'log';
  readonly level: LogLevel;
  /** The formatted text; may span several lines (tables, stacks). Group indentation included. */
  readonly text: string;
  /** console.group nesting depth at the time of the call. */
  readonly depth: number;
}

/** An uncaught error or unhandled rejection (or the runner stopping runaway code). */
export interface RunErrorEvent extends EventBase {
  readonly kind: 'error';
  readonly source: 'uncaught' | 'unhandled-rejection' | 'syntax' | 'runner';
  readonly name: string;
  readonly message: string;
  /** Stack as text, frames of the reader's code named `snippet.js` (or `worker N.js`). */
  readonly stack?: string;
  /** 1-based line and column in the READER's code, when known. */
  readonly line?: number;
  readonly column?: number;
  /** What to show: "Uncaught TypeError: x is not a function" plus a location hint. */
  readonly text: string;
}

export type RunState = 'running' | 'done' | 'stopped' | 'timed-out' | 'failed';

export interface StatusEvent extends EventBase {
  readonly kind: 'status';
  readonly state: RunState;
  /** On every state but `running`: how long the run took. */
  readonly durationMs?: number;
  /** On `stopped` / `timed-out` / `failed`: a sentence for the reader. */
  readonly reason?: string;
}

export interface WorkerStartedEvent extends EventBase {
  readonly kind: 'worker-started';
  readonly worker: ThreadRef;
  /** How the snippet made it. */
  readonly via: 'spawn' | 'new Worker' | 'runner';
}

export interface WorkerStoppedEvent extends EventBase {
  readonly kind: 'worker-stopped';
  readonly worker: ThreadRef;
  readonly reason: 'terminated' | 'closed' | 'run-ended' | 'crashed';
}

/** A postMessage between two threads of the run. */
export interface RunMessageEvent extends EventBase {
  readonly kind: 'message';
  readonly from: ThreadRef;
  readonly to: ThreadRef;
  /** Short text form of the data ("{ n: 1 }", "ArrayBuffer(8) transferred"). */
  readonly summary: string;
  /** Approximate payload size in bytes, when cheap to know (buffers, strings). */
  readonly bytes?: number;
}

/** The runner capped or cut something. */
export interface LimitEvent extends EventBase {
  readonly kind: 'limit';
  readonly what: 'output' | 'line-length' | 'loop' | 'time' | 'memory';
  readonly message: string;
  /** For `output`: how many lines were left out. */
  readonly dropped?: number;
}

export type RunEvent =
  | LogEvent
  | RunErrorEvent
  | StatusEvent
  | WorkerStartedEvent
  | WorkerStoppedEvent
  | RunMessageEvent
  | LimitEvent;

export type RunEventKind = RunEvent['kind'];

/** Distributes `Omit` over the union, so `EventInit<LogEvent>` keeps its own fields. */
export type WithoutStamp<E> = E extends RunEvent ? Omit<E, 'thread' | 't'> : never;

/** Milliseconds since `runStartEpoch` on the shared clock, from whichever thread calls it. */
export function sinceRunStart(runStartEpoch: number): number {
  return performance.timeOrigin + performance.now() - runStartEpoch;
}

/** The shared clock's "now" (an epoch in ms, comparable across threads). */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
