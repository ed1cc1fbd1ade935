/**
 * The teaching libraries' one tracing hook, for the book's run timeline.
 *
 * Each library reports what it alone knows — a thread waiting for or holding a lock, a goroutine
 * blocked on a channel, a pool chunk's timings, a GIL model run — as a plain {@link TraceRecord}
 * to whatever tracer is set. With none set (the default) the cost is one `null` check per
 * operation and no object is built, so plain runs and benchmarks pay nothing measurable.
 *
 * Set per thread (strictly: per realm that loads this module). The runner sets one while a run
 * with `trace: true` is going and turns records into run events with the thread and time; tests
 * may set one directly. Like the libraries, this module knows nothing of the DOM or the runner.
 */

/** interleave/sync: a thread waits for, gets, gives up on, or releases a lock-like object. */
export interface LockRecord {
  readonly type: 'lock';
  readonly what: 'Mutex' | 'Semaphore' | 'Condition' | 'WaitGroup';
  /** A name the same in every thread that shares the object ("Mutex a3f0"). */
  readonly lock: string;
  readonly op: 'wait' | 'acquire' | 'timeout' | 'release';
}

/** interleave/csp: goroutine start/exit and channel operations (see csp.ts's CspEvent). */
export interface ChannelRecord {
  readonly type: 'channel';
  readonly op: 'go' | 'exit' | 'block' | 'unblock' | 'handoff' | 'close' | 'deadlock';
  /** When, as `performance.now()` in the recording thread: the runtime has read the clock already. */
  readonly time?: number;
  /** go/exit: the goroutine's id and name. */
  readonly goroutine?: number;
  readonly name?: string;
  /** block/unblock: which operation, and an id that pairs a block with its unblock. */
  readonly wait?: 'send' | 'recv' | 'select' | 'wait';
  readonly opId?: number;
  /** The channel(s) by name ("ch1", "jobs"). */
  readonly channels?: readonly string[];
  /** The handed-off value itself; the tracer decides how to show it. */
  readonly value?: unknown;
  /** handoff: straight to a waiting receiver, or through the buffer. */
  readonly via?: 'direct' | 'buffer';
  /** exit: the goroutine panicked. */
  readonly failed?: boolean;
}

/** interleave/pool: one finished chunk. Times are epoch ms (`performance.timeOrigin + now()`). */
export interface PoolTaskRecord {
  readonly type: 'pool-task';
  readonly pool: number;
  readonly worker: number;
  readonly chunk: number;
  readonly size: number;
  readonly sent: number;
  readonly start: number;
  readonly end: number;
  readonly received: number;
  readonly failed?: boolean;
}

/** interleave/gil: a finished model run, as spans in ticks. */
export interface GilRecord {
  readonly type: 'gil';
  readonly threads: number;
  readonly ticks: number;
  readonly withGil: boolean;
  readonly spans: readonly {
    readonly thread: number;
    readonly from: number;
    readonly to: number;
    readonly state: 'holds-gil' | 'waits-gil' | 'released' | 'lock-wait';
  }[];
  readonly switches: number;
  readonly deadlock: boolean;
}

export type TraceRecord = LockRecord | ChannelRecord | PoolTaskRecord | GilRecord;

export type Tracer = (record: TraceRecord) => void;

/**
 * The tracer in force, or null. A live binding: libraries test `if (tracer)` before building a
 * record. Change it only with {@link setTracer}.
 */
export let tracer: Tracer | null = null;

/** Sets (or, with null, removes) this thread's tracer. Returns the previous one. */
export function setTracer(next: Tracer | null): Tracer | null {
  const previous = tracer;
  tracer = next;
  return previous;
}
