/**
 * `interleave/sync`: Mutex, Semaphore, Condition and WaitGroup over `SharedArrayBuffer` + `Atomics`,
 * usable across Web Workers (and Node `worker_threads`).
 *
 * Every object keeps all of its state in one `SharedArrayBuffer`. Send `obj.handle` to another
 * thread with `postMessage` and rebuild it there with `Mutex.from(handle)` (etc.): both sides then
 * operate on the same memory.
 *
 * Two flavours of every blocking operation:
 * - `lock()`, `acquire()`, `wait()` block the calling thread with `Atomics.wait`. That is what a
 *   thread does, and it costs no CPU while blocked, but browsers forbid it on the main thread: there
 *   these methods throw {@link BlockingNotAllowedError}, which names the async variant to use
 *   (always, even when they would not need to wait, so code does not work there only by luck).
 * - `lockAsync()`, `acquireAsync()`, `waitAsync()` never call `Atomics.wait`. They use
 *   `Atomics.waitAsync` where it exists and otherwise poll with `setTimeout`, so they work anywhere,
 *   including the browser main thread.
 *
 * Ownership. Each thread (strictly: each JavaScript realm that loads this module) gets a random
 * non-zero id, {@link threadId}. A locked Mutex records its owner's id, so the library can tell you
 * when you unlock a mutex you do not hold, or lock one you already hold (a self-deadlock that would
 * otherwise hang the thread forever). Errors read like Go's runtime ("sync: unlock of unlocked
 * mutex") and are real `Error` subclasses.
 *
 * Guarantees: mutual exclusion and no lost wake-ups (the futex protocol below re-checks the shared
 * word before sleeping). Not guaranteed: fairness; a thread that just released a lock may take it
 * again before a woken waiter does.
 *
 * Tracing: with a tracer set (trace.ts; the run timeline sets one), every wait, acquire, timeout
 * and release is reported with the object's name, which is the same in every thread that shares
 * it (a random id kept in the object's buffer). With no tracer, the cost is one null check.
 *
 * This module imports only the tracing hook, touches no DOM API and runs in any realm that has
 * `Atomics`.
 */
import { tracer } from './trace.ts';
import type { LockRecord } from './trace.ts';

/** Base class of every misuse error thrown by this module. */
export class SyncError extends Error {
  override name = 'SyncError';
}

/** Locking a Mutex the calling thread already holds: the thread would wait for itself forever. */
export class SelfDeadlockError extends SyncError {
  override name = 'SelfDeadlockError';
}

/**
 * A blocking call (`Atomics.wait`) on a thread that may not block, i.e. the browser main thread.
 * The message names the async variant to use instead.
 */
export class BlockingNotAllowedError extends SyncError {
  override name = 'BlockingNotAllowedError';
}

/** The serialisable description of a sync object, safe to `postMessage` to another worker. */
export type SyncHandle = MutexHandle | SemaphoreHandle | ConditionHandle | WaitGroupHandle;

/** Handle of a {@link Mutex}. */
export interface MutexHandle {
  readonly kind: 'Mutex';
  readonly buffer: SharedArrayBuffer;
}
/** Handle of a {@link Semaphore}. */
export interface SemaphoreHandle {
  readonly kind: 'Semaphore';
  readonly buffer: SharedArrayBuffer;
}
/** Handle of a {@link Condition}; it carries the handle of the condition's mutex. */
export interface ConditionHandle {
  readonly kind: 'Condition';
  readonly buffer: SharedArrayBuffer;
  readonly mutex: MutexHandle;
}
/** Handle of a {@link WaitGroup}. */
export interface WaitGroupHandle {
  readonly kind: 'WaitGroup';
  readonly buffer: SharedArrayBuffer;
}

// ---------------------------------------------------------------------------------------------
// Thread identity and the ability to block

