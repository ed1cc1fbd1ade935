/**
 * The speedup chart's maths and markup, with no DOM: used at build time by SpeedupChart.astro (an
 * Amdahl chart and table that read without JavaScript) and in the browser by speedup-chart.ts.
 * The chart is hand-made SVG (no chart library): x = workers, y = speedup.
 */

/** Amdahl's law: the speedup on `n` workers of a job whose parallel fraction is `p`. */
export function amdahl(p: number, n: number): number {
  return 1 / (1 - p + p / n);
}

/** The parallel fraction p for which Amdahl's law predicts `speedup` on `n` workers (n > 1). */
export function fitParallelFraction(speedup: number, n: number): number {
  if (n <= 1 || speedup <= 0) return NaN;
  return (1 - 1 / speedup) / (1 - 1 / n);
}

/**
 * The median of some run times: one slow run (a garbage collection, another program waking up)
 * moves it far less than it moves the mean. Throws on an empty list: no runs, no figure.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no runs');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** What repeated runs of one setting report: the median and the spread of the runs. */
export interface RunSummary {
  /** Median wall time of the runs, ms. */
  wallMs: number;
  /** Baseline wall time / the median wall time. */
  speedup: number;
  /** The speedup of the slowest run and of the fastest run: the spread (min–max). */
  speedupMin: number;
  speedupMax: number;
}

/** Summarises the wall times of one setting's runs against the baseline's median wall time. */
export function summarizeRuns(runsMs: readonly number[], baselineMs: number): RunSummary {
  const wallMs = median(runsMs);
  return {
    wallMs,
    speedup: baselineMs / wallMs,
    speedupMin: baselineMs / Math.max(...runsMs),
    speedupMax: baselineMs / Math.min(...runsMs),
  };
}

/** One measured point: `chunkSize` inputs per message, `workers` workers, repeated runs. */
export interface Measurement extends RunSummary {
  workers: number;
  chunkSize: number;
  /** Wall time of each run of the batch (manager clock), ms, in the order measured. */
  runsMs: number[];
  /** Task messages sent per run (= chunks). */
  messages: number;
}

export interface ChartData {
  maxWorkers: number;
  chunkSizes: readonly number[];
  measurements: readonly Measurement[];
  p: number;
}

const esc = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Dash patterns and marker shapes so series differ without colour. */
const SERIES_STYLE = [
  { dash: '', marker: 'circle' },
  { dash: '6 3', marker: 'square' },
  { dash: '2 3', marker: 'triangle' },
  { dash: '10 3 2 3', marker: 'diamond' },
] as const;

function marker(shape: string, x: number, y: number): string {
  const r = 4;
  switch (shape) {
    case 'square':
      return `<rect x="${x - r}" y="${y - r}" width="${2 * r}" height="${2 * r}"/>`;
    case 'triangle':
      return `<path d="M${x} ${y - r - 1}L${x + r + 1} ${y + r}L${x - r - 1} ${y + r}Z"/>`;
    case 'diamond':
      return `<path d="M${x} ${y - r - 1}L${x + r + 1} ${y}L${x} ${y + r + 1}L${x - r - 1} ${y}Z"/>`;
    default:
      return `<circle cx="${x}" cy="${y}" r="${r}"/>`;
  }
}

/** The spread of a point's runs, slowest–fastest, as "1.60–2.50". */
const range = (m: Measurement): string => `${m.speedupMin.toFixed(2)}–${m.speedupMax.toFixed(2)}`;

/** The chart as an SVG string. */
export function renderChart(data: ChartData): string {
  const W = 560;
  const H = 320;
  const left = 48;
  const right = 16;
  const top = 16;
  const bottom = 44;
  const maxN = Math.max(2, data.maxWorkers);
  const best = Math.max(0, ...data.measurements.map((m) => m.speedupMax));
  const yMax = Math.max(maxN, Math.ceil(best));
  const x = (n: number): number => left + ((n - 1) / (maxN - 1)) * (W - left - right);
  const y = (s: number): number => top + (1 - s / yMax) * (H - top - bottom);
  const f = (v: number): string => v.toFixed(1);
  const parts: string[] = [];
  // Grid and axes.
  for (let s = 0; s <= yMax; s += yMax > 10 ? 2 : 1) {
    parts.push(
      `<line class="speedup__grid" x1="${left}" x2="${W - right}" y1="${f(y(s))}" y2="${f(y(s))}"/>`,
      `<text class="speedup__label" x="${left - 8}" y="${f(y(s) + 4)}" text-anchor="end">${s}×</text>`,
    );
  }
  for (let n = 1; n <= maxN; n++) {
    parts.push(
      `<text class="speedup__label" x="${f(x(n))}" y="${H - bottom + 18}" text-anchor="middle">${n}</text>`,
    );
  }
  parts.push(
    `<text class="speedup__label" x="${(left + W - right) / 2}" y="${H - 6}" text-anchor="middle">workers</text>`,
    `<line class="speedup__axis" x1="${left}" x2="${W - right}" y1="${y(0)}" y2="${y(0)}"/>`,
    `<line class="speedup__axis" x1="${left}" x2="${left}" y1="${top}" y2="${y(0)}"/>`,
  );
  // Ideal (linear) and Amdahl.
  parts.push(
    `<path class="speedup__ideal" d="M${f(x(1))} ${f(y(1))}L${f(x(maxN))} ${f(y(maxN))}"><title>linear speedup: S(N) = N</title></path>`,
  );
  const steps = 60;
  let d = '';
  for (let i = 0; i <= steps; i++) {
    const n = 1 + ((maxN - 1) * i) / steps;
    d += `${i === 0 ? 'M' : 'L'}${f(x(n))} ${f(y(amdahl(data.p, n)))}`;
  }
  parts.push(
    `<path class="speedup__amdahl" d="${d}"><title>Amdahl's law with p = ${data.p.toFixed(2)}</title></path>`,
  );
  // Measured series.
  data.chunkSizes.forEach((c, i) => {
    const points = data.measurements.filter((m) => m.chunkSize === c).sort((a, b) => a.workers - b.workers);
    if (points.length === 0) return;
    const style = SERIES_STYLE[i % SERIES_STYLE.length]!;
    const path = points.map((m, j) => `${j === 0 ? 'M' : 'L'}${f(x(m.workers))} ${f(y(m.speedup))}`).join('');
    parts.push(
      `<g class="speedup__series speedup__series--${i}" data-chunk-size="${c}"><path d="${path}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>${points
        .map(
          (m) =>
            `<g class="speedup__point"><line class="speedup__spread" x1="${f(x(m.workers))}" x2="${f(x(m.workers))}" y1="${f(y(m.speedupMin))}" y2="${f(y(m.speedupMax))}"/>${marker(style.marker, x(m.workers), y(m.speedup))}<title>chunk size ${c}, ${m.workers} worker${m.workers === 1 ? '' : 's'}: ${m.speedup.toFixed(2)}× (median of ${m.runsMs.length} runs; runs ${range(m)}×)</title></g>`,
        )
        .join('')}</g>`,
    );
  });
  const title = data.measurements.length
    ? 'Measured speedup by number of workers and chunk size, beside Amdahl’s law'
    : `Amdahl’s law for p = ${data.p.toFixed(2)} beside linear speedup`;
  return `<svg class="speedup__svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)} (the table below has the figures)">${parts.join('')}</svg>`;
}

