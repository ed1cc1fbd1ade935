/** model.ts: threads stepped by a scheduler — known interleaving counts, deadlocks, replay, misuse. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelError, formatSchedule, model, parseSchedule } from '../../../src/concurrency/model/index.ts';
import type { ProgramApi, Setup } from '../../../src/concurrency/model/index.ts';

/** n threads each doing `x = x + 1` as a read then a write, `times` times; optionally under a mutex. */
function increments(threads: number, times: number, locked = false): Setup {
  return ({ shared, mutex, thread }) => {
    const x = shared('x', 0);
    const m = locked ? mutex('m') : null;
    for (let t = 0; t < threads; t++) {
      thread(async () => {
        for (let i = 0; i < times; i++) {
          await m?.lock();
          const tmp = await x.read();
          await x.write(tmp + 1);
          await m?.unlock();
        }
      });
    }
  };
}

function philosophers(n: number, ordered: boolean): Setup {
  return ({ mutex, thread }) => {
    const forks = Array.from({ length: n }, (_, i) => mutex(`fork ${i}`));
    for (let i = 0; i < n; i++) {
      const left = forks[i]!;
      const right = forks[(i + 1) % n]!;
      const [first, second] = ordered && i === n - 1 ? [right, left] : [left, right];
      thread(
        async () => {
          await first.lock();
          await second.lock();
          await second.unlock();
          await first.unlock();
        },
        `philosopher ${i + 1}`,
      );
    }
  };
}

