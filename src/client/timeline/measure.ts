/**
 * Timeline benchmarks, run IN the browser (test/bench/timeline.ts loads this through Vite; the
 * browser test test/browser/timeline/measure.test.ts runs it too). Figures:
 *
 * - `trace.<workload>.events`: trace events one traced run records (target about 10,000).
 * - `trace.<workload>.overhead`: median over `rounds` of (traced − untraced) / untraced, in %,
 *   of the snippet's own elapsed time for its work (it prints it), runs alternating so drift
 *   hits both alike. Workloads: `csp` (main thread, a goroutine ping-pong: block, hand-off and
 *   unblock events) and `mutex` (a worker: Mutex lock/unlock around a little work).
 *   `trace.<workload>.untracedMs` is the untraced median; `trace.<workload>.perEventUs` the
 *   median added cost per trace event in µs (the figure that does not depend on the workload).
 * - `render.ms`: laying out and drawing those 10,000+ events once (synchronous part).
 * - `render.longestTask`: longest main-thread 'longtask' while the timeline renders a 10,000-event
 *   run, is zoomed and has its table opened and paged (0: none over 50 ms, the browser's
 *   threshold for a long task); `render.longestTask.<phase>` per phase.
 */
import { MainThreadExecutor } from '../../runner/main-thread.ts';
import type { Executor, RunEvent } from '../../runner/index.ts';
import { TRACE_KINDS } from '../../runner/events.ts';
import { WorkerExecutor } from '../../runner/worker-host.ts';
import { mountTimeline } from './index.ts';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));

/** ~10,000 trace events: each round trip is 2 hand-offs, up to 2 blocks + 2 unblocks. */
const CSP = `
import { chan, go, runMain } from 'interleave/csp';
const rounds = 1650;
const start = performance.now();
await runMain(async () => {
  const ping = chan(0, 'ping'), pong = chan(0, 'pong');
  go(async () => { for (let i = 0; i < rounds; i++) { const { value } = await ping.recv(); await pong.send(value + 1); } }, 'ponger');
  let sum = 0;
  for (let i = 0; i < rounds; i++) { await ping.send(i); sum += (await pong.recv()).value; }
});
console.log(performance.now() - start);
`;

/** 10,000 trace events: 5,000 × (acquire + release), each around a little work. */
const MUTEX = `
import { Mutex } from 'interleave/sync';
const m = new Mutex();
let x = 1;
const start = performance.now();
for (let i = 0; i < 5000; i++) {
  m.lock();
  for (let j = 0; j < 200; j++) x = (x * 31 + 7) % 1000003;
  m.unlock();
}
console.log(performance.now() - start);
`;

async function elapsed(executor: Executor, code: string, trace: boolean): Promise<{ ms: number; events: readonly RunEvent[] }> {
  const result = await executor.run(code, { trace, timeoutMs: 30_000 }).done;
  const line = result.events.find((e) => e.kind === 'log');
  if (result.status !== 'done' || line?.kind !== 'log') throw new Error(`benchmark run ${result.status}: ${result.reason ?? ''}`);
  return { ms: Number(line.text), events: result.events };
}

async function overhead(executor: Executor, code: string, rounds: number) {
  const ratios: number[] = [];
  const perEvent: number[] = [];
  let events: readonly RunEvent[] = [];
  // One of each first, to warm the libraries and the JIT.
  await elapsed(executor, code, false);
  await elapsed(executor, code, true);
  let plain = 0;
  const plains: number[] = [];
  for (let i = 0; i < rounds; i++) {
    await pause(30);
    const untraced = await elapsed(executor, code, false);
    plains.push(untraced.ms);
    plain = median(plains);
    await pause(30);
    const traced = await elapsed(executor, code, true);
    events = traced.events;
    ratios.push(((traced.ms - untraced.ms) / untraced.ms) * 100);
    const count = traced.events.filter((e) => TRACE_KINDS.has(e.kind)).length;
    perEvent.push(((traced.ms - untraced.ms) * 1000) / Math.max(1, count));
  }
  return { overhead: median(ratios), perEventUs: median(perEvent), untracedMs: plain, events };
}

export async function measureTimeline(rounds = 5): Promise<Record<string, number>> {
  const main = new MainThreadExecutor();
  const worker = new WorkerExecutor({ warm: false });
  const figures: Record<string, number> = {};
  try {
    const csp = await overhead(main, CSP, rounds);
    figures['trace.csp.events'] = csp.events.filter((e) => TRACE_KINDS.has(e.kind)).length;
    figures['trace.csp.overhead'] = csp.overhead;
    figures['trace.csp.untracedMs'] = csp.untracedMs;
    figures['trace.csp.perEventUs'] = csp.perEventUs;
    const mutex = await overhead(worker, MUTEX, rounds);
    figures['trace.mutex.events'] = mutex.events.filter((e) => TRACE_KINDS.has(e.kind)).length;
    figures['trace.mutex.overhead'] = mutex.overhead;
    figures['trace.mutex.untracedMs'] = mutex.untracedMs;
    figures['trace.mutex.perEventUs'] = mutex.perEventUs;

    // Rendering: the csp run's events (the larger), in a timeline of realistic width.
    const host = document.createElement('div');
    host.style.width = '760px';
    document.body.append(host);
    await frame();
    let longest = 0;
    const phases: [string, number][] = [];
    let phase = 'render';
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        longest = Math.max(longest, entry.duration);
        phases.push([phase, entry.duration]);
      }
    });
    observer.observe({ type: 'longtask' });
    const timeline = mountTimeline(host);
    const start = performance.now();
    timeline.setEvents(csp.events);
    void timeline.layout; // lays out now
    timeline.fit(); // draws now
    figures['render.ms'] = performance.now() - start;
    figures['render.events'] = csp.events.length;
    await frame();
    await pause(60);
    phase = 'zoom';
    // The reader zooms a few times and opens the table.
    for (let i = 0; i < 5; i++) {
      timeline.zoom(1.6);
      await frame();
    }
    const table = timeline.querySelector<HTMLDetailsElement>('details.rt-table');
    await pause(60);
    phase = 'table';
    if (table) {
      table.open = true;
      await frame();
      // …and pages through it.
      for (let i = 0; i < 5; i++) {
        timeline.querySelector<HTMLButtonElement>('.rt-table-nav button[data-dir="1"]')?.click();
        await frame();
      }
    }
    await pause(100);
    observer.disconnect();
    figures['render.longestTask'] = longest;
    for (const [name, duration] of phases) figures[`render.longestTask.${name}`] = Math.max(figures[`render.longestTask.${name}`] ?? 0, duration);
    host.remove();
    return figures;
  } finally {
    main.dispose();
    worker.dispose();
  }
}
