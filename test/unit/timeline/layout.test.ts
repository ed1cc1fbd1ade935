import { describe, expect, it } from 'vitest';
import { describeEvent, layoutTimeline } from '../../../src/client/timeline/layout.ts';
import type { RunEvent } from '../../../src/runner/index.ts';

const main = { id: 0, label: 'main' } as const;
const w1 = { id: 1, label: 'worker 1' } as const;
const w2 = { id: 2, label: 'worker 2', name: 'pool worker 1' } as const;

const run: RunEvent[] = [
  { kind: 'status', state: 'running', thread: main, t: 0 },
  { kind: 'worker-started', worker: w1, via: 'spawn', thread: main, t: 1 },
  { kind: 'message', from: main, to: w1, summary: '{ n: 1 }', thread: main, t: 2 },
  { kind: 'log', level: 'log', text: 'got 1', depth: 0, thread: w1, t: 3 },
  { kind: 'lock', what: 'Mutex', lock: 'Mutex 1a2b', op: 'acquire', thread: w1, t: 4 },
  { kind: 'lock', what: 'Mutex', lock: 'Mutex 1a2b', op: 'wait', thread: main, t: 5 },
  { kind: 'lock', what: 'Mutex', lock: 'Mutex 1a2b', op: 'release', thread: w1, t: 8 },
  { kind: 'lock', what: 'Mutex', lock: 'Mutex 1a2b', op: 'acquire', thread: main, t: 8.5 },
  { kind: 'message', from: w1, to: main, summary: 'done', thread: w1, t: 9 },
  { kind: 'worker-stopped', worker: w1, reason: 'terminated', thread: main, t: 10 },
  { kind: 'status', state: 'done', durationMs: 12, thread: main, t: 12 },
];

describe('layoutTimeline', () => {
  it('makes one lane per thread, main first, with worker lifetimes', () => {
    const layout = layoutTimeline(run);
    expect(layout.lanes.map((l) => l.label)).toEqual(['main', 'worker 1']);
    expect(layout.lanes[1]).toMatchObject({ start: 1, end: 10 });
    expect(layout.end).toBe(12);
  });

  it('turns messages into arrows between lanes', () => {
    const { arrows } = layoutTimeline(run);
    expect(arrows).toEqual([
      { from: 0, to: 1, t: 2, label: '{ n: 1 }', event: 2 },
      { from: 1, to: 0, t: 9, label: 'done', event: 8 },
    ]);
  });

  it('pairs lock waits and holds; a hold never released stays open until the end', () => {
    const { spans } = layoutTimeline(run);
    const wait = spans.find((s) => s.kind === 'lock-wait');
    expect(wait).toMatchObject({ lane: 0, start: 5, end: 8.5, event: 5, endEvent: 7 });
    expect(wait?.open).toBeUndefined();
    const holds = spans.filter((s) => s.kind === 'lock-held');
    expect(holds.find((s) => s.lane === 1)).toMatchObject({ start: 4, end: 8 });
    expect(holds.find((s) => s.lane === 0)).toMatchObject({ start: 8.5, end: 12, open: true });
  });

  it('packs overlapping waits into separate rows, ran spans stay in row 0', () => {
    const events: RunEvent[] = [
      { kind: 'channel', op: 'go', goroutine: 1, name: 'ping', thread: main, t: 0 },
      { kind: 'channel', op: 'block', wait: 'recv', opId: 1, channels: ['ch'], thread: main, t: 1 },
      { kind: 'channel', op: 'block', wait: 'send', opId: 2, channels: ['ch'], thread: main, t: 2 },
      { kind: 'channel', op: 'handoff', channels: ['ch'], value: '1', via: 'direct', thread: main, t: 3 },
      { kind: 'channel', op: 'unblock', wait: 'recv', opId: 1, thread: main, t: 3 },
      { kind: 'channel', op: 'unblock', wait: 'send', opId: 2, thread: main, t: 3 },
      { kind: 'task', source: 'timer', duration: 2, timer: 7, thread: main, t: 4 },
      { kind: 'channel', op: 'exit', goroutine: 1, thread: main, t: 6 },
    ];
    const layout = layoutTimeline(events);
    const rows = layout.spans.map((s) => [s.kind, s.row]);
    expect(rows).toEqual([
      ['timer', 0],
      ['goroutine', 1],
      ['blocked', 2],
      ['blocked', 3],
    ]);
    expect(layout.lanes[0]?.rows).toBe(4);
    expect(layout.marks.map((m) => m.kind)).toEqual(['handoff']);
  });

  it('links a timer set to its callback', () => {
    const events: RunEvent[] = [
      { kind: 'timer', op: 'set', timer: 3, delay: 0, repeat: false, thread: main, t: 1 },
      { kind: 'task', source: 'timer', duration: 0.5, timer: 3, thread: main, t: 5 },
    ];
    const { links, marks } = layoutTimeline(events);
    expect(links).toEqual([{ lane: 0, from: 1, to: 5, label: 'setTimeout #3, 0 ms', event: 0 }]);
    expect(marks[0]?.kind).toBe('timer-set');
  });

  it('puts pool chunks in the lane of the thread named like the pool worker, else in a lane of their own', () => {
    const base = { pool: 1, chunk: 0, size: 2, sent: 1, start: 2, end: 5, thread: main, t: 6 } as const;
    const seen = layoutTimeline([
      { kind: 'worker-started', worker: w2, via: 'new Worker', thread: main, t: 0.5 },
      { kind: 'pool-task', worker: 0, ...base },
      { kind: 'pool-task', worker: 1, ...base, chunk: 1 },
    ]);
    expect(seen.lanes.map((l) => l.label)).toEqual(['main', 'worker 2 (pool worker 1)', 'pool worker 2']);
    expect(seen.spans.map((s) => [s.lane, s.start, s.end])).toEqual([
      [1, 2, 5],
      [2, 2, 5],
    ]);
  });

  it('keeps GIL model runs apart (their time is ticks)', () => {
    const layout = layoutTimeline([
      {
        kind: 'gil',
        threads: 2,
        ticks: 10,
        withGil: true,
        switches: 1,
        deadlock: false,
        spans: [{ thread: 0, from: 0, to: 5, state: 'holds-gil' }],
        thread: main,
        t: 1,
      },
    ]);
    expect(layout.gil).toHaveLength(1);
    expect(layout.spans).toHaveLength(0);
  });

  it('lays out 10,000 events quickly enough to run on every update', () => {
    const many: RunEvent[] = [];
    for (let i = 0; i < 10_000; i++)
      many.push({
        kind: 'log',
        level: 'log',
        text: String(i),
        depth: 0,
        thread: i % 2 ? w1 : main,
        t: i / 10,
      });
    const layout = layoutTimeline(many);
    expect(layout.marks).toHaveLength(10_000);
  });
});

describe('describeEvent', () => {
  it('writes durations as the rest of the timeline does: seconds from 1,000 ms on', () => {
    const longTask: RunEvent = { kind: 'task', source: 'longtask', duration: 1234.5, thread: main, t: 0 };
    expect(describeEvent(longTask)).toBe('long task for 1.234 s');
    expect(describeEvent({ ...longTask, duration: 62.25 })).toBe('long task for 62.3 ms');
  });
});
