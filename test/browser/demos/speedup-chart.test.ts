/**
 * <speedup-chart> in a real browser with real Web Workers. Small, fixed work sizes; no wall-clock
 * thresholds: only what was measured and drawn, and that Stop stops.
 */
import { afterEach, describe, expect, it } from 'vitest';
import '../../../src/client/demos/speedup-chart.ts';
import type { SpeedupChartElement } from '../../../src/client/demos/speedup-chart.ts';
import { amdahl, fitParallelFraction } from '../../../src/client/demos/speedup-view.ts';

afterEach(() => {
  for (const el of document.querySelectorAll<SpeedupChartElement>('speedup-chart')) el.stop();
  document.body.innerHTML = '';
});

function mount(attrs: Record<string, string>): SpeedupChartElement {
  const el = document.createElement('speedup-chart') as SpeedupChartElement;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  document.body.append(el);
  return el;
}

const ended = (el: HTMLElement) =>
  new Promise<CustomEvent>((resolve) =>
    el.addEventListener('speedup-measured', (e) => resolve(e as CustomEvent), { once: true }),
  );

describe('Amdahl maths', () => {
  it('S(N) = 1/((1-p)+p/N), bounded by N, and the fit inverts it', () => {
    expect(amdahl(1, 4)).toBe(4);
    expect(amdahl(0, 4)).toBe(1);
    expect(amdahl(0.6, 4)).toBeCloseTo(1.818, 3);
    for (const p of [0.5, 0.9, 0.99]) for (const n of [2, 4, 8]) expect(amdahl(p, n)).toBeLessThanOrEqual(n);
    expect(fitParallelFraction(amdahl(0.9, 4), 4)).toBeCloseTo(0.9, 10);
  });
});

describe('<speedup-chart>', () => {
  it('draws Amdahl before measuring and redraws it when p changes', () => {
    const el = mount({ 'data-max-workers': '4', 'data-p': '0.9' });
    expect(el.dataset['state']).toBe('idle');
    expect((el.querySelector('.speedup__controls') as HTMLElement).hidden).toBe(false);
    const cell = () => el.querySelector('.speedup__table tbody tr:last-child td')?.textContent;
    expect(cell()).toBe(`${amdahl(0.9, 4).toFixed(2)}×`);
    const range = el.querySelector('input[name="p"]') as HTMLInputElement;
    range.value = '0.5';
    range.dispatchEvent(new Event('input', { bubbles: true }));
    expect(cell()).toBe(`${amdahl(0.5, 4).toFixed(2)}×`);
    expect(el.querySelector('output')?.textContent).toBe('0.50');
    expect(el.querySelectorAll('.speedup__series')).toHaveLength(0);
  });

  it('measures every worker count × chunk size, in real workers, and draws and tabulates them', async () => {
    const el = mount({ 'data-max-workers': '2', 'data-chunk-sizes': '1,8', 'data-items': '64' });
    const done = ended(el);
    (el.querySelector('[data-action="measure"]') as HTMLButtonElement).click();
    expect(el.dataset['state']).toBe('measuring');
    expect((el.querySelector('[data-action="stop"]') as HTMLButtonElement).disabled).toBe(false);
    const event = await done;
    expect(event.detail.state).toBe('done');
    expect(el.dataset['state']).toBe('done');
    const ms = el.measurements;
    expect(ms.map((m) => `${m.workers}/${m.chunkSize}`).sort()).toEqual(['1/1', '1/8', '2/1', '2/8']);
    // Messages are counted, not timed: 64 inputs in chunks of 1 and 8.
    expect(ms.find((m) => m.chunkSize === 1)?.messages).toBe(64);
    expect(ms.find((m) => m.chunkSize === 8)?.messages).toBe(8);
    // The baseline (1 worker, largest chunk) is 1× by definition: its own median.
    expect(ms.find((m) => m.workers === 1 && m.chunkSize === 8)?.speedup).toBe(1);
    // Every setting was run 3 times (the default); the median lies within the runs' spread.
    for (const m of ms) {
      expect(m.runsMs).toHaveLength(3);
      expect(m.speedupMin).toBeLessThanOrEqual(m.speedup);
      expect(m.speedup).toBeLessThanOrEqual(m.speedupMax);
    }
    expect(el.querySelectorAll('.speedup__svg .speedup__spread')).toHaveLength(4);
    expect(el.querySelector('.speedup__table caption')?.textContent).toContain('median of 3 runs');
    expect(el.querySelectorAll('.speedup__table td[data-chunk-size] .speedup__range')).toHaveLength(4);
    expect(el.querySelectorAll('.speedup__series')).toHaveLength(2 + 2); // 2 in the chart, 2 in the legend
    expect(el.querySelectorAll('.speedup__table td[data-chunk-size]')).toHaveLength(4);
    expect(el.querySelector('.speedup__status')?.textContent).toMatch(
      /^Done\. Best on 2 workers: [\d.]+× \(median of 3 runs/,
    );
    expect((el.querySelector('[data-action="measure"]') as HTMLButtonElement).disabled).toBe(false);
  });

  it('data-repeats sets how many times each setting runs', async () => {
    const el = mount({
      'data-max-workers': '1',
      'data-chunk-sizes': '4',
      'data-items': '16',
      'data-repeats': '5',
    });
    const done = ended(el);
    void el.measure();
    expect((await done).detail.state).toBe('done');
    expect(el.measurements.map((m) => m.runsMs.length)).toEqual([5]);
  });

  it('Stop ends a measurement early and keeps the page usable', async () => {
    const el = mount({ 'data-max-workers': '4', 'data-chunk-sizes': '1', 'data-items': '20000' });
    const done = ended(el);
    const run = el.measure();
    // Stop as soon as the first measurement is under way.
    await new Promise((r) => setTimeout(r, 50));
    (el.querySelector('[data-action="stop"]') as HTMLButtonElement).click();
    await run;
    expect((await done).detail.state).toBe('stopped');
    expect(el.dataset['state']).toBe('stopped');
    expect(el.measurements.length).toBeLessThan(4);
    expect(el.querySelector('.speedup__status')?.textContent).toMatch(/^Stopped/);
  });

  it('a time budget stops a long measurement and keeps the figures so far', async () => {
    const el = mount({
      'data-max-workers': '3',
      'data-chunk-sizes': '4',
      'data-items': '32',
      'data-budget-ms': '1',
    });
    const done = ended(el);
    void el.measure();
    const event = await done;
    expect(event.detail.state).toBe('stopped');
    expect(el.querySelector('.speedup__status')?.textContent).toContain('time limit');
  });
});
