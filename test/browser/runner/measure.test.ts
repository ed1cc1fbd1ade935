/** Runs the runner benchmark once so it cannot rot; prints the figures (no thresholds). */
import { expect, it } from 'vitest';
import { measureRunner } from '../../bench/browser/runner.ts';

it('measureRunner reports every figure', async () => {
  const figures = await measureRunner(5);
  console.info(JSON.stringify(figures, null, 2));
  for (const key of [
    'firstOutput.main',
    'firstOutput.workerWarm',
    'firstOutput.workerCold',
    'flood.worker.longestTask',
  ]) {
    expect(figures[key]).toBeGreaterThanOrEqual(0);
  }
});
