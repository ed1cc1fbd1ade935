/**
 * Drawing the timeline: the canvas (lanes, axis, spans, timer links, marks, message arrows, the
 * marked moment and the focus ring), the lane labels beside it and the colour legend below it.
 * Colours are the `--rt-*` custom properties of styles.ts, read from computed style once per
 * theme (a {@link Palette}), so both themes draw right.
 */
import { formatMs } from '../format-time.ts';
import type { Arrow, Span } from './layout.ts';
import type { Item } from './items.ts';
import { AXIS, PAD, ROW, arrowY, itemBox, rowY, xOf, type Plot } from './geometry.ts';

const SPAN_COLOR: Record<Span['kind'], string> = {
  task: '--rt-ran',
  timer: '--rt-ran',
  loop: '--rt-ran',
  longtask: '--rt-long',
  'pool-task': '--rt-pool',
  'lock-wait': '--rt-wait',
  'lock-held': '--rt-held',
  blocked: '--rt-blocked',
  goroutine: '--rt-goroutine',
};

const LEGEND: [string, string][] = [
  ['--rt-ran', 'ran (timer, frame, loop)'],
  ['--rt-long', 'long task'],
  ['--rt-pool', 'pool chunk'],
  ['--rt-wait', 'waits for a lock'],
  ['--rt-held', 'holds a lock'],
  ['--rt-blocked', 'blocked on a channel'],
  ['--rt-goroutine', 'goroutine alive'],
  ['--rt-arrow', 'message'],
];

/** The `--rt-*` colours of an element, read once until the theme changes ({@link clear}). */
export class Palette {
  readonly #element: Element;
  readonly #colors = new Map<string, string>();

  constructor(element: Element) {
    this.#element = element;
  }

  get(variable: string): string {
    let value = this.#colors.get(variable);
    if (value === undefined) {
      value = getComputedStyle(this.#element).getPropertyValue(variable).trim() || '#888';
      this.#colors.set(variable, value);
    }
    return value;
  }

  clear(): void {
    this.#colors.clear();
  }
}

/** What is drawn over the picture: the marked moment and the focused item. */
export interface Highlights {
  readonly marker: number | undefined;
  readonly focus: Item | undefined;
}

/** The canvas's height for a plot (its lanes and the axis). */
export const plotHeight = (plot: Plot): number => plot.lanes.bottom + 2;

function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/** Draws `plot` on `canvas`, sized to the plot's width and height at the screen's pixel ratio. */
export function drawPlot(
  canvas: HTMLCanvasElement,
  plot: Plot,
  highlights: Highlights,
  palette: Palette,
): void {
  const { width, layout } = plot;
  const { from: v0, to: v1 } = plot.view;
  const height = plotHeight(plot);
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const g = canvas.getContext('2d');
  if (!g) return;
  const color = (variable: string) => palette.get(variable);
  const x = (t: number) => xOf(plot, t);
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, width, height);
  g.font = '11px system-ui, sans-serif';
  g.textBaseline = 'middle';

  // Lanes: stripes, and each worker's lifetime as a base line.
  layout.lanes.forEach((lane, i) => {
    const top = plot.lanes.top[i] as number;
    const h = plot.lanes.height[i] as number;
    g.fillStyle = color(i % 2 ? '--rt-lane-alt' : '--rt-lane');
    g.fillRect(0, top, width, h);
    g.strokeStyle = color('--rt-line');
    g.lineWidth = 1;
    const from = Math.max(0, x(lane.start));
    const to = Math.min(width, x(lane.end ?? layout.end));
    if (to > from) {
      g.beginPath();
      g.moveTo(from, top + h - 2.5);
      g.lineTo(to, top + h - 2.5);
      g.stroke();
    }
  });

  // Axis.
  const step = niceStep(v1 - v0, width / 90);
  g.fillStyle = color('--rt-muted');
  g.strokeStyle = color('--rt-line');
  g.textAlign = 'center';
  for (let t = Math.ceil(v0 / step) * step; t <= v1; t += step) {
    const tx = Math.round(x(t)) + 0.5;
    g.beginPath();
    g.moveTo(tx, AXIS - 5);
    g.lineTo(tx, AXIS);
    g.stroke();
    g.fillText(
      formatMs(Math.abs(t) < step / 1e6 ? 0 : t),
      Math.min(Math.max(tx, 24), width - 24),
      AXIS / 2 - 1,
    );
  }

  // Spans, culled to the view. Zoomed out, thousands of spans share a few pixels: neighbours
  // in one row with the same colour that touch on screen are drawn as one rectangle (the same
  // picture, a fraction of the canvas calls). Spans are sorted by lane, row and start.
  let runLane = -1;
  let runRow = -1;
  let runColor = '';
  let runAlpha = 1;
  let runX0 = 0;
  let runX1 = 0;
  const ends: number[] = [];
  const fillRun = () => {
    if (runLane < 0) return;
    g.fillStyle = runColor;
    g.globalAlpha = runAlpha;
    g.fillRect(runX0, rowY(plot, runLane, runRow) + 1, runX1 - runX0, ROW - 2);
  };
  for (const s of layout.spans) {
    if (s.end < v0 || s.start > v1) continue;
    const x0 = x(s.start);
    const x1 = x0 + Math.max(1.5, x(s.end) - x0);
    const spanColor = color(SPAN_COLOR[s.kind]);
    const alpha = s.kind === 'goroutine' ? 0.45 : 0.9;
    if (
      s.lane === runLane &&
      s.row === runRow &&
      spanColor === runColor &&
      alpha === runAlpha &&
      x0 <= runX1 + 0.5
    ) {
      if (x1 > runX1) runX1 = x1;
    } else {
      fillRun();
      runLane = s.lane;
      runRow = s.row;
      runColor = spanColor;
      runAlpha = alpha;
      runX0 = x0;
      runX1 = x1;
    }
    // An open span (it lasted until the run ended) gets a bar at its end.
    if (s.open) ends.push(x1 - 1.5, rowY(plot, s.lane, s.row) + 1);
  }
  fillRun();
  g.globalAlpha = 1;
  g.fillStyle = color('--rt-text');
  for (let i = 0; i < ends.length; i += 2) g.fillRect(ends[i] as number, ends[i + 1] as number, 1.5, ROW - 2);

