/**
 * `interleave/csp`: a small model of Go's channels and goroutines on ONE JavaScript event loop.
 *
 * It is a model, not Go: "goroutines" are async functions interleaved at `await` points on a
 * single thread, so nothing here runs in parallel. What it reproduces faithfully is the channel
 * semantics:
 * - `chan<T>()` is unbuffered: `await ch.send(v)` completes only when a receiver takes `v`
 *   (a rendezvous); `chan<T>(n)` buffers up to n values.
 * - `await ch.recv()` gives `{ value, ok }`; `ok` is false once the channel is closed and drained.
 *   `for await (const v of ch)` is Go's `for v := range ch`.
 * - `select(cases, { default })` picks uniformly at random among the ready cases, as Go does;
 *   a `null` channel is never ready (Go's nil channel). `after(ms)` is `time.After`.
 * - Go's panics, as {@link PanicError}: "send on closed channel", "close of closed channel",
 *   "close of nil channel", "sync: negative WaitGroup counter".
 * - Deadlock detection, inside {@link runMain} only: when the main function and every goroutine
 *   started with {@link go} are all blocked in this library's operations (send, recv, select,
 *   WaitGroup.wait) and no library timer (`after`, `sleep`) is pending, every blocked operation
 *   rejects and `runMain` rejects with {@link DeadlockError}: "fatal error: all goroutines are
 *   asleep - deadlock!".
 *
 * How the detector counts (and its limits). One JavaScript event loop cannot tell which async
 * function an `await` belongs to, so the runtime counts instead: `live` = main + running
 * goroutines, `blocked` = library operations waiting. When `blocked >= live` and no library timer
 * is pending, it re-checks after the microtask queue has drained (a `setTimeout(0)`), and only
 * then declares a deadlock. A goroutine awaiting anything the library does not know (a `fetch`, a
 * plain `setTimeout`, a worker's reply) counts as running, so it never causes a false positive.
 * What the detector cannot see: code outside any goroutine that will touch a channel later (a
 * raw `setTimeout` callback, a UI event handler) and operations started without being awaited
 * by the goroutine that started them (including the loser of a `Promise.race` over channel
 * operations, which stays blocked). Use `go()`, `sleep()`, `after()` and `select()` instead.
 *
 * `go(fn)` schedules `fn` in a microtask (like Go, the new goroutine does not run before `go`
 * returns). A goroutine that throws is a panic: inside `runMain`, `runMain` rejects with it;
 * outside, it is rethrown as an uncaught error, as Go would crash the program.
 *
 * {@link onEvent} lets a timeline observe goroutines and channel hand-offs; the same events go to
 * the tracer of trace.ts when one is set. With neither, no event object is built.
 */
import { seededRandom } from './random.ts';
import { tracer } from './trace.ts';
import type { ChannelRecord } from './trace.ts';

/** A Go runtime panic, e.g. "send on closed channel". */
export class PanicError extends Error {
  override name = 'PanicError';
}

/** Go's fatal error when every goroutine is blocked. */
export class DeadlockError extends Error {
  override name = 'DeadlockError';
  constructor() {
    super(DEADLOCK_MESSAGE);
  }
}

/** Exactly Go's message. */
export const DEADLOCK_MESSAGE = 'fatal error: all goroutines are asleep - deadlock!';

/** What `recv()` gives: a value, or `ok: false` once the channel is closed and drained. */
export type RecvResult<T> = { value: T; ok: true } | { value: undefined; ok: false };

/** Something that happened in the runtime, for timelines and tests. `time` is `performance.now()`. */
export type CspEvent =
  | { type: 'go'; time: number; goroutine: number; name: string | undefined }
  | { type: 'exit'; time: number; goroutine: number; error: unknown }
  | {
      type: 'block';
      time: number;
      op: 'send' | 'recv' | 'select' | 'wait';
      channels: readonly number[];
      /** Pairs this block with its unblock. */
      id: number;
      /** The channels' names, in the order of `channels`. */
      names: readonly string[];
    }
  | {
      type: 'unblock';
      time: number;
      op: 'send' | 'recv' | 'select' | 'wait';
      channel: number | undefined;
      id: number;
    }
  | { type: 'handoff'; time: number; channel: number; value: unknown; via: 'direct' | 'buffer'; name: string }
  | { type: 'close'; time: number; channel: number; name: string }
  | { type: 'deadlock'; time: number; blocked: number };

type Listener = (event: CspEvent) => void;
const listeners = new Set<Listener>();

