/**
 * `interleave/pool`: a manager + worker pool that shares no memory and only passes messages,
 * the browser's stand-in for a pool of processes (Python's `multiprocessing.Pool`).
 *
 * ```ts
 * const pool = createPool({ size: 4 });
 * const squares = await pool.map((x) => x * x, [1, 2, 3, 4], { chunkSize: 2 });
 * const { results, tasks } = await pool.mapWithStats(isPrime, numbers, { chunkSize: 256 });
 * pool.terminate();
 * ```
 *
 * How it works. `map` cuts the inputs into chunks (tasks). Each idle worker takes the next task
 * from one FIFO queue shared by all `map` calls, so faster workers take more chunks. A task
 * message carries the function's source (`fn.toString()`), the chunk's inputs and its offset; the
 * worker compiles the source once, calls `fn(input, index)` for each input (awaiting it if it
 * returns a promise) and posts the results back. Results come back in input order.
 *
 * The function must be self-contained: it is re-created from its source text inside the worker,
 * so it cannot use variables from the surrounding scope (pass them in the inputs instead), and it
 * must be an arrow function or a `function` expression/declaration (not a method shorthand).
 * Inputs and results travel by structured clone; pass `transfer` to move buffers instead.
 *
 * Guarantees: a task that throws rejects its `map` with an Error carrying the original name,
 * message and stack, and the pool stays usable; aborting a `map` (AbortSignal) terminates the
 * workers busy with its chunks, and they are respawned lazily when needed; `terminate()` rejects
 * everything pending. Timings use one clock across threads: `performance.timeOrigin +
 * performance.now()` in each thread (milliseconds since the Unix epoch, sub-millisecond).
 *
 * Workers are created by a `spawn` function. The default makes a classic Web Worker from a Blob
 * URL (a page's Blob workers share its cross-origin isolation); in Node pass `nodeSpawn` from
 * `./node.ts` (worker_threads with `eval: true`). This module touches no DOM type.
 *
 * With a tracer set (trace.ts), every finished chunk is reported with its timings.
 */
import { tracer } from './trace.ts';

let poolIds = 0;

/** The worker's end of the protocol: a self-contained classic script (browser or Node). */
export const WORKER_SCRIPT = `'use strict';
const port = typeof self === 'object' && self !== null && typeof self.postMessage === 'function'
  ? self
  : require('node:worker_threads').parentPort;
const listen = (fn) => typeof port.on === 'function'
  ? port.on('message', fn)
  : port.addEventListener('message', (event) => fn(event.data));
const clock = () => performance.timeOrigin + performance.now();
const compiled = new Map();
function compile(source) {
  let fn = compiled.get(source);
  if (fn === undefined) {
    fn = (0, eval)('(' + source + ')\\n//# sourceURL=pool-task.js');
    if (typeof fn !== 'function') throw new TypeError('pool: the task is not a function');
    compiled.set(source, fn);
  }
  return fn;
}
listen(async (msg) => {
  if (msg.type === 'ping') return port.postMessage({ type: 'pong' });
  if (msg.type !== 'task') return;
  const start = clock();
  try {
    const fn = compile(msg.fn);
    const results = new Array(msg.inputs.length);
    for (let i = 0; i < msg.inputs.length; i++) {
      let r = fn(msg.inputs[i], msg.offset + i);
      if (r !== null && typeof r === 'object' && typeof r.then === 'function') r = await r;
      results[i] = r;
    }
    port.postMessage({ type: 'done', id: msg.id, results, start, end: clock() });
  } catch (e) {
    const error = e instanceof Error
      ? { name: e.name, message: e.message, stack: e.stack }
      : { name: 'Error', message: 'uncaught ' + String(e), stack: undefined };
    port.postMessage({ type: 'error', id: msg.id, error, start, end: clock() });
  }
});
`;

/** What the pool needs of a worker. A browser `Worker` and a Node `worker_threads.Worker` fit. */
export interface PoolWorker {
  postMessage(message: unknown, transfer: readonly object[]): void;
  terminate(): unknown;
}

/** Callbacks a {@link Spawn} must wire to the worker's message and error events. */
export interface SpawnEvents {
  message(data: unknown): void;
  /** The worker crashed or could not start. */
  error(error: unknown): void;
}

/** Start one worker running `script` (a classic script, see {@link WORKER_SCRIPT}). */
export type Spawn = (script: string, events: SpawnEvents, index: number) => PoolWorker;