describe('known counts', () => {
  it('x = x + 1 in two threads: 6 interleavings, x = 2 in 2 and x = 1 in 4', async () => {
    const report = await model(increments(2, 1)).explore();
    expect(report.schedules).toBe(6);
    expect(report.complete).toBe(true);
    expect(Object.fromEntries(report.outcomes.map((o) => [o.outcome, o.count]))).toEqual({
      'x = 2': 2,
      'x = 1': 4,
    });
    expect(report.problems).toEqual([]);
    expect(report.shortestFailure).toBeNull();
  });

  it('two threads × three increments: 924 interleavings (12 choose 6)', async () => {
    const report = await model(increments(2, 3)).explore();
    expect(report.schedules).toBe(924);
    expect(report.outcomes.reduce((sum, o) => sum + o.count, 0)).toBe(924);
    expect(report.outcomes.map((o) => o.outcome).sort()).toEqual([
      'x = 2',
      'x = 3',
      'x = 4',
      'x = 5',
      'x = 6',
    ]);
  });

  it('with a mutex around the increment every schedule ends at 2', async () => {
    const report = await model(increments(2, 1, true)).explore();
    expect(report.outcomes.map((o) => o.outcome)).toEqual(['x = 2']);
    expect(report.problems).toEqual([]);
    // lock, read, write, unlock per thread, and a thread cannot enter while the other holds m:
    // only whole critical sections interleave, so 2 orders × the unlock/lock overlap.
    expect(report.schedules).toBeGreaterThan(1);
  });

  it('two locks taken in opposite orders deadlock in some schedules, and explore explains it', async () => {
    const report = await model(({ mutex, thread }) => {
      const a = mutex('A');
      const b = mutex('B');
      thread(async () => {
        await a.lock();
        await b.lock();
        await b.unlock();
        await a.unlock();
      });
      thread(async () => {
        await b.lock();
        await a.lock();
        await a.unlock();
        await b.unlock();
      });
    }).explore();
    expect(report.outcomes.map((o) => o.outcome)).toEqual(['every thread finished']);
    expect(report.problems).toHaveLength(1);
    const [deadlock] = report.problems;
    expect(deadlock!.kind).toBe('deadlock');
    expect(deadlock!.message).toBe(
      'every thread waits: thread 1 holds A and waits for B; thread 2 holds B and waits for A',
    );
    expect(deadlock!.count).toBe(2);
    expect(formatSchedule(report.shortestFailure!.schedule)).toBe('1 2');
  });

  it("Peterson's algorithm keeps mutual exclusion in every schedule (and without turn it does not)", async () => {
    const peterson =
      (useTurn: boolean): Setup =>
      ({ shared, thread, spin, assert }: ProgramApi) => {
        const flag = [shared('flag0', false), shared('flag1', false)];
        const turn = shared('turn', 0);
        const inside = shared('inside', 0);
        for (const me of [0, 1]) {
          const other = 1 - me;
          thread(async () => {
            await flag[me]!.write(true);
            if (useTurn) await turn.write(other);
            while ((await flag[other]!.read()) && (!useTurn || (await turn.read()) === other)) await spin();
            const before = await inside.add(1);
            assert(before === 0, 'two threads in the critical section');
            await inside.add(-1);
            await flag[me]!.write(false);
          });
        }
        return () => 'exclusive';
      };
    for (const reduce of [false, true]) {
      const correct = await model(peterson(true)).explore({ reduce });
      expect(correct.complete).toBe(true);
      expect(correct.problems).toEqual([]);
      expect(correct.outcomes.map((o) => o.outcome)).toEqual(['exclusive']);
    }
    // Flags alone cannot deadlock-free exclude: both raise their flag and spin on each other.
    const flagsOnly = await model(peterson(false)).explore({ reduce: true });
    expect(flagsOnly.problems.map((p) => p.message)).toContain(
      'every thread waits: thread 1 spins until another thread changes flag1; thread 2 spins until another thread changes flag0',
    );
  });

  it('check-then-act (test the flag, then set it) breaks mutual exclusion, with or without the reduction', async () => {
    const checkThenAct: Setup = ({ shared, thread, spin, assert }) => {
      const flag = shared('busy', false);
      const inside = shared('inside', 0);
      for (let i = 0; i < 2; i++)
        thread(async () => {
          while (await flag.read()) await spin();
          await flag.write(true);
          assert((await inside.add(1)) === 0, 'two threads in the critical section');
          await inside.add(-1);
          await flag.write(false);
        });
    };
    const full = await model(checkThenAct).explore();
    const reduced = await model(checkThenAct).explore({ reduce: true });
    for (const report of [full, reduced]) {
      expect(report.complete).toBe(true);
      expect(report.problems.map((p) => p.message).sort()).toEqual([
        'assertion failed in thread 1: two threads in the critical section',
        'assertion failed in thread 2: two threads in the critical section',
      ]);
      // both read false, both set the flag, one enters, then the other: six steps
      expect(report.shortestFailure!.schedule).toHaveLength(6);
    }
    expect(reduced.schedules).toBeLessThan(full.schedules);
  });

  it('the reduction finds the same outcomes and problems as every interleaving, in fewer schedules', async () => {
    for (const setup of [
      increments(2, 3),
      increments(3, 1, true),
      philosophers(3, false),
      philosophers(3, true),
    ]) {
      const full = await model(setup).explore();
      const reduced = await model(setup).explore({ reduce: true });
      expect(reduced.outcomes.map((o) => o.outcome).sort()).toEqual(
        full.outcomes.map((o) => o.outcome).sort(),
      );
      expect(reduced.problems.map((p) => p.message).sort()).toEqual(
        full.problems.map((p) => p.message).sort(),
      );
      expect(reduced.schedules).toBeLessThanOrEqual(full.schedules);
    }
  });

  it('three dining philosophers can deadlock; with ordered forks they never do', async () => {
    const naive = await model(philosophers(3, false)).explore();
    expect(naive.problems).toHaveLength(1);
    expect(naive.problems[0]!.message).toBe(
      'every thread waits: philosopher 1 holds fork 0 and waits for fork 1; philosopher 2 holds fork 1 and waits for fork 2; philosopher 3 holds fork 2 and waits for fork 0',
    );
    expect(naive.shortestFailure!.schedule).toHaveLength(3);
    const ordered = await model(philosophers(3, true)).explore();
    expect(ordered.complete).toBe(true);
    expect(ordered.problems).toEqual([]);
    expect(ordered.outcomes.map((o) => o.outcome)).toEqual(['every thread finished']);
  });
});