function randomId(): number {
  const cell = new Int32Array(1);
  const c = (globalThis as { crypto?: { getRandomValues(a: Int32Array): Int32Array } }).crypto;
  do {
    if (c) c.getRandomValues(cell);
    else cell[0] = (Math.random() * 0x7fffffff) | 0;
  } while (cell[0] === 0);
  return cell[0] as number;
}

const THREAD_ID = randomId();

/**
 * The id this thread (realm) records as owner when it locks a {@link Mutex}. Random, non-zero,
 * 32-bit: two threads colliding is a one-in-billions event, which is good enough for a teaching
 * library's misuse checks (mutual exclusion itself does not depend on it).
 */
export function threadId(): number {
  return THREAD_ID;
}

let canBlockCache: boolean | undefined;

/**
 * Whether this thread may call `Atomics.wait`. Probed once, by actually calling it with a value
 * that does not match (so it returns "not-equal" at once instead of sleeping): browsers throw a
 * `TypeError` on the main thread. No DOM types or globals are consulted.
 */
export function canBlock(): boolean {
  if (canBlockCache === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      canBlockCache = true;
    } catch {
      canBlockCache = false;
    }
  }
  return canBlockCache;
}

function assertCanBlock(call: string, asyncCall: string): void {
  if (!canBlock()) {
    throw new BlockingNotAllowedError(
      `sync: ${call} would block this thread with Atomics.wait, which is not allowed here ` +
        `(the browser main thread must never block); use ${asyncCall} instead, or run this code in a worker`,
    );
  }
}

function newBuffer(ints: number): SharedArrayBuffer {
  if (typeof SharedArrayBuffer !== 'function') {
    throw new SyncError(
      'sync: SharedArrayBuffer is not available; shared memory needs a cross-origin isolated page ' +
        '(COOP: same-origin and COEP: require-corp)',
    );
  }
  return new SharedArrayBuffer(ints * Int32Array.BYTES_PER_ELEMENT);
}

function checkHandle(handle: { kind?: unknown; buffer?: unknown }, kind: string, ints: number): Int32Array {
  if (!handle || handle.kind !== kind || !(handle.buffer instanceof SharedArrayBuffer)) {
    throw new SyncError(`sync: ${kind}.from expects a ${kind} handle, got ${describe(handle)}`);
  }
  if (handle.buffer.byteLength < ints * 4) throw new SyncError(`sync: ${kind} handle buffer is too small`);
  return new Int32Array(handle.buffer);
}

function describe(value: unknown): string {
  if (value && typeof value === 'object' && 'kind' in value) return `a ${String(value.kind)} handle`;
  return value === null ? 'null' : typeof value;
}

/** Milliseconds left until `deadline`, or Infinity. */
function remaining(deadline: number): number {
  return deadline === Infinity ? Infinity : Math.max(0, deadline - now());
}

function deadlineOf(timeoutMs: number | undefined): number {
  if (timeoutMs === undefined || timeoutMs === Infinity) return Infinity;
  if (!(timeoutMs >= 0))
    throw new RangeError(`sync: timeout must be a non-negative number of ms, got ${timeoutMs}`);
  return now() + timeoutMs;
}

function now(): number {
  return performance.now();
}

type WaitResult = 'ok' | 'not-equal' | 'timed-out';

/**
 * Asynchronously wait until `cell[index]` may have changed from `expected` (or timeout). Uses
 * `Atomics.waitAsync` where available; otherwise polls with growing `setTimeout` delays (1 → 8 ms).
 * Never calls `Atomics.wait`.
 */
function waitCellAsync(
  cell: Int32Array,
  index: number,
  expected: number,
  timeoutMs: number,
): Promise<WaitResult> {
  const waitAsync = (Atomics as { waitAsync?: typeof Atomics.waitAsync }).waitAsync;
  if (typeof waitAsync === 'function') {
    const r = waitAsync(cell, index, expected, timeoutMs);
    return r.async ? r.value : Promise.resolve(r.value);
  }
  return new Promise((resolve) => {
    const start = now();
    let delay = 1;
    const poll = (): void => {
      if (Atomics.load(cell, index) !== expected) return resolve('ok');
      if (now() - start >= timeoutMs) return resolve('timed-out');
      setTimeout(poll, Math.min(delay, Math.max(0, timeoutMs - (now() - start))));
      delay = Math.min(delay * 2, 8);
    };
    poll();
  });
}

