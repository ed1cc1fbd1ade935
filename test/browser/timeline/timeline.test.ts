/**
 * The timeline from real runs, in both realms: lanes and arrows from a worker that posts
 * messages, lock-wait spans from contention on an interleave/sync Mutex, channel events from a
 * csp ping-pong, keyboard navigation, and choosing an item ↔ marking a moment. No timings are
 * asserted; the snippets only wait long enough to make the contention happen.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import {
  MainThreadExecutor,
  TRACE_KINDS,
  WorkerExecutor,
  type Executor,
  type RunEvent,
  type RunOptions,
  outputText,
} from '../../../src/runner/index.ts';
import { tracer } from '../../../src/concurrency/trace.ts';
import {
  mountTimeline,
  type RunTimeline,
  type TimelineSelectDetail,
} from '../../../src/client/timeline/index.ts';
import { describeEvent } from '../../../src/client/timeline/layout.ts';
import { frame } from '../../support/wait.ts';

const executors: Record<'main' | 'worker', Executor> = {
  main: new MainThreadExecutor(),
  worker: new WorkerExecutor(),
};
afterAll(() => {
  executors.main.dispose();
  executors.worker.dispose();
});
afterEach(() => document.body.querySelectorAll('.tl-host').forEach((node) => node.remove()));

const run = (realm: 'main' | 'worker', code: string, options: RunOptions = {}) =>
  executors[realm].run(code, { trace: true, ...options });

function host(): HTMLElement {
  const div = document.createElement('div');
  div.className = 'tl-host';
  div.style.width = '800px';
  document.body.append(div);
  return div;
}

const messages = `
const w = spawn(() => {
  onmessage = (e) => { console.log('worker got', e.data); postMessage(e.data * 2); };
});
const reply = await new Promise((resolve) => { w.onmessage = (e) => resolve(e.data); w.postMessage(21); });
console.log('main got', reply);
w.terminate();
`;

const contention = `
import { Mutex } from 'interleave/sync';
const m = new Mutex();
await m.lockAsync();
const code = \`
import { Mutex } from 'interleave/sync';
onmessage = (e) => {
  const m = Mutex.from(e.data);
  postMessage('trying');
  m.lock();
  const until = performance.now() + 20;
  while (performance.now() < until) {}
  m.unlock();
  postMessage('done');
};\`;
const workers = [spawn(code), spawn(code)];
const trying = workers.map((w) => new Promise((resolve) => { w.onmessage = resolve; }));
for (const w of workers) w.postMessage(m.handle);
await Promise.all(trying);
await new Promise((resolve) => setTimeout(resolve, 50));
const done = workers.map((w) => new Promise((resolve) => { w.onmessage = resolve; }));
m.unlock();
await Promise.all(done);
for (const w of workers) w.terminate();
console.log('both done');
`;

const pingPong = `
import { chan, go, runMain } from 'interleave/csp';
await runMain(async () => {
  const ping = chan(0, 'ping');
  const pong = chan(0, 'pong');
  go(async () => {
    for (let i = 0; i < 3; i++) {
      const { value } = await ping.recv();
      await pong.send(value + 1);
    }
  }, 'ponger');
  for (let i = 0; i < 3; i++) {
    await ping.send(i);
    console.log('got', (await pong.recv()).value);
  }
});
`;

describe.each(['main', 'worker'] as const)('timeline from a real %s run', (realm) => {
  it('a worker that posts messages gives its own lane and arrows both ways', async () => {
    const handle = run(realm, messages);
    const timeline = mountTimeline(host(), handle);
    const result = await handle.done;
    expect(result.status).toBe('done');
    const layout = timeline.layout;
    const labels = layout.lanes.map((l) => l.label);
    expect(labels[0]).toBe('main');
    // The snippet's thread (main, or worker 1 in a worker run) and the worker it spawned.
    expect(labels.length).toBe(realm === 'main' ? 2 : 3);
    const spawned = layout.lanes.length - 1;
    const snippet = realm === 'main' ? 0 : 1;
    expect(layout.arrows.some((a) => a.from === snippet && a.to === spawned && a.label === '21')).toBe(true);
    expect(layout.arrows.some((a) => a.from === spawned && a.to === snippet && a.label === '42')).toBe(true);
    expect(
      layout.marks.some((m) => m.lane === spawned && m.kind === 'log' && m.label === 'worker got 21'),
    ).toBe(true);
    expect(layout.lanes[spawned]?.end).toBeGreaterThan(layout.lanes[spawned]?.start ?? Infinity);
  });

  it('lock contention gives lock-wait spans in the workers and a held span where the lock was taken', async () => {
    const result = await run(realm, contention).done;
    expect(result.status).toBe('done');
    const timeline = mountTimeline(host());
    timeline.setEvents(result.events);
    const { spans, lanes } = timeline.layout;
    const waits = spans.filter((s) => s.kind === 'lock-wait');
    expect(waits.length).toBeGreaterThanOrEqual(2);
    for (const wait of waits) {
      expect(lanes[wait.lane]?.label).toMatch(/^worker \d+$/);
      expect(wait.open).toBeUndefined();
      expect(wait.end).toBeGreaterThanOrEqual(wait.start);
    }
    // Every hold ends before the next one on the same lock begins: mutual exclusion, seen.
    const holds = spans.filter((s) => s.kind === 'lock-held').sort((a, b) => a.start - b.start);
    expect(holds.length).toBe(3);
    for (let i = 1; i < holds.length; i++) expect(holds[i]!.start).toBeGreaterThanOrEqual(holds[i - 1]!.end);
    // The busy loops inside the lock show up as "ran" spans (the loop guard's checks).
    expect(spans.some((s) => s.kind === 'loop')).toBe(true);
  });

  it('a csp ping-pong gives hand-offs, blocked spans and the goroutine', async () => {
    const result = await run(realm, pingPong).done;
    expect(result.status).toBe('done');
    const channel = result.events.filter(
      (e): e is Extract<RunEvent, { kind: 'channel' }> => e.kind === 'channel',
    );
    const handoffs = channel.filter((e) => e.op === 'handoff');
    expect(handoffs.map((e) => e.channels?.[0])).toEqual(['ping', 'pong', 'ping', 'pong', 'ping', 'pong']);
    const timeline = mountTimeline(host());
    timeline.setEvents(result.events);
    const { spans, marks } = timeline.layout;
    expect(spans.some((s) => s.kind === 'goroutine' && s.label.includes('ponger'))).toBe(true);
    expect(spans.filter((s) => s.kind === 'blocked').length).toBeGreaterThan(0);
    expect(marks.filter((m) => m.kind === 'handoff')).toHaveLength(6);
    expect(timeline.toMermaid()).toContain('hand-off on ping: 0 (direct)');
  });
});

describe.each(['main', 'worker'] as const)('a %s run past the trace cap', (realm) => {
  it('keeps the first events and says the rest were left out', async () => {
    const locks = `
      import { Mutex } from 'interleave/sync';
      const m = new Mutex();
      for (let i = 0; i < 500; i++) { await m.lockAsync(); m.unlock(); }
    `;
    const code = `${locks}
      const w = spawn(\`${locks.replace(/`/g, '\\`')} postMessage('done');\`);
      await new Promise((resolve) => (w.onmessage = resolve));
      w.terminate();
      console.log('finished');
    `;
    const result = await run(realm, code, { cap: { traceEvents: 40 } }).done;
    expect(result.status).toBe('done');
    expect(result.events.filter((e) => TRACE_KINDS.has(e.kind))).toHaveLength(40);
    // The first thread makes 1,000 lock events before it starts the worker: they fill the cap.
    const lockEvents = result.events.filter((e) => e.kind === 'lock');
    expect(lockEvents.length).toBeGreaterThan(30);
    expect(new Set(lockEvents.map((e) => e.thread.label))).toEqual(
      new Set([realm === 'main' ? 'main' : 'worker 1']),
    );
    const notices = result.events.filter((e) => e.kind === 'limit' && e.what === 'trace');
    expect(notices).toHaveLength(1);
    expect(result.events.some((e) => e.kind === 'log' && e.text === 'finished')).toBe(true);
  });
});

describe('a main-thread run past the trace cap', () => {
  it("removes the libraries' tracer, so the rest of the run pays nothing for tracing", async () => {
    // Main-thread runs share the page's libraries: the snippet asks the page whether a tracer is set.
    const page = window as unknown as { tracerIsSet?: () => boolean };
    page.tracerIsSet = () => tracer !== null;
    const code = `
      import { Mutex } from 'interleave/sync';
      const m = new Mutex();
      await m.lockAsync(); m.unlock();
      console.log('after 2 events:', parent.tracerIsSet());
      for (let i = 0; i < 100; i++) { await m.lockAsync(); m.unlock(); }
      console.log('after 202 events:', parent.tracerIsSet());
    `;
    const result = await run('main', code, { cap: { traceEvents: 50 } }).done;
    delete page.tracerIsSet;
    expect(outputText(result.events)).toBe('after 2 events: true\nafter 202 events: false');
  });
});

describe('timeline without tracing', () => {
  it('a run without trace: true records no trace events, but lanes and arrows still come out', async () => {
    const result = await executors.worker.run(messages).done;
    expect(
      result.events.some((e) => ['task', 'timer', 'lock', 'channel', 'pool-task', 'gil'].includes(e.kind)),
    ).toBe(false);
    const timeline = mountTimeline(host());
    timeline.setEvents(result.events);
    expect(timeline.layout.arrows.length).toBe(2);
  });
});

describe('timeline interaction', () => {
  async function shown(): Promise<{ timeline: RunTimeline; events: readonly RunEvent[] }> {
    const result = await run('main', messages).done;
    const timeline = mountTimeline(host());
    timeline.setEvents(result.events);
    await frame();
    return { timeline, events: result.events };
  }

  it('is navigable with the keyboard: one tab stop, arrows move between items and lanes, Enter chooses', async () => {
    const { timeline, events } = await shown();
    const plot = timeline.querySelector<HTMLElement>('.rt-plot');
    expect(plot?.tabIndex).toBe(0);
    plot?.focus();
    expect(document.activeElement).toBe(plot);
    const first = timeline.focusedDescription;
    expect(first).toMatch(/^main, /);
    await userEvent.keyboard('{ArrowRight}');
    const second = timeline.focusedDescription;
    expect(second).not.toBe(first);
    await userEvent.keyboard('{ArrowDown}');
    expect(timeline.focusedDescription).toMatch(/^worker 1/);
    // The details line says the same, for screen readers (aria-live).
    expect(timeline.querySelector('.rt-detail')?.textContent).toBe(timeline.focusedDescription);
    const chosen = new Promise<TimelineSelectDetail>((resolve) =>
      timeline.addEventListener('timeline-select', (e) => resolve(e.detail), { once: true }),
    );
    await userEvent.keyboard('{Enter}');
    const detail = await chosen;
    expect(detail.thread).toBe(1);
    expect(events[detail.index]?.t).toBeCloseTo(detail.t, 6);
    const before = timeline.view;
    await userEvent.keyboard('+');
    const after = timeline.view;
    expect(after.to - after.from).toBeLessThan(before.to - before.from);
    await userEvent.keyboard('0');
    expect(timeline.view.from).toBe(0);
  });

  it('an output line → its moment: highlightTime focuses the item of that line', async () => {
    const { timeline, events } = await shown();
    const index = events.findIndex((e) => e.kind === 'log' && e.text === 'worker got 21');
    const line = events[index]!;
    timeline.highlightTime(line.t, line.thread.id);
    expect(timeline.focusedDescription).toContain('worker got 21');
  });

  it('a moment → its output lines: choosing an item reports the event and time', async () => {
    const { timeline, events } = await shown();
    const index = events.findIndex((e) => e.kind === 'log' && e.text.startsWith('main got'));
    const chosen = new Promise<TimelineSelectDetail>((resolve) =>
      timeline.addEventListener('timeline-select', (e) => resolve(e.detail), { once: true }),
    );
    expect(timeline.selectEvent(index)).toBe(true);
    const detail = await chosen;
    expect(detail.index).toBe(index);
    expect(detail.t).toBe(events[index]?.t);
  });

  it('has a table of every event and the Mermaid text', async () => {
    const { timeline, events } = await shown();
    const details = timeline.querySelector<HTMLDetailsElement>('details.rt-table');
    details!.open = true;
    details!.dispatchEvent(new Event('toggle'));
    await frame();
    // One page of rows (the run is short enough to fit on one): every event once, in time order.
    const rows = [...timeline.querySelectorAll<HTMLTableRowElement>('details.rt-table tbody tr')];
    expect(rows).toHaveLength(events.length);
    const indexes = rows.map((row) => Number(row.dataset['index']));
    expect([...indexes].sort((a, b) => a - b)).toEqual([...events.keys()]);
    const times = indexes.map((index) => events[index]!.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(timeline.querySelector('details.rt-table caption')?.textContent).toBe(
      `Events 1–${events.length} of ${events.length}`,
    );
    expect(timeline.toMermaid()).toMatch(
      /^sequenceDiagram\n {2}participant T0 as main\n {2}participant T1 as worker 1\n/,
    );
  });
});

describe('the table of events', () => {
  // A worker's events arrive in a batch, after main-thread events that happened later.
  const main = { id: 0, label: 'main' } as const;
  const worker = { id: 1, label: 'worker 1' } as const;
  const arrived: RunEvent[] = [
    { kind: 'status', state: 'running', thread: main, t: 0 },
    { kind: 'log', level: 'log', text: 'main, later', depth: 0, thread: main, t: 30 },
    { kind: 'log', level: 'log', text: 'worker, earlier', depth: 0, thread: worker, t: 10 },
    { kind: 'log', level: 'log', text: 'worker, same time as main', depth: 0, thread: worker, t: 30 },
    { kind: 'status', state: 'done', durationMs: 40, thread: main, t: 40 },
  ];

  it('lists events in time order (ties as they arrived), and a row chooses its own event', async () => {
    const timeline = mountTimeline(host());
    timeline.setEvents(arrived);
    await frame();
    const details = timeline.querySelector<HTMLDetailsElement>('details.rt-table')!;
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
    await frame();
    const rows = [...timeline.querySelectorAll<HTMLTableRowElement>('details.rt-table tbody tr')];
    expect(rows.map((row) => row.cells[3]?.textContent)).toEqual(
      [0, 2, 1, 3, 4].map((index) => describeEvent(arrived[index]!)),
    );
    const chosen = new Promise<TimelineSelectDetail>((resolve) =>
      timeline.addEventListener('timeline-select', (e) => resolve(e.detail), { once: true }),
    );
    rows[1]!.cells[0]!.click();
    expect((await chosen).index).toBe(2);
  });
});