/** Options of {@link createPool}. */
export interface PoolOptions {
  /** Number of workers (started lazily). Default: `navigator.hardwareConcurrency`, else 4. */
  size?: number;
  /** How to start a worker. Default: a Blob-URL Web Worker (browsers only). */
  spawn?: Spawn;
}

/** Options of {@link Pool.map}. */
export interface MapOptions<I> {
  /**
   * Inputs per task message. Bigger chunks mean fewer messages (less overhead) but coarser load
   * balancing. Default, as Python's `Pool.map`: `ceil(inputs / (4 × size))`.
   */
  chunkSize?: number;
  /** Abort the map: its busy workers are terminated (and respawned later), it rejects with the reason. */
  signal?: AbortSignal;
  /** Buffers of an input to transfer (move) rather than copy, e.g. `(input) => [input.buffer]`. */
  transfer?: (input: I) => readonly object[];
}

/** When and where one chunk ran. Times: ms since the epoch, same clock in every thread. */
export interface TaskTiming {
  /** Pool worker index, 0-based. */
  worker: number;
  /** Chunk index, 0-based, in input order. */
  chunk: number;
  /** Inputs in the chunk. */
  size: number;
  /** When the manager posted the task. */
  sent: number;
  /** When the worker started and finished computing. */
  start: number;
  end: number;
  /** When the manager received the results. */
  received: number;
}

/** Results plus the timing of every chunk, for speedup charts. */
export interface MapStats<R> {
  results: R[];
  tasks: TaskTiming[];
  /** Manager clock when `map` was called and when the last result arrived. */
  start: number;
  end: number;
  /** `end - start`. */
  wallMs: number;
  /** Pool size and the chunk size used. */
  workers: number;
  chunkSize: number;
}

/** A worker pool. See the module comment. */
export interface Pool {
  /** Number of workers. */
  readonly size: number;
  /** Apply `fn` to every input in the workers; results in input order. */
  map<I, R>(
    fn: (input: I, index: number) => R | Promise<R>,
    inputs: readonly I[],
    options?: MapOptions<I>,
  ): Promise<R[]>;
  /** Like `map`, with per-chunk timings. */
  mapWithStats<I, R>(
    fn: (input: I, index: number) => R | Promise<R>,
    inputs: readonly I[],
    options?: MapOptions<I>,
  ): Promise<MapStats<R>>;
  /** Start every worker now and wait until each answers, so start-up cost is not measured later. */
  warmUp(): Promise<void>;
  /** Stop all workers and reject everything pending. The pool cannot be used afterwards. */
  terminate(): void;
}

/** An error thrown by a task in a worker, rebuilt in the manager. */
export class PoolError extends Error {
  override name = 'PoolError';
}

/** One clock for every thread: ms since the epoch. */
export function clock(): number {
  return performance.timeOrigin + performance.now();
}

const ERROR_TYPES: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** Rebuild a serialised error with its original name, message and stack. */
function rebuildError(e: { name: string; message: string; stack?: string | undefined }): Error {
  const Ctor = ERROR_TYPES[e.name] ?? Error;
  const error = new Ctor(e.message);
  if (error.name !== e.name)
    Object.defineProperty(error, 'name', { value: e.name, configurable: true, writable: true });
  if (e.stack !== undefined) error.stack = e.stack;
  return error;
}

interface Job {
  fn: string;
  results: unknown[];
  tasks: TaskTiming[];
  remaining: number;
  settled: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

interface Task {
  job: Job;
  chunk: number;
  offset: number;
  inputs: unknown[];
  transfer: object[];
}

interface Slot {
  index: number;
  worker: PoolWorker | undefined;
  task: Task | undefined;
  sent: number;
  /** Bumped whenever the worker is replaced, so late events of a dead worker are ignored. */
  generation: number;
  pong: (() => void) | undefined;
}

type FromWorker =
  | { type: 'pong' }
  | { type: 'done'; id: number; results: unknown[]; start: number; end: number }
  | {
      type: 'error';
      id: number;
      error: { name: string; message: string; stack?: string };
      start: number;
      end: number;
    };

function defaultSize(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof n === 'number' && n > 0 ? n : 4;
}

interface BrowserWorker {
  postMessage(message: unknown, transfer: object[]): void;
  terminate(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { message?: string; preventDefault?(): void }) => void) | null;
  onmessageerror: ((event: unknown) => void) | null;
}