/** A new object's trace name id, stored in its buffer at `index` so every thread sees it. */
function nameCell(cell: Int32Array, index: number): void {
  cell[index] = (randomId() & 0xffff) | 0x1000;
}

/** Trace names, made once per object in this thread. */
const traceNames = new WeakMap<Int32Array, string>();

/** Reports a lock operation to the tracer (call only when `tracer` is set). */
function traced(what: LockRecord['what'], cell: Int32Array, index: number, op: LockRecord['op']): void {
  let lock = traceNames.get(cell);
  if (lock === undefined) {
    lock = `${what} ${(cell.length > index ? (cell[index] as number) : 0).toString(16)}`;
    traceNames.set(cell, lock);
  }
  tracer?.({ type: 'lock', what, lock, op });
}

// ---------------------------------------------------------------------------------------------
// Mutex

const STATE = 0; // 0 unlocked, 1 locked, 2 locked and someone may be waiting
const OWNER = 1; // threadId of the holder, 0 when unlocked
const NAME = 2; // trace name id (absent in 2-int buffers made by other code: the name is then 0)

/**
 * A mutual-exclusion lock shared between threads (Drepper's three-state futex mutex).
 *
 * ```ts
 * const m = new Mutex();
 * worker.postMessage(m.handle);            // in the worker: const m = Mutex.from(handle)
 * m.lock(); try { ...critical section... } finally { m.unlock(); }   // in a worker
 * await m.lockAsync(); try { ... } finally { m.unlock(); }          // on the main thread
 * ```
 */
export class Mutex {
  /** Cloneable description; pass it to {@link Mutex.from} in another thread. */
  readonly handle: MutexHandle;
  readonly #cell: Int32Array;