/** Observe the runtime. Returns a function that removes the listener. */
export function onEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function emit(make: (time: number) => CspEvent): void {
  if (listeners.size === 0 && !tracer) return;
  const event = make(performance.now());
  for (const l of listeners) l(event);
  if (tracer) tracer(toRecord(event));
}

/** A CspEvent as the tracer's record (trace.ts). */
function toRecord(e: CspEvent): ChannelRecord {
  switch (e.type) {
    case 'go':
      return {
        type: 'channel',
        op: 'go',
        time: e.time,
        goroutine: e.goroutine,
        ...(e.name ? { name: e.name } : {}),
      };
    case 'exit':
      return {
        type: 'channel',
        op: 'exit',
        time: e.time,
        goroutine: e.goroutine,
        failed: e.error !== undefined,
      };
    case 'block':
      return { type: 'channel', op: 'block', time: e.time, wait: e.op, opId: e.id, channels: e.names };
    case 'unblock':
      return { type: 'channel', op: 'unblock', time: e.time, wait: e.op, opId: e.id };
    case 'handoff':
      return { type: 'channel', op: 'handoff', time: e.time, channels: [e.name], value: e.value, via: e.via };
    case 'close':
      return { type: 'channel', op: 'close', time: e.time, channels: [e.name] };
    case 'deadlock':
      return { type: 'channel', op: 'deadlock', time: e.time };
  }
}

let blockIds = 0;

// ---------------------------------------------------------------------------------------------
// Runtime: counts goroutines, blocked operations and timers; detects deadlock.

type Op = 'send' | 'recv' | 'select' | 'wait';

interface Outcome {
  index: number;
  value: unknown;
  ok: boolean;
}

/** One blocked operation (Go's "sudog" group): a select blocks once, on several channels. */
interface Blocked {
  done: boolean;
  op: Op;
  /** For events: pairs the block with its unblock. */
  id: number;
  runtime: Runtime;
  resolve(outcome: Outcome): void;
  reject(error: unknown): void;
}

class Runtime {
  live = 0;
  blocked = 0;
  timers = 0;
  ended = false;
  checkScheduled = false;
  readonly waiting = new Set<Blocked>();
  readonly detect: boolean;
  random: () => number;
  onFatal: ((error: unknown) => void) | undefined;

  constructor(detect: boolean, random: () => number) {
    this.detect = detect;
    this.random = random;
  }

  block(op: Op, channels: readonly number[], names: readonly string[]): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      const b: Blocked = { done: false, op, id: ++blockIds, runtime: this, resolve, reject };
      this.blocked++;
      this.waiting.add(b);
      emit((time) => ({ type: 'block', time, op, channels, id: b.id, names }));
      pending = b;
      this.maybeCheck();
    });
  }

  wake(b: Blocked, outcome: Outcome, channel: number | undefined): void {
    this.settle(b);
    emit((time) => ({ type: 'unblock', time, op: b.op, channel, id: b.id }));
    b.resolve(outcome);
  }

  fail(b: Blocked, error: unknown): void {
    this.settle(b);
    emit((time) => ({ type: 'unblock', time, op: b.op, channel: undefined, id: b.id }));
    b.reject(error);
  }

  private settle(b: Blocked): void {
    b.done = true;
    this.blocked--;
    this.waiting.delete(b);
  }

  stuck(): boolean {
    return this.live > 0 && this.blocked >= this.live && this.timers === 0;
  }

  /** After any change that could leave everyone blocked: re-check once the microtasks settle. */
  maybeCheck(): void {
    if (!this.detect || this.ended || this.checkScheduled || !this.stuck()) return;
    this.checkScheduled = true;
    setTimeout(() => {
      this.checkScheduled = false;
      if (!this.ended && this.stuck()) this.deadlock();
    }, 0);
  }

  private deadlock(): void {
    const error = new DeadlockError();
    emit((time) => ({ type: 'deadlock', time, blocked: this.blocked }));
    this.fatal(error);
    for (const b of [...this.waiting]) this.fail(b, error);
  }

  /** A panic or deadlock ends the program: the first one wins. */
  fatal(error: unknown): void {
    if (this.ended) return;
    if (this.onFatal) {
      this.onFatal(error);
    } else {
      // Outside runMain a panic crashes "the program": surface it as an uncaught error.
      setTimeout(() => {
        throw error;
      }, 0);
    }
  }
}

let current = new Runtime(false, Math.random);
/** The Blocked record most recently created (lets `select` enqueue it on several channels). */
let pending: Blocked | undefined;

function blockOn(
  op: Op,
  channels: readonly number[],
  names: readonly string[] = [],
): { promise: Promise<Outcome>; blocked: Blocked } {
  const promise = current.block(op, channels, names);
  const blocked = pending as Blocked;
  pending = undefined;
  return { promise, blocked };
}

