/**
 * sync.ts across real threads (Node worker_threads). Node allows Atomics.wait on its main thread,
 * so the blocking variants can also be exercised here; the browser-only rule (main thread must
 * not block) is tested in test/browser/concurrency.
 */
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BlockingNotAllowedError,
  Condition,
  Mutex,
  SelfDeadlockError,
  Semaphore,
  SyncError,
  WaitGroup,
  canBlock,
  fromHandle,
  threadId,
} from '../../../src/concurrency/sync.ts';

const fixture = new URL('./fixtures/sync-worker.ts', import.meta.url);
const started: Worker[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.terminate()));
});

interface Outcome {
  result?: unknown;
  error?: { name: string; message: string };
}

/** Start the fixture; `ready` resolves on its first plain-string message, `done` on its outcome. */
function start(data: Record<string, unknown>): { ready: Promise<void>; done: Promise<Outcome> } {
  const worker = new Worker(fixture, { workerData: data });
  started.push(worker);
  let onReady!: () => void;
  const ready = new Promise<void>((r) => (onReady = r));
  const done = new Promise<Outcome>((resolve, reject) => {
    worker.on('message', (m: unknown) => (typeof m === 'string' ? onReady() : resolve(m as Outcome)));
    worker.on('error', reject);
  });
  return { ready, done };
}

describe('Mutex', () => {
  it('makes a non-atomic read-modify-write safe across 4 threads', async () => {
    const mutex = new Mutex();
    const shared = new SharedArrayBuffer(16);
    const runs = Array.from(
      { length: 4 },
      () => start({ scenario: 'locked-increment', mutex: mutex.handle, shared, n: 20_000 }).done,
    );
    expect(await Promise.all(runs)).toEqual(Array(4).fill({ result: 'ok' }));
    expect(new Int32Array(shared)[0]).toBe(80_000);
    expect(mutex.locked).toBe(false);
  });

  it('handles survive structured cloning and rebuild the same lock', () => {
    const mutex = new Mutex();
    const copy = Mutex.from(structuredClone(mutex.handle));
    expect(copy.tryLock()).toBe(true);
    expect(mutex.locked).toBe(true);
    expect(mutex.heldByMe).toBe(true);
    mutex.unlock();
    expect(copy.locked).toBe(false);
  });

  it('reports unlock of an unlocked mutex like Go', () => {
    const mutex = new Mutex();
    expect(() => mutex.unlock()).toThrow(new SyncError('sync: unlock of unlocked mutex'));
    expect(() => mutex.unlock()).toThrow(SyncError);
  });

  it('detects a self-deadlock instead of hanging', () => {
    const mutex = new Mutex();
    mutex.lock();
    expect(() => mutex.lock()).toThrow(SelfDeadlockError);
    expect(() => mutex.lock()).toThrow(/already locked by this thread.*self-deadlock/);
    mutex.unlock();
  });

  it('refuses an unlock from a thread that does not hold it', async () => {
    const mutex = new Mutex();
    mutex.lock();
    const { done } = start({ scenario: 'unlock', mutex: mutex.handle });
    expect((await done).error).toMatchObject({
      name: 'SyncError',
      message: expect.stringMatching(/held by another thread/),
    });
    expect(mutex.heldByMe).toBe(true);
    mutex.unlock();
  });

  it('lock(timeout) returns false while another thread holds it, true once free', async () => {
    const mutex = new Mutex();
    const shared = new SharedArrayBuffer(16);
    const holder = start({ scenario: 'hold', mutex: mutex.handle, shared });
    await holder.ready;
    expect(mutex.lock(20)).toBe(false);
    expect(await mutex.lockAsync(20)).toBe(false);
    expect(mutex.tryLock()).toBe(false);
    Atomics.store(new Int32Array(shared), 1, 1);
    Atomics.notify(new Int32Array(shared), 1);
    expect(mutex.lock()).toBe(true);
    expect(mutex.heldByMe).toBe(true);
    mutex.unlock();
    expect(await holder.done).toEqual({ result: 'released' });
  });

  it('lockAsync waits for a worker to release, without blocking this event loop', async () => {
    const mutex = new Mutex();
    const shared = new SharedArrayBuffer(16);
    const holder = start({ scenario: 'hold', mutex: mutex.handle, shared });
    await holder.ready;
    let acquired = false;
    const pending = mutex.lockAsync().then((ok) => (acquired = ok));
    await new Promise((r) => setTimeout(r, 10));
    expect(acquired).toBe(false); // the loop kept running while we waited
    Atomics.store(new Int32Array(shared), 1, 1);
    Atomics.notify(new Int32Array(shared), 1);
    await pending;
    expect(acquired).toBe(true);
    mutex.unlock();
  });

  it('a worker times out on a lock this thread holds', async () => {
    const mutex = new Mutex();
    mutex.lock();
    expect(await start({ scenario: 'lock-timeout', mutex: mutex.handle, ms: 10 }).done).toEqual({
      result: false,
    });
    mutex.unlock();
    expect(await start({ scenario: 'lock-timeout', mutex: mutex.handle, ms: 1000 }).done).toEqual({
      result: true,
    });
  });

  it('lockAsync falls back to polling when Atomics.waitAsync is missing', async () => {
    const original = Atomics.waitAsync;
    Reflect.deleteProperty(Atomics, 'waitAsync');
    try {
      expect(typeof (Atomics as { waitAsync?: unknown }).waitAsync).toBe('undefined');
      const mutex = new Mutex();
      const shared = new SharedArrayBuffer(16);
      const holder = start({ scenario: 'hold', mutex: mutex.handle, shared });
      await holder.ready;
      expect(await mutex.lockAsync(5)).toBe(false);
      const pending = mutex.lockAsync();
      Atomics.store(new Int32Array(shared), 1, 1);
      Atomics.notify(new Int32Array(shared), 1);
      expect(await pending).toBe(true);
      mutex.unlock();
    } finally {
      Object.defineProperty(Atomics, 'waitAsync', { value: original, writable: true, configurable: true });
    }
  });

  it('two async tasks on one thread take turns (not a self-deadlock)', async () => {
    const mutex = new Mutex();
    const order: string[] = [];
    const task = async (name: string): Promise<void> => {
      await mutex.withLockAsync(async () => {
        order.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 5));
        order.push(`${name} out`);
      });
    };
    await Promise.all([task('a'), task('b')]);
    expect(order).toEqual(['a in', 'a out', 'b in', 'b out']);
  });
});