  constructor(handle?: MutexHandle) {
    this.handle = handle ?? { kind: 'Mutex', buffer: newBuffer(3) };
    this.#cell = checkHandle(this.handle, 'Mutex', 2);
    if (!handle) nameCell(this.#cell, NAME);
  }

  /** Rebuild a Mutex from a handle received with `postMessage`; it shares state with the original. */
  static from(handle: MutexHandle): Mutex {
    return new Mutex(handle);
  }

  /** Whether some thread holds the lock right now (a snapshot; it may change at once). */
  get locked(): boolean {
    return Atomics.load(this.#cell, STATE) !== 0;
  }

  /** Whether this thread holds the lock. */
  get heldByMe(): boolean {
    return this.locked && Atomics.load(this.#cell, OWNER) === THREAD_ID;
  }

  /** Take the lock if it is free; never waits. */
  tryLock(): boolean {
    if (Atomics.compareExchange(this.#cell, STATE, 0, 1) !== 0) return false;
    Atomics.store(this.#cell, OWNER, THREAD_ID);
    if (tracer) traced('Mutex', this.#cell, NAME, 'acquire');
    return true;
  }

  /**
   * Block this thread until the lock is ours (worker threads only).
   * @param timeoutMs give up after this long; omit to wait forever.
   * @returns true when the lock was taken, false on timeout.
   * @throws {SelfDeadlockError} if this thread already holds the lock.
   * @throws {BlockingNotAllowedError} on the browser main thread: use {@link lockAsync}.
   */
  lock(timeoutMs?: number): boolean {
    this.#checkNotMine('lock');
    // Refuse even when the lock is free: code must not work on the main thread only while uncontended.
    assertCanBlock('Mutex.lock()', 'await mutex.lockAsync()');
    if (this.tryLock()) return true;
    const deadline = deadlineOf(timeoutMs);
    const cell = this.#cell;
    if (tracer) traced('Mutex', cell, NAME, 'wait');
    // Mark "contended" (2) and sleep while it stays contended; whoever unlocks wakes one sleeper.
    while (Atomics.exchange(cell, STATE, 2) !== 0) {
      const left = remaining(deadline);
      if (left <= 0) {
        if (tracer) traced('Mutex', cell, NAME, 'timeout');
        return false;
      }
      Atomics.wait(cell, STATE, 2, left);
    }
    Atomics.store(cell, OWNER, THREAD_ID);
    if (tracer) traced('Mutex', cell, NAME, 'acquire');
    return true;
  }

  /**
   * Wait for the lock without blocking the thread; works on the browser main thread.
   * Unlike {@link lock} it does not treat "this thread already holds it" as a deadlock: on one
   * event loop another async task of the same thread may be about to unlock it.
   * @returns resolves true once the lock is ours, false on timeout.
   */
  async lockAsync(timeoutMs?: number): Promise<boolean> {
    if (this.tryLock()) return true;
    const deadline = deadlineOf(timeoutMs);
    const cell = this.#cell;
    if (tracer) traced('Mutex', cell, NAME, 'wait');
    while (Atomics.exchange(cell, STATE, 2) !== 0) {
      const left = remaining(deadline);
      if (left <= 0) {
        if (tracer) traced('Mutex', cell, NAME, 'timeout');
        return false;
      }
      await waitCellAsync(cell, STATE, 2, left);
    }
    Atomics.store(cell, OWNER, THREAD_ID);
    if (tracer) traced('Mutex', cell, NAME, 'acquire');
    return true;
  }

  /**
   * Release the lock and wake one waiter.
   * @throws {SyncError} "sync: unlock of unlocked mutex", or when another thread holds it.
   */
  unlock(): void {
    const cell = this.#cell;
    if (Atomics.load(cell, STATE) === 0) throw new SyncError('sync: unlock of unlocked mutex');
    const owner = Atomics.load(cell, OWNER);
    if (owner !== THREAD_ID) {
      throw new SyncError(
        `sync: unlock of mutex held by another thread (owner ${owner}, this thread ${THREAD_ID})`,
      );
    }
    Atomics.store(cell, OWNER, 0);
    if (tracer) traced('Mutex', cell, NAME, 'release');
    if (Atomics.sub(cell, STATE, 1) !== 1) {
      // It was 2: someone may sleep on it. Fully release, then wake one.
      Atomics.store(cell, STATE, 0);
      Atomics.notify(cell, STATE, 1);
    }
  }

  /** Run `fn` holding the lock (blocking variant, workers only). */
  withLock<R>(fn: () => R): R {
    this.lock();
    try {
      return fn();
    } finally {
      this.unlock();
    }
  }

  /** Run `fn` holding the lock (async variant, works on the main thread). */
  async withLockAsync<R>(fn: () => R | Promise<R>): Promise<R> {
    await this.lockAsync();
    try {
      return await fn();
    } finally {
      this.unlock();
    }
  }

  #checkNotMine(call: string): void {
    if (this.heldByMe) {
      throw new SelfDeadlockError(
        `sync: ${call} of mutex already locked by this thread: it would wait for itself forever (self-deadlock)`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Semaphore

const COUNT = 0;
const MAX = 1;
const SEM_NAME = 2;

/**
 * A counting semaphore: at most `permits` holders at a time.
 * `release()` beyond `max` permits is an error (it usually means a double release).
 */
export class Semaphore {
  readonly handle: SemaphoreHandle;
  readonly #cell: Int32Array;

  /**
   * @param permits how many `acquire`s may succeed before one must wait (or a handle to share).
   * @param max the most permits there may ever be (default: `permits`); `new Semaphore(0, 1)` is a
   *   one-shot signal that one thread releases and another acquires.
   */
  constructor(permits: number | SemaphoreHandle, max?: number) {
    if (typeof permits === 'number') {
      const limit = max ?? permits;
      if (!Number.isInteger(permits) || permits < 0 || !Number.isInteger(limit) || limit < permits) {
        throw new RangeError(
          `sync: Semaphore needs integers 0 <= permits <= max, got permits ${permits}, max ${limit}`,
        );
      }
      this.handle = { kind: 'Semaphore', buffer: newBuffer(3) };
      this.#cell = new Int32Array(this.handle.buffer);
      this.#cell[COUNT] = permits;
      this.#cell[MAX] = limit;
      nameCell(this.#cell, SEM_NAME);
    } else {
      this.handle = permits;
      this.#cell = checkHandle(permits, 'Semaphore', 2);
    }
  }

  static from(handle: SemaphoreHandle): Semaphore {
    return new Semaphore(handle);
  }

  /** Permits free right now (a snapshot). */
  get available(): number {
    return Atomics.load(this.#cell, COUNT);
  }

  /** Take a permit if one is free; never waits. */
  tryAcquire(): boolean {
    const cell = this.#cell;
    for (;;) {
      const c = Atomics.load(cell, COUNT);
      if (c <= 0) return false;
      if (Atomics.compareExchange(cell, COUNT, c, c - 1) === c) {
        if (tracer) traced('Semaphore', cell, SEM_NAME, 'acquire');
        return true;
      }
    }
  }

  /**
   * Block until a permit is free (workers only).
   * @returns true when acquired, false on timeout.
   * @throws {BlockingNotAllowedError} on the browser main thread: use {@link acquireAsync}.
   */
  acquire(timeoutMs?: number): boolean {
    assertCanBlock('Semaphore.acquire()', 'await semaphore.acquireAsync()');
    if (this.tryAcquire()) return true;
    const deadline = deadlineOf(timeoutMs);
    if (tracer) traced('Semaphore', this.#cell, SEM_NAME, 'wait');
    while (!this.tryAcquire()) {
      const left = remaining(deadline);
      if (left <= 0) {
        if (tracer) traced('Semaphore', this.#cell, SEM_NAME, 'timeout');
        return false;
      }
      Atomics.wait(this.#cell, COUNT, 0, left);
    }
    return true;
  }

  /** Wait for a permit without blocking the thread. Resolves true when acquired, false on timeout. */
  async acquireAsync(timeoutMs?: number): Promise<boolean> {
    const deadline = deadlineOf(timeoutMs);
    if (this.tryAcquire()) return true;
    if (tracer) traced('Semaphore', this.#cell, SEM_NAME, 'wait');
    while (!this.tryAcquire()) {
      const left = remaining(deadline);
      if (left <= 0) {
        if (tracer) traced('Semaphore', this.#cell, SEM_NAME, 'timeout');
        return false;
      }
      await waitCellAsync(this.#cell, COUNT, 0, left);
    }
    return true;
  }

  /**
   * Give a permit back and wake one waiter.
   * @throws {SyncError} "sync: semaphore released more than acquired".
   */
  release(): void {
    const cell = this.#cell;
    const max = Atomics.load(cell, MAX);
    for (;;) {
      const c = Atomics.load(cell, COUNT);
      if (c >= max) throw new SyncError('sync: semaphore released more than acquired');
      if (Atomics.compareExchange(cell, COUNT, c, c + 1) === c) break;
    }
    if (tracer) traced('Semaphore', cell, SEM_NAME, 'release');
    Atomics.notify(cell, COUNT, 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Condition

const SEQ = 0;
const COND_NAME = 1;

/**
 * A condition variable bound to a {@link Mutex} (like Go's `sync.Cond`, Python's
 * `threading.Condition`). Always wait in a loop that re-checks your predicate: wake-ups may be
 * spurious, and another thread may have changed the state before you re-took the lock.
 *
 * ```ts
 * mutex.lock();
 * while (queue.length === 0) cond.wait();
 * ...
 * mutex.unlock();
 * ```
 */
export class Condition {
  readonly handle: ConditionHandle;
  /** The mutex every waiter must hold. */
  readonly mutex: Mutex;
  readonly #cell: Int32Array;

  /** @param mutex the lock that guards the shared state (or a handle to share). */
  constructor(mutex: Mutex | ConditionHandle) {
    if (mutex instanceof Mutex) {
      this.mutex = mutex;
      this.handle = { kind: 'Condition', buffer: newBuffer(2), mutex: mutex.handle };
      this.#cell = new Int32Array(this.handle.buffer);
      nameCell(this.#cell, COND_NAME);
    } else {
      this.#cell = checkHandle(mutex, 'Condition', 1);
      this.handle = mutex;
      this.mutex = Mutex.from(mutex.mutex);
    }
  }

  static from(handle: ConditionHandle): Condition {
    return new Condition(handle);
  }

  /**
   * Atomically release the mutex and sleep until signalled, then re-take the mutex (workers only).
   * @returns false if the timeout passed first (the mutex is held again either way).
   * @throws {SyncError} if this thread does not hold the mutex.
   * @throws {RangeError} if `timeoutMs` is negative or NaN (the mutex stays held).
   */
  wait(timeoutMs?: number): boolean {
    this.#checkHeld('wait');
    assertCanBlock('Condition.wait()', 'await condition.waitAsync()');
    // Checked before the mutex is released; Atomics.wait itself would read NaN as "forever".
    const deadline = deadlineOf(timeoutMs);
    const seq = Atomics.load(this.#cell, SEQ);
    this.mutex.unlock();
    if (tracer) traced('Condition', this.#cell, COND_NAME, 'wait');
    const r = Atomics.wait(this.#cell, SEQ, seq, remaining(deadline));
    if (tracer) traced('Condition', this.#cell, COND_NAME, r === 'timed-out' ? 'timeout' : 'acquire');
    this.mutex.lock();
    return r !== 'timed-out';
  }

  /** Like {@link wait} without blocking the thread; works on the main thread. */
  async waitAsync(timeoutMs?: number): Promise<boolean> {
    this.#checkHeld('waitAsync');
    const deadline = deadlineOf(timeoutMs);
    const seq = Atomics.load(this.#cell, SEQ);
    this.mutex.unlock();
    if (tracer) traced('Condition', this.#cell, COND_NAME, 'wait');
    const r = await waitCellAsync(this.#cell, SEQ, seq, remaining(deadline));
    if (tracer) traced('Condition', this.#cell, COND_NAME, r === 'timed-out' ? 'timeout' : 'acquire');
    await this.mutex.lockAsync();
    return r !== 'timed-out';
  }

  /** Wake one waiter. Holding the mutex while signalling is allowed and usually clearest. */
  signal(): void {
    Atomics.add(this.#cell, SEQ, 1);
    Atomics.notify(this.#cell, SEQ, 1);
  }

  /** Wake every waiter. */
  broadcast(): void {
    Atomics.add(this.#cell, SEQ, 1);
    Atomics.notify(this.#cell, SEQ);
  }

  #checkHeld(call: string): void {
    if (!this.mutex.heldByMe) throw new SyncError(`sync: Condition.${call} without holding its mutex`);
  }
}

// ---------------------------------------------------------------------------------------------
// WaitGroup

const WG_NAME = 1;

/**
 * Wait for a collection of tasks to finish (Go's `sync.WaitGroup`): `add(n)` before starting
 * them, each calls `done()`, and `wait()` returns when the counter reaches zero.
 */
export class WaitGroup {
  readonly handle: WaitGroupHandle;
  readonly #cell: Int32Array;

  constructor(handle?: WaitGroupHandle) {
    this.handle = handle ?? { kind: 'WaitGroup', buffer: newBuffer(2) };
    this.#cell = checkHandle(this.handle, 'WaitGroup', 1);
    if (!handle) nameCell(this.#cell, WG_NAME);
  }

  static from(handle: WaitGroupHandle): WaitGroup {
    return new WaitGroup(handle);
  }

  /** The counter right now (a snapshot). */
  get count(): number {
    return Atomics.load(this.#cell, COUNT);
  }

  /**
   * Add `delta` (may be negative) to the counter; at zero, every waiter wakes.
   * @throws {SyncError} "sync: negative WaitGroup counter" (the counter is left unchanged).
   */
  add(delta = 1): void {
    const cell = this.#cell;
    for (;;) {
      const c = Atomics.load(cell, COUNT);
      const next = c + delta;
      if (next < 0) throw new SyncError('sync: negative WaitGroup counter');
      if (Atomics.compareExchange(cell, COUNT, c, next) !== c) continue;
      if (next === 0) Atomics.notify(cell, COUNT);
      return;
    }
  }

  /** `add(-1)`. */
  done(): void {
    this.add(-1);
  }

  /**
   * Block until the counter is zero (workers only).
   * @returns false on timeout.
   * @throws {BlockingNotAllowedError} on the browser main thread: use {@link waitAsync}.
   */
  wait(timeoutMs?: number): boolean {
    assertCanBlock('WaitGroup.wait()', 'await waitGroup.waitAsync()');
    const deadline = deadlineOf(timeoutMs);
    let waited = false;
    for (;;) {
      const c = Atomics.load(this.#cell, COUNT);
      if (c === 0) {
        if (waited && tracer) traced('WaitGroup', this.#cell, WG_NAME, 'acquire');
        return true;
      }
      const left = remaining(deadline);
      if (left <= 0) {
        if (waited && tracer) traced('WaitGroup', this.#cell, WG_NAME, 'timeout');
        return false;
      }
      if (!waited && tracer) traced('WaitGroup', this.#cell, WG_NAME, 'wait');
      waited = true;
      Atomics.wait(this.#cell, COUNT, c, left);
    }
  }

  /** Wait for zero without blocking the thread. Resolves false on timeout. */
  async waitAsync(timeoutMs?: number): Promise<boolean> {
    const deadline = deadlineOf(timeoutMs);
    let waited = false;
    for (;;) {
      const c = Atomics.load(this.#cell, COUNT);
      if (c === 0) {
        if (waited && tracer) traced('WaitGroup', this.#cell, WG_NAME, 'acquire');
        return true;
      }
      const left = remaining(deadline);
      if (left <= 0) {
        if (waited && tracer) traced('WaitGroup', this.#cell, WG_NAME, 'timeout');
        return false;
      }
      if (!waited && tracer) traced('WaitGroup', this.#cell, WG_NAME, 'wait');
      waited = true;
      await waitCellAsync(this.#cell, COUNT, c, left);
    }
  }
}

/** Rebuild any sync object from its handle (handy in a worker that receives several kinds). */
export function fromHandle(handle: MutexHandle): Mutex;
export function fromHandle(handle: SemaphoreHandle): Semaphore;
export function fromHandle(handle: ConditionHandle): Condition;
export function fromHandle(handle: WaitGroupHandle): WaitGroup;
export function fromHandle(handle: SyncHandle): Mutex | Semaphore | Condition | WaitGroup;
export function fromHandle(handle: SyncHandle): Mutex | Semaphore | Condition | WaitGroup {
  switch (handle?.kind) {
    case 'Mutex':
      return Mutex.from(handle);
    case 'Semaphore':
      return Semaphore.from(handle);
    case 'Condition':
      return Condition.from(handle);
    case 'WaitGroup':
      return WaitGroup.from(handle);
    default:
      throw new SyncError(`sync: fromHandle expects a sync handle, got ${describe(handle)}`);
  }
}
