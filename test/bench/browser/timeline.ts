/**
 * Timeline benchmarks, run IN the browser (test/bench/timeline.ts bundles this for production and
 * loads it; the browser test test/browser/timeline/measure.test.ts runs it too, for one round).
 * Kept in test/bench/browser/ so that `npm run bench`, which runs every module of test/bench/ in
 * Node, does not take it for one.
 *
 * Tracing overhead, per workload `w` (each a snippet that prints its own elapsed time for its work):
 * - `trace.<w>.overhead`: median over `rounds` PAIRED rounds (untraced, then traced, the same
 *   code in the same executor, alternating so drift hits both alike) of (traced − untraced) /
 *   untraced, in %, of the snippet's own time;
 * - `trace.<w>.perEventUs`: median added snippet time per trace event, in µs;
 * - `trace.<w>.runOverhead`: the same ratio for the whole run (Run → done, as the recorder
 *   measures it), which also counts what tracing costs outside the snippet's own clock: posting
 *   batches, decoding them on the page, recording the events;
 * - `trace.<w>.events`, `trace.<w>.untracedMs`, `trace.<w>.workPerEventUs` (untraced snippet
 *   time per trace event: how much real work the workload does per event).
 * Workloads, each ~10,000 trace events: `csp` (main thread, a goroutine ping-pong that does
 * nothing but make events: well under 1 µs of work per event), `cspWork` (the same ping-pong, each
 * side computing 8,000 mod-mults per message), `mutex` (a worker: Mutex lock/unlock around 200
 * mod-mults, ~1.5 µs of work per event), `mutexWork` (around 4,000), `cspWorker` (the bare
 * ping-pong in a worker).
 *
 * The book's own traced examples (`book.<id>`, passed in by the caller: every example with the
 * `timeline` flag, in its default realm): `book.<id>.overhead` is the whole-run ratio (they do not
 * time themselves), `book.<id>.events` how many trace events the traced run kept.
 *
 * The floor: `clock.mainUs` / `clock.workerUs` is what one `performance.now()` costs here. A trace
 * event needs one clock read (its time), so a run doing W µs of work per event cannot be traced for
 * less than clock / W; `trace.<w>.floor` is that figure for each workload.
 *
 * Rendering (10,000+ events, a 760 px wide timeline), with PerformanceObserver('longtask'):
 * - `render.ms`: ONE forced synchronous layout + draw (`setEvents`, `layout`, `fit`), for scale;
 * - `render.longestTask`: longest main-thread task (0: none over 50 ms, the browser's long-task
 *   threshold) while a finished run's events are shown as the page shows them, zoomed, panned,
 *   and the table is opened and paged, and while a live worker run streams into an attached
 *   timeline; `render.longestTask.<phase>` per phase;
 * - `render.frameGap.<phase>`: the longest gap between two animation frames in that phase (a
 *   stall as the reader sees it; shows tasks under the 50 ms long-task threshold too).
 */
import { MainThreadExecutor } from '../../../src/runner/main-thread.ts';
import type { Executor, RunEvent } from '../../../src/runner/index.ts';
import { TRACE_KINDS } from '../../../src/runner/events.ts';
import { WorkerExecutor } from '../../../src/runner/worker-host.ts';
import { mountTimeline } from '../../../src/client/timeline/index.ts';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));

/** ~10,000 trace events: each round trip is 2 hand-offs, up to 2 blocks + 2 unblocks. */
const csp = (work: number) => `
import { chan, go, runMain } from 'interleave/csp';
const rounds = 1650;
let x = 1;
const work = () => { for (let j = 0; j < ${work}; j++) x = (x * 31 + 7) % 1000003; };
const start = performance.now();
await runMain(async () => {
  const ping = chan(0, 'ping'), pong = chan(0, 'pong');
  go(async () => { for (let i = 0; i < rounds; i++) { const { value } = await ping.recv(); work(); await pong.send(value + 1); } }, 'ponger');
  let sum = 0;
  for (let i = 0; i < rounds; i++) { work(); await ping.send(i); sum += (await pong.recv()).value; }
});
console.log(performance.now() - start, x);
`;

/** 10,000 trace events: 5,000 × (acquire + release), each around `work` mod-mults. */
const mutex = (work: number) => `
import { Mutex } from 'interleave/sync';
const m = new Mutex();
let x = 1;
const start = performance.now();
for (let i = 0; i < 5000; i++) {
  m.lock();
  for (let j = 0; j < ${work}; j++) x = (x * 31 + 7) % 1000003;
  m.unlock();
}
console.log(performance.now() - start, x);
`;
const MUTEX = mutex(200);

interface Timed {
  readonly ms: number;
  readonly runMs: number;
  readonly traced: number;
  readonly events: readonly RunEvent[];
}