/**
 * A {@link Spawn} that starts classic Web Workers from a Blob URL of the script, using the
 * `Worker`, `Blob` and `URL` of `scope` — for code that runs in one global but must start its
 * workers from another (an iframe's, say).
 */
export function blobSpawnIn(scope: object): Spawn {
  return (script, events, index) => spawnBlobWorker(scope, script, events, index);
}

/** The default {@link Spawn}: a classic Web Worker from a Blob URL of the script. */
export const blobSpawn: Spawn = (script, events, index) => spawnBlobWorker(globalThis, script, events, index);

function spawnBlobWorker(scope: object, script: string, events: SpawnEvents, index: number): PoolWorker {
  const g = scope as {
    Worker?: new (url: string, options?: { name?: string }) => BrowserWorker;
    Blob?: new (parts: string[], options?: { type?: string }) => object;
    URL: { createObjectURL?(blob: object): string; revokeObjectURL?(url: string): void };
  };
  if (!g.Worker || !g.Blob || !g.URL.createObjectURL) {
    throw new PoolError(
      'pool: no Web Worker support here; pass a spawn function (in Node: nodeSpawn from src/concurrency/node.ts)',
    );
  }
  const url = g.URL.createObjectURL(new g.Blob([script], { type: 'text/javascript' }));
  const worker = new g.Worker(url, { name: `pool worker ${index + 1}` });
  // The worker has fetched its script once it runs; revoking right away is allowed after construction.
  g.URL.revokeObjectURL?.(url);
  worker.onmessage = (event) => events.message(event.data);
  worker.onerror = (event) => {
    event.preventDefault?.();
    // A load or start failure comes as a plain Event, without a message (WebKit, for one).
    const why = event.message || 'the browser could not load or start its script';
    events.error(new PoolError(`pool: worker ${index + 1} stopped unexpectedly: ${why}`));
  };
  worker.onmessageerror = () =>
    events.error(new PoolError(`pool: worker ${index + 1} received a message it could not deserialise`));
  return {
    postMessage: (message, transfer) => worker.postMessage(message, [...transfer]),
    terminate: () => worker.terminate(),
  };
}

