/** What only a browser decides: the main thread must not block; async variants must work there. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  BlockingNotAllowedError,
  Condition,
  Mutex,
  Semaphore,
  WaitGroup,
  canBlock,
} from '../../../src/concurrency/sync.ts';

const workers: Worker[] = [];
afterEach(() => {
  for (const w of workers.splice(0)) w.terminate();
});

function lockWorker(): Worker {
  const w = new Worker(new URL('./fixtures/lock-worker.ts', import.meta.url), { type: 'module' });
  workers.push(w);
  return w;
}

function next(worker: Worker, type: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    worker.addEventListener('message', function on(event: MessageEvent<Record<string, unknown>>) {
      if (event.data['type'] === type) {
        worker.removeEventListener('message', on);
        resolve(event.data);
      }
    });
    worker.addEventListener('error', (e) => reject(new Error(e.message)));
  });
}

describe('sync on the browser main thread', () => {
  it('knows it cannot block here', () => {
    expect(canBlock()).toBe(false);
  });

  it('every blocking call throws a clear error naming its async variant, even when free', () => {
    const mutex = new Mutex();
    expect(() => mutex.lock()).toThrow(BlockingNotAllowedError);
    expect(() => mutex.lock()).toThrow(/Mutex\.lock\(\) would block.*use await mutex\.lockAsync\(\) instead/);
    expect(mutex.locked).toBe(false);
    expect(() => new Semaphore(1).acquire()).toThrow(/use await semaphore\.acquireAsync\(\) instead/);
    expect(() => new WaitGroup().wait()).toThrow(/use await waitGroup\.waitAsync\(\) instead/);
    const cond = new Condition(new Mutex());
    expect(cond.mutex.tryLock()).toBe(true);
    expect(() => cond.wait()).toThrow(/use await condition\.waitAsync\(\) instead/);
    expect(cond.mutex.heldByMe).toBe(true); // the failed wait did not drop the mutex
    // The raw primitive, for comparison: a TypeError that says nothing about what to do.
    expect(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 0)).toThrow(TypeError);
  });

  it('Mutex.lock() on a lock a worker holds throws BlockingNotAllowedError naming lockAsync', async () => {
    const mutex = new Mutex();
    const release = new SharedArrayBuffer(4);
    const w = lockWorker();
    const locked = next(w, 'locked');
    w.postMessage({ mutex: mutex.handle, release });
    expect((await locked)['canBlock']).toBe(true); // workers may block
    expect(() => mutex.lock()).toThrow(BlockingNotAllowedError);
    expect(() => mutex.lock()).toThrow('use await mutex.lockAsync() instead');
    expect(() => mutex.lock(10)).toThrow(BlockingNotAllowedError);
    Atomics.store(new Int32Array(release), 0, 1);
    Atomics.notify(new Int32Array(release), 0);
  });

  it('lockAsync waits for a worker to release the lock, and the page stays responsive', async () => {
    const mutex = new Mutex();
    const release = new SharedArrayBuffer(4);
    const w = lockWorker();
    const locked = next(w, 'locked');
    w.postMessage({ mutex: mutex.handle, release });
    await locked;
    expect(await mutex.lockAsync(20)).toBe(false); // timed out: still held by the worker
    let acquired = false;
    const pending = mutex.lockAsync().then((ok) => (acquired = ok));
    // The main thread keeps running tasks while it waits.
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        ticks++;
        if (ticks < 5) setTimeout(tick, 1);
        else resolve();
      };
      tick();
    });
    expect(acquired).toBe(false);
    const released = next(w, 'released');
    Atomics.store(new Int32Array(release), 0, 1);
    Atomics.notify(new Int32Array(release), 0);
    await pending;
    await released;
    expect(acquired).toBe(true);
    expect(mutex.heldByMe).toBe(true);
    mutex.unlock();
  });
});
