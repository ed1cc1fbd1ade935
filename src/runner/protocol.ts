/**
 * The wire protocol: every message between the page and the run's worker, and between a thread
 * of a run and the workers it starts. Both sides import it. Tiny on purpose.
 *
 * Every runner worker (the run's own worker and each worker a snippet starts) is the same
 * bundled module, `worker/runner.worker.ts`. Its FIRST message decides what it is:
 *  - {@link HostInit}: the run's worker; Comlink exposes {@link RunnerWorkerApi} on the given
 *    port, so the worker's global `postMessage`/`onmessage` stay free for the snippet.
 *  - {@link LinkInit}: a worker the snippet started, started by the page (worker/broker.ts); the
 *    first message on its link is its {@link ChildInit}, and it runs the snippet's worker code.
 * Every thread gets the run's {@link RuntimeSettings}. Events flow back on a MessagePort as
 * {@link Upstream} messages, batched.
 *
 * Wire types only: this module imports nothing but the stream's types (events.ts), so both sides
 * share it without sharing code.
 */
import type { RunEvent, RunMessageEvent, ThreadRef } from './events.ts';

export interface HostInit {
  readonly __interleave: 'host';
  readonly port: MessagePort;
}

/**
 * A worker the page started for another worker (worker/broker.ts): `link` carries what its
 * parent posts to it (the first message is its {@link ChildInit}); `broker` starts its own.
 */
export interface LinkInit {
  readonly __interleave: 'linked';
  readonly link: MessagePort;
  readonly broker: MessagePort;
}

/** A worker thread asks the page to start or stop one of its workers (ids are its own). */
export type BrokerRequest =
  | { readonly type: 'start'; readonly id: number; readonly link: MessagePort }
  | { readonly type: 'terminate'; readonly id: number };

/** The page tells a worker thread that one of its workers failed to start or load. */
export interface BrokerReply {
  readonly type: 'error';
  readonly id: number;
  readonly message: string;
}

export type ChildSource =
  { readonly kind: 'blob'; readonly blob: Blob } | { readonly kind: 'text'; readonly text: string };

/** How a thread's top-level code ended (runtime/evaluate.ts): the worker's answer to `run`. */
export type Outcome = 'ok' | 'syntax-error' | 'threw';

/** What the run's worker does for the page (through Comlink, on the HostInit port). */
export interface RunnerWorkerApi {
  /**
   * Runs a snippet as this worker's top-level module. Events and idle go out on `port`; the
   * snippet's workers are started through `broker` (worker/broker.ts).
   */
  run(
    code: string,
    settings: RuntimeSettings,
    thread: ThreadRef,
    port: MessagePort,
    broker: MessagePort,
  ): Promise<Outcome>;
  /** The worker's clock, so the host can check that one clock holds across threads. */
  now(): number;
}

/** The run's settings, as every thread of it gets them. */
export interface RuntimeSettings {
  /** When the run started, on the shared clock (events.ts `epochNow`). */
  readonly runStart: number;
  /** Loop budget in ms, Infinity for none. */
  readonly loopBudgetMs: number;
  /** A shared counter for thread ids, when the page is cross-origin isolated. */
  readonly counter?: SharedArrayBuffer;
  /** Record trace events (RunOptions.trace); inherited by the workers the snippet starts. */
  readonly trace?: boolean;
  /**
   * Trace records one thread makes at most: one more than the recorder keeps
   * (CapOptions.traceEvents), so that it sees the overflow and says so. No later record of a
   * thread could be among the run's first that many, so past it, tracing stops.
   */
  readonly traceCap?: number;
}

export interface ChildInit {
  readonly __interleave: 'child';
  readonly port: MessagePort;
  readonly thread: ThreadRef;
  readonly parent: ThreadRef;
  readonly settings: RuntimeSettings;
  readonly source: ChildSource;
  readonly type: 'module' | 'classic';
}

/**
 * One traced thread's records since its last batch (runtime/trace-buffer.ts writes and decodes
 * them and describes the record layout). Sent as is, the records' buffer transferred.
 */
export interface PackedBatch {
  readonly thread: ThreadRef;
  /** Added to a record's time: ms since the run started. */
  readonly offset: number;
  readonly records: Float64Array;
  readonly count: number;
  /** Strings first used in this batch, to append to the thread's table in order. */
  readonly strings: readonly string[];
  readonly objects: readonly RunEvent[];
}

export type Upstream =
  | { readonly type: 'events'; readonly events: readonly RunEvent[] }
  /** A traced thread's events, compact (runtime/trace-buffer.ts); decoded by the page. */
  | { readonly type: 'batch'; readonly batch: PackedBatch }
  /** The worker called close(). */
  | { readonly type: 'closed' }
  /**
   * The snippet's worker posted `data` to its parent (`postMessage` in the worker). It travels on
   * this port, behind the worker's earlier events, and the parent dispatches it on the `Worker`
   * object: whatever the parent prints on receipt then comes after what the worker printed
   * before sending (two ports have no order between them, and Firefox shows it).
   */
  | { readonly type: 'post'; readonly data: unknown; readonly event: RunMessageEvent }
  /** The thread's top-level code settled and nothing is pending (no timers, no live workers). */
  | { readonly type: 'idle' };

export function isInit(data: unknown): data is HostInit | ChildInit | LinkInit {
  return typeof data === 'object' && data !== null && '__interleave' in data;
}
