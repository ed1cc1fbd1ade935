/** pool.ts on Node worker_threads (the `spawn` injection point); Blob-URL workers are tested in the browser project. */
import { afterEach, describe, expect, it } from 'vitest';
import { createPool, PoolError, WORKER_SCRIPT } from '../../../src/concurrency/pool.ts';
import type { Pool, Spawn } from '../../../src/concurrency/pool.ts';
import { nodeSpawn } from '../../../src/concurrency/node.ts';

const pools: Pool[] = [];
afterEach(() => {
  for (const p of pools.splice(0)) p.terminate();
});

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );
}

function pool(size: number, spawn: Spawn = nodeSpawn): Pool {
  const p = createPool({ size, spawn });
  pools.push(p);
  return p;
}

describe('createPool (worker_threads)', () => {
  it('maps in input order, whatever the chunking', async () => {
    const p = pool(3);
    const inputs = Array.from({ length: 100 }, (_, i) => i);
    for (const chunkSize of [1, 7, 100, 1000]) {
      expect(await p.map((x: number) => x * x, inputs, { chunkSize })).toEqual(inputs.map((x) => x * x));
    }
    expect(await p.map((x: number, i: number) => `${i}:${x}`, ['a', 'b'] as never[])).toEqual(['0:a', '1:b']);
    expect(await p.map((x: number) => x, [])).toEqual([]);
  });

  it('runs tasks in separate threads that share nothing with the manager', async () => {
    const p = pool(2);
    const marker = 'manager-only';
    (globalThis as Record<string, unknown>)['poolMarker'] = marker;
    const seen = await p.map(() => typeof (globalThis as Record<string, unknown>)['poolMarker'], [1, 2]);
    expect(seen).toEqual(['undefined', 'undefined']);
    // The task runs in the pool's CommonJS worker script, where require is the way to reach Node's API.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ids = await p.map(() => require('node:worker_threads').threadId as number, [1, 2, 3, 4], {
      chunkSize: 1,
    });
    expect(ids.every((id) => id > 0)).toBe(true); // 0 would be the main thread
  });

  it('awaits async task functions', async () => {
    const p = pool(2);
    expect(await p.map(async (x: number) => (await Promise.resolve(x)) + 1, [1, 2, 3])).toEqual([2, 3, 4]);
  });

  it('rejects with the original error name, message and stack, and stays usable', async () => {
    const p = pool(2);
    const failing = p.map(
      (x: number) => {
        if (x === 3) throw new RangeError(`bad input ${x}`);
        return x;
      },
      [1, 2, 3, 4],
      { chunkSize: 1 },
    );
    await expect(failing).rejects.toThrow(RangeError);
    await expect(failing).rejects.toThrow('bad input 3');
    const error = await rejection(failing);
    expect(error.stack).toContain('pool-task.js');
    const custom = await rejection(
      p.map(() => {
        class ParseError extends Error {
          override name = 'ParseError';
        }
        throw new ParseError('nope');
      }, [1]),
    );
    expect(custom).toBeInstanceOf(Error);
    expect(custom.name).toBe('ParseError');
    expect(custom.message).toBe('nope');
    expect(await p.map((x: number) => x * 2, [1, 2])).toEqual([2, 4]);
  });

  it('reports a function that cannot be revived and inputs that cannot be cloned', async () => {
    const p = pool(1);
    const method = {
      twice(x: number) {
        return 2 * x;
      },
    };
    await expect(p.map(method.twice, [1])).rejects.toThrow(SyntaxError);
    await expect(p.map((x: unknown) => x, [() => 1])).rejects.toThrow(/could not be cloned/);
    expect(await p.map((x: number) => x + 1, [1])).toEqual([2]);
  });

  it('survives a crashed worker', async () => {
    const p = pool(1);
    await expect(p.map(() => process.exit(3), [1])).rejects.toThrow('exited with code 3');
    expect(await p.map((x: number) => x + 1, [41])).toEqual([42]);
  });

  it('aborting a map that is only queued rejects it and leaves busy workers alone', async () => {
    const spawned: number[] = [];
    const counting: Spawn = (script, events, index) => {
      spawned.push(index);
      return nodeSpawn(script, events, index);
    };
    const p = pool(2, counting);
    await p.warmUp();
    expect(spawned).toEqual([0, 1]);
    // An endless map takes both workers first (one FIFO queue)...
    const endless = p.map(
      () => {
        for (;;);
      },
      [1, 2],
      { chunkSize: 1 },
    );
    void endless.catch(() => undefined);
    const controller = new AbortController();
    const queued = p.map((x: number) => x, [1, 2], { signal: controller.signal, chunkSize: 1 });
    controller.abort(new Error('stop'));
    await expect(queued).rejects.toThrow('stop');
    expect(spawned).toEqual([0, 1]); // ...and they were not terminated for the queued map's sake
    p.terminate();
    await expect(endless).rejects.toThrow(PoolError);
  });

  it('abort terminates exactly the workers busy with the aborted map', async () => {
    const spawned: number[] = [];
    const counting: Spawn = (script, events, index) => {
      spawned.push(index);
      return nodeSpawn(script, events, index);
    };
    const p = pool(2, counting);
    const controller = new AbortController();
    const run = p.map(
      () => {
        for (;;);
      },
      [1, 2],
      { signal: controller.signal, chunkSize: 1 },
    );
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await expect(run).rejects.toThrow(/abort/i);
    expect(spawned).toEqual([0, 1]);
    expect(await p.map((x: number) => x * 10, [1, 2, 3], { chunkSize: 1 })).toEqual([10, 20, 30]);
    expect(spawned.length).toBe(4); // both respawned lazily, on this map
    await expect(p.map((x: number) => x, [1], { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
  });

  it('transfers input buffers instead of copying them', async () => {
    const p = pool(1);
    const buffers = [new ArrayBuffer(16), new ArrayBuffer(32)];
    const sizes = await p.map((b: ArrayBuffer) => b.byteLength, buffers, { transfer: (b) => [b] });
    expect(sizes).toEqual([16, 32]);
    expect(buffers.map((b) => b.byteLength)).toEqual([0, 0]); // detached: moved, not copied
  });

  it('mapWithStats: one timing per chunk on one clock, covering the whole run', async () => {
    const p = pool(2);
    const stats = await p.mapWithStats(
      (x: number) => x + 1,
      Array.from({ length: 10 }, (_, i) => i),
      { chunkSize: 3 },
    );
    expect(stats.results).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(stats.chunkSize).toBe(3);
    expect(stats.workers).toBe(2);
    expect(stats.tasks.map((t) => t.chunk)).toEqual([0, 1, 2, 3]);
    expect(stats.tasks.map((t) => t.size)).toEqual([3, 3, 3, 1]);
    for (const t of stats.tasks) {
      expect([0, 1]).toContain(t.worker);
      // Same clock in both threads: sent <= start <= end <= received, inside the map's window.
      // (timeOrigin differs per thread but is wall-clock based; allow 1 ms of clock rounding.)
      expect(t.sent).toBeGreaterThanOrEqual(stats.start);
      expect(t.start).toBeGreaterThanOrEqual(t.sent - 1);
      expect(t.end).toBeGreaterThanOrEqual(t.start);
      expect(t.received).toBeGreaterThanOrEqual(t.end - 1);
      expect(t.received).toBeLessThanOrEqual(stats.end);
    }
  });

  it('terminate rejects pending maps and refuses new ones', async () => {
    const p = pool(1);
    const run = p.map(() => {
      for (;;);
    }, [1]);
    p.terminate();
    await expect(run).rejects.toThrow('pool: terminated');
    await expect(p.map((x: number) => x, [1])).rejects.toThrow('pool: terminated');
  });

  it('validates its options', () => {
    expect(() => createPool({ size: 0, spawn: nodeSpawn })).toThrow(RangeError);
    expect(WORKER_SCRIPT).toContain('performance.timeOrigin');
  });
});
