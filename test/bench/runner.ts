/**
 * Runner benchmark for `npm run bench` (wired in by the bench harness).
 *
 * Takes a playwright-core `Page` already open on a cross-origin isolated page of a Vite-served
 * site (`astro dev`): it imports src/runner/measure.ts there and returns its figures (ms):
 * firstOutput.main / .workerWarm / .workerCold (medians of run() → first log line), and
 * flood.worker.longestTask (longest main-thread 'longtask' while a worker prints 100,000 lines;
 * 0 = no task over 50 ms). The same figures print from the browser test
 * test/browser/runner/measure.test.ts.
 */
import type { Page } from 'playwright-core';

export default async function benchRunner(page: Page, rounds = 7): Promise<Record<string, number>> {
  return page.evaluate(async (n) => {
    const path = '/src/runner/measure.ts';
    const module = (await import(/* @vite-ignore */ path)) as { measureRunner(rounds: number): Promise<Record<string, number>> };
    return module.measureRunner(n);
  }, rounds);
}
