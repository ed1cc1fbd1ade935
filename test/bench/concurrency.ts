/**
 * Benchmarks of the teaching libraries (src/concurrency), in Node 24:
 *  - csp: channel hand-offs per second, unbuffered ping-pong and buffered streaming;
 *  - sync: uncontended Mutex lock+unlock per second inside a worker thread;
 *  - pool: parallel efficiency of a CPU-bound batch for chunk sizes 1, 16 and 256
 *    (efficiency = speedup over the same loop on one thread / min(workers, cores));
 *  - messages: structured clone vs transfer of a 64 MB buffer to a worker and back (ratio).
 *
 * `node test/bench/concurrency.ts` prints the table; the default export returns the rows for
 * `npm run bench`. Figures depend on the machine and on its other load (pool figures are the
 * best of 3 runs for that reason): they are for reading, not for asserting.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { chan, go } from '../../src/concurrency/csp.ts';
import { createPool } from '../../src/concurrency/pool.ts';
import type { MapStats } from '../../src/concurrency/pool.ts';
import { nodeSpawn } from '../../src/concurrency/node.ts';

/** One result line. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const now = (): number => performance.now();
const round = (x: number, digits = 3): number => Number(x.toPrecision(digits));

async function channelPingPong(rounds: number): Promise<number> {
  const ping = chan<number>();
  const pong = chan<number>();
  go(async () => {
    for await (const v of ping) await pong.send(v + 1);
  });
  const t0 = now();
  for (let i = 0; i < rounds; i++) {
    await ping.send(i);
    await pong.recv();
  }
  const seconds = (now() - t0) / 1000;
  ping.close();
  return (2 * rounds) / seconds;
}

async function channelBuffered(values: number, capacity: number): Promise<number> {
  const ch = chan<number>(capacity);
  const t0 = now();
  go(async () => {
    for (let i = 0; i < values; i++) await ch.send(i);
    ch.close();
  });
  let count = 0;
  for await (const _ of ch) count++;
  return count / ((now() - t0) / 1000);
}

/** Uncontended lock/unlock pairs per second, measured inside a worker thread. */
function mutexInWorker(iterations: number): Promise<number> {
  const url = new URL('../../src/concurrency/sync.ts', import.meta.url).href;
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.url).then(({ Mutex }) => {
      const m = new Mutex();
      for (let i = 0; i < 100000; i++) { m.lock(); m.unlock(); }
      const t0 = performance.now();
      for (let i = 0; i < workerData.iterations; i++) { m.lock(); m.unlock(); }
      parentPort.postMessage(workerData.iterations / ((performance.now() - t0) / 1000));
    });`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { url, iterations } });
    worker.once('message', (rate: number) => {
      void worker.terminate();
      resolve(rate);
    });
    worker.once('error', reject);
  });
}

/**
 * CPU work for one item (~50 µs), its result returned so the JIT cannot skip it. Plain modular
 * arithmetic on purpose: an int32 LCG (`Math.imul(x, a) + c | 0`) was seen to deoptimise in pool
 * workers after a few chunks and run 5× slower there than on the main thread, which would measure
 * V8's tiering rather than the pool.
 */
function work(seed: number): number {
  let x = seed % 1000003;
  for (let i = 0; i < 12_000; i++) x = (x * 31 + 7) % 1000003;
  return x;
}

/** The same arithmetic, ~1 ms per item: a batch whose items are worth a message each. */
function heavyWork(seed: number): number {
  let x = seed % 1000003;
  for (let i = 0; i < 240_000; i++) x = (x * 31 + 7) % 1000003;
  return x;
}

async function poolEfficiency(
  label: string,
  work: (seed: number) => number,
  items: number,
  chunkSizes: readonly number[],
  repeats: number,
): Promise<BenchRow[]> {
  const cores = availableParallelism();
  const workers = cores;
  const inputs = Array.from({ length: items }, (_, i) => i);
  // Baseline: the same function on this one thread (after a warm-up so the JIT has compiled it).
  // Every figure is the best of `repeats` runs: on a shared machine, other load only ever slows a run.
  inputs.slice(0, 200).forEach(work);
  let expected: number[] = [];
  let serialMs = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = now();
    expected = inputs.map(work);
    serialMs = Math.min(serialMs, now() - t0);
  }
  const rows: BenchRow[] = [
    {
      name: `pool (${label}): serial baseline`,
      value: round(serialMs),
      unit: 'ms',
      note: `${items} items, 1 thread, best of ${repeats}`,
    },
  ];
  const pool = createPool({ size: workers, spawn: nodeSpawn });
  try {
    await pool.warmUp();
    await pool.map(work, inputs.slice(0, 64), { chunkSize: 8 }); // compile in every worker
    for (const chunkSize of chunkSizes) {
      let best: MapStats<number> | undefined;
      for (let r = 0; r < repeats; r++) {
        const stats = await pool.mapWithStats(work, inputs, { chunkSize });
        if (stats.results.some((x, i) => x !== expected[i])) throw new Error('pool bench: wrong results');
        if (!best || stats.wallMs < best.wallMs) best = stats;
      }
      const stats = best as MapStats<number>;
      const speedup = serialMs / stats.wallMs;
      rows.push({
        name: `pool (${label}): efficiency, chunkSize ${chunkSize}`,
        value: round(speedup / Math.min(workers, cores)),
        unit: 'ratio',
        note: `speedup ${round(speedup)}× with ${workers} workers on ${cores} cores, ${stats.tasks.length} messages, ${round(stats.wallMs)} ms (best of ${repeats})`,
      });
    }
  } finally {
    pool.terminate();
  }
  return rows;
}

/** Round trip of a buffer to a worker and back, copied (structured clone) or moved (transfer). */
async function cloneVsTransfer(bytes: number, repeats: number): Promise<BenchRow[]> {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', ({ buffer, transfer }) => parentPort.postMessage(buffer, transfer ? [buffer] : []));`,
    { eval: true },
  );
  const roundTrip = (transfer: boolean): Promise<number> =>
    new Promise((resolve) => {
      const buffer = new ArrayBuffer(bytes);
      new Uint8Array(buffer).fill(1);
      const t0 = now();
      worker.once('message', () => resolve(now() - t0));
      worker.postMessage({ buffer, transfer }, transfer ? [buffer] : []);
    });
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  try {
    await roundTrip(true);
    const cloned: number[] = [];
    const moved: number[] = [];
    for (let i = 0; i < repeats; i++) {
      cloned.push(await roundTrip(false));
      moved.push(await roundTrip(true));
    }
    const c = median(cloned);
    const t = median(moved);
    const mb = bytes / 2 ** 20;
    return [
      { name: `messages: clone ${mb} MB round trip`, value: round(c), unit: 'ms' },
      { name: `messages: transfer ${mb} MB round trip`, value: round(t), unit: 'ms' },
      {
        name: 'messages: clone / transfer',
        value: round(c / t),
        unit: 'ratio',
        note: `median of ${repeats}`,
      },
    ];
  } finally {
    await worker.terminate();
  }
}