describe('schedules', () => {
  it('a schedule replays exactly, and its text round-trips', async () => {
    const race = model(increments(2, 1));
    const lost = await race.run('1 2 1 2');
    expect(lost.ending).toEqual({ kind: 'done', outcome: 'x = 1' });
    expect(lost.steps.map((s) => `${s.choice.thread}:${s.action}${s.result ? `→${s.result}` : ''}`)).toEqual([
      '1:x.read()→0',
      '2:x.read()→0',
      '1:x.write(1)',
      '2:x.write(1)',
    ]);
    expect((await race.run(lost.schedule)).steps).toEqual(lost.steps);
    expect(
      parseSchedule(formatSchedule([{ thread: 1 }, { thread: 2, branch: 0 }, { thread: 3, branch: -1 }])),
    ).toEqual([{ thread: 1 }, { thread: 2, branch: 0 }, { thread: 3, branch: -1 }]);
  });

  it('a seeded random run is the same run for the same seed', async () => {
    const race = model(increments(2, 3));
    const runs = await Promise.all([race.random(7), race.random(7)]);
    expect(runs[0].schedule).toEqual(runs[1].schedule);
    const others = await Promise.all([1, 2, 3, 4, 5].map((seed) => race.random(seed)));
    expect(new Set(others.map((r) => formatSchedule(r.schedule))).size).toBeGreaterThan(1);
  });

  it('a schedule that picks a thread which cannot run says why', async () => {
    const race = model(({ mutex, thread }) => {
      const a = mutex('A');
      thread(async () => {
        await a.lock();
        await a.unlock();
      });
      thread(async () => {
        await a.lock();
        await a.unlock();
      });
    });
    await expect(race.run('1 2')).rejects.toThrow(
      'Step 2 of the schedule picks 2, which cannot run now: waits for A.',
    );
  });

  it('a located run knows the file and line of each pending operation', async () => {
    const stepper = await model(({ shared, thread }) => {
      const x = shared('x', 0);
      thread(async () => {
        await x.write(1); // site.line points here
      });
    }).start({ locate: true });
    const [move] = stepper.moves();
    expect(move!.site?.file).toMatch(/model\.test\.ts$/);
    const source = readFileSync(new URL(import.meta.url), 'utf8').split('\n');
    expect(source[move!.site!.line - 1]).toContain('await x.write(1); // site.line points here');
  });

  it('undo is a replay of the schedule without its last step', async () => {
    const race = model(increments(2, 1));
    const stepper = await race.start();
    await stepper.choose({ thread: 1 });
    await stepper.choose({ thread: 2 });
    const state = stepper.state();
    const replay = await race.run(stepper.steps.slice(0, 1).map((s) => s.choice));
    expect(replay.steps[0]).toEqual(stepper.steps[0]);
    expect(state.threads.map((t) => t.next)).toEqual(['x.write(1)', 'x.write(1)']);
  });
});

describe('primitives', () => {
  it('a semaphore with 2 permits lets at most two threads in', async () => {
    const report = await model(({ shared, semaphore, thread, assert }) => {
      const s = semaphore('S', 2);
      const inside = shared('inside', 0);
      for (let i = 0; i < 3; i++)
        thread(async () => {
          await s.acquire();
          assert((await inside.add(1)) < 2, 'three inside');
          await inside.add(-1);
          await s.release();
        });
    }).explore();
    expect(report.problems).toEqual([]);
    expect(report.outcomes.map((o) => o.outcome)).toEqual(['inside = 0']);
  });

  it('a condition variable: wait releases the mutex; a missed notify deadlocks when waiting without a loop', async () => {
    const report = await model(({ shared, mutex, condition, thread }) => {
      const m = mutex('m');
      const ready = condition('ready');
      const flag = shared('flag', false);
      thread(async () => {
        await m.lock();
        await ready.wait(m); // no check of flag first: misses a notify that came before
        await m.unlock();
      }, 'waiter');
      thread(async () => {
        await m.lock();
        await flag.write(true);
        await ready.notify();
        await m.unlock();
      }, 'notifier');
    }).explore();
    expect(report.outcomes.map((o) => o.outcome)).toEqual(['flag = true']);
    expect(report.problems.map((p) => p.message)).toEqual([
      'every thread waits: waiter waits for a notify on ready',
    ]);
  });

  it('channels: an unbuffered send is one rendezvous step; close ends a range; send on closed panics', async () => {
    const pipeline = model(({ channel, thread, shared }) => {
      const ch = channel<number>('ch');
      const sum = shared('sum', 0);
      thread(async () => {
        await ch.send(1);
        await ch.send(2);
        await ch.close();
      }, 'producer');
      thread(async () => {
        for (;;) {
          const { value, ok } = await ch.recv();
          if (!ok) break;
          await sum.write((await sum.read()) + value);
        }
      }, 'consumer');
    });
    const report = await pipeline.explore();
    expect(report.outcomes.map((o) => o.outcome)).toEqual(['sum = 3']);
    const first = await pipeline.run();
    expect(first.steps[0]).toMatchObject({ choice: { thread: 1 }, action: 'ch.send(1)', partner: 2 });

    const closed = await model(({ channel, thread }) => {
      const ch = channel<number>('ch', 1);
      thread(async () => {
        await ch.close();
        await ch.send(1);
      });
    }).run();
    expect(closed.ending).toEqual({
      kind: 'failed',
      thread: 1,
      message: 'thread 1 panicked: send on closed channel ch',
    });
  });

  it('select: the explorer tries every ready case', async () => {
    const report = await model(({ channel, select, thread, shared }) => {
      const a = channel<string>('a', 1);
      const b = channel<string>('b', 1);
      const got = shared('got', '');
      thread(async () => {
        await a.send('a');
        await b.send('b');
      });
      thread(async () => {
        const { index } = await select([{ recv: a }, { recv: b }]);
        await got.write(index === 0 ? 'a' : 'b');
      });
    }).explore();
    expect(report.outcomes.map((o) => o.outcome).sort()).toEqual(['got = "a"', 'got = "b"']);
  });

  it('x += 1 with GIL switch points (LOAD, ADD, STORE) still loses an update', async () => {
    const report = await model(({ shared, thread, step }) => {
      const x = shared('x', 0);
      for (let i = 0; i < 2; i++)
        thread(async () => {
          const tmp = await x.read(); // LOAD_NAME x
          await step('BINARY_OP +=');
          await x.write(tmp + 1); // STORE_NAME x
        });
    }).explore();
    expect(report.schedules).toBe(20);
    expect(report.outcomes.find((o) => o.outcome === 'x = 1')).toBeDefined();
  });
});