  // Timer links: set → fired, a dashed arc above row 0.
  g.setLineDash([3, 3]);
  g.strokeStyle = color('--rt-muted');
  for (const l of layout.links) {
    if (l.to < v0 || l.from > v1) continue;
    const y = rowY(plot, l.lane, 0) + 1;
    const x0 = x(l.from);
    const x1 = x(l.to);
    g.beginPath();
    g.moveTo(x0, y + 3);
    g.quadraticCurveTo((x0 + x1) / 2, y - 4, x1, y + 3);
    g.stroke();
  }
  g.setLineDash([]);

  // Marks, culled to the view; a mark on the same pixel as the last one of its kind in its
  // lane is the same picture, so it is skipped (marks are sorted by lane and time).
  let lastLane = -1;
  let lastKind = '';
  let lastX = -Infinity;
  for (const m of layout.marks) {
    if (m.t < v0 || m.t > v1) continue;
    const mx = x(m.t);
    if (m.lane === lastLane && m.kind === lastKind && mx - lastX < 0.5) continue;
    lastLane = m.lane;
    lastKind = m.kind;
    lastX = mx;
    const y = rowY(plot, m.lane, 0);
    switch (m.kind) {
      case 'log':
        g.fillStyle = color('--rt-log');
        g.fillRect(mx - 0.75, y, 1.5, ROW);
        break;
      case 'error':
      case 'deadlock':
      case 'limit':
        g.fillStyle = color('--rt-error');
        g.beginPath();
        g.moveTo(mx, y);
        g.lineTo(mx + 5, y + ROW);
        g.lineTo(mx - 5, y + ROW);
        g.closePath();
        g.fill();
        break;
      case 'timer-set':
        g.strokeStyle = color('--rt-text');
        g.beginPath();
        g.arc(mx, y + ROW / 2, 3.5, 0, Math.PI * 2);
        g.stroke();
        break;
      case 'handoff':
      case 'close':
        g.fillStyle = color('--rt-blocked');
        g.beginPath();
        g.moveTo(mx, y + 1);
        g.lineTo(mx + 4, y + ROW / 2);
        g.lineTo(mx, y + ROW - 1);
        g.lineTo(mx - 4, y + ROW / 2);
        g.closePath();
        g.fill();
        break;
      case 'started':
      case 'stopped':
        g.fillStyle = color('--rt-line');
        g.fillRect(
          mx - 1,
          (plot.lanes.top[m.lane] as number) + 2,
          2,
          (plot.lanes.height[m.lane] as number) - 4,
        );
        break;
    }
  }

  // Messages: arrows between lanes, at the moment they were sent.
  g.strokeStyle = color('--rt-arrow');
  g.fillStyle = g.strokeStyle;
  g.lineWidth = 1.25;
  for (const a of layout.arrows) {
    if (a.t < v0 || a.t > v1) continue;
    drawArrow(g, plot, a);
  }
  g.lineWidth = 1;

  // Marked moment and focused item.
  const { marker, focus } = highlights;
  if (marker !== undefined && marker >= v0 && marker <= v1) {
    const mx = Math.round(x(marker)) + 0.5;
    g.strokeStyle = color('--rt-focus');
    g.lineWidth = 1.5;
    g.beginPath();
    g.moveTo(mx, AXIS);
    g.lineTo(mx, height);
    g.stroke();
    g.lineWidth = 1;
  }
  if (focus) {
    const box = itemBox(plot, focus);
    g.strokeStyle = color('--rt-focus');
    g.lineWidth = 2;
    g.strokeRect(box.x - 2, box.y - 1, box.w + 4, box.h + 2);
    g.lineWidth = 1;
  }
}

function drawArrow(g: CanvasRenderingContext2D, plot: Plot, a: Arrow): void {
  const x0 = xOf(plot, a.t);
  const { y0, y1 } = arrowY(plot, a);
  const x1 = x0 + 6;
  g.beginPath();
  g.moveTo(x0, y0);
  g.lineTo(x1, y1);
  g.stroke();
  const dir = Math.sign(y1 - y0) || 1;
  g.beginPath();
  g.moveTo(x1, y1);
  g.lineTo(x1 - 4, y1 - 5 * dir);
  g.lineTo(x1 + 2.5, y1 - 6 * dir);
  g.closePath();
  g.fill();
}

/** The lane names beside the canvas, each as tall as its lane. */
export function renderLaneLabels(container: HTMLElement, plot: Pick<Plot, 'layout' | 'lanes'>): void {
  const labels = plot.layout.lanes.map((lane, i) => {
    const div = document.createElement('div');
    div.style.height = `${plot.lanes.height[i] as number}px`;
    div.style.paddingTop = `${PAD}px`;
    div.textContent = lane.label;
    return div;
  });
  container.replaceChildren(...labels);
}

/** The colour legend under the canvas. */
export function legendElement(): HTMLElement {
  const legend = document.createElement('ul');
  legend.className = 'rt-legend';
  for (const [variable, text] of LEGEND) {
    const li = document.createElement('li');
    const swatch = document.createElement('i');
    swatch.style.background = `var(${variable})`;
    li.append(swatch, text);
    legend.append(li);
  }
  return legend;
}
