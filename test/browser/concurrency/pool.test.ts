/** pool.ts with its default spawn: real Blob-URL Web Workers in a cross-origin isolated page. */
import { afterEach, describe, expect, it } from 'vitest';
import { createPool } from '../../../src/concurrency/pool.ts';
import type { Pool } from '../../../src/concurrency/pool.ts';
import { runLockedWork } from '../../../src/concurrency/gil.ts';
import { DEADLOCK_MESSAGE, chan, runMain } from '../../../src/concurrency/csp.ts';

const pools: Pool[] = [];
afterEach(() => {
  for (const p of pools.splice(0)) p.terminate();
});
function pool(size: number): Pool {
  const p = createPool({ size });
  pools.push(p);
  return p;
}

describe('pool with Blob-URL Web Workers', () => {
  it('defaults to one worker per core', () => {
    expect(pool(1).size).toBe(1);
    const p = createPool();
    pools.push(p);
    expect(p.size).toBe(navigator.hardwareConcurrency || 4);
  });

  it('maps in order, in workers that are not the page', async () => {
    const p = pool(2);
    const inputs = Array.from({ length: 50 }, (_, i) => i);
    expect(await p.map((x: number) => x * 3, inputs, { chunkSize: 4 })).toEqual(inputs.map((x) => x * 3));
    const where = await p.map(() => typeof (globalThis as { document?: unknown }).document, [1, 2]);
    expect(where).toEqual(['undefined', 'undefined']);
  });

  it('Blob workers of an isolated page are isolated too: shared memory works inside', async () => {
    const p = pool(2);
    const shared = new SharedArrayBuffer(4);
    const flags = await p.map(
      (buffer: SharedArrayBuffer) => {
        Atomics.add(new Int32Array(buffer), 0, 1);
        return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
      },
      [shared, shared, shared],
      { chunkSize: 1 },
    );
    expect(flags).toEqual([true, true, true]);
    expect(new Int32Array(shared)[0]).toBe(3);
  });

  it('rebuilds task errors, then keeps working', async () => {
    const p = pool(1);
    const failing = p.map(() => {
      throw new TypeError('boom in a worker');
    }, [1]);
    await expect(failing).rejects.toThrow(TypeError);
    await expect(failing).rejects.toThrow('boom in a worker');
    expect(await p.map((x: number) => -x, [1])).toEqual([-1]);
  });

  it('abort stops an endless task by terminating its worker; the pool recovers', async () => {
    const p = pool(1);
    const controller = new AbortController();
    const run = p.map(
      () => {
        for (;;);
      },
      [1],
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 20);
    await expect(run).rejects.toThrow(/abort/i);
    expect(await p.map((x: number) => x + 1, [1])).toEqual([2]);
  });

  it('transfers buffers and records per-chunk timings', async () => {
    const p = pool(2);
    const buffers = [new ArrayBuffer(8), new ArrayBuffer(8)];
    const stats = await p.mapWithStats((b: ArrayBuffer) => b.byteLength, buffers, {
      chunkSize: 1,
      transfer: (b) => [b],
    });
    expect(stats.results).toEqual([8, 8]);
    expect(buffers[0]!.byteLength).toBe(0);
    expect(stats.tasks).toHaveLength(2);
    for (const t of stats.tasks) expect(t.end).toBeGreaterThanOrEqual(t.start);
  });

  it('runLockedWork: with the shared Mutex only one chunk runs at a time', async () => {
    const result = await runLockedWork({ workers: 2, chunks: 6, iterations: 100_000, withLock: true });
    expect(result.maxConcurrent).toBe(1);
    expect(result.chunks).toHaveLength(6);
  });
});

describe('csp in the browser', () => {
  it('reports a deadlock with Go’s message', async () => {
    await expect(runMain(async () => void (await chan<number>().recv()))).rejects.toThrow(DEADLOCK_MESSAGE);
  });
});
