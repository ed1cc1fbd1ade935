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
 * Keyboard and pointer: see input.ts. The element only wires the parts, each its own module:
 * layout.ts (the model), items.ts (what can be focused), view-state.ts (the visible range),
 * geometry.ts (where things are), draw.ts (the canvas), input.ts, and the side panels
 * gil-panel.ts, event-table.ts, mermaid-panel.ts.
 *
 * State: the events (kept, not copied), the layout and items made from them (re-made at most once
 * a frame while a run streams in), the view, the focused item and the marked moment. The view
 * follows a running run (fit to the end) until the reader zooms or pans.
 */
import type { RunEvent, RunHandle } from '../../runner/index.ts';
import { button } from './button.ts';
import { Palette, drawPlot, legendElement, renderLaneLabels } from './draw.ts';
import { EventTable } from './event-table.ts';
import { AXIS, hitTest, laneGeometry, type LaneGeometry, type Plot } from './geometry.ts';
import { renderGilPanel } from './gil-panel.ts';
import { ZOOM_STEP, wireInput } from './input.ts';
import {
  describeEventAt,
  describeItem,
  firstItem,
  indexItems,
  itemAfterKey,
  nearestItem,
  type Item,
  type TimelineItems,
} from './items.ts';
import { layoutTimeline, type TimelineLayout } from './layout.ts';
import { MermaidPanel } from './mermaid-panel.ts';
import { toMermaidSequence } from './mermaid-export.ts';
import { ensureStyles } from './styles.ts';
import { formatMs } from '../format-time.ts';
import { fitView, revealTime, zoomView, type ViewState } from './view-state.ts';

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

/** A frame's layout work after which drawing waits for the next frame. */
const SLICE_MS = 8;

export class RunTimeline extends HTMLElement {
  #events: readonly RunEvent[] = [];
  #layout: TimelineLayout = layoutTimeline([]);
  #items: TimelineItems = indexItems(this.#layout);
  #lanes: LaneGeometry = laneGeometry(this.#layout);
  #view: ViewState = fitView(0);
  #focus: Item | undefined;
  #marker: number | undefined;
  #frame = 0;
  #unsubscribe: (() => void) | undefined;
  #palette = new Palette(this);
  /** The plot's width at the last draw, px. */
  #width = 0;
  #built = false;
  #running = false;
  /** The events changed since the last layout (or a new run came). */
  #dirty = true;
  #laidOutCount = -1;
  /** This frame only draws: the previous one spent its time on a big layout. */
  #postponed = false;

  #range!: HTMLElement;
  #labels!: HTMLElement;
  #plot!: HTMLElement;
  #canvas!: HTMLCanvasElement;
  #detail!: HTMLElement;
  #gil!: HTMLElement;
  #table!: EventTable;
  #mermaid!: MermaidPanel;
  #resize: ResizeObserver | undefined;
  #theme: MutationObserver | undefined;

