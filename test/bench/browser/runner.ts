/**
 * Runner benchmarks, run IN the browser on a page that can load this module through Vite
 * (test/browser/runner/measure.test.ts runs it, so it cannot rot). Not a module of `npm run bench`,
 * which runs the files directly in test/bench/ in Node. All figures in milliseconds:
 *
 * - `firstOutput.main`, `firstOutput.workerWarm`, `firstOutput.workerCold`: median time from
 *   `run()` to the first `log` event of `console.log(1)`, over `rounds` runs.
 * - `flood.worker.longestTask`: the longest main-thread task (PerformanceObserver 'longtask',
 *   which only sees tasks over 50 ms; 0 means none) while a worker snippet prints 100,000 lines
 *   and a listener receives every delivered event. `flood.worker.total` is that run's duration.
 */
import { MainThreadExecutor, WorkerExecutor, type Executor } from '../../../src/runner/index.ts';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timeToFirstOutput(executor: Executor, rounds: number, settleMs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    // Give a warm executor time to boot its spare worker, as a reader's pause would.
    await pause(settleMs);
    const start = performance.now();
    let first: number | undefined;
    const handle = executor.run('console.log(1)');
    handle.subscribe((event) => {
      if (event.kind === 'log' && first === undefined) first = performance.now() - start;
    });
    await handle.done;
    if (first !== undefined) times.push(first);
  }
  return median(times);
}

export async function measureRunner(rounds = 7): Promise<Record<string, number>> {
  const main = new MainThreadExecutor();
  const warm = new WorkerExecutor({ warm: true });
  const cold = new WorkerExecutor({ warm: false });
  try {
    const figures: Record<string, number> = {
      'firstOutput.main': await timeToFirstOutput(main, rounds, 50),
      'firstOutput.workerWarm': await timeToFirstOutput(warm, rounds, 300),
      'firstOutput.workerCold': await timeToFirstOutput(cold, rounds, 50),
    };
    let longest = 0;
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
    });
    observer.observe({ type: 'longtask' });
    await pause(300);
    let delivered = 0;
    const flood = warm.run('for (let i = 0; i < 100000; i++) console.log(`line ${i}`);');
    flood.subscribe(() => delivered++);
    const result = await flood.done;
    await pause(50);
    observer.disconnect();
    figures['flood.worker.longestTask'] = longest;
    figures['flood.worker.total'] = result.durationMs;
    figures['flood.worker.deliveredEvents'] = delivered;
    return figures;
  } finally {
    main.dispose();
    warm.dispose();
    cold.dispose();
  }
}
