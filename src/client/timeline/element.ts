/**
 * <run-timeline>: a run drawn as one lane per thread (main, each worker, pool workers), from the
 * runner's event stream alone. Canvas for the picture (10,000 items draw in a few ms), DOM for
 * everything a reader or a screen reader needs: lane names, a toolbar, a live details line, a
 * table of every event, the Mermaid text.
 *
 * ```ts
 * const timeline = mountTimeline(container, handle); // or: el.attach(handle) / el.setEvents(events)
 * timeline.addEventListener('timeline-select', (e) => highlightOutputAt(e.detail.t, e.detail.end));
 * timeline.highlightTime(t, threadId);               // from an output line to its moment
 * ```
 *
 * Keyboard (on the plot, one tab stop): ←/→ previous/next item in the lane, ↑/↓ other lane,
 * Home/End first/last item, Enter or Space choose it, +/− zoom around it, 0 fit the run,
 * Shift+←/→ pan. Pointer: hover for details, click to choose, drag to pan, Ctrl/⌘+wheel or a
 * pinch to zoom, Shift+wheel (or a sideways wheel) to pan; a plain wheel scrolls the page.
 *
 * State: the events (kept, not copied), the layout made from them (re-made at most once a frame
 * while a run streams in), the visible time range, the focused item and the marked moment. The
 * view follows a running run (fit to the end) until the reader zooms or pans.
 */
import type { RunEvent, RunHandle } from '../../runner/index.ts';
import {
  describeEvent,
  layoutTimeline,
  type Arrow,
  type Link,
  type Mark,
  type Span,
  type TimelineLayout,
} from './layout.ts';
import { toMermaidSequence } from './mermaid-export.ts';
import { ensureStyles } from './styles.ts';

/** Detail of the `timeline-select` event. */
export interface TimelineSelectDetail {
  /** Index of the chosen event in the run's events. */
  readonly index: number;
  readonly event: RunEvent;
  /** The moment (ms since the run started); `end` for a span. */
  readonly t: number;
  readonly end?: number;
  /** Thread id of the lane, when the lane is a thread. */
  readonly thread?: number;
}

type Item =
  | {
      readonly type: 'span';
      readonly lane: number;
      readonly t: number;
      readonly end: number;
      readonly ref: Span;
      readonly event: number;
    }
  | {
      readonly type: 'mark';
      readonly lane: number;
      readonly t: number;
      readonly end: number;
      readonly ref: Mark;
      readonly event: number;
    }
  | {
      readonly type: 'arrow';
      readonly lane: number;
      readonly t: number;
      readonly end: number;
      readonly ref: Arrow;
      readonly event: number;
    }
  | {
      readonly type: 'link';
      readonly lane: number;
      readonly t: number;
      readonly end: number;
      readonly ref: Link;
      readonly event: number;
    };

const AXIS = 22;
/** Rows of the event table shown at once (a 10,000-row table costs seconds of layout). */
const TABLE_PAGE = 100;
const ROW = 12;
/** A frame's layout work after which drawing waits for the next frame. */
const SLICE_MS = 8;
const PAD = 5;
const MIN_LANE = 26;

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

const ms = (t: number): string =>
  Math.abs(t) < 10
    ? `${t.toFixed(2)} ms`
    : Math.abs(t) < 1000
      ? `${t.toFixed(1)} ms`
      : `${(t / 1000).toFixed(3)} s`;

function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

function button(label: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.title = title;
  b.setAttribute('aria-label', title);
  b.addEventListener('click', onClick);
  return b;
}

export class RunTimeline extends HTMLElement {
  #events: readonly RunEvent[] = [];
  #layout: TimelineLayout = layoutTimeline([]);
  #items: Item[][] = [];
  #byEvent = new Map<number, Item>();
  #laneTop: number[] = [];
  #laneHeight: number[] = [];
  #v0 = 0;
  #v1 = 1;
  #follow = true;
  #focus: Item | undefined;
  #marker: number | undefined;
  #frame = 0;
  #unsubscribe: (() => void) | undefined;
  #colors = new Map<string, string>();
  #width = 0;
  #built = false;
  #running = false;

  #toolbar!: HTMLElement;
  #range!: HTMLElement;
  #labels!: HTMLElement;
  #plot!: HTMLElement;
  #canvas!: HTMLCanvasElement;
  #tip!: HTMLElement;
  #detail!: HTMLElement;
  #gil!: HTMLElement;
  #table!: HTMLDetailsElement;
  #mermaid!: HTMLDetailsElement;
  #resize: ResizeObserver | undefined;
  #theme: MutationObserver | undefined;