/** Run every benchmark and return its rows. */
export default async function benchConcurrency(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  await channelPingPong(2_000); // warm-up
  rows.push({
    name: 'csp: unbuffered ping-pong hand-offs',
    value: round(await channelPingPong(100_000)),
    unit: '/s',
  });
  await channelBuffered(2_000, 64);
  rows.push({
    name: 'csp: buffered (cap 64) hand-offs',
    value: round(await channelBuffered(300_000, 64)),
    unit: '/s',
  });
  rows.push({
    name: 'sync: uncontended Mutex lock+unlock in a worker',
    value: round(await mutexInWorker(2_000_000)),
    unit: '/s',
  });
  // Two batches: fine-grained items (~50 µs, where one message per item costs about as much as
  // the work, which is what chunking is for) and coarse ones (~1 ms, worth a message each).
  rows.push(...(await poolEfficiency('50 µs items', work, 2_048, [1, 16, 256], 3)));
  rows.push(...(await poolEfficiency('1 ms items', heavyWork, 1_024, [1, 16, 256], 3)));
  rows.push(...(await cloneVsTransfer(64 * 2 ** 20, 5)));
  return rows;
}

export { benchConcurrency };

if (import.meta.main) {
  const rows = await benchConcurrency();
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(width)}  ${String(r.value).padStart(12)} ${r.unit.padEnd(5)} ${r.note ?? ''}`,
    );
  }
}
