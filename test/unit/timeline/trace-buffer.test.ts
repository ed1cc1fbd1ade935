/**
 * Compact trace records (src/runner/runtime/trace-buffer.ts): what a traced thread writes decodes
 * to the run events the timeline reads, in the order written, across batches (the string table
 * carries over), and through structured clone (as a batch crosses threads).
 */
import { describe, expect, it } from 'vitest';
import type { RunEvent, ThreadRef } from '../../../src/runner/events.ts';
import type { PackedBatch } from '../../../src/runner/protocol.ts';
import { TraceDecoder, TraceWriter } from '../../../src/runner/runtime/trace-buffer.ts';

const thread: ThreadRef = { id: 3, label: 'worker 3', name: 'pinger' };
const runStart = performance.timeOrigin;

function writer(options: { limit?: number; onFull?: () => void; cap?: number } = {}) {
  return new TraceWriter(thread, runStart, {
    limit: options.limit ?? 1e9,
    maxAgeMs: Infinity,
    onStart: () => undefined,
    onFull: options.onFull ?? (() => undefined),
    ...(options.cap !== undefined ? { cap: options.cap } : {}),
  });
}

const decode = (batches: PackedBatch[]) => {
  const decoder = new TraceDecoder();
  const out: RunEvent[] = [];
  for (const batch of batches) decoder.decode(structuredClone(batch), (e) => out.push(e));
  return out;
};

/** Everything but `t`, which is the clock's. */
const shape = (events: RunEvent[]) => events.map(({ t: _t, ...rest }) => rest);

describe('trace records', () => {
  it('decode to the same events, in order, with other events kept between them', () => {
    const w = writer();
    const log: RunEvent = { kind: 'log', level: 'log', text: 'hello', depth: 0, thread, t: 1 };
    w.record({ type: 'lock', what: 'Mutex', lock: 'Mutex a3f0', op: 'wait' });
    w.record({ type: 'lock', what: 'Mutex', lock: 'Mutex a3f0', op: 'acquire' });
    w.object(log);
    w.record({ type: 'channel', op: 'go', goroutine: 2, name: 'ponger' });
    w.record({ type: 'channel', op: 'block', wait: 'select', opId: 7, channels: ['a', 'b'] });
    w.record({ type: 'channel', op: 'unblock', wait: 'select', opId: 7 });
    w.record({ type: 'channel', op: 'handoff', channels: ['a'], value: -0, via: 'direct' });
    w.record({ type: 'channel', op: 'handoff', channels: ['a'], value: 'hi', via: 'buffer' });
    w.record({ type: 'channel', op: 'handoff', channels: ['a'], value: { n: 1 }, via: 'direct' });
    w.record({ type: 'channel', op: 'handoff', channels: ['a'], value: undefined, via: 'direct' });
    w.record({ type: 'channel', op: 'exit', goroutine: 2, failed: true });
    w.record({ type: 'channel', op: 'deadlock' });
    w.task('timer', 10, 12.5, 4);
    w.task('loop', 20, 30);
    w.timer('set', 4, 100, true);
    w.timer('clear', 4, 0, false);
    const events = decode([w.take()]);
    expect(shape(events)).toEqual([
      { kind: 'lock', what: 'Mutex', lock: 'Mutex a3f0', op: 'wait', thread },
      { kind: 'lock', what: 'Mutex', lock: 'Mutex a3f0', op: 'acquire', thread },
      { kind: 'log', level: 'log', text: 'hello', depth: 0, thread },
      { kind: 'channel', op: 'go', goroutine: 2, name: 'ponger', thread },
      { kind: 'channel', op: 'block', wait: 'select', opId: 7, channels: ['a', 'b'], thread },
      { kind: 'channel', op: 'unblock', wait: 'select', opId: 7, thread },
      { kind: 'channel', op: 'handoff', channels: ['a'], value: '-0', via: 'direct', thread },
      { kind: 'channel', op: 'handoff', channels: ['a'], value: "'hi'", via: 'buffer', thread },
      { kind: 'channel', op: 'handoff', channels: ['a'], value: '{ n: 1 }', via: 'direct', thread },
      { kind: 'channel', op: 'handoff', channels: ['a'], value: 'undefined', via: 'direct', thread },
      { kind: 'channel', op: 'exit', goroutine: 2, failed: true, thread },
      { kind: 'channel', op: 'deadlock', thread },
      { kind: 'task', source: 'timer', duration: 2.5, timer: 4, thread },
      { kind: 'task', source: 'loop', duration: 10, thread },
      { kind: 'timer', op: 'set', timer: 4, delay: 100, repeat: true, thread },
      { kind: 'timer', op: 'clear', timer: 4, delay: 0, repeat: false, thread },
    ]);
    // A task's t is its start on the run's clock (runStart = timeOrigin here, so the clock's own value).
    expect(events[12]?.t).toBe(10);
    expect(events[1]!.t).toBeGreaterThanOrEqual(events[0]!.t);
  });

  it('keeps names across batches, and calls onFull at the limit', () => {
    let full = 0;
    const w = writer({ limit: 3, onFull: () => full++ });
    const batches: PackedBatch[] = [];
    for (let i = 0; i < 7; i++) {
      w.record({
        type: 'lock',
        what: 'Semaphore',
        lock: i < 4 ? 'Semaphore 1' : 'Semaphore 2',
        op: i % 2 ? 'release' : 'acquire',
      });
      if (w.count >= 3) batches.push(w.take());
    }
    batches.push(w.take());
    expect(full).toBe(2);
    expect(batches.map((b) => b.count)).toEqual([3, 3, 1]);
    const locks = decode(batches).map((e) => (e.kind === 'lock' ? `${e.lock} ${e.op}` : e.kind));
    expect(locks).toEqual([
      'Semaphore 1 acquire',
      'Semaphore 1 release',
      'Semaphore 1 acquire',
      'Semaphore 1 release',
      'Semaphore 2 acquire',
      'Semaphore 2 release',
      'Semaphore 2 acquire',
    ]);
  });

  it('takes at most `cap` trace records, keeps every other event, and says once that it is full', () => {
    const w = writer({ cap: 3 });
    let capped = 0;
    w.whenCapped(() => capped++);
    const log: RunEvent = { kind: 'log', level: 'log', text: 'after', depth: 0, thread, t: 1 };
    for (let i = 0; i < 3; i++) w.record({ type: 'lock', what: 'Mutex', lock: 'Mutex 1', op: 'acquire' });
    expect(capped).toBe(0);
    w.record({ type: 'channel', op: 'handoff', channels: ['c'], value: 1, via: 'direct' });
    w.task('timer', 1, 2);
    w.timer('set', 1, 0, false);
    w.object(log);
    w.record({ type: 'lock', what: 'Mutex', lock: 'Mutex 1', op: 'release' });
    expect(capped).toBe(1);
    const events = decode([w.take()]);
    expect(events.map((e) => e.kind)).toEqual(['lock', 'lock', 'lock', 'log']);
  });

  it('grows past its first buffer', () => {
    const w = writer();
    for (let i = 0; i < 5000; i++)
      w.record({ type: 'channel', op: 'handoff', channels: ['c'], value: i, via: 'direct' });
    const events = decode([w.take()]);
    expect(events).toHaveLength(5000);
    expect(events[4999]).toMatchObject({ kind: 'channel', value: '4999' });
  });
});
