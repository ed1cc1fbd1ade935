/**
 * The speedup chart's statistics and markup (pure, no DOM): each setting is measured several
 * times, and the chart and table report the median with the spread of the runs.
 */
import { describe, expect, it } from 'vitest';
import { median, renderChart, renderTable, summarizeRuns } from '../../../src/client/demos/speedup-view.ts';
import type { ChartData, Measurement } from '../../../src/client/demos/speedup-view.ts';

describe('median', () => {
  it('is the middle value of an odd count and the mean of the middle two of an even count', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('does not reorder its input', () => {
    const runs = [3, 1, 2];
    median(runs);
    expect(runs).toEqual([3, 1, 2]);
  });

  it('rejects an empty list rather than inventing a figure', () => {
    expect(() => median([])).toThrow(/no runs/);
  });
});

describe('summarizeRuns', () => {
  it('gives the median wall time, its speedup and the spread of the runs’ speedups', () => {
    const summary = summarizeRuns([100, 120, 80], 240);
    expect(summary.wallMs).toBe(100);
    expect(summary.speedup).toBe(2.4);
    expect(summary.speedupMin).toBe(2); // the slowest run: 240 / 120
    expect(summary.speedupMax).toBe(3); // the fastest run: 240 / 80
  });

  it('the baseline against its own median is 1× with a spread around it', () => {
    const summary = summarizeRuns([210, 200, 250], 210);
    expect(summary.speedup).toBe(1);
    expect(summary.speedupMin).toBeLessThan(1);
    expect(summary.speedupMax).toBeGreaterThan(1);
  });
});

const point = (workers: number, runsMs: number[], baselineMs: number): Measurement => ({
  workers,
  chunkSize: 16,
  runsMs,
  messages: 4,
  ...summarizeRuns(runsMs, baselineMs),
});

const data = (measurements: Measurement[]): ChartData => ({
  maxWorkers: 2,
  chunkSizes: [16],
  measurements,
  p: 0.9,
});

describe('the table and the chart show the spread', () => {
  const measured = data([point(1, [200, 190, 210], 200), point(2, [100, 125, 80], 200)]);

  it('each cell gives the median speedup and the range of the runs', () => {
    const html = renderTable(measured);
    expect(html).toContain('2.00× <span class="speedup__range">(1.60–2.50)</span>');
    expect(html).toMatch(/median of 3 runs/);
  });

  it('the chart draws one whisker per point from the slowest to the fastest run', () => {
    const svg = renderChart(measured);
    expect(svg.match(/class="speedup__spread"/g)).toHaveLength(2);
    expect(svg).toContain('runs 1.60–2.50×');
  });
});
