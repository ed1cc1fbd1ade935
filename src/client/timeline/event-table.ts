/**
 * "Events as a table": every event of the run as a row (time, thread, kind, what), for readers
 * who do not use the canvas. Built only while open, one page of {@link PAGE_SIZE} rows at a time
 * (a 10,000-row table costs seconds of layout). Clicking a row chooses its event.
 *
 * Rows are in time order. The run's events are in arrival order, and a worker's events arrive in
 * batches, after main-thread events that happened later; each is stamped where it happened, on the
 * run's clock, so sorting by time (ties kept in arrival order) reads as the run went.
 */
import type { RunEvent } from '../../runner/index.ts';
import { formatMs } from '../format-time.ts';
import { button } from './button.ts';
import { describeEvent } from './layout.ts';

const PAGE_SIZE = 100;

export class EventTable {
  readonly element: HTMLDetailsElement;
  readonly #events: () => readonly RunEvent[];
  readonly #onChoose: (index: number) => void;
  /** The page shown, from 0. */
  #page = 0;
  /** Indexes of the events in time order, for the events (and count) they were sorted from. */
  #order: { events: readonly RunEvent[]; length: number; indexes: number[] } | undefined;

  /** `events`: the run's events as they are now; `onChoose`: a row was clicked. */
  constructor(events: () => readonly RunEvent[], onChoose: (index: number) => void) {
    this.#events = events;
    this.#onChoose = onChoose;
    this.element = document.createElement('details');
    this.element.className = 'rt-table';
    const summary = document.createElement('summary');
    summary.textContent = 'Events as a table';
    this.element.append(summary);
    this.element.addEventListener('toggle', () => this.render());
  }

  /** Back to the first page (a new run). */
  reset(): void {
    this.#page = 0;
    this.#order = undefined;
  }

  /** Event indexes in time order; ties stay in arrival order. */
  #timeOrder(events: readonly RunEvent[]): number[] {
    if (this.#order?.events !== events || this.#order.length !== events.length) {
      const indexes = Array.from(events.keys()).sort((a, b) => events[a]!.t - events[b]!.t || a - b);
      this.#order = { events, length: events.length, indexes };
    }
    return this.#order.indexes;
  }

  /** Shows the current page of the events, if the table is open. */
  render(): void {
    if (!this.element.open) return;
    const events = this.#events();
    const order = this.#timeOrder(events);
    const pages = Math.max(1, Math.ceil(events.length / PAGE_SIZE));
    const page = Math.min(this.#page, pages - 1);
    const from = page * PAGE_SIZE;
    const to = Math.min(events.length, from + PAGE_SIZE);
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
      if (!Number.isNaN(index)) this.#onChoose(index);
    });
    const fragment = document.createDocumentFragment();
    for (let at = from; at < to; at++) {
      const index = order[at]!;
      const e = events[index]!;
      const tr = document.createElement('tr');
      tr.dataset['index'] = String(index);
      for (const text of [formatMs(e.t), e.thread.label, e.kind, describeEvent(e)]) {
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
        this.#page = Math.min(pages - 1, Math.max(0, page + delta));
        this.render();
        this.element.querySelector<HTMLButtonElement>(`.rt-table-nav button[data-dir="${delta}"]`)?.focus();
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
    this.element.querySelector('.rt-table-wrap')?.remove();
    this.element.querySelector('.rt-table-nav')?.remove();
    this.element.append(wrap, nav);
  }
}
