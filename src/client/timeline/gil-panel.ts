/**
 * The GIL model panel: a GIL run's time is the model's ticks, not ms, so it is drawn apart from
 * the lanes, as one SVG per run with a row per model thread, coloured by what it was doing.
 */
import { describeEvent, type TimelineLayout } from './layout.ts';

const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 600;
const LEFT = 34;
const ROW = 14;
/** Spans drawn per run at most (a long run of the model has hundreds of thousands). */
const MAX_SPANS = 5000;

const FILLS: Record<string, string> = {
  'holds-gil': '--rt-ran',
  'waits-gil': '--rt-wait',
  released: '--rt-pool',
  'lock-wait': '--rt-blocked',
};

/** Fills `container` with the layout's GIL runs (empties it when there are none). */
export function renderGilPanel(container: HTMLElement, runs: TimelineLayout['gil']): void {
  if (!runs.length) {
    container.replaceChildren();
    return;
  }
  const parts: Element[] = [];
  for (const { run } of runs) {
    const heading = document.createElement('p');
    heading.textContent = `${describeEvent(run)}. Time here is the model's ticks, not ms: each row is a model thread.`;
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', `0 0 ${WIDTH} ${run.threads * ROW + 4}`);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `Who held the GIL over ${run.ticks} ticks`);
    const scale = (WIDTH - LEFT - 4) / Math.max(1, run.ticks);
    for (let t = 0; t < run.threads; t++) {
      const label = document.createElementNS(NS, 'text');
      label.setAttribute('x', '2');
      label.setAttribute('y', String(t * ROW + 11));
      label.textContent = `T${t}`;
      svg.append(label);
    }
    for (const span of run.spans.slice(0, MAX_SPANS)) {
      const rect = document.createElementNS(NS, 'rect');
      rect.setAttribute('x', String(LEFT + span.from * scale));
      rect.setAttribute('y', String(span.thread * ROW + 2));
      rect.setAttribute('width', String(Math.max(0.5, (span.to - span.from) * scale)));
      rect.setAttribute('height', String(ROW - 4));
      rect.setAttribute(
        'style',
        `fill: var(${FILLS[span.state] ?? '--rt-line'}); opacity: ${span.state === 'waits-gil' ? 0.5 : 0.9}`,
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
  container.replaceChildren(...parts, legend);
}