/** A seeded PRNG, for reproducible `select` choices (see random.ts). */
export { seededRandom };

/**
 * Use a seeded random source for `select` from now on (or `Math.random` with no argument).
 * Inside `runMain`, it applies to that run.
 */
export function setSeed(seed?: number): void {
  current.random = seed === undefined ? Math.random : seededRandom(seed);
}

let goroutineIds = 0;

/**
 * Start a goroutine: `fn` runs from the next microtask, interleaved with everything else at its
 * `await`s. Returns the goroutine's id (as used in {@link onEvent}).
 */
export function go(fn: () => unknown, name?: string): number {
  const rt = current;
  const id = ++goroutineIds;
  rt.live++;
  emit((time) => ({ type: 'go', time, goroutine: id, name }));
  queueMicrotask(() => {
    let error: unknown;
    Promise.resolve()
      .then(fn)
      .catch((e: unknown) => {
        error = e;
        rt.fatal(e);
      })
      .finally(() => {
        rt.live--;
        emit((time) => ({ type: 'exit', time, goroutine: id, error }));
        rt.maybeCheck();
      });
  });
  return id;
}

/** Options of {@link runMain}. */
export interface RunMainOptions {
  /** Seed for `select`'s random choice, for reproducible runs. */
  seed?: number;
}

/**
 * Run `main` as Go runs `func main()`: resolves with its result when it returns (goroutines still
 * running are abandoned, as when a Go program exits); rejects with the first panic of any
 * goroutine, or with {@link DeadlockError} when everything is blocked. One at a time.
 */
export function runMain<R>(main: () => R | Promise<R>, options: RunMainOptions = {}): Promise<R> {
  if (current.detect && !current.ended) return Promise.reject(new Error('csp: runMain is already running'));
  const outer = current;
  const rt = new Runtime(true, options.seed === undefined ? Math.random : seededRandom(options.seed));
  current = rt;
  rt.live = 1;
  return new Promise<R>((resolve, reject) => {
    const end = (): void => {
      rt.ended = true;
      if (current === rt) current = outer;
    };
    rt.onFatal = (error) => {
      end();
      reject(error);
    };
    Promise.resolve()
      .then(main)
      .then(
        (value) => {
          if (rt.ended) return;
          rt.live--;
          end();
          resolve(value);
        },
        (error: unknown) => rt.fatal(error),
      );
  });
}

/** Resolve after `ms`; the deadlock detector knows a goroutine sleeping here will wake. */
export function sleep(ms: number): Promise<void> {
  const rt = current;
  rt.timers++;
  return new Promise((resolve) =>
    setTimeout(() => {
      rt.timers--;
      resolve();
      rt.maybeCheck();
    }, ms),
  );
}

/** Go's `time.After`: a channel that receives the time (`performance.now()`) once, after `ms`. */
export function after(ms: number): Channel<number> {
  const rt = current;
  const ch = new Channel<number>(1, `after(${ms})`);
  rt.timers++;
  setTimeout(() => {
    rt.timers--;
    ch.offer(performance.now());
    rt.maybeCheck();
  }, ms);
  return ch;
}

// ---------------------------------------------------------------------------------------------
// Channels

interface SendWaiter {
  b: Blocked;
  index: number;
  value: unknown;
}
interface RecvWaiter {
  b: Blocked;
  index: number;
}

function firstLive<W extends { b: Blocked }>(queue: W[]): W | undefined {
  while (queue.length > 0 && queue[0]!.b.done) queue.shift();
  return queue[0];
}

let channelIds = 0;

/** A Go channel. Create it with {@link chan}. */
export class Channel<T> {
  /** Unique id, as used in {@link onEvent}. */
  readonly id = ++channelIds;
  /** Name for timelines and error messages. */
  readonly name: string;
  /** Buffer size; 0 = unbuffered (rendezvous). Go's `cap(ch)`. */
  readonly capacity: number;
  #buffer: T[] = [];
  #senders: SendWaiter[] = [];
  #receivers: RecvWaiter[] = [];
  #closed = false;