async function elapsed(executor: Executor, code: string, trace: boolean): Promise<Timed> {
  const result = await executor.run(code, { trace, timeoutMs: 30_000 }).done;
  const line = result.events.find((e) => e.kind === 'log');
  if (result.status !== 'done' || line?.kind !== 'log')
    throw new Error(`benchmark run ${result.status}: ${result.reason ?? ''}`);
  const traced = result.events.reduce((n, e) => n + (TRACE_KINDS.has(e.kind) ? 1 : 0), 0);
  return { ms: Number(line.text.split(' ')[0]), runMs: result.durationMs, traced, events: result.events };
}

/**
 * `rounds` PAIRED rounds of one run untraced, then traced (the same code in the same executor,
 * alternating so drift hits both alike), after one of each to warm the libraries and the JIT.
 */
async function pairedRounds<T>(
  rounds: number,
  once: (trace: boolean) => Promise<T>,
): Promise<{ untraced: T; traced: T }[]> {
  await once(false);
  await once(true);
  const pairs: { untraced: T; traced: T }[] = [];
  for (let i = 0; i < rounds; i++) {
    await pause(40);
    const untraced = await once(false);
    await pause(40);
    pairs.push({ untraced, traced: await once(true) });
  }
  return pairs;
}

const percentMore = (traced: number, untraced: number) => ((traced - untraced) / untraced) * 100;

async function overhead(executor: Executor, code: string, rounds: number) {
  const pairs = await pairedRounds(rounds, (trace) => elapsed(executor, code, trace));
  const last = pairs.at(-1)?.traced;
  const traced = last?.traced ?? 0;
  const plain = median(pairs.map((p) => p.untraced.ms));
  return {
    overhead: median(pairs.map((p) => percentMore(p.traced.ms, p.untraced.ms))),
    runOverhead: median(pairs.map((p) => percentMore(p.traced.runMs, p.untraced.runMs))),
    perEventUs: median(
      pairs.map((p) => ((p.traced.ms - p.untraced.ms) * 1000) / Math.max(1, p.traced.traced)),
    ),
    untracedMs: plain,
    untracedRunMs: median(pairs.map((p) => p.untraced.runMs)),
    workPerEventUs: (plain * 1000) / Math.max(1, traced),
    traced,
    events: last?.events ?? [],
  };
}

/** µs per `performance.now()` (median of 5 runs of 200,000 reads), as a function body. */
const CLOCK_COST = `
  const runs = [];
  let sink = 0;
  for (let r = 0; r < 5; r++) {
    const start = performance.now();
    for (let i = 0; i < 200000; i++) sink += performance.now();
    runs.push(((performance.now() - start) * 1000) / 200000);
  }
  runs.sort((a, b) => a - b);
  return sink > 0 ? runs[2] : NaN;`;

/** What one clock read costs on this thread and in a (plain) worker. */
async function clockCosts(): Promise<{ main: number; worker: number }> {
  const main = new Function(CLOCK_COST)() as number;
  const url = URL.createObjectURL(
    new Blob([`postMessage((() => {${CLOCK_COST}})());`], { type: 'text/javascript' }),
  );
  const worker = new Worker(url);
  try {
    const inWorker = await new Promise<number>((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data as number);
      worker.onerror = (event) => reject(new Error(event.message));
    });
    return { main, worker: inWorker };
  } finally {
    worker.terminate();
    URL.revokeObjectURL(url);
  }
}

/** Whole-run overhead of tracing one of the book's own examples (they do not time themselves). */
async function bookOverhead(executor: Executor, code: string, timeoutMs: number, rounds: number) {
  const pairs = await pairedRounds(rounds, async (trace) => {
    const result = await executor.run(code, { trace, timeoutMs }).done;
    if (result.status !== 'done') throw new Error(`book example ${result.status}: ${result.reason ?? ''}`);
    return result;
  });
  const last = pairs.at(-1)?.traced.events ?? [];
  return {
    overhead: median(pairs.map((p) => percentMore(p.traced.durationMs, p.untraced.durationMs))),
    untracedMs: median(pairs.map((p) => p.untraced.durationMs)),
    events: last.reduce((n, e) => n + (TRACE_KINDS.has(e.kind) ? 1 : 0), 0),
  };
}

/** One of the book's runnable examples with the `timeline` flag. */
export interface BookExample {
  readonly id: string;
  readonly realm: 'main' | 'worker';
  readonly code: string;
  readonly timeoutMs: number;
}