describe('Semaphore', () => {
  it('never lets more than `permits` threads in', async () => {
    const sem = new Semaphore(2);
    const shared = new SharedArrayBuffer(16);
    const runs = Array.from(
      { length: 4 },
      () => start({ scenario: 'semaphore', sem: sem.handle, shared, n: 300 }).done,
    );
    await Promise.all(runs);
    const cells = new Int32Array(shared);
    expect(cells[1]).toBeGreaterThanOrEqual(1);
    expect(cells[1]).toBeLessThanOrEqual(2);
    expect(sem.available).toBe(2);
  });

  it('acquire times out, and over-release is an error', async () => {
    const sem = new Semaphore(1);
    expect(sem.acquire()).toBe(true);
    expect(sem.acquire(5)).toBe(false);
    expect(await sem.acquireAsync(5)).toBe(false);
    sem.release();
    expect(() => sem.release()).toThrow('sync: semaphore released more than acquired');
    const signal = new Semaphore(0, 1);
    expect(signal.tryAcquire()).toBe(false);
    signal.release();
    expect(signal.tryAcquire()).toBe(true);
    expect(() => new Semaphore(2, 1)).toThrow(RangeError);
  });
});

describe('Condition', () => {
  it('hands items from a producer to a consumer thread without losing any', async () => {
    const cond = new Condition(new Mutex());
    const shared = new SharedArrayBuffer(16);
    const cells = new Int32Array(shared);
    const consumer = start({ scenario: 'consumer', cond: cond.handle, shared, n: 50 }).done;
    for (let i = 0; i < 50; i++) {
      await cond.mutex.lockAsync();
      cells[0] = cells[0]! + 1;
      cond.signal();
      cond.mutex.unlock();
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    expect(await consumer).toEqual({ result: 'ok' });
    expect(cells[1]).toBe(50);
    expect(cells[0]).toBe(0);
  });

  it('wait without the mutex is an error; wait(timeout) re-takes the mutex', async () => {
    const cond = new Condition(new Mutex());
    expect(() => cond.wait()).toThrow('sync: Condition.wait without holding its mutex');
    cond.mutex.lock();
    expect(cond.wait(5)).toBe(false);
    expect(cond.mutex.heldByMe).toBe(true);
    expect(await cond.waitAsync(5)).toBe(false);
    expect(cond.mutex.heldByMe).toBe(true);
    cond.mutex.unlock();
    const copy = fromHandle(structuredClone(cond.handle));
    expect(copy).toBeInstanceOf(Condition);
  });

  it('a bad timeout is a RangeError, as for lock(), and the mutex stays held', async () => {
    const cond = new Condition(new Mutex());
    cond.mutex.lock();
    // Atomics.wait would treat -1 as 0 (a silent timeout) and NaN as forever (a hang).
    expect(() => cond.wait(-1)).toThrow(RangeError);
    expect(() => cond.wait(NaN)).toThrow('sync: timeout must be a non-negative number of ms, got NaN');
    await expect(cond.waitAsync(-1)).rejects.toThrow(RangeError);
    await expect(cond.waitAsync(NaN)).rejects.toThrow(RangeError);
    expect(cond.mutex.heldByMe).toBe(true);
    cond.mutex.unlock();
  });
});

describe('WaitGroup', () => {
  it('wait returns once every worker called done', async () => {
    const wg = new WaitGroup();
    const shared = new SharedArrayBuffer(16);
    wg.add(3);
    for (let i = 0; i < 3; i++) start({ scenario: 'wg-done', wg: wg.handle, shared });
    expect(await wg.waitAsync()).toBe(true);
    expect(new Int32Array(shared)[0]).toBe(3);
    expect(wg.wait()).toBe(true);
  });

  it('times out, and a negative counter is an error like Go', () => {
    const wg = new WaitGroup();
    wg.add(1);
    expect(wg.wait(5)).toBe(false);
    wg.done();
    expect(() => wg.done()).toThrow('sync: negative WaitGroup counter');
    expect(wg.count).toBe(0);
  });
});

describe('threads and handles', () => {
  it('Node lets its main thread block; ids are non-zero', () => {
    expect(canBlock()).toBe(true);
    expect(threadId()).not.toBe(0);
    expect(BlockingNotAllowedError.prototype).toBeInstanceOf(SyncError);
  });

  it('from() rejects a handle of the wrong kind', () => {
    const wg = new WaitGroup();
    expect(() => Mutex.from(wg.handle as never)).toThrow(
      'sync: Mutex.from expects a Mutex handle, got a WaitGroup handle',
    );
    expect(() => fromHandle({ kind: 'Nope' } as never)).toThrow(SyncError);
  });
});