/** Create a pool of `size` message-passing workers. Workers start on first use. */
export function createPool(options: PoolOptions = {}): Pool {
  const size = options.size ?? defaultSize();
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`pool: size must be a positive integer, got ${size}`);
  const spawn = options.spawn ?? blobSpawn;
  const slots: Slot[] = Array.from({ length: size }, (_, index) => ({
    index,
    worker: undefined,
    task: undefined,
    sent: 0,
    generation: 0,
    pong: undefined,
  }));
  const queue: Task[] = [];
  const poolId = ++poolIds;
  let nextId = 1;
  let terminated = false;

  function start(slot: Slot): PoolWorker {
    const generation = ++slot.generation;
    const worker = spawn(
      WORKER_SCRIPT,
      {
        message: (data) => {
          if (slot.generation === generation) onMessage(slot, data as FromWorker);
        },
        error: (error) => {
          if (slot.generation === generation) onCrash(slot, error);
        },
      },
      slot.index,
    );
    slot.worker = worker;
    return worker;
  }

  function kill(slot: Slot): void {
    slot.generation++;
    const w = slot.worker;
    slot.worker = undefined;
    slot.task = undefined;
    slot.pong?.();
    slot.pong = undefined;
    if (w) void Promise.resolve(w.terminate()).catch(() => undefined);
  }

  function fail(job: Job, error: unknown): void {
    if (job.settled) return;
    job.settled = true;
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.job === job) queue.splice(i, 1);
    job.reject(error);
  }

  function dispatch(): void {
    for (const slot of slots) {
      if (slot.task || terminated) continue;
      let task = queue.shift();
      while (task && task.job.settled) task = queue.shift();
      if (!task) return;
      const id = nextId++;
      slot.task = task;
      try {
        const worker = slot.worker ?? start(slot);
        slot.sent = clock();
        worker.postMessage(
          { type: 'task', id, fn: task.job.fn, inputs: task.inputs, offset: task.offset },
          task.transfer,
        );
      } catch (error) {
        // Spawn failed, or an input could not be cloned: the job fails, the slot is free again.
        slot.task = undefined;
        fail(task.job, error);
      }
    }
  }

  function onMessage(slot: Slot, msg: FromWorker): void {
    if (msg.type === 'pong') {
      slot.pong?.();
      slot.pong = undefined;
      return;
    }
    const task = slot.task;
    slot.task = undefined;
    // One record of this chunk's timing, for the map's stats and the tracer alike.
    const timing = task && {
      worker: slot.index,
      chunk: task.chunk,
      size: task.inputs.length,
      sent: slot.sent,
      start: msg.start,
      end: msg.end,
      received: clock(),
    };
    if (timing && tracer) {
      tracer({
        type: 'pool-task',
        pool: poolId,
        ...timing,
        ...(msg.type === 'error' ? { failed: true } : {}),
      });
    }
    if (task && timing && !task.job.settled) {
      const job = task.job;
      if (msg.type === 'error') {
        fail(job, rebuildError(msg.error));
      } else {
        for (let i = 0; i < msg.results.length; i++) job.results[task.offset + i] = msg.results[i];
        job.tasks.push(timing);
        if (--job.remaining === 0) {
          job.settled = true;
          job.resolve();
        }
      }
    }
    dispatch();
  }

  function onCrash(slot: Slot, error: unknown): void {
    const task = slot.task;
    kill(slot);
    if (task) fail(task.job, error);
    dispatch();
  }

  async function run<I, R>(
    fn: (input: I, index: number) => R | Promise<R>,
    inputs: readonly I[],
    options: MapOptions<I>,
  ): Promise<MapStats<R>> {
    if (terminated) throw new PoolError('pool: terminated');
    if (typeof fn !== 'function') throw new TypeError('pool: map expects a function');
    const chunkSize = options.chunkSize ?? Math.max(1, Math.ceil(inputs.length / (4 * size)));
    if (!Number.isInteger(chunkSize) || chunkSize < 1) {
      throw new RangeError(`pool: chunkSize must be a positive integer, got ${chunkSize}`);
    }
    const signal = options.signal;
    signal?.throwIfAborted();
    const startedAt = clock();
    const results: unknown[] = new Array<unknown>(inputs.length);
    const tasks: TaskTiming[] = [];
    if (inputs.length > 0) {
      await new Promise<void>((resolve, reject) => {
        const job: Job = {
          fn: fn.toString(),
          results,
          tasks,
          remaining: Math.ceil(inputs.length / chunkSize),
          settled: false,
          resolve,
          reject,
        };
        const onAbort = (): void => {
          fail(job, signal?.reason);
          for (const slot of slots) if (slot.task?.job === job) kill(slot);
          dispatch();
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const cleanup = (): void => signal?.removeEventListener('abort', onAbort);
        job.resolve = () => {
          cleanup();
          resolve();
        };
        job.reject = (e) => {
          cleanup();
          reject(e);
        };
        for (let offset = 0, chunk = 0; offset < inputs.length; offset += chunkSize, chunk++) {
          const part = inputs.slice(offset, offset + chunkSize);
          queue.push({
            job,
            chunk,
            offset,
            inputs: part,
            transfer: options.transfer ? part.flatMap((input) => [...options.transfer!(input)]) : [],
          });
        }
        dispatch();
      });
    }
    const end = clock();
    tasks.sort((a, b) => a.chunk - b.chunk);
    return {
      results: results as R[],
      tasks,
      start: startedAt,
      end,
      wallMs: end - startedAt,
      workers: size,
      chunkSize,
    };
  }

  return {
    size,
    async map(fn, inputs, options = {}) {
      return (await run(fn, inputs, options)).results;
    },
    mapWithStats(fn, inputs, options = {}) {
      return run(fn, inputs, options);
    },
    async warmUp() {
      if (terminated) throw new PoolError('pool: terminated');
      await Promise.all(
        slots.map(
          (slot) =>
            new Promise<void>((resolve) => {
              const worker = slot.worker ?? start(slot);
              const previous = slot.pong;
              slot.pong = () => {
                previous?.();
                resolve();
              };
              worker.postMessage({ type: 'ping' }, []);
            }),
        ),
      );
    },
    terminate() {
      if (terminated) return;
      terminated = true;
      const error = new PoolError('pool: terminated');
      const jobs = new Set<Job>([
        ...queue.map((t) => t.job),
        ...slots.flatMap((s) => (s.task ? [s.task.job] : [])),
      ]);
      queue.length = 0;
      for (const slot of slots) kill(slot);
      for (const job of jobs) fail(job, error);
    },
  };
}
