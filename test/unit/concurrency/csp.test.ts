/** csp.ts: Go channel semantics on one event loop, select, WaitGroup, panics, deadlock detection. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEADLOCK_MESSAGE,
  DeadlockError,
  PanicError,
  WaitGroup,
  after,
  chan,
  close,
  go,
  onEvent,
  recv,
  runMain,
  seededRandom,
  select,
  send,
  setSeed,
  sleep,
} from '../../../src/concurrency/csp.ts';
import type { CspEvent } from '../../../src/concurrency/csp.ts';

afterEach(() => setSeed());

describe('channels', () => {
  it('an unbuffered send completes only when a receiver takes the value (rendezvous)', async () => {
    const ch = chan<number>();
    const log: string[] = [];
    const sent = ch.send(1).then(() => log.push('send done'));
    await sleep(5);
    expect(log).toEqual([]); // nobody received yet: the sender is still blocked
    const r = await ch.recv();
    log.push('recv done');
    await sent;
    expect(r).toEqual({ value: 1, ok: true });
    expect(log).toContain('send done');
  });

  it('a buffered channel accepts up to its capacity without a receiver, in FIFO order', async () => {
    const ch = chan<string>(2);
    await ch.send('a');
    await ch.send('b');
    expect(ch.length).toBe(2);
    let third = false;
    const p = ch.send('c').then(() => (third = true));
    await sleep(1);
    expect(third).toBe(false);
    expect((await ch.recv()).value).toBe('a');
    await p;
    expect(third).toBe(true);
    expect((await ch.recv()).value).toBe('b');
    expect((await ch.recv()).value).toBe('c');
  });

  it('close: buffered values drain first, then ok=false; range ends', async () => {
    const ch = chan<number>(3);
    await ch.send(1);
    await ch.send(2);
    ch.close();
    const seen: number[] = [];
    for await (const v of ch) seen.push(v);
    expect(seen).toEqual([1, 2]);
    expect(await ch.recv()).toEqual({ value: undefined, ok: false });
  });

  it('close wakes blocked receivers with ok=false', async () => {
    const ch = chan<number>();
    const r = ch.recv();
    ch.close();
    expect(await r).toEqual({ value: undefined, ok: false });
  });

  it("panics with Go's messages", async () => {
    const ch = chan<number>();
    const blockedSend = ch.send(1);
    ch.close();
    await expect(blockedSend).rejects.toThrow(new PanicError('send on closed channel'));
    await expect(ch.send(2)).rejects.toThrow('send on closed channel');
    expect(() => ch.close()).toThrow('close of closed channel');
    expect(() => close(null)).toThrow('close of nil channel');
    expect(() => close(null)).toThrow(PanicError);
    const wg = new WaitGroup();
    expect(() => wg.done()).toThrow('sync: negative WaitGroup counter');
  });

  it('range over a channel fed by goroutines (fan-in) sees every value once', async () => {
    const out = chan<number>();
    const wg = new WaitGroup();
    for (let w = 0; w < 3; w++) {
      wg.add(1);
      go(async () => {
        for (let i = 0; i < 5; i++) await out.send(w * 10 + i);
        wg.done();
      });
    }
    go(async () => {
      await wg.wait();
      out.close();
    });
    const got: number[] = [];
    for await (const v of out) got.push(v);
    expect(got.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 20, 21, 22, 23, 24]);
  });

  it('go() does not run the goroutine before it returns', async () => {
    const log: string[] = [];
    go(() => log.push('goroutine'));
    log.push('after go');
    await sleep(0);
    expect(log).toEqual(['after go', 'goroutine']);
  });
});

describe('select', () => {
  it('takes the ready case; default when none is ready', async () => {
    const a = chan<number>(1);
    const b = chan<number>(1);
    expect(await select([{ recv: a }, { recv: b }], { default: true })).toMatchObject({ index: -1 });
    await b.send(7);
    expect(await select([{ recv: a }, { recv: b }])).toEqual({ index: 1, value: 7, ok: true });
    expect(await select([{ send: a, value: 3 }, { recv: b }])).toMatchObject({ index: 0 });
    expect((await a.recv()).value).toBe(3);
  });

  it('a nil channel case is never ready', async () => {
    const a = chan<number>(1);
    expect(await select([{ recv: null }, { send: null, value: 1 }], { default: true })).toMatchObject({
      index: -1,
    });
    await a.send(1);
    expect(await select([{ recv: null }, { recv: a }])).toMatchObject({ index: 1, value: 1 });
  });

  it('blocks until one case is ready, then only that case runs', async () => {
    const a = chan<number>();
    const b = chan<number>();
    const p = select([{ recv: a }, { recv: b }]);
    go(() => b.send(5));
    expect(await p).toEqual({ index: 1, value: 5, ok: true });
    // The select no longer waits on `a`: a send there must find no receiver.
    expect(await select([{ send: a, value: 1 }], { default: true })).toMatchObject({ index: -1 });
  });

  it('times out with after(ms), like time.After', async () => {
    const never = chan<number>();
    const r = await select([{ recv: never }, { recv: after(5) }]);
    expect(r.index).toBe(1);
    expect(typeof r.value).toBe('number');
  });

  it('chooses among ready cases uniformly at random (and reproducibly with a seed)', async () => {
    const counts = [0, 0, 0];
    const chans = [chan<number>(1), chan<number>(1), chan<number>(1)];
    const random = seededRandom(42);
    for (let i = 0; i < 3000; i++) {
      for (const c of chans) if (c.length === 0) await c.send(i);
      const r = await select(
        chans.map((c) => ({ recv: c })),
        { random },
      );
      counts[r.index]!++;
    }
    // Each of the 3 cases: expected 1000; a fair choice is within ±150 of it for this seed.
    for (const n of counts) expect(Math.abs(n - 1000)).toBeLessThan(150);
    const pick = async (seed: number): Promise<number[]> => {
      const rnd = seededRandom(seed);
      const out: number[] = [];
      for (let i = 0; i < 20; i++) {
        for (const c of chans) if (c.length === 0) await c.send(i);
        out.push(
          (
            await select(
              chans.map((c) => ({ recv: c })),
              { random: rnd },
            )
          ).index,
        );
      }
      return out;
    };
    expect(await pick(7)).toEqual(await pick(7));
  });

  it('a send case on a closed channel panics when chosen', async () => {
    const c = chan<number>(1);
    c.close();
    await expect(select([{ send: c, value: 1 }])).rejects.toThrow('send on closed channel');
  });
});

describe('runMain and deadlock detection', () => {
  it('resolves with main’s result when goroutines cooperate', async () => {
    const result = await runMain(async () => {
      const ping = chan<string>();
      const pong = chan<string>();
      go(async () => {
        for await (const m of ping) await pong.send(m + '!');
        pong.close();
      });
      const got: string[] = [];
      for (const m of ['a', 'b']) {
        await ping.send(m);
        got.push((await pong.recv()).value as string);
      }
      ping.close();
      return got;
    });
    expect(result).toEqual(['a!', 'b!']);
  });

  it("main receiving from a channel nobody sends on: Go's fatal error", async () => {
    const run = runMain(async () => {
      await chan<number>().recv();
    });
    await expect(run).rejects.toThrow(DeadlockError);
    await expect(run).rejects.toThrow('fatal error: all goroutines are asleep - deadlock!');
    expect(DEADLOCK_MESSAGE).toBe('fatal error: all goroutines are asleep - deadlock!');
  });

  it('detects a cycle of goroutines waiting on each other; blocked ops reject', async () => {
    let goroutineSaw: unknown;
    const run = runMain(async () => {
      const a = chan<number>();
      const b = chan<number>();
      go(async () => {
        try {
          await a.recv();
          await b.send(1);
        } catch (e) {
          goroutineSaw = e;
        }
      });
      await b.recv();
      await a.send(1);
    });
    await expect(run).rejects.toThrow(DEADLOCK_MESSAGE);
    await sleep(0);
    expect(goroutineSaw).toBeInstanceOf(DeadlockError);
  });

  it('WaitGroup.wait with a missing done() is a deadlock', async () => {
    await expect(
      runMain(async () => {
        const wg = new WaitGroup();
        wg.add(2);
        go(() => wg.done());
        await wg.wait();
      }),
    ).rejects.toThrow(DEADLOCK_MESSAGE);
  });

  it('no false positive while a goroutine awaits something outside the library', async () => {
    const result = await runMain(async () => {
      const ch = chan<string>();
      go(async () => {
        // A plain timer and a plain promise: the library cannot see them, so this goroutine
        // counts as running and main's blocked recv must not be called a deadlock.
        await new Promise((r) => setTimeout(r, 30));
        await Promise.resolve();
        await ch.send('late');
      });
      return (await ch.recv()).value;
    });
    expect(result).toBe('late');
  });

  it('no false positive while blocked on a pending after() or sleep()', async () => {
    const result = await runMain(async () => {
      const done = chan<string>();
      go(async () => {
        await sleep(20);
        await done.send('slept');
      });
      const r = await select([{ recv: chan<number>() }, { recv: after(10) }]);
      return [r.index, (await done.recv()).value];
    });
    expect(result).toEqual([1, 'slept']);
  });

  it('a goroutine panic rejects runMain with it', async () => {
    await expect(
      runMain(async () => {
        const ch = chan<number>();
        go(() => {
          ch.close();
          ch.close();
        });
        await sleep(10);
        return 'unreachable';
      }),
    ).rejects.toThrow('close of closed channel');
  });

  it('sending on a nil channel blocks forever, so it deadlocks', async () => {
    await expect(runMain(() => send(null, 1))).rejects.toThrow(DEADLOCK_MESSAGE);
    await expect(runMain(() => recv(null))).rejects.toThrow(DEADLOCK_MESSAGE);
  });

  it('one runMain at a time', async () => {
    const first = runMain(() => sleep(5));
    await expect(runMain(() => 1)).rejects.toThrow('csp: runMain is already running');
    await first;
    expect(await runMain(() => 2)).toBe(2);
  });

  it('seeded runs are reproducible', async () => {
    const program = (): Promise<number[]> =>
      runMain(
        async () => {
          const a = chan<number>(100);
          const b = chan<number>(100);
          for (let i = 0; i < 100; i++) {
            await a.send(0);
            await b.send(1);
          }
          const order: number[] = [];
          for (let i = 0; i < 100; i++)
            order.push((await select([{ recv: a }, { recv: b }])).value as number);
          return order;
        },
        { seed: 3 },
      );
    const first = await program();
    expect(await program()).toEqual(first);
    expect(new Set(first).size).toBe(2);
  });
});

describe('events', () => {
  it('reports goroutines, blocking and hand-offs to a listener', async () => {
    const events: CspEvent[] = [];
    const off = onEvent((e) => events.push(e));
    try {
      await runMain(async () => {
        const ch = chan<number>(0, 'jobs');
        go(() => ch.send(42), 'producer');
        await ch.recv();
      });
    } finally {
      off();
    }
    const types = events.map((e) => e.type);
    expect(types).toContain('go');
    expect(types).toContain('block');
    expect(types).toContain('handoff');
    expect(events.find((e) => e.type === 'go')).toMatchObject({ name: 'producer' });
    expect(events.find((e) => e.type === 'handoff')).toMatchObject({ value: 42, via: 'direct' });
  });
});