/** The legend as HTML (matching dash/marker styles). */
export function renderLegend(data: ChartData): string {
  const items = [
    `<li><svg width="28" height="10" aria-hidden="true"><line class="speedup__ideal" x1="0" x2="28" y1="5" y2="5"/></svg> linear (S = N)</li>`,
    `<li><svg width="28" height="10" aria-hidden="true"><line class="speedup__amdahl" x1="0" x2="28" y1="5" y2="5"/></svg> Amdahl, p = ${data.p.toFixed(2)}</li>`,
    ...(data.measurements.length
      ? data.chunkSizes.map((c, i) => {
          const style = SERIES_STYLE[i % SERIES_STYLE.length]!;
          return `<li><svg width="28" height="10" aria-hidden="true" class="speedup__series speedup__series--${i}"><line x1="0" x2="28" y1="5" y2="5"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/></svg> measured, chunk size ${c}</li>`;
        })
      : []),
  ];
  return `<ul class="speedup__legend">${items.join('')}</ul>`;
}

/** The figures as a table: one row per worker count; Amdahl's prediction and each chunk size. */
export function renderTable(data: ChartData): string {
  const head = `<tr><th scope="col">Workers</th><th scope="col">Amdahl (p = ${data.p.toFixed(2)})</th>${
    data.measurements.length
      ? data.chunkSizes.map((c) => `<th scope="col">chunk size ${c}</th>`).join('')
      : ''
  }</tr>`;
  const rows: string[] = [];
  for (let n = 1; n <= data.maxWorkers; n++) {
    const cells = data.measurements.length
      ? data.chunkSizes
          .map((c) => {
            const m = data.measurements.find((x) => x.workers === n && x.chunkSize === c);
            return m
              ? `<td data-workers="${n}" data-chunk-size="${c}">${m.speedup.toFixed(2)}× <span class="speedup__range">(${range(m)})</span> <span class="speedup__ms">(${Math.round(m.wallMs)} ms, ${m.messages} msg)</span></td>`
              : '<td>—</td>';
          })
          .join('')
      : '';
    rows.push(`<tr><th scope="row">${n}</th><td>${amdahl(data.p, n).toFixed(2)}×</td>${cells}</tr>`);
  }
  const runs = Math.max(0, ...data.measurements.map((m) => m.runsMs.length));
  const caption = runs
    ? `<caption>Speedup: the median of ${runs} runs, with the slowest and the fastest run in brackets; then the median wall time and the messages sent per run</caption>`
    : '';
  return `<table class="speedup__table">${caption}<thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Figures shown before (or without) a measurement. */
export interface SpeedupShellOptions {
  maxWorkers: number;
  chunkSizes: readonly number[];
  p: number;
}

/** The whole demo body as HTML: controls (hidden until the script runs), status, chart, table. */
export function renderSpeedupShell(options: SpeedupShellOptions, id: string): string {
  const data: ChartData = { ...options, measurements: [] };
  return `<div class="speedup__controls" hidden data-js-only>
<button type="button" data-action="measure">Measure on my machine</button>
<button type="button" data-action="stop" disabled>Stop</button>
<span class="speedup__p-group"><label class="speedup__p" for="${id}-p">Parallel fraction <var>p</var> for Amdahl’s curve</label>
<input type="range" id="${id}-p" name="p" min="0.5" max="1" step="0.01" value="${options.p.toFixed(2)}" aria-describedby="${id}-pv">
<output id="${id}-pv" for="${id}-p" class="speedup__pv">${options.p.toFixed(2)}</output></span>
</div>
<p class="speedup__status" role="status">Not measured yet. Without a measurement the chart shows Amdahl’s law for <var>p</var> = ${options.p.toFixed(2)} against linear speedup; the measurement needs JavaScript and runs only when you press the button.</p>
<div class="speedup__chart">${renderChart(data)}</div>
<div class="speedup__legend-wrap">${renderLegend(data)}</div>
<div class="speedup__table-wrap" tabindex="0" role="region" aria-label="Speedup figures">${renderTable(data)}</div>`;
}