export async function measureTimeline(
  rounds = 5,
  book: readonly BookExample[] = [],
): Promise<Record<string, number>> {
  const main = new MainThreadExecutor();
  const worker = new WorkerExecutor({ warm: true });
  const figures: Record<string, number> = {};
  let biggest: readonly RunEvent[] = [];
  try {
    const clock = await clockCosts();
    figures['clock.mainUs'] = clock.main;
    figures['clock.workerUs'] = clock.worker;
    const workloads: [string, Executor, string][] = [
      ['csp', main, csp(0)],
      ['cspWork', main, csp(8000)],
      ['mutex', worker, MUTEX],
      ['mutexWork', worker, mutex(4000)],
      ['cspWorker', worker, csp(0)],
    ];
    for (const [name, executor, code] of workloads) {
      const r = await overhead(executor, code, rounds);
      figures[`trace.${name}.events`] = r.traced;
      figures[`trace.${name}.overhead`] = r.overhead;
      figures[`trace.${name}.runOverhead`] = r.runOverhead;
      figures[`trace.${name}.untracedMs`] = r.untracedMs;
      figures[`trace.${name}.untracedRunMs`] = r.untracedRunMs;
      figures[`trace.${name}.perEventUs`] = r.perEventUs;
      figures[`trace.${name}.workPerEventUs`] = r.workPerEventUs;
      figures[`trace.${name}.floor`] =
        ((executor === main ? clock.main : clock.worker) / r.workPerEventUs) * 100;
      if (name === 'csp') biggest = r.events;
    }
    for (const example of book) {
      const r = await bookOverhead(
        example.realm === 'main' ? main : worker,
        example.code,
        example.timeoutMs,
        rounds,
      );
      figures[`book.${example.id}.overhead`] = r.overhead;
      figures[`book.${example.id}.untracedMs`] = r.untracedMs;
      figures[`book.${example.id}.events`] = r.events;
    }

    // Rendering: the csp run's events, in a timeline of realistic width.
    const host = document.createElement('div');
    host.style.width = '760px';
    document.body.append(host);
    await frame();

    // For scale: one forced synchronous layout + draw.
    const scratch = mountTimeline(host);
    let start = performance.now();
    scratch.setEvents(biggest);
    void scratch.layout;
    scratch.fit();
    figures['render.ms'] = performance.now() - start;
    figures['render.events'] = biggest.length;
    scratch.remove();
    await pause(200);

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
    // Frame gaps (what a reader sees as a stall), per phase: below the 50 ms long-task threshold too.
    const gaps = new Map<string, number>();
    let lastFrame = performance.now();
    let probing = true;
    const probe = (now: number) => {
      gaps.set(phase, Math.max(gaps.get(phase) ?? 0, now - lastFrame));
      lastFrame = now;
      if (probing) requestAnimationFrame(probe);
    };
    requestAnimationFrame(probe);
    // As the page shows a finished run: set the events, let the element render them.
    const timeline = mountTimeline(host);
    start = performance.now();
    timeline.setEvents(biggest);
    for (let i = 0; i < 60; i++) await frame();
    await pause(100);
    phase = 'zoom';
    for (let i = 0; i < 6; i++) {
      timeline.zoom(1.6);
      await frame();
    }
    phase = 'pan';
    for (let i = 0; i < 6; i++) {
      timeline
        .querySelector('.rt-plot')
        ?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', shiftKey: true, bubbles: true }));
      await frame();
    }
    for (let i = 0; i < 6; i++) {
      timeline.zoom(1 / 1.6);
      await frame();
    }
    await pause(100);
    phase = 'table';
    const table = timeline.querySelector<HTMLDetailsElement>('details.rt-table');
    if (table) {
      table.open = true;
      await frame();
      await frame();
      for (let i = 0; i < 5; i++) {
        timeline.querySelector<HTMLButtonElement>('.rt-table-nav button[data-dir="1"]')?.click();
        await frame();
      }
      table.open = false;
    }
    await pause(100);
    // A live run streaming into an attached timeline (the island's case): a worker, 10,000 events.
    phase = 'live';
    timeline.remove();
    const live = mountTimeline(host, worker.run(MUTEX, { trace: true, timeoutMs: 30_000 }));
    await new Promise<void>((resolve) => {
      const check = () =>
        live.events.some((e) => e.kind === 'status' && e.state !== 'running')
          ? resolve()
          : void setTimeout(check, 20);
      check();
    });
    for (let i = 0; i < 30; i++) await frame();
    await pause(100);
    observer.disconnect();
    probing = false;
    for (const [name, gap] of gaps) figures[`render.frameGap.${name}`] = gap;
    figures['render.longestTask'] = longest;
    for (const name of ['render', 'zoom', 'pan', 'table', 'live']) figures[`render.longestTask.${name}`] = 0;
    for (const [name, duration] of phases)
      figures[`render.longestTask.${name}`] = Math.max(figures[`render.longestTask.${name}`] ?? 0, duration);
    host.remove();
    return figures;
  } finally {
    main.dispose();
    worker.dispose();
  }
}
