/** Runs the timeline benchmark once so it cannot rot; prints the figures (no thresholds). */
import { expect, it } from 'vitest';
import { measureTimeline } from '../../../src/client/timeline/measure.ts';

it('measureTimeline reports every figure', { timeout: 120_000 }, async () => {
  const figures = await measureTimeline(1);
  console.info(JSON.stringify(figures, null, 2));
  for (const key of ['trace.csp.events', 'trace.mutex.events', 'render.ms', 'render.longestTask']) {
    expect(figures[key]).toBeGreaterThanOrEqual(0);
  }
  expect(figures['trace.mutex.events']).toBeGreaterThanOrEqual(10_000);
});