  connectedCallback(): void {
    if (!this.#built) this.#build();
    this.#resize = new ResizeObserver(() => this.#schedule());
    this.#resize.observe(this.#plot);
    this.#theme = new MutationObserver(() => {
      this.#colors.clear();
      this.#schedule();
    });
    this.#theme.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme', 'class'],
    });
    this.#schedule();
  }

  disconnectedCallback(): void {
    this.#resize?.disconnect();
    this.#theme?.disconnect();
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  // ---- public API ------------------------------------------------------------------------

  /** Follows a run: replays its events so far, then draws new ones as they arrive. */
  attach(handle: RunHandle): void {
    this.#unsubscribe?.();
    const events: RunEvent[] = [];
    this.#events = events;
    this.#reset();
    this.#running = true;
    this.#unsubscribe = handle.subscribe((event) => {
      events.push(event);
      this.#schedule();
    });
    void handle.done.then(() => {
      this.#running = false;
      this.#schedule();
    });
  }

  /** Shows a finished run (or any list of events). */
  setEvents(events: readonly RunEvent[]): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#running = false;
    this.#events = events;
    this.#reset();
    this.#schedule();
  }

  get events(): readonly RunEvent[] {
    return this.#events;
  }

  /** The current model (for tests and for whoever wants to draw it differently). */
  get layout(): TimelineLayout {
    this.#relayoutIfNeeded();
    return this.#layout;
  }

  /** The visible time range, ms since the run started. */
  get view(): { readonly from: number; readonly to: number } {
    return { from: this.#v0, to: this.#v1 };
  }

  /** The item keyboard focus is on, described as in the details line. */
  get focusedDescription(): string | undefined {
    return this.#focus ? this.#describe(this.#focus) : undefined;
  }

  /** Marks moment `t` (e.g. of an output line), brings it into view and focuses the nearest item. */
  highlightTime(t: number, thread?: number): void {
    this.#relayoutIfNeeded();
    this.#marker = t;
    let lane = thread === undefined ? -1 : this.#layout.lanes.findIndex((l) => l.thread === thread);
    if (lane < 0) lane = 0;
    const item = this.#nearest(lane, t);
    if (item) this.#setFocus(item);
    this.#reveal(t);
    this.#draw();
  }

  /** Chooses the item of event `index`, as a click would. */
  selectEvent(index: number): boolean {
    this.#relayoutIfNeeded();
    const item = this.#byEvent.get(index);
    if (!item) return false;
    this.#choose(item);
    return true;
  }

  /** Zooms by `factor` (> 1 zooms in) around moment `at` (default: the middle). */
  zoom(factor: number, at = (this.#v0 + this.#v1) / 2): void {
    const span = Math.max(0.01, (this.#v1 - this.#v0) / factor);
    const ratio = (at - this.#v0) / (this.#v1 - this.#v0 || 1);
    this.#v0 = at - span * ratio;
    this.#v1 = this.#v0 + span;
    this.#follow = false;
    this.#clampView();
    this.#draw();
  }

  /** Shows the whole run. */
  fit(): void {
    this.#follow = true;
    this.#fitView();
    this.#draw();
  }

  /** The run as Mermaid sequence-diagram text. */
  toMermaid(): string {
    return toMermaidSequence(this.#events);
  }

  // ---- building ----------------------------------------------------------------------------

  #build(): void {
    this.#built = true;
    ensureStyles(this.ownerDocument);
    this.setAttribute('role', 'region');
    if (!this.hasAttribute('aria-label')) this.setAttribute('aria-label', 'Run timeline');
    // A widget, not prose: Starlight's content styles (margins between blocks and list items,
    // table and details looks) stay out, and styles.ts says how every part looks.
    this.classList.add('not-content');

    this.#toolbar = document.createElement('div');
    this.#toolbar.className = 'rt-toolbar';
    this.#range = document.createElement('span');
    this.#range.className = 'rt-range';
    const copy = button(
      'Copy as Mermaid',
      'Copy the run as a Mermaid sequence diagram',
      () => void this.#copyMermaid(copy),
    );
    this.#toolbar.append(
      button('−', 'Zoom out', () => this.zoom(1 / 1.6, this.#anchor())),
      button('+', 'Zoom in', () => this.zoom(1.6, this.#anchor())),
      button('Fit', 'Show the whole run', () => this.fit()),
      copy,
      this.#range,
    );

    const body = document.createElement('div');
    body.className = 'rt-body';
    this.#labels = document.createElement('div');
    this.#labels.className = 'rt-labels';
    this.#labels.style.setProperty('--rt-axis', `${AXIS}px`);
    this.#labels.setAttribute('aria-hidden', 'true');
    this.#plot = document.createElement('div');
    this.#plot.className = 'rt-plot';
    this.#plot.tabIndex = 0;
    this.#plot.setAttribute('role', 'application');
    this.#plot.setAttribute('aria-roledescription', 'timeline');
    this.#plot.setAttribute(
      'aria-label',
      'Run timeline. Arrow keys move between items, Enter chooses one, plus and minus zoom, 0 fits the run.',
    );
    this.#canvas = document.createElement('canvas');
    this.#canvas.setAttribute('aria-hidden', 'true');
    this.#tip = document.createElement('div');
    this.#tip.className = 'rt-tip';
    this.#tip.hidden = true;
    this.#plot.append(this.#canvas, this.#tip);
    body.append(this.#labels, this.#plot);

    this.#detail = document.createElement('p');
    this.#detail.className = 'rt-detail';
    this.#detail.setAttribute('aria-live', 'polite');
    this.#detail.id = `rt-detail-${Math.random().toString(36).slice(2)}`;
    this.#plot.setAttribute('aria-describedby', this.#detail.id);

    const legend = document.createElement('ul');
    legend.className = 'rt-legend';
    for (const [variable, text] of LEGEND) {
      const li = document.createElement('li');
      const swatch = document.createElement('i');
      swatch.style.background = `var(${variable})`;
      li.append(swatch, text);
      legend.append(li);
    }

    this.#gil = document.createElement('div');
    this.#gil.className = 'rt-gil';

    this.#table = document.createElement('details');
    this.#table.className = 'rt-table';
    const summary = document.createElement('summary');
    summary.textContent = 'Events as a table';
    this.#table.append(summary);
    this.#table.addEventListener('toggle', () => this.#renderTable());

    this.#mermaid = document.createElement('details');
    const ms = document.createElement('summary');
    ms.textContent = 'As a Mermaid sequence diagram';
    this.#mermaid.append(ms);
    this.#mermaid.addEventListener('toggle', () => this.#renderMermaid());

    this.append(this.#toolbar, body, this.#detail, legend, this.#gil, this.#table, this.#mermaid);
    this.#wireInput();
  }

  #reset(): void {
    this.#tablePage = 0;
    this.#focus = undefined;
    this.#marker = undefined;
    this.#follow = true;
    this.#dirty = true;
    if (this.#detail) this.#detail.textContent = '';
  }

  #dirty = true;
  #laidOutCount = -1;

  #relayoutIfNeeded(): void {
    if (!this.#dirty && this.#laidOutCount === this.#events.length) return;
    this.#dirty = false;
    this.#laidOutCount = this.#events.length;
    const focusEvent = this.#focus?.event;
    this.#layout = layoutTimeline(this.#events);
    const items: Item[][] = this.#layout.lanes.map(() => []);
    this.#byEvent.clear();
    const add = (item: Item) => {
      items[item.lane]?.push(item);
      if (!this.#byEvent.has(item.event)) this.#byEvent.set(item.event, item);
    };
    for (const s of this.#layout.spans)
      add({ type: 'span', lane: s.lane, t: s.start, end: s.end, ref: s, event: s.event });
    for (const m of this.#layout.marks)
      add({ type: 'mark', lane: m.lane, t: m.t, end: m.t, ref: m, event: m.event });
    for (const a of this.#layout.arrows)
      add({ type: 'arrow', lane: a.from, t: a.t, end: a.t, ref: a, event: a.event });
    for (const l of this.#layout.links)
      add({ type: 'link', lane: l.lane, t: l.from, end: l.to, ref: l, event: l.event });
    for (const list of items) list.sort((a, b) => a.t - b.t || a.event - b.event);
    this.#items = items;
    if (focusEvent !== undefined) this.#focus = this.#byEvent.get(focusEvent);
    // Lane geometry and labels.
    this.#laneTop = [];
    this.#laneHeight = [];
    let y = AXIS;
    const labels: HTMLElement[] = [];
    for (const lane of this.#layout.lanes) {
      const h = Math.max(MIN_LANE, lane.rows * ROW + 2 * PAD);
      this.#laneTop.push(y);
      this.#laneHeight.push(h);
      y += h;
      const div = document.createElement('div');
      div.style.height = `${h}px`;
      div.style.paddingTop = `${PAD}px`;
      div.textContent = lane.label;
      labels.push(div);
    }
    this.#labels.replaceChildren(...labels);
    this.#renderGil();
    if (this.#table.open) this.#renderTable();
    if (this.#mermaid.open) this.#renderMermaid();
  }

  #schedule(): void {
    this.#dirty = true;
    if (this.#frame || !this.isConnected) return;
    this.#frame = requestAnimationFrame(() => this.#onFrame());
  }

  /**
   * One frame's work. A big layout (thousands of events) and the drawing go in separate frames,
   * so neither makes a long task of the other: the frame after a layout that took more than
   * {@link SLICE_MS} only draws.
   */
  #postponed = false;

  #onFrame(): void {
    this.#frame = 0;
    const started = performance.now();
    const stale = this.#dirty || this.#laidOutCount !== this.#events.length;
    this.#relayoutIfNeeded();
    // Once: a run streaming in must not starve the drawing.
    if (stale && !this.#postponed && performance.now() - started > SLICE_MS && this.isConnected) {
      this.#postponed = true;
      this.#frame = requestAnimationFrame(() => this.#onFrame());
      return;
    }
    this.#postponed = false;
    if (this.#follow) this.#fitView();
    this.#draw();
  }

  #fitView(): void {
    this.#v0 = 0;
    this.#v1 = Math.max(1, this.#layout.end) * 1.02;
  }

  #clampView(): void {
    const end = Math.max(1, this.#layout.end) * 1.05;
    const span = Math.min(this.#v1 - this.#v0, end * 1.5);
    if (this.#v0 < -span * 0.1) this.#v0 = -span * 0.1;
    if (this.#v0 > end - span * 0.1) this.#v0 = end - span * 0.1;
    this.#v1 = this.#v0 + span;
  }

  #reveal(t: number): void {
    if (t >= this.#v0 && t <= this.#v1) return;
    const span = this.#v1 - this.#v0;
    this.#v0 = t - span / 2;
    this.#v1 = this.#v0 + span;
    this.#follow = false;
    this.#clampView();
  }

  #anchor(): number {
    return this.#focus ? this.#focus.t : (this.#marker ?? (this.#v0 + this.#v1) / 2);
  }

  // ---- drawing -----------------------------------------------------------------------------

  #color(variable: string): string {
    let value = this.#colors.get(variable);
    if (value === undefined) {
      value = getComputedStyle(this).getPropertyValue(variable).trim() || '#888';
      this.#colors.set(variable, value);
    }
    return value;
  }

  #x(t: number): number {
    return ((t - this.#v0) / (this.#v1 - this.#v0 || 1)) * this.#width;
  }

  #draw(): void {
    if (!this.#built) return;
    const width = Math.max(100, Math.floor(this.#plot.clientWidth || 600));
    const lanes = this.#layout.lanes;
    const height = AXIS + this.#laneHeight.reduce((a, b) => a + b, 0) + 2;
    this.#width = width;
    const dpr = window.devicePixelRatio || 1;
    const canvas = this.#canvas;
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    }
    const g = canvas.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    g.font = '11px system-ui, sans-serif';
    g.textBaseline = 'middle';

    // Lanes: stripes, and each worker's lifetime as a base line.
    lanes.forEach((lane, i) => {
      const top = this.#laneTop[i] as number;
      const h = this.#laneHeight[i] as number;
      g.fillStyle = this.#color(i % 2 ? '--rt-lane-alt' : '--rt-lane');
      g.fillRect(0, top, width, h);
      g.strokeStyle = this.#color('--rt-line');
      g.lineWidth = 1;
      const from = Math.max(0, this.#x(lane.start));
      const to = Math.min(width, this.#x(lane.end ?? this.#layout.end));
      if (to > from) {
        g.beginPath();
        g.moveTo(from, top + h - 2.5);
        g.lineTo(to, top + h - 2.5);
        g.stroke();
      }
    });

    // Axis.
    const step = niceStep(this.#v1 - this.#v0, width / 90);
    g.fillStyle = this.#color('--rt-muted');
    g.strokeStyle = this.#color('--rt-line');
    g.textAlign = 'center';
    for (let t = Math.ceil(this.#v0 / step) * step; t <= this.#v1; t += step) {
      const x = Math.round(this.#x(t)) + 0.5;
      g.beginPath();
      g.moveTo(x, AXIS - 5);
      g.lineTo(x, AXIS);
      g.stroke();
      g.fillText(ms(Math.abs(t) < step / 1e6 ? 0 : t), Math.min(Math.max(x, 24), width - 24), AXIS / 2 - 1);
    }

    const rowY = (lane: number, row: number) => (this.#laneTop[lane] as number) + PAD + row * ROW;

    // Spans, culled to the view. Zoomed out, thousands of spans share a few pixels: neighbours
    // in one row with the same colour that touch on screen are drawn as one rectangle (the same
    // picture, a fraction of the canvas calls). Spans are sorted by lane, row and start.
    const v0 = this.#v0;
    const v1 = this.#v1;
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
      g.fillRect(runX0, rowY(runLane, runRow) + 1, runX1 - runX0, ROW - 2);
    };
    for (const s of this.#layout.spans) {
      if (s.end < v0 || s.start > v1) continue;
      const x0 = this.#x(s.start);
      const x1 = x0 + Math.max(1.5, this.#x(s.end) - x0);
      const color = this.#color(SPAN_COLOR[s.kind]);
      const alpha = s.kind === 'goroutine' ? 0.45 : 0.9;
      if (
        s.lane === runLane &&
        s.row === runRow &&
        color === runColor &&
        alpha === runAlpha &&
        x0 <= runX1 + 0.5
      ) {
        if (x1 > runX1) runX1 = x1;
      } else {
        fillRun();
        runLane = s.lane;
        runRow = s.row;
        runColor = color;
        runAlpha = alpha;
        runX0 = x0;
        runX1 = x1;
      }
      // An open span (it lasted until the run ended) gets a bar at its end.
      if (s.open) ends.push(x1 - 1.5, rowY(s.lane, s.row) + 1);
    }
    fillRun();
    g.globalAlpha = 1;
    g.fillStyle = this.#color('--rt-text');
    for (let i = 0; i < ends.length; i += 2)
      g.fillRect(ends[i] as number, ends[i + 1] as number, 1.5, ROW - 2);

    // Timer links: set → fired, a dashed arc above row 0.
    g.setLineDash([3, 3]);
    g.strokeStyle = this.#color('--rt-muted');
    for (const l of this.#layout.links) {
      if (l.to < this.#v0 || l.from > this.#v1) continue;
      const y = rowY(l.lane, 0) + 1;
      const x0 = this.#x(l.from);
      const x1 = this.#x(l.to);
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
    for (const m of this.#layout.marks) {
      if (m.t < v0 || m.t > v1) continue;
      const x = this.#x(m.t);
      if (m.lane === lastLane && m.kind === lastKind && x - lastX < 0.5) continue;
      lastLane = m.lane;
      lastKind = m.kind;
      lastX = x;
      const y = rowY(m.lane, 0);
      switch (m.kind) {
        case 'log':
          g.fillStyle = this.#color('--rt-log');
          g.fillRect(x - 0.75, y, 1.5, ROW);
          break;
        case 'error':
        case 'deadlock':
        case 'limit':
          g.fillStyle = this.#color('--rt-error');
          g.beginPath();
          g.moveTo(x, y);
          g.lineTo(x + 5, y + ROW);
          g.lineTo(x - 5, y + ROW);
          g.closePath();
          g.fill();
          break;
        case 'timer-set':
          g.strokeStyle = this.#color('--rt-text');
          g.beginPath();
          g.arc(x, y + ROW / 2, 3.5, 0, Math.PI * 2);
          g.stroke();
          break;
        case 'handoff':
        case 'close':
          g.fillStyle = this.#color('--rt-blocked');
          g.beginPath();
          g.moveTo(x, y + 1);
          g.lineTo(x + 4, y + ROW / 2);
          g.lineTo(x, y + ROW - 1);
          g.lineTo(x - 4, y + ROW / 2);
          g.closePath();
          g.fill();
          break;
        case 'started':
        case 'stopped':
          g.fillStyle = this.#color('--rt-line');
          g.fillRect(
            x - 1,
            (this.#laneTop[m.lane] as number) + 2,
            2,
            (this.#laneHeight[m.lane] as number) - 4,
          );
          break;
      }
    }

    // Messages: arrows between lanes, at the moment they were sent.
    g.strokeStyle = this.#color('--rt-arrow');
    g.fillStyle = g.strokeStyle;
    g.lineWidth = 1.25;
    for (const a of this.#layout.arrows) {
      if (a.t < v0 || a.t > v1) continue;
      this.#arrow(g, a);
    }
    g.lineWidth = 1;

    // Marked moment and focused item.
    if (this.#marker !== undefined && this.#marker >= this.#v0 && this.#marker <= this.#v1) {
      const x = Math.round(this.#x(this.#marker)) + 0.5;
      g.strokeStyle = this.#color('--rt-focus');
      g.lineWidth = 1.5;
      g.beginPath();
      g.moveTo(x, AXIS);
      g.lineTo(x, height);
      g.stroke();
      g.lineWidth = 1;
    }
    if (this.#focus) {
      const box = this.#box(this.#focus);
      g.strokeStyle = this.#color('--rt-focus');
      g.lineWidth = 2;
      g.strokeRect(box.x - 2, box.y - 1, box.w + 4, box.h + 2);
      g.lineWidth = 1;
    }
    this.#range.textContent = `${ms(Math.max(0, this.#v0))} – ${ms(this.#v1)} · ${lanes.length} lane${lanes.length === 1 ? '' : 's'} · ${this.#events.length} events${this.#running ? ' · running' : ''}`;
  }

  #arrowY(a: Arrow): { y0: number; y1: number } {
    const mid = (lane: number) => (this.#laneTop[lane] as number) + (this.#laneHeight[lane] as number) / 2;
    return { y0: mid(a.from), y1: mid(a.to) };
  }

  #arrow(g: CanvasRenderingContext2D, a: Arrow): void {
    const x0 = this.#x(a.t);
    const { y0, y1 } = this.#arrowY(a);
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

  /** An item's box on the canvas (CSS px). */
  #box(item: Item): { x: number; y: number; w: number; h: number } {
    const lane = item.lane;
    const top = (this.#laneTop[lane] as number) + PAD;
    switch (item.type) {
      case 'span': {
        const x = this.#x(item.t);
        return { x, y: top + item.ref.row * ROW, w: Math.max(1.5, this.#x(item.end) - x), h: ROW };
      }
      case 'arrow': {
        const { y0, y1 } = this.#arrowY(item.ref);
        const x = this.#x(item.t);
        return { x: x - 2, y: Math.min(y0, y1), w: 10, h: Math.abs(y1 - y0) };
      }
      case 'link': {
        const x = this.#x(item.t);
        return { x, y: top - 3, w: Math.max(2, this.#x(item.end) - x), h: 6 };
      }
      default:
        return { x: this.#x(item.t) - 4, y: top, w: 8, h: ROW };
    }
  }

  // ---- the GIL model panel, the table, the Mermaid text ------------------------------------------

  #renderGil(): void {
    const runs = this.#layout.gil;
    if (!runs.length) {
      this.#gil.replaceChildren();
      return;
    }
    const NS = 'http://www.w3.org/2000/svg';
    const parts: Element[] = [];
    for (const { run } of runs) {
      const heading = document.createElement('p');
      heading.textContent = `${describeEvent(run)}. Time here is the model's ticks, not ms: each row is a model thread.`;
      const svg = document.createElementNS(NS, 'svg');
      const W = 600;
      const left = 34;
      const rowH = 14;
      svg.setAttribute('viewBox', `0 0 ${W} ${run.threads * rowH + 4}`);
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', `Who held the GIL over ${run.ticks} ticks`);
      const scale = (W - left - 4) / Math.max(1, run.ticks);
      for (let t = 0; t < run.threads; t++) {
        const label = document.createElementNS(NS, 'text');
        label.setAttribute('x', '2');
        label.setAttribute('y', String(t * rowH + 11));
        label.textContent = `T${t}`;
        svg.append(label);
      }
      const fills: Record<string, string> = {
        'holds-gil': '--rt-ran',
        'waits-gil': '--rt-wait',
        released: '--rt-pool',
        'lock-wait': '--rt-blocked',
      };
      for (const span of run.spans.slice(0, 5000)) {
        const rect = document.createElementNS(NS, 'rect');
        rect.setAttribute('x', String(left + span.from * scale));
        rect.setAttribute('y', String(span.thread * rowH + 2));
        rect.setAttribute('width', String(Math.max(0.5, (span.to - span.from) * scale)));
        rect.setAttribute('height', String(rowH - 4));
        rect.setAttribute(
          'style',
          `fill: var(${fills[span.state] ?? '--rt-line'}); opacity: ${span.state === 'waits-gil' ? 0.5 : 0.9}`,
        );
        const title = document.createElementNS(NS, 'title');
        title.textContent = `T${span.thread} ${span.state.replace('-', ' ')} ticks ${span.from}–${span.to}`;
        rect.append(title);
        svg.append(rect);
      }
      parts.push(heading, svg);
    }
    const legend = document.createElement('p');
    legend.className = 'rt-legend';
    legend.textContent =
      'Model threads: accent = holds the GIL, orange = waits for it, blue = in I/O or native code (GIL released), purple = waits for a lock.';
    this.#gil.replaceChildren(...parts, legend);
  }

  /** First row shown: the table shows one page of {@link TABLE_PAGE} events at a time. */
  #tablePage = 0;

  #renderTable(): void {
    if (!this.#table.open) return;
    const events = this.#events;
    const pages = Math.max(1, Math.ceil(events.length / TABLE_PAGE));
    const page = Math.min(this.#tablePage, pages - 1);
    const from = page * TABLE_PAGE;
    const to = Math.min(events.length, from + TABLE_PAGE);
    const wrap = document.createElement('div');
    wrap.className = 'rt-table-wrap';
    const table = document.createElement('table');
    const caption = table.createCaption();
    caption.textContent = `Events ${events.length ? from + 1 : 0}–${to} of ${events.length}`;
    // A scrolling box: keyboard users scroll it once it has focus.
    wrap.tabIndex = 0;
    wrap.setAttribute('role', 'region');
    wrap.setAttribute('aria-label', caption.textContent);
    const head = table.createTHead().insertRow();
    for (const text of ['Time', 'Thread', 'Kind', 'What']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = text;
      head.append(th);
    }
    const tbody = table.createTBody();
    tbody.addEventListener('click', (event) => {
      const row = (event.target as Element).closest('tr');
      const index = row ? Number(row.dataset['index']) : NaN;
      if (!Number.isNaN(index) && !this.selectEvent(index)) this.#announceEvent(index);
    });
    const fragment = document.createDocumentFragment();
    for (let at = from; at < to; at++) {
      const e = events[at] as RunEvent;
      const tr = document.createElement('tr');
      tr.dataset['index'] = String(at);
      for (const text of [ms(e.t), e.thread.label, e.kind, describeEvent(e)]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      fragment.append(tr);
    }
    tbody.append(fragment);
    wrap.append(table);
    const nav = document.createElement('p');
    nav.className = 'rt-toolbar';
    if (pages > 1) {
      const go = (delta: number) => {
        this.#tablePage = Math.min(pages - 1, Math.max(0, page + delta));
        this.#renderTable();
        this.#table.querySelector<HTMLButtonElement>(`.rt-table-nav button[data-dir="${delta}"]`)?.focus();
      };
      const previous = button('Previous events', `Events before ${from + 1}`, () => go(-1));
      previous.dataset['dir'] = '-1';
      previous.disabled = page === 0;
      const next = button('Next events', `Events after ${to}`, () => go(1));
      next.dataset['dir'] = '1';
      next.disabled = page === pages - 1;
      nav.classList.add('rt-table-nav');
      nav.append(previous, next, `Page ${page + 1} of ${pages}`);
    }
    this.#table.querySelector('.rt-table-wrap')?.remove();
    this.#table.querySelector('.rt-table-nav')?.remove();
    this.#table.append(wrap, nav);
  }

  #renderMermaid(): void {
    if (!this.#mermaid.open) return;
    let pre = this.#mermaid.querySelector('pre');
    if (!pre) {
      pre = document.createElement('pre');
      pre.className = 'rt-mermaid';
      this.#mermaid.append(pre);
    }
    pre.textContent = this.toMermaid();
  }

  async #copyMermaid(from: HTMLButtonElement): Promise<void> {
    const text = this.toMermaid();
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      // No clipboard permission: show the text to copy by hand.
      this.#mermaid.open = true;
      this.#renderMermaid();
    }
    const label = from.textContent;
    from.textContent = ok ? 'Copied' : 'Shown below';
    this.#detail.textContent = ok
      ? 'The run was copied as a Mermaid sequence diagram.'
      : 'Copying is not allowed here; the Mermaid text is shown below.';
    setTimeout(() => {
      from.textContent = label;
    }, 1500);
  }

  // ---- focus, choosing, input ----------------------------------------------------------------

  #describe(item: Item): string {
    const lane = this.#layout.lanes[item.lane]?.label ?? '';
    const event = this.#events[item.event];
    const when =
      item.end > item.t ? `${ms(item.t)} to ${ms(item.end)} (${ms(item.end - item.t)})` : ms(item.t);
    let what: string;
    if (item.type === 'span') what = `${item.ref.label}${item.ref.open ? ', until the run ended' : ''}`;
    else if (item.type === 'link') what = `${item.ref.label}, fired after ${ms(item.end - item.t)}`;
    else if (item.type === 'arrow') what = event ? describeEvent(event) : item.ref.label;
    else what = event ? describeEvent(event) : item.ref.label;
    return `${lane}, ${when}: ${what}`;
  }

  #announceEvent(index: number): void {
    const event = this.#events[index];
    if (event) this.#detail.textContent = `${event.thread.label}, ${ms(event.t)}: ${describeEvent(event)}`;
  }

  #setFocus(item: Item): void {
    this.#focus = item;
    this.#detail.textContent = this.#describe(item);
  }

  #choose(item: Item): void {
    this.#setFocus(item);
    this.#marker = item.t;
    this.#reveal(item.t);
    this.#draw();
    const event = this.#events[item.event] as RunEvent;
    const lane = this.#layout.lanes[item.lane];
    const detail: TimelineSelectDetail = {
      index: item.event,
      event,
      t: item.t,
      ...(item.end > item.t ? { end: item.end } : {}),
      ...(lane?.thread !== undefined ? { thread: lane.thread } : {}),
    };
    this.dispatchEvent(new CustomEvent<TimelineSelectDetail>('timeline-select', { detail, bubbles: true }));
  }

  #nearest(lane: number, t: number): Item | undefined {
    const list = this.#items[lane];
    if (!list?.length) return undefined;
    let best = list[0] as Item;
    for (const item of list) if (Math.abs(item.t - t) < Math.abs(best.t - t)) best = item;
    return best;
  }

  #move(key: string): boolean {
    const lanes = this.#items;
    if (!lanes.some((l) => l.length)) return false;
    let item = this.#focus;
    if (!item) {
      const first = lanes.findIndex((l) => l.length);
      item = lanes[first]?.[0];
      if (item) this.#setFocus(item);
      return true;
    }
    const list = lanes[item.lane] ?? [];
    const at = list.indexOf(item);
    let next: Item | undefined;
    switch (key) {
      case 'ArrowRight':
        next = list[Math.min(list.length - 1, at + 1)];
        break;
      case 'ArrowLeft':
        next = list[Math.max(0, at - 1)];
        break;
      case 'Home':
        next = list[0];
        break;
      case 'End':
        next = list[list.length - 1];
        break;
      case 'ArrowUp':
      case 'ArrowDown': {
        const dir = key === 'ArrowUp' ? -1 : 1;
        for (let lane = item.lane + dir; lane >= 0 && lane < lanes.length; lane += dir) {
          next = this.#nearest(lane, item.t);
          if (next) break;
        }
        break;
      }
    }
    if (next && next !== item) {
      this.#setFocus(next);
      this.#reveal(next.t);
    }
    return true;
  }

  #hit(x: number, y: number): Item | undefined {
    const lane = this.#laneTop.findIndex((top, i) => y >= top && y < top + (this.#laneHeight[i] as number));
    // Arrows cross lanes: check them first, anywhere.
    for (const a of this.#layout.arrows) {
      const ax = this.#x(a.t);
      const { y0, y1 } = this.#arrowY(a);
      if (x >= ax - 3 && x <= ax + 9 && y >= Math.min(y0, y1) && y <= Math.max(y0, y1)) {
        const item = this.#byEvent.get(a.event);
        if (item) return item;
      }
    }
    if (lane < 0) return undefined;
    const row = Math.floor((y - (this.#laneTop[lane] as number) - PAD) / ROW);
    // A mark within 5 px wins (it is small and sits on top); else the span under the pointer.
    let mark: Item | undefined;
    let span: Item | undefined;
    let bestDistance = 5;
    for (const item of this.#items[lane] ?? []) {
      if (item.type === 'span') {
        if (span || item.ref.row !== row) continue;
        const box = this.#box(item);
        if (x >= box.x - 2 && x <= box.x + box.w + 2) span = item;
      } else if (item.type === 'mark' && row <= 0) {
        const distance = Math.abs(this.#x(item.t) - x);
        if (distance < bestDistance) {
          mark = item;
          bestDistance = distance;
        }
      }
    }
    const best = mark ?? span;
    return best;
  }

  #wireInput(): void {
    const plot = this.#plot;
    const local = (event: MouseEvent) => {
      const rect = this.#canvas.getBoundingClientRect();
      return { x: event.clientX - rect.left, y: event.clientY - rect.top };
    };
    const pointers = new Map<number, number>();
    let drag: { x: number; v0: number; moved: boolean } | undefined;
    let pinch: { distance: number; v0: number; v1: number } | undefined;
    plot.addEventListener('pointerdown', (event) => {
      pointers.set(event.pointerId, event.clientX);
      if (pointers.size === 2) {
        const [a, b] = [...pointers.values()] as [number, number];
        pinch = { distance: Math.abs(a - b) || 1, v0: this.#v0, v1: this.#v1 };
        drag = undefined;
      } else {
        drag = { x: event.clientX, v0: this.#v0, moved: false };
      }
    });
    plot.addEventListener('pointermove', (event) => {
      if (pointers.has(event.pointerId)) pointers.set(event.pointerId, event.clientX);
      if (pinch && pointers.size === 2) {
        const [a, b] = [...pointers.values()] as [number, number];
        const factor = (Math.abs(a - b) || 1) / pinch.distance;
        const mid = (pinch.v0 + pinch.v1) / 2;
        const span = (pinch.v1 - pinch.v0) / factor;
        this.#v0 = mid - span / 2;
        this.#v1 = mid + span / 2;
        this.#follow = false;
        this.#clampView();
        this.#draw();
        return;
      }
      if (drag && pointers.has(event.pointerId)) {
        const dx = event.clientX - drag.x;
        if (Math.abs(dx) > 3) {
          if (!drag.moved) plot.setPointerCapture(event.pointerId);
          drag.moved = true;
          plot.classList.add('rt-dragging');
          const span = this.#v1 - this.#v0;
          this.#v0 = drag.v0 - (dx / this.#width) * span;
          this.#v1 = this.#v0 + span;
          this.#follow = false;
          this.#clampView();
          this.#draw();
        }
        return;
      }
      const { x, y } = local(event);
      const item = this.#hit(x, y);
      if (item) {
        this.#tip.hidden = false;
        this.#tip.textContent = this.#describe(item);
        const left = Math.min(x + 12, Math.max(0, this.#width - 260));
        this.#tip.style.left = `${left}px`;
        this.#tip.style.top = `${y + 14}px`;
      } else this.#tip.hidden = true;
    });
    const up = (event: PointerEvent) => {
      pointers.delete(event.pointerId);
      if (pointers.size < 2) pinch = undefined;
      plot.classList.remove('rt-dragging');
      const wasDrag = drag?.moved;
      drag = undefined;
      if (event.type === 'pointerup' && !wasDrag) {
        const { x, y } = local(event);
        const item = this.#hit(x, y);
        if (item) this.#choose(item);
      }
    };
    plot.addEventListener('pointerup', up);
    plot.addEventListener('pointercancel', up);
    plot.addEventListener('pointerleave', () => {
      this.#tip.hidden = true;
    });
    plot.addEventListener(
      'wheel',
      (event) => {
        const { x } = local(event);
        const at = this.#v0 + (x / (this.#width || 1)) * (this.#v1 - this.#v0);
        if (event.ctrlKey || event.metaKey) {
          event.preventDefault();
          this.zoom(Math.exp(-event.deltaY / 300), at);
        } else if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
          event.preventDefault();
          const delta = event.shiftKey && !event.deltaX ? event.deltaY : event.deltaX;
          const shift = (delta / (this.#width || 1)) * (this.#v1 - this.#v0);
          this.#v0 += shift;
          this.#v1 += shift;
          this.#follow = false;
          this.#clampView();
          this.#draw();
        }
      },
      { passive: false },
    );
    plot.addEventListener('keydown', (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      let handled = true;
      if (event.shiftKey && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) {
        const shift = (event.key === 'ArrowLeft' ? -0.2 : 0.2) * (this.#v1 - this.#v0);
        this.#v0 += shift;
        this.#v1 += shift;
        this.#follow = false;
        this.#clampView();
      } else if (['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(event.key)) {
        handled = this.#move(event.key);
      } else if (event.key === 'Enter' || event.key === ' ') {
        if (this.#focus) this.#choose(this.#focus);
        else handled = this.#move('Home');
      } else if (event.key === '+' || event.key === '=') this.zoom(1.6, this.#anchor());
      else if (event.key === '-' || event.key === '_') this.zoom(1 / 1.6, this.#anchor());
      else if (event.key === '0') this.fit();
      else handled = false;
      if (handled) {
        event.preventDefault();
        this.#draw();
      }
    });
    plot.addEventListener('focus', () => {
      if (!this.#focus) this.#move('Home');
      this.#draw();
    });
  }
}

/** Registers `<run-timeline>` once. */
export function defineRunTimeline(): void {
  if (!customElements.get('run-timeline')) customElements.define('run-timeline', RunTimeline);
}

declare global {
  interface HTMLElementTagNameMap {
    'run-timeline': RunTimeline;
  }
  interface HTMLElementEventMap {
    'timeline-select': CustomEvent<TimelineSelectDetail>;
  }
}