describe('check: a property of every schedule', () => {
  it('the unlocked counter fails with a counterexample; the locked one passes with the count', async () => {
    const two = (outcome: string) => outcome === 'x = 2' || `x should be 2`;
    const failing = await model(increments(2, 1)).check(two);
    expect(failing).toEqual({
      passed: false,
      schedules: 6,
      schedule: [{ thread: 1 }, { thread: 2 }, { thread: 1 }, { thread: 2 }],
      message: 'counterexample: x should be 2 (x = 1), schedule 1 2 1 2',
    });
    const passing = await model(increments(2, 1, true)).check(two);
    expect(passing.passed).toBe(true);
    expect(passing.message).toBe(`checked ${passing.schedules} schedules: every one passes`);
  });

  it('a deadlock is a counterexample', async () => {
    const result = await model(philosophers(3, false)).check();
    expect(result.message).toBe(
      'counterexample: every thread waits: philosopher 1 holds fork 0 and waits for fork 1; philosopher 2 holds fork 1 and waits for fork 2; philosopher 3 holds fork 2 and waits for fork 0, schedule 1 2 3',
    );
  });
});

describe('misuse gets a clear message', () => {
  it('a shared operation outside a thread', async () => {
    await expect(
      model(({ shared, thread }) => {
        const x = shared('x', 0);
        void x.read();
        thread(async () => {});
      }).run(),
    ).rejects.toThrow('x.read() was called outside a thread');
  });

  it('an operation not awaited', async () => {
    await expect(
      model(({ shared, thread }) => {
        const x = shared('x', 0);
        thread(async () => {
          void x.read();
          await x.write(1);
        });
      }).run(),
    ).rejects.toThrow(
      new ModelError(
        'thread 1 started x.write(1) before its previous step finished: await every shared operation.',
      ),
    );
  });

  it('a thread that awaits something outside the model', async () => {
    await expect(
      model(({ thread }) => {
        thread(() => new Promise(() => {}));
      }).run(),
    ).rejects.toThrow('thread 1 did not reach its next shared step');
  });

  it('reading .value inside a thread', async () => {
    const run = model(({ shared, thread }) => {
      const x = shared('x', 0);
      thread(async () => {
        await x.write(x.value + 1);
      });
    }).run();
    await expect(run).rejects.toThrow(
      'x.value was read while threads run: inside a thread, use await x.read().',
    );
  });

  it('a step limit', async () => {
    const run = await model(({ shared, thread }) => {
      const x = shared('x', 0);
      thread(async () => {
        for (;;) await x.write(1);
      });
    }).run([], { maxSteps: 50 });
    expect(run.ending).toEqual({ kind: 'limit', message: 'stopped at the step limit (50 steps)' });
  });
});
