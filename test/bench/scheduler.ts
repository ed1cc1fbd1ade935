/**
 * Benchmarks of `interleave/model` and the scheduler panel, in Node 24:
 *  - schedules explored per second: two threads × three increments (924 interleavings) and three
 *    dining philosophers (every interleaving, and with the sleep-set reduction);
 *  - by-hand step latency: one step of a by-hand session, and one undo (a replay);
 *  - chunk size: the panel's code as the browser gets it (esbuild, minified, gzip), which a page
 *    loads only when the panel comes near the screen or is pressed (0 bytes until then: the page
 *    ships only the shared lazy-demo loader).
 *
 * `node test/bench/scheduler.ts` prints the table; the default export returns the rows for
 * `npm run bench`. Figures are for reading, not for asserting.
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { HandSession } from '../../src/client/scheduler/session.ts';
import { model, type Setup } from '../../src/concurrency/model/index.ts';
import type { BenchRow } from './concurrency.ts';

const round = (x: number, digits = 3): number => Number(x.toPrecision(digits));

const increments: Setup = ({ shared, thread }) => {
  const x = shared('x', 0);
  for (let t = 0; t < 2; t++)
    thread(async () => {
      for (let i = 0; i < 3; i++) await x.write((await x.read()) + 1);
    });
};

const philosophers: Setup = ({ mutex, thread }) => {
  const forks = [mutex('fork 0'), mutex('fork 1'), mutex('fork 2')];
  for (let i = 0; i < 3; i++)
    thread(async () => {
      const [left, right] = [forks[i]!, forks[(i + 1) % 3]!];
      await left.lock();
      await right.lock();
      await right.unlock();
      await left.unlock();
    });
};

/** Schedules per second, exploring repeatedly for at least `ms`. */
async function schedulesPerSecond(
  setup: Setup,
  reduce: boolean,
  ms = 1500,
): Promise<{ rate: number; count: number }> {
  const program = model(setup);
  let schedules = 0;
  let count = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    const report = await program.explore({ reduce });
    schedules += report.schedules;
    count = report.schedules;
  }
  return { rate: schedules / ((performance.now() - t0) / 1000), count };
}

async function stepLatency(): Promise<{ step: number; undo: number }> {
  const session = await HandSession.open(increments);
  let steps = 0;
  let stepMs = 0;
  let undos = 0;
  let undoMs = 0;
  for (let round = 0; round < 200; round++) {
    await session.restart();
    for (let i = 0; i < 12; i++) {
      const t0 = performance.now();
      await session.choose(session.moves()[i % session.moves().length]!.thread);
      stepMs += performance.now() - t0;
      steps++;
    }
    const t0 = performance.now();
    await session.undo();
    undoMs += performance.now() - t0;
    undos++;
  }
  return { step: stepMs / steps, undo: undoMs / undos };
}

async function chunkGzip(): Promise<number> {
  const result = await build({
    entryPoints: [new URL('../../src/client/scheduler/element.ts', import.meta.url).pathname],
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    write: false,
    outdir: 'out',
    logLevel: 'silent',
  });
  // The entry chunk and what it imports statically; the loader (the runner's transform, on the
  // first press), the timeline (on "Show as a timeline") and the libraries a snippet imports are
  // further chunks, fetched when used.
  const entry = result.outputFiles.find((file) => file.path.endsWith('/element.js'))!;
  const statics = [...entry.text.matchAll(/from"\.\/(chunk-[^"]+\.js)"/g)].map((m) => m[1]);
  const files = [
    entry,
    ...result.outputFiles.filter((file) => statics.some((name) => file.path.endsWith(`/${name}`))),
  ];
  return files.reduce((sum, file) => sum + gzipSync(file.contents).length, 0);
}

export default async function bench(): Promise<BenchRow[]> {
  const increments924 = await schedulesPerSecond(increments, false);
  const dining = await schedulesPerSecond(philosophers, false);
  const diningReduced = await schedulesPerSecond(philosophers, true);
  const latency = await stepLatency();
  const gzip = await chunkGzip();
  return [
    {
      name: 'model: 2 threads × 3 increments',
      value: round(increments924.rate),
      unit: 'schedules/s',
      note: `${increments924.count} schedules`,
    },
    {
      name: 'model: 3 dining philosophers',
      value: round(dining.rate),
      unit: 'schedules/s',
      note: `${dining.count} schedules`,
    },
    {
      name: 'model: 3 dining philosophers, reduced',
      value: round(diningReduced.rate),
      unit: 'schedules/s',
      note: `${diningReduced.count} schedules`,
    },
    { name: 'scheduler: one by-hand step', value: round(latency.step), unit: 'ms' },
    { name: 'scheduler: undo (replay of 11 steps)', value: round(latency.undo), unit: 'ms' },
    {
      name: 'scheduler panel code (gzip)',
      value: gzip,
      unit: 'bytes',
      note: '0 bytes until the panel is near or pressed',
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await bench())
    console.log(`${row.name}: ${row.value} ${row.unit}${row.note ? ` (${row.note})` : ''}`);
}