  connectedCallback(): void {
    if (!this.#built) this.#build();
    this.#resize = new ResizeObserver(() => this.#schedule());
    this.#resize.observe(this.#plot);
    this.#theme = new MutationObserver(() => {
      this.#palette.clear();
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
    return { from: this.#view.from, to: this.#view.to };
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
    const item = nearestItem(this.#items, lane, t);
    if (item) this.#setFocus(item);
    this.#reveal(t);
    this.#draw();
  }

  /** Chooses the item of event `index`, as a click would. */
  selectEvent(index: number): boolean {
    this.#relayoutIfNeeded();
    const item = this.#items.byEvent.get(index);
    if (!item) return false;
    this.#choose(item);
    return true;
  }

  /** Zooms by `factor` (> 1 zooms in) around moment `at` (default: the middle). */
  zoom(factor: number, at = (this.#view.from + this.#view.to) / 2): void {
    this.#setView(zoomView(this.#view, factor, at, this.#layout.end));
  }

  /** Shows the whole run. */
  fit(): void {
    this.#setView(fitView(this.#layout.end));
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

    this.#detail = document.createElement('p');
    this.#detail.className = 'rt-detail';
    this.#detail.setAttribute('aria-live', 'polite');
    this.#detail.id = `rt-detail-${Math.random().toString(36).slice(2)}`;
    this.#table = new EventTable(
      () => this.#events,
      (index) => {
        if (!this.selectEvent(index)) this.#announceEvent(index);
      },
    );
    this.#mermaid = new MermaidPanel(() => this.toMermaid());

    const toolbar = document.createElement('div');
    toolbar.className = 'rt-toolbar';
    this.#range = document.createElement('span');
    this.#range.className = 'rt-range';
    toolbar.append(
      button('−', 'Zoom out', () => this.zoom(1 / ZOOM_STEP, this.#anchor())),
      button('+', 'Zoom in', () => this.zoom(ZOOM_STEP, this.#anchor())),
      button('Fit', 'Show the whole run', () => this.fit()),
      this.#mermaid.copyButton((message) => {
        this.#detail.textContent = message;
      }),
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
    this.#plot.setAttribute('aria-describedby', this.#detail.id);
    this.#canvas = document.createElement('canvas');
    this.#canvas.setAttribute('aria-hidden', 'true');
    const tip = document.createElement('div');
    tip.className = 'rt-tip';
    tip.hidden = true;
    this.#plot.append(this.#canvas, tip);
    body.append(this.#labels, this.#plot);

    this.#gil = document.createElement('div');
    this.#gil.className = 'rt-gil';

    this.append(
      toolbar,
      body,
      this.#detail,
      legendElement(),
      this.#gil,
      this.#table.element,
      this.#mermaid.element,
    );
    this.#wireInput(tip);
  }

  #wireInput(tip: HTMLElement): void {
    wireInput(this.#plot, this.#canvas, tip, {
      view: () => this.#view,
      end: () => this.#layout.end,
      width: () => this.#width,
      focused: () => this.#focus,
      setView: (view) => this.#setView(view),
      itemAt: (x, y) => hitTest(this.#plotAt(this.#width), x, y),
      describe: (item) => this.#describe(item),
      choose: (item) => this.#choose(item),
      zoomStep: (factor) => this.zoom(factor, this.#anchor()),
      fit: () => this.fit(),
      moveFocus: (key) => this.#moveFocus(key),
      draw: () => this.#draw(),
    });
  }

  #reset(): void {
    this.#table?.reset();
    this.#focus = undefined;
    this.#marker = undefined;
    this.#view = { ...this.#view, follow: true };
    this.#dirty = true;
    if (this.#detail) this.#detail.textContent = '';
  }

  #relayoutIfNeeded(): void {
    if (!this.#dirty && this.#laidOutCount === this.#events.length) return;
    this.#dirty = false;
    this.#laidOutCount = this.#events.length;
    const focusEvent = this.#focus?.event;
    this.#layout = layoutTimeline(this.#events);
    this.#items = indexItems(this.#layout);
    if (focusEvent !== undefined) this.#focus = this.#items.byEvent.get(focusEvent);
    this.#lanes = laneGeometry(this.#layout);
    renderLaneLabels(this.#labels, { layout: this.#layout, lanes: this.#lanes });
    renderGilPanel(this.#gil, this.#layout.gil);
    this.#table.render();
    this.#mermaid.render();
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
    if (this.#view.follow) this.#view = fitView(this.#layout.end);
    this.#draw();
  }

  // ---- view, focus, choosing -----------------------------------------------------------------

  #setView(view: ViewState): void {
    this.#view = view;
    this.#draw();
  }

  #reveal(t: number): void {
    this.#view = revealTime(this.#view, t, this.#layout.end);
  }

  /** What zooming keeps in place: the focused item, else the marked moment, else the middle. */
  #anchor(): number {
    return this.#focus ? this.#focus.t : (this.#marker ?? (this.#view.from + this.#view.to) / 2);
  }

  #plotAt(width: number): Plot {
    return { layout: this.#layout, items: this.#items, lanes: this.#lanes, view: this.#view, width };
  }

  #draw(): void {
    if (!this.#built) return;
    this.#width = Math.max(100, Math.floor(this.#plot.clientWidth || 600));
    drawPlot(
      this.#canvas,
      this.#plotAt(this.#width),
      { marker: this.#marker, focus: this.#focus },
      this.#palette,
    );
    const { from, to } = this.#view;
    const lanes = this.#layout.lanes.length;
    this.#range.textContent = `${formatMs(Math.max(0, from))} – ${formatMs(to)} · ${lanes} lane${lanes === 1 ? '' : 's'} · ${this.#events.length} events${this.#running ? ' · running' : ''}`;
  }

  #describe(item: Item): string {
    return describeItem(item, this.#layout, this.#events);
  }

  #announceEvent(index: number): void {
    const event = this.#events[index];
    if (event) this.#detail.textContent = describeEventAt(event);
  }

  #setFocus(item: Item): void {
    this.#focus = item;
    this.#detail.textContent = this.#describe(item);
  }

  /** Moves the focus for a navigation key; the first item when nothing has it yet. */
  #moveFocus(key: string): boolean {
    const item = this.#focus;
    if (!item) {
      const first = firstItem(this.#items);
      if (first) this.#setFocus(first);
      return first !== undefined;
    }
    const next = itemAfterKey(this.#items, item, key);
    if (next && next !== item) {
      this.#setFocus(next);
      this.#reveal(next.t);
    }
    return true;
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
