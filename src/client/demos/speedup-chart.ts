/**
 * <speedup-chart>: measures a message-passing worker pool (interleave/pool) on the reader's own
 * machine, for 1..N workers and several chunk sizes, and draws the speedups beside Amdahl's law.
 *
 * Attributes (all optional): data-max-workers (default min(hardwareConcurrency, 8)),
 * data-chunk-sizes ("1,16,256"), data-p (0.95: Amdahl's parallel fraction), data-items (inputs per
 * batch; default: calibrated so one worker needs about data-target-ms = 250 ms), data-repeats (3:
 * runs of each setting; the chart reports their median and spread), data-budget-ms (30000: the
 * whole measurement stops after this long, keeping what it has).
 *
 * Nothing runs until the reader presses "Measure on my machine"; Stop aborts at once (the busy
 * workers are terminated). `data-state`: idle → measuring → done | stopped | error; a
 * `speedup-measured` event fires at the end with the measurements.
 */
import { createPool } from '../../concurrency/pool.ts';
import type { Pool } from '../../concurrency/pool.ts';
import {
  fitParallelFraction,
  median,
  renderChart,
  renderLegend,
  renderSpeedupShell,
  renderTable,
  summarizeRuns,
} from './speedup-view.ts';
import type { ChartData, Measurement } from './speedup-view.ts';

/** The CPU-bound task: fixed work per input. Self-contained (it is sent to workers as source). */
function work(seed: number): number {
  let x = seed % 1000003;
  for (let i = 0; i < 20000; i++) x = (x * 31 + 7) % 1000003;
  return x;
}

let counter = 0;

export class SpeedupChartElement extends HTMLElement {
  #id = `speedup-${++counter}`;
  #measurements: Measurement[] = [];
  #abort: AbortController | undefined;
  #pools = new Set<Pool>();
  #running: Promise<void> | undefined;

  get maxWorkers(): number {
    const n = Number(this.dataset['maxWorkers']);
    if (Number.isInteger(n) && n >= 1) return Math.min(n, 16);
    return Math.min(Math.max(1, navigator.hardwareConcurrency || 4), 8);
  }

  get chunkSizes(): number[] {
    const sizes = (this.dataset['chunkSizes'] ?? '1,16,256')
      .split(',')
      .map((s) => Number(s.trim()))
      .filter((n) => Number.isInteger(n) && n >= 1);
    return sizes.length ? sizes : [1, 16, 256];
  }

  /** Runs of each setting: one run is an anecdote; the median of several is a measurement. */
  get repeats(): number {
    const n = Number(this.dataset['repeats']);
    return Number.isInteger(n) && n >= 1 ? Math.min(n, 9) : 3;
  }

  get p(): number {
    const input = this.querySelector<HTMLInputElement>('input[name="p"]');
    const v = Number(input?.value ?? this.dataset['p'] ?? 0.95);
    return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0.95;
  }

  get measurements(): readonly Measurement[] {
    return this.#measurements;
  }

  connectedCallback(): void {
    if (!this.querySelector('.speedup__chart')) {
      this.innerHTML = renderSpeedupShell(
        { maxWorkers: this.maxWorkers, chunkSizes: this.chunkSizes, p: Number(this.dataset['p'] ?? 0.95) },
        this.#id,
      );
    }
    const controls = this.querySelector<HTMLElement>('.speedup__controls');
    if (controls) controls.hidden = false;
    this.querySelector('[data-action="measure"]')?.addEventListener('click', () => void this.measure());
    this.querySelector('[data-action="stop"]')?.addEventListener('click', () => this.stop());
    this.querySelector('input[name="p"]')?.addEventListener('input', () => this.#draw());
    this.dataset['state'] ??= 'idle';
    // The server drew Amdahl's curve for the default worker count. This machine's count is drawn
    // when the reader moves p or measures: redrawing now would change the figure's height (a row
    // per worker count) and move the page under the reader.
  }

  disconnectedCallback(): void {
    this.stop();
  }

  /** Stops a measurement in progress (terminating its workers). */
  stop(): void {
    this.#abort?.abort(new DOMException('Stopped by the reader', 'AbortError'));
    for (const pool of this.#pools) pool.terminate();
    this.#pools.clear();
  }

  /** Runs the whole measurement; resolves when it has ended for any reason. */
  measure(): Promise<void> {
    return (this.#running ??= this.#measure().finally(() => {
      this.#running = undefined;
    }));
  }

