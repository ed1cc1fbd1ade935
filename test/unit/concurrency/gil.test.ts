/**
 * gil.ts. The model is deterministic, so exact outcomes for given seeds and intervals are
 * asserted; the real-worker variant only asserts what must hold (mutual exclusion, same work).
 */
import { describe, expect, it } from 'vitest';
import {
  GilProgramError,
  cpuProgram,
  formatTrace,
  incrementProgram,
  ioProgram,
  lockedIncrementProgram,
  nativeProgram,
  runGil,
  runLockedWork,
} from '../../../src/concurrency/gil.ts';
import type { Program } from '../../../src/concurrency/gil.ts';
import { nodeSpawn } from '../../../src/concurrency/node.ts';

const times = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make);

describe('runGil: x += 1 under a GIL', () => {
  it('loses updates when a switch falls between LOAD and STORE (the GIL does not make x += 1 atomic)', () => {
    const r = runGil(
      times(2, () => incrementProgram(1000)),
      { switchInterval: 5 },
    );
    expect(r.vars['x']).toBe(1200);
    // Lost updates are exactly stores that overwrote a value another thread had stored since the load.
    const stores = r.trace.filter((e) => e.type === 'store');
    expect(stores).toHaveLength(2000);
  });

  it('never exceeds the expected total, whatever the interval and seed', () => {
    for (const switchInterval of [1, 2, 3, 4, 5, 7, 50]) {
      for (const seed of [1, 2, 3]) {
        const r = runGil(
          times(3, () => incrementProgram(200)),
          { switchInterval, seed, jitter: 2 },
        );
        expect(r.vars['x']).toBeLessThanOrEqual(600);
        expect(r.vars['x']).toBeGreaterThanOrEqual(200);
      }
    }
  });

  it('loses nothing when every switch happens to fall between whole increments', () => {
    // 3 steps per increment and a switch every 3 steps: each thread always stops after a STORE.
    expect(
      runGil(
        times(2, () => incrementProgram(1000)),
        { switchInterval: 3 },
      ).vars['x'],
    ).toBe(2000);
  });

  it('depends on the scheduler: different seeds, different results, each reproducible', () => {
    const run = (seed: number): number =>
      runGil(
        times(3, () => incrementProgram(1000)),
        { switchInterval: 3, jitter: 2, seed },
      ).vars['x'] as number;
    expect([1, 2, 3].map(run)).toEqual([1237, 1197, 1235]);
    expect(run(2)).toBe(run(2));
  });

  it('a user-level lock fixes it, at the cost of more switching', () => {
    for (const seed of [1, 2, 3]) {
      const r = runGil(
        times(3, () => lockedIncrementProgram(300)),
        { switchInterval: 5, jitter: 3, seed },
      );
      expect(r.vars['x']).toBe(900);
      expect(r.deadlock).toBe(false);
    }
    const r = runGil(
      times(2, () => lockedIncrementProgram(10)),
      { switchInterval: 3 },
    );
    expect(r.trace.some((e) => e.type === 'lock-wait')).toBe(true);
    expect(r.trace.some((e) => e.type === 'lock-handoff')).toBe(true);
  });

  it('one thread holds the GIL at a time, and it is the only one running', () => {
    const r = runGil(
      times(3, () => incrementProgram(50)),
      { switchInterval: 4, seed: 9 },
    );
    expect(r.holders).toHaveLength(r.ticks);
    r.running.forEach((ran, tick) => {
      expect(ran.length).toBeLessThanOrEqual(1);
      if (ran.length === 1) expect(ran[0]).toBe(r.holders[tick]);
    });
  });
});

