/** Runs the timeline benchmark once so it cannot rot; prints the figures (no thresholds). */
import { expect, it } from 'vitest';
import { measureTimeline } from '../../bench/browser/timeline.ts';

it('measureTimeline reports every figure', { timeout: 120_000 }, async () => {
  const book = [{ id: 'tiny', realm: 'main' as const, code: "console.log('hi');", timeoutMs: 5000 }];
  const figures = await measureTimeline(1, book);
  console.info(JSON.stringify(figures, null, 2));
  for (const key of [
    'trace.csp.events',
    'trace.mutex.events',
    'trace.csp.floor',
    'clock.mainUs',
    'clock.workerUs',
    'book.tiny.overhead',
    'render.ms',
    'render.longestTask',
  ]) {
    expect(Number.isFinite(figures[key]), key).toBe(true);
  }
  expect(figures['trace.mutex.events']).toBeGreaterThanOrEqual(10_000);
});
