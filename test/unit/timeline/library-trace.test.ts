/** The teaching libraries report to the tracer only when one is set (Node, no runner). */
import { afterEach, describe, expect, it } from 'vitest';
import { chan, go, runMain } from '../../../src/concurrency/csp.ts';
import { incrementProgram, runGil } from '../../../src/concurrency/gil.ts';
import { Mutex } from '../../../src/concurrency/sync.ts';
import { setTracer, type TraceRecord } from '../../../src/concurrency/trace.ts';

afterEach(() => setTracer(null));

describe('library tracing', () => {
  it('reports nothing without a tracer', async () => {
    const m = new Mutex();
    await m.lockAsync();
    m.unlock();
    // Nothing to observe: the point is that no tracer is called and nothing throws.
    expect(setTracer(null)).toBeNull();
  });

  it('Mutex: acquire/release with one name for every copy of the handle; waits are reported', async () => {
    const records: TraceRecord[] = [];
    setTracer((r) => records.push(r));
    const a = new Mutex();
    const b = Mutex.from(a.handle);
    await a.lockAsync();
    const waiting = b.lockAsync(1000);
    await new Promise((resolve) => setTimeout(resolve, 5));
    a.unlock();
    expect(await waiting).toBe(true);
    b.unlock();
    const ops = records.map((r) => (r.type === 'lock' ? r.op : r.type));
    expect(ops).toEqual(['acquire', 'wait', 'release', 'acquire', 'release']);
    const names = new Set(records.map((r) => (r.type === 'lock' ? r.lock : '')));
    expect(names.size).toBe(1);
    expect([...names][0]).toMatch(/^Mutex [0-9a-f]+$/);
  });

  it('csp: goroutines, blocks paired with unblocks by id, hand-offs with channel names', async () => {
    const records: TraceRecord[] = [];
    setTracer((r) => records.push(r));
    await runMain(async () => {
      const pings = chan<string>(0, 'pings');
      go(() => pings.send('ping'), 'pinger');
      await pings.recv();
    });
    const channel = records.filter((r) => r.type === 'channel');
    const block = channel.find((r) => r.op === 'block');
    expect(block).toMatchObject({ wait: 'recv', channels: ['pings'] });
    expect(channel.find((r) => r.op === 'unblock')).toMatchObject({ opId: block?.opId });
    expect(channel.find((r) => r.op === 'handoff')).toMatchObject({
      channels: ['pings'],
      value: 'ping',
      via: 'direct',
    });
    expect(channel.find((r) => r.op === 'go')).toMatchObject({ name: 'pinger' });
  });

  it('gil: one record with spans that cover every tick of every thread until it is done', () => {
    const records: TraceRecord[] = [];
    setTracer((r) => records.push(r));
    const result = runGil([incrementProgram(5), incrementProgram(5)], { switchInterval: 2, seed: 3 });
    expect(records).toHaveLength(1);
    const gil = records[0];
    if (gil?.type !== 'gil') throw new Error('expected a gil record');
    expect(gil.ticks).toBe(result.ticks);
    // With a GIL, at most one thread holds it in any tick.
    for (let tick = 0; tick < gil.ticks; tick++) {
      const holders = gil.spans.filter((s) => s.state === 'holds-gil' && s.from <= tick && tick < s.to);
      expect(holders.length).toBeLessThanOrEqual(1);
    }
    const held = gil.spans.filter((s) => s.state === 'holds-gil').reduce((n, s) => n + s.to - s.from, 0);
    expect(held).toBe(result.threads.reduce((n, t) => n + t.steps, 0));
  });
});