  constructor(capacity = 0, name?: string) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new PanicError('makechan: size out of range');
    this.capacity = capacity;
    this.name = name ?? `ch${this.id}`;
  }

  /** Values waiting in the buffer. Go's `len(ch)`. */
  get length(): number {
    return this.#buffer.length;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Send `value`. Unbuffered: resolves once a receiver has taken it. Buffered: resolves once it is
   * in the buffer. Rejects with PanicError "send on closed channel".
   */
  send(value: T): Promise<void> {
    try {
      if (this.trySendNow(value)) return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
    const { promise, blocked } = blockOn('send', [this.id], [this.name]);
    this.#senders.push({ b: blocked, index: 0, value });
    return promise.then(() => undefined);
  }

  /** Receive a value; `ok` is false once the channel is closed and drained. */
  recv(): Promise<RecvResult<T>> {
    const now = this.tryRecvNow();
    if (now) return Promise.resolve(now);
    const { promise, blocked } = blockOn('recv', [this.id], [this.name]);
    this.#receivers.push({ b: blocked, index: 0 });
    return promise.then((o) => ({ value: o.value, ok: o.ok }) as RecvResult<T>);
  }

  /**
   * Close the channel: waiting and future receivers get `ok: false` after the buffer drains;
   * waiting senders panic. Throws PanicError "close of closed channel".
   */
  close(): void {
    if (this.#closed) throw new PanicError('close of closed channel');
    this.#closed = true;
    emit((time) => ({ type: 'close', time, channel: this.id, name: this.name }));
    for (const r of this.#receivers.splice(0)) {
      if (!r.b.done) r.b.runtime.wake(r.b, { index: r.index, value: undefined, ok: false }, this.id);
    }
    for (const s of this.#senders.splice(0)) {
      if (!s.b.done) s.b.runtime.fail(s.b, new PanicError('send on closed channel'));
    }
  }

  /** `for await (const v of ch)`: Go's `for v := range ch`, ending when the channel is closed. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (;;) {
      const r = await this.recv();
      if (!r.ok) return;
      yield r.value;
    }
  }

  /** @internal Used by `after`: put a value if it fits, never block. */
  offer(value: T): void {
    if (!this.#closed) this.trySendNow(value);
  }

  /** @internal Whether a send could complete now (a closed channel counts: it panics at once). */
  canSend(): boolean {
    return this.#closed || firstLive(this.#receivers) !== undefined || this.#buffer.length < this.capacity;
  }

  /** @internal Whether a receive could complete now. */
  canRecv(): boolean {
    return this.#buffer.length > 0 || firstLive(this.#senders) !== undefined || this.#closed;
  }

  /** @internal Complete a send now if possible. */
  trySendNow(value: T): boolean {
    if (this.#closed) throw new PanicError('send on closed channel');
    const r = firstLive(this.#receivers);
    if (r) {
      this.#receivers.shift();
      emit((time) => ({ type: 'handoff', time, channel: this.id, value, via: 'direct', name: this.name }));
      r.b.runtime.wake(r.b, { index: r.index, value, ok: true }, this.id);
      return true;
    }
    if (this.#buffer.length < this.capacity) {
      this.#buffer.push(value);
      emit((time) => ({ type: 'handoff', time, channel: this.id, value, via: 'buffer', name: this.name }));
      return true;
    }
    return false;
  }

  /** @internal Complete a receive now if possible. */
  tryRecvNow(): RecvResult<T> | undefined {
    if (this.#buffer.length > 0) {
      const value = this.#buffer.shift() as T;
      // A blocked sender may now move its value into the freed slot.
      const s = firstLive(this.#senders);
      if (s) {
        this.#senders.shift();
        this.#buffer.push(s.value as T);
        emit((time) => ({
          type: 'handoff',
          time,
          channel: this.id,
          value: s.value,
          via: 'buffer',
          name: this.name,
        }));
        s.b.runtime.wake(s.b, { index: s.index, value: undefined, ok: true }, this.id);
      }
      return { value, ok: true };
    }
    const s = firstLive(this.#senders);
    if (s) {
      this.#senders.shift();
      emit((time) => ({
        type: 'handoff',
        time,
        channel: this.id,
        value: s.value,
        via: 'direct',
        name: this.name,
      }));
      s.b.runtime.wake(s.b, { index: s.index, value: undefined, ok: true }, this.id);
      return { value: s.value as T, ok: true };
    }
    if (this.#closed) return { value: undefined, ok: false };
    return undefined;
  }

  /** @internal Wait as one case of a select. */
  enqueueSend(b: Blocked, index: number, value: unknown): void {
    this.#senders.push({ b, index, value });
  }

  /** @internal Wait as one case of a select. */
  enqueueRecv(b: Blocked, index: number): void {
    this.#receivers.push({ b, index });
  }
}

/** Make a channel: `chan<number>()` is unbuffered, `chan<number>(10)` buffers 10 values. */
export function chan<T>(capacity = 0, name?: string): Channel<T> {
  return new Channel<T>(capacity, name);
}

/** `close(ch)` that also accepts a nil (`null`) channel, which panics as in Go. */
export function close(ch: Channel<unknown> | null | undefined): void {
  if (ch == null) throw new PanicError('close of nil channel');
  ch.close();
}

/** Send that accepts a nil channel: sending on nil blocks forever, as in Go. */
export function send<T>(ch: Channel<T> | null | undefined, value: T): Promise<void> {
  if (ch == null) return blockOn('send', []).promise.then(() => undefined);
  return ch.send(value);
}

/** Receive that accepts a nil channel: receiving from nil blocks forever, as in Go. */
export function recv<T>(ch: Channel<T> | null | undefined): Promise<RecvResult<T>> {
  if (ch == null) return blockOn('recv', []).promise.then(() => ({ value: undefined, ok: false }));
  return ch.recv();
}

// ---------------------------------------------------------------------------------------------
// select

/** A receive case: `{ recv: ch }`. A `null` channel is never ready. */
export interface RecvCase {
  recv: Channel<unknown> | null;
}
/**
 * A send case: `{ send: ch, value }`. A `null` channel is never ready. (`value` is not checked
 * against the channel's element type: a case list mixes channels of different types.)
 */
export interface SendCase {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any channel, whatever it carries
  send: Channel<any> | null;
  value: unknown;
}
export type SelectCase = RecvCase | SendCase;

/** Which case ran: its index (-1 for `default`) and, for a receive, `value` and `ok`. */
export interface SelectResult {
  index: number;
  value: unknown;
  ok: boolean;
}

/** Options of {@link select}. */
export interface SelectOptions {
  /** Have a `default` case: when no case is ready, return `{ index: -1 }` at once. */
  default?: boolean;
  /** Random source for choosing among ready cases (default: the runtime's, see {@link setSeed}). */
  random?: () => number;
}

/**
 * Go's `select`: wait until one of the cases can proceed and run exactly that one. When several
 * are ready, one is chosen uniformly at random. With `{ default: true }` it never blocks.
 *
 * ```ts
 * const r = await select([{ recv: jobs }, { send: results, value: 42 }, { recv: after(100) }]);
 * if (r.index === 2) console.log('timeout');
 * ```
 */
export function select(cases: readonly SelectCase[], options: SelectOptions = {}): Promise<SelectResult> {
  const ready: number[] = [];
  cases.forEach((c, i) => {
    if ('recv' in c ? c.recv?.canRecv() : c.send?.canSend()) ready.push(i);
  });
  if (ready.length > 0) {
    const random = options.random ?? current.random;
    const index = ready[Math.floor(random() * ready.length)] as number;
    const c = cases[index] as SelectCase;
    try {
      if ('recv' in c) {
        const r = (c.recv as Channel<unknown>).tryRecvNow() as RecvResult<unknown>;
        return Promise.resolve({ index, value: r.value, ok: r.ok });
      }
      (c.send as Channel<unknown>).trySendNow(c.value);
      return Promise.resolve({ index, value: undefined, ok: true });
    } catch (error) {
      return Promise.reject(error);
    }
  }
  if (options.default) return Promise.resolve({ index: -1, value: undefined, ok: false });
  const chans = cases.flatMap((c) => {
    const ch = 'recv' in c ? c.recv : c.send;
    return ch ? [ch] : [];
  });
  const { promise, blocked } = blockOn(
    'select',
    chans.map((ch) => ch.id),
    chans.map((ch) => ch.name),
  );
  cases.forEach((c, i) => {
    if ('recv' in c) c.recv?.enqueueRecv(blocked, i);
    else c.send?.enqueueSend(blocked, i, c.value);
  });
  return promise;
}

// ---------------------------------------------------------------------------------------------
// WaitGroup

/** Go's `sync.WaitGroup` for goroutines on this event loop. */
export class WaitGroup {
  #count = 0;
  #waiters: Blocked[] = [];

  /** The counter. */
  get count(): number {
    return this.#count;
  }

  /** Add `delta` to the counter; panics "sync: negative WaitGroup counter". */
  add(delta = 1): void {
    const next = this.#count + delta;
    if (next < 0) throw new PanicError('sync: negative WaitGroup counter');
    this.#count = next;
    if (next === 0) {
      for (const b of this.#waiters.splice(0))
        if (!b.done) b.runtime.wake(b, { index: 0, value: undefined, ok: true }, undefined);
    }
  }

  /** `add(-1)`. */
  done(): void {
    this.add(-1);
  }

  /** Resolve when the counter is zero. */
  wait(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    const { promise, blocked } = blockOn('wait', []);
    this.#waiters.push(blocked);
    return promise.then(() => undefined);
  }
}
