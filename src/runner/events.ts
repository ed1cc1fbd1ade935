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

import type { ChannelRecord, LockRecord, PoolTaskRecord } from '../concurrency/trace.ts';

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
  readonly what: 'output' | 'line-length' | 'loop' | 'time' | 'memory' | 'trace' | 'messages';
  readonly message: string;
  /** For `output`: how many lines were left out. */
  readonly dropped?: number;
}

// ---- trace events: only with `RunOptions.trace` (the timeline), never in plain runs ------------

/**
 * A stretch of time a thread was busy running code, as far as the runner can know: a timer or
 * animation frame callback (its synchronous part), a loop the loop guard saw running (its first
 * to its last check in one macrotask: a lower bound), or a main-thread 'longtask' (over 50 ms)
 * reported by the browser. `t` is when it started. Message handlers and microtasks are not
 * measured; log lines show when they ran.
 */
export interface TaskEvent extends EventBase {
  readonly kind: 'task';
  readonly source: 'timer' | 'interval' | 'frame' | 'loop' | 'longtask';
  readonly duration: number;
  /** For timers: the id `setTimeout` returned, to pair with the {@link TimerEvent} that set it. */
  readonly timer?: number;
}

/** A timer was set (`setTimeout`/`setInterval`) or cleared. */
export interface TimerEvent extends EventBase {
  readonly kind: 'timer';
  readonly op: 'set' | 'clear';
  readonly timer: number;
  readonly delay: number;
  readonly repeat: boolean;
}

/**
 * interleave/sync: a thread started waiting for a lock (or semaphore, condition, wait group),
 * got it, gave up waiting, or released it. A Mutex's `lock` name is the same in every thread.
 */
export interface LockEvent extends EventBase, Omit<LockRecord, 'type'> {
  readonly kind: 'lock';
}

/** interleave/csp: goroutines and channel operations on one thread's event loop. */
export interface ChannelEvent extends EventBase, Omit<ChannelRecord, 'type' | 'value'> {
  readonly kind: 'channel';
  /** handoff: the value, as short text (the library's record holds the value itself). */
  readonly value?: string;
}

/**
 * interleave/pool: one chunk of a `map`, reported by the manager when its result arrives.
 * `sent`, `start`, `end` are ms since the run started (the record's epoch times, turned into the
 * run's clock).
 */
export interface PoolTaskEvent extends EventBase, Omit<PoolTaskRecord, 'type' | 'received'> {
  readonly kind: 'pool-task';
  /** Pool worker index, 0-based; its lane is the thread named `pool worker ${worker + 1}`. */
  readonly worker: number;
}

/** One stretch of a model thread's life in a GIL run, in model ticks. */
export interface GilSpan {
  readonly thread: number;
  readonly from: number;
  readonly to: number;
  readonly state: 'holds-gil' | 'waits-gil' | 'released' | 'lock-wait';
}

/**
 * interleave/gil: a finished `runGil` model run, summarised as spans in TICKS (model time, not
 * ms): who held the GIL when, who waited for it, who was in I/O or native code.
 */
export interface GilRunEvent extends EventBase {
  readonly kind: 'gil';
  readonly threads: number;
  readonly ticks: number;
  readonly withGil: boolean;
  readonly spans: readonly GilSpan[];
  readonly switches: number;
  readonly deadlock: boolean;
}

export type TraceEvent = TaskEvent | TimerEvent | LockEvent | ChannelEvent | PoolTaskEvent | GilRunEvent;

export type RunEvent =
  | LogEvent
  | RunErrorEvent
  | StatusEvent
  | WorkerStartedEvent
  | WorkerStoppedEvent
  | RunMessageEvent
  | LimitEvent
  | TraceEvent;

export type RunEventKind = RunEvent['kind'];

/** Every trace kind, once: leaving one out, or naming another kind, does not compile. */
const traceKinds = {
  task: true,
  timer: true,
  lock: true,
  channel: true,
  'pool-task': true,
  gil: true,
} as const satisfies Record<TraceEvent['kind'], true>;

/** The kinds only a traced run reports (RunOptions.trace). */
export const TRACE_KINDS: ReadonlySet<RunEventKind> = new Set(
  Object.keys(traceKinds) as TraceEvent['kind'][],
);

/**
 * The one rule for the run's plain output: the line `event` adds to it, or undefined. Plain output
 * is what `outputText` returns, what an example's expected output is compared with and what the
 * output panel marks as output: console lines, an error's first line ("Uncaught Error: boom") and
 * the notice that output lines were left out; never status, worker, message or trace events.
 */
export function plainOutputLine(event: RunEvent): string | undefined {
  if (event.kind === 'log') return event.text;
  if (event.kind === 'error') return event.text.split('\n')[0] ?? '';
  if (event.kind === 'limit' && event.what === 'output' && event.dropped) return event.message;
  return undefined;
}

/** Distributes `Omit` over the union, so `WithoutStamp<LogEvent>` keeps its own fields. */
export type WithoutStamp<E> = E extends RunEvent ? Omit<E, 'thread' | 't'> : never;

/** Milliseconds since `runStartEpoch` on the shared clock, from whichever thread calls it. */
export function sinceRunStart(runStartEpoch: number): number {
  return performance.timeOrigin + performance.now() - runStartEpoch;
}

/** The shared clock's "now" (an epoch in ms, comparable across threads). */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