describe('runGil: what threads speed up under a GIL', () => {
  it('CPU-bound work: no speedup (ticks = sum of the work)', () => {
    expect(runGil([cpuProgram(100)]).ticks).toBe(100);
    expect(runGil(times(4, () => cpuProgram(100))).ticks).toBe(400);
  });

  it('free-threaded (no GIL) with enough cores: CPU work runs in parallel', () => {
    expect(
      runGil(
        times(4, () => cpuProgram(100)),
        { gil: false },
      ).ticks,
    ).toBe(100);
    // 2 cores for 4 threads: at best 400 / 2 ticks (random picks leave a little imbalance).
    const twoCores = runGil(
      times(4, () => cpuProgram(100)),
      { gil: false, cores: 2 },
    ).ticks;
    expect(twoCores).toBeGreaterThanOrEqual(200);
    expect(twoCores).toBeLessThan(400);
    // ...and x += 1 is still not atomic.
    expect(
      runGil(
        times(2, () => incrementProgram(500)),
        { gil: false, seed: 4 },
      ).vars['x'],
    ).toBeLessThanOrEqual(1000);
  });

  it('I/O-bound work: waits overlap (ticks ≈ the longest thread, not the sum)', () => {
    const one = runGil([ioProgram(5, 20)]).ticks;
    const four = runGil(times(4, () => ioProgram(5, 20))).ticks;
    expect(one).toBe(110);
    expect(four).toBe(116);
    expect(four).toBeLessThan(2 * one);
  });

  it('C code that releases the GIL overlaps too', () => {
    expect(runGil([nativeProgram(100)]).ticks).toBe(102);
    expect(runGil(times(4, () => nativeProgram(100))).ticks).toBe(108);
  });
});

describe('runGil: programs and traces', () => {
  it('detects a lock-order deadlock instead of looping', () => {
    const a: Program = [
      { op: 'LOCK', name: 'a' },
      { op: 'IO', ticks: 2 },
      { op: 'LOCK', name: 'b' },
    ];
    const b: Program = [
      { op: 'LOCK', name: 'b' },
      { op: 'IO', ticks: 2 },
      { op: 'LOCK', name: 'a' },
    ];
    const r = runGil([a, b]);
    expect(r.deadlock).toBe(true);
    expect(r.trace.at(-1)).toMatchObject({ type: 'deadlock', threads: [0, 1] });
  });

  it('reports misuse of user locks', () => {
    expect(() => runGil([[{ op: 'UNLOCK', name: 'm' }]])).toThrow(GilProgramError);
    expect(() =>
      runGil([
        [
          { op: 'LOCK', name: 'm' },
          { op: 'LOCK', name: 'm' },
        ],
      ]),
    ).toThrow('already holds');
  });

  it('formats a readable, exact trace', () => {
    const lines = formatTrace(
      runGil(
        times(2, () => incrementProgram(1)),
        { switchInterval: 2 },
      ).trace,
    );
    expect(lines.slice(0, 6)).toEqual([
      't0 T1 takes the GIL',
      't0 T1 LOAD x → 0',
      't1 T1 ADD 1 → 1',
      't2 T1 drops the GIL (switch)',
      't2 T0 takes the GIL',
      't2 T0 LOAD x → 0',
    ]);
  });

  it('stops at maxTicks', () => {
    const r = runGil([cpuProgram(1000)], { maxTicks: 10 });
    expect(r.truncated).toBe(true);
    expect(r.ticks).toBe(10);
  });
});

describe('runLockedWork (real worker threads)', () => {
  it('with one shared lock, at most one chunk ever computes at a time; same work either way', async () => {
    const locked = await runLockedWork({
      workers: 3,
      chunks: 9,
      iterations: 200_000,
      withLock: true,
      spawn: nodeSpawn,
    });
    const free = await runLockedWork({
      workers: 3,
      chunks: 9,
      iterations: 200_000,
      withLock: false,
      spawn: nodeSpawn,
    });
    expect(locked.maxConcurrent).toBe(1);
    expect(free.maxConcurrent).toBeGreaterThanOrEqual(1);
    expect(free.maxConcurrent).toBeLessThanOrEqual(3);
    expect(locked.checksum).toBe(free.checksum);
    expect(locked.chunks.map((c) => c.chunk)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const c of locked.chunks) expect(c.end).toBeGreaterThanOrEqual(c.start);
  });
});