  #setStatus(text: string): void {
    const status = this.querySelector<HTMLElement>('.speedup__status');
    if (status) status.textContent = text;
  }

  #setBusy(busy: boolean): void {
    const measure = this.querySelector<HTMLButtonElement>('[data-action="measure"]');
    const stop = this.querySelector<HTMLButtonElement>('[data-action="stop"]');
    if (measure) measure.disabled = busy;
    if (stop) stop.disabled = !busy;
    if (busy) stop?.focus();
    else if (document.activeElement === stop || document.activeElement === document.body) measure?.focus();
  }

  #draw(): void {
    const data: ChartData = {
      maxWorkers: this.maxWorkers,
      chunkSizes: this.chunkSizes,
      measurements: this.#measurements,
      p: this.p,
    };
    const out = this.querySelector('output.speedup__pv');
    if (out) out.textContent = data.p.toFixed(2);
    const chart = this.querySelector('.speedup__chart');
    if (chart) chart.innerHTML = renderChart(data);
    const legend = this.querySelector('.speedup__legend-wrap');
    if (legend) legend.innerHTML = renderLegend(data);
    const table = this.querySelector('.speedup__table-wrap');
    if (table) table.innerHTML = renderTable(data);
  }

  #pool(size: number): Pool {
    const pool = createPool({ size });
    this.#pools.add(pool);
    return pool;
  }

  #release(pool: Pool): void {
    pool.terminate();
    this.#pools.delete(pool);
  }

  async #measure(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    const signal = abort.signal;
    const budget = Number(this.dataset['budgetMs']) > 0 ? Number(this.dataset['budgetMs']) : 30_000;
    const deadline = performance.now() + budget;
    const sizes = [...this.chunkSizes].sort((a, b) => b - a); // largest first: the baseline
    const maxWorkers = this.maxWorkers;
    this.#measurements = [];
    this.dataset['state'] = 'measuring';
    this.#setBusy(true);
    this.#draw();
    let ended: 'done' | 'stopped' | 'error' = 'done';
    let note = '';
    try {
      if (typeof Worker === 'undefined') throw new Error('this browser cannot start Web Workers');
      // How many inputs: fixed, or so that one worker needs about target ms.
      let items = Number(this.dataset['items']);
      if (!(Number.isInteger(items) && items >= 1)) {
        this.#setStatus('Calibrating the work size…');
        const target = Number(this.dataset['targetMs']) > 0 ? Number(this.dataset['targetMs']) : 250;
        const pool = this.#pool(1);
        await pool.warmUp();
        const probe = Array.from({ length: 64 }, (_, i) => i + 1);
        await pool.map(work, probe, { chunkSize: 64, signal });
        const stats = await pool.mapWithStats(work, probe, { chunkSize: 64, signal });
        this.#release(pool);
        const perItem = Math.max(0.001, (stats.tasks[0]!.end - stats.tasks[0]!.start) / probe.length);
        const unit = Math.max(...sizes);
        items = Math.min(65_536, Math.max(unit, Math.round(target / perItem / unit) * unit));
      }
      const inputs = Array.from({ length: items }, (_, i) => i + 1);
      const total = maxWorkers * sizes.length;
      const repeats = this.repeats;
      let baselineMs = 0; // the median of 1 worker with the largest chunk size
      let reference: number[] | undefined;
      let step = 0;
      outer: for (let n = 1; n <= maxWorkers; n++) {
        const pool = this.#pool(n);
        try {
          await pool.warmUp(); // start-up is not part of the timed runs
          await pool.map(
            work,
            Array.from({ length: 2 * n }, (_, i) => i),
            { chunkSize: 1, signal },
          ); // JIT warm-up
          for (const chunkSize of sizes) {
            if (signal.aborted) break outer;
            if (performance.now() > deadline) {
              ended = 'stopped';
              note = ` Stopped at the ${Math.round(budget / 1000)} s time limit; the figures so far are kept.`;
              break outer;
            }
            step++;
            const runsMs: number[] = [];
            let messages = 0;
            for (let run = 1; run <= repeats; run++) {
              if (signal.aborted) break outer;
              this.#setStatus(
                `Measuring ${n} worker${n === 1 ? '' : 's'}, chunk size ${chunkSize} (${step} of ${total}), run ${run} of ${repeats}, ${items} inputs…`,
              );
              const stats = await pool.mapWithStats(work, inputs, { chunkSize, signal });
              if (!reference) reference = stats.results;
              else if (stats.results.some((r, i) => r !== reference![i]))
                throw new Error('results differ between runs');
              runsMs.push(stats.wallMs);
              messages = stats.tasks.length;
            }
            if (baselineMs === 0) baselineMs = median(runsMs);
            this.#measurements.push({
              workers: n,
              chunkSize,
              runsMs,
              messages,
              ...summarizeRuns(runsMs, baselineMs),
            });
            this.#draw();
          }
        } finally {
          this.#release(pool);
        }
      }
      if (signal.aborted) ended = 'stopped';
    } catch (error) {
      if (signal.aborted) ended = 'stopped';
      else {
        ended = 'error';
        note = ` ${error instanceof Error ? error.message : String(error)}`;
      }
    } finally {
      this.stop();
      this.#abort = undefined;
    }
    this.#draw();
    this.#setStatus(this.#summary(ended, note));
    this.dataset['state'] = ended;
    this.#setBusy(false);
    this.dispatchEvent(
      new CustomEvent('speedup-measured', { detail: { state: ended, measurements: this.#measurements } }),
    );
  }

  #summary(ended: 'done' | 'stopped' | 'error', note: string): string {
    if (ended === 'error') return `The measurement failed:${note}`;
    const ms = this.#measurements;
    if (ms.length === 0)
      return ended === 'stopped' ? `Stopped before the first result.${note}` : 'No results.';
    const top = Math.max(...ms.map((m) => m.workers));
    const best = ms.filter((m) => m.workers === top).sort((a, b) => b.speedup - a.speedup)[0]!;
    const fit = fitParallelFraction(best.speedup, top);
    const fitP = Math.min(1, Math.max(0, fit));
    const fitText =
      top > 1 && Number.isFinite(fit)
        ? ` Amdahl’s law predicts that result for p ≈ ${fitP.toFixed(2)}: as if ${Math.round((1 - fitP) * 100)}% of the work could not be spread over workers — the serial part, message overhead, imbalance and other programs together.`
        : '';
    const runs = best.runsMs.length;
    const spread =
      runs > 1
        ? ` (median of ${runs} runs, which ranged from ${best.speedupMin.toFixed(2)}× to ${best.speedupMax.toFixed(2)}×)`
        : '';
    return `${ended === 'stopped' ? 'Stopped.' : 'Done.'} Best on ${top} worker${top === 1 ? '' : 's'}: ${best.speedup.toFixed(2)}×${spread} with chunk size ${best.chunkSize}, relative to 1 worker with chunk size ${Math.max(...this.chunkSizes)}.${fitText}${note}`;
  }
}

if (!customElements.get('speedup-chart')) customElements.define('speedup-chart', SpeedupChartElement);
