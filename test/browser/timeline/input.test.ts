/**
 * The timeline's pointer input, on a fixed run (no timings from a real run): a hover shows the
 * item's description, a click chooses it, a drag pans, a pinch and Ctrl+wheel zoom, Shift+wheel
 * pans, a plain wheel is left to the page. Events are dispatched on the plot as the browser would.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  mountTimeline,
  type RunTimeline,
  type TimelineSelectDetail,
} from '../../../src/client/timeline/index.ts';
import type { RunEvent } from '../../../src/runner/index.ts';

const main = { id: 0, label: 'main' } as const;
const events: RunEvent[] = [
  { kind: 'status', state: 'running', thread: main, t: 0 },
  { kind: 'log', level: 'log', text: 'at fifty', depth: 0, thread: main, t: 50 },
  { kind: 'status', state: 'done', durationMs: 100, thread: main, t: 100 },
];

afterEach(() => document.body.querySelectorAll('.tl-input-host').forEach((node) => node.remove()));

const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));

async function shown(): Promise<{ timeline: RunTimeline; plot: HTMLElement; canvas: HTMLCanvasElement }> {
  const host = document.createElement('div');
  host.className = 'tl-input-host';
  host.style.width = '800px';
  document.body.append(host);
  const timeline = mountTimeline(host);
  timeline.setEvents(events);
  await frame();
  return {
    timeline,
    plot: timeline.querySelector<HTMLElement>('.rt-plot')!,
    canvas: timeline.querySelector('canvas')!,
  };
}

/** Client coordinates of moment `t`, in the middle of the first lane. */
function pointAt(
  timeline: RunTimeline,
  canvas: HTMLCanvasElement,
  t: number,
): { clientX: number; clientY: number } {
  const rect = canvas.getBoundingClientRect();
  const { from, to } = timeline.view;
  return { clientX: rect.left + ((t - from) / (to - from)) * rect.width, clientY: rect.top + 22 + 10 };
}

/** The moment under client x (the same arithmetic as the axis). */
function momentAt(timeline: RunTimeline, canvas: HTMLCanvasElement, clientX: number): number {
  const rect = canvas.getBoundingClientRect();
  const { from, to } = timeline.view;
  return from + ((clientX - rect.left) / rect.width) * (to - from);
}

const pointer = (type: string, init: PointerEventInit) =>
  new PointerEvent(type, { bubbles: true, cancelable: true, pointerType: 'mouse', ...init });

const wheel = (init: WheelEventInit) => new WheelEvent('wheel', { bubbles: true, cancelable: true, ...init });

describe('timeline pointer input', () => {
  it('a hover over a mark shows what it is; a click chooses it', async () => {
    const { timeline, plot, canvas } = await shown();
    const at = pointAt(timeline, canvas, 50);
    plot.dispatchEvent(pointer('pointermove', { pointerId: 1, ...at }));
    const tip = timeline.querySelector<HTMLElement>('.rt-tip')!;
    expect(tip.hidden).toBe(false);
    expect(tip.textContent).toBe('main, 50.0 ms: console.log: at fifty');
    const chosen = new Promise<TimelineSelectDetail>((resolve) =>
      timeline.addEventListener('timeline-select', (e) => resolve(e.detail), { once: true }),
    );
    plot.dispatchEvent(pointer('pointerdown', { pointerId: 1, button: 0, buttons: 1, ...at }));
    plot.dispatchEvent(pointer('pointerup', { pointerId: 1, button: 0, ...at }));
    expect((await chosen).index).toBe(1);
    plot.dispatchEvent(pointer('pointerleave', { pointerId: 1, ...at }));
    expect(tip.hidden).toBe(true);
  });

  it('a drag pans by the distance moved, and is not a click', async () => {
    const { timeline, plot, canvas } = await shown();
    timeline.zoom(4, 50);
    const before = timeline.view;
    const span = before.to - before.from;
    const start = pointAt(timeline, canvas, 50);
    let chosen = false;
    timeline.addEventListener('timeline-select', () => (chosen = true));
    plot.dispatchEvent(pointer('pointerdown', { pointerId: 1, button: 0, buttons: 1, ...start }));
    // 200 px to the left: the view moves a quarter of its width (the plot is 800 px) later.
    const width = canvas.getBoundingClientRect().width;
    const moved = { clientX: start.clientX - 200, clientY: start.clientY };
    plot.dispatchEvent(pointer('pointermove', { pointerId: 1, buttons: 1, ...moved }));
    expect(plot.classList.contains('rt-dragging')).toBe(true);
    expect(timeline.view.from).toBeCloseTo(before.from + (200 / width) * span, 6);
    expect(timeline.view.to - timeline.view.from).toBeCloseTo(span, 6);
    plot.dispatchEvent(pointer('pointerup', { pointerId: 1, button: 0, ...moved }));
    expect(plot.classList.contains('rt-dragging')).toBe(false);
    expect(chosen).toBe(false);
  });

  it('two pointers moving apart zoom in around the middle of the view', async () => {
    const { timeline, plot, canvas } = await shown();
    const before = timeline.view;
    const { clientY } = pointAt(timeline, canvas, 50);
    const left = canvas.getBoundingClientRect().left;
    plot.dispatchEvent(
      pointer('pointerdown', { pointerId: 2, pointerType: 'touch', clientX: left + 300, clientY }),
    );
    plot.dispatchEvent(
      pointer('pointerdown', { pointerId: 3, pointerType: 'touch', clientX: left + 500, clientY }),
    );
    plot.dispatchEvent(
      pointer('pointermove', { pointerId: 3, pointerType: 'touch', clientX: left + 700, clientY }),
    );
    const after = timeline.view;
    expect(after.to - after.from).toBeCloseTo((before.to - before.from) / 2, 6);
    expect((after.from + after.to) / 2).toBeCloseTo((before.from + before.to) / 2, 6);
  });

  it('Ctrl+wheel zooms around the pointer, Shift+wheel pans, a plain wheel scrolls the page', async () => {
    const { timeline, plot, canvas } = await shown();
    const before = timeline.view;
    // A wheel event's client coordinates are whole pixels.
    const near = pointAt(timeline, canvas, 25);
    const at = { clientX: Math.round(near.clientX), clientY: Math.round(near.clientY) };
    const under = momentAt(timeline, canvas, at.clientX);
    const zoomIn = wheel({ ctrlKey: true, deltaY: -300, ...at });
    plot.dispatchEvent(zoomIn);
    expect(zoomIn.defaultPrevented).toBe(true);
    const zoomed = timeline.view;
    expect(zoomed.to - zoomed.from).toBeCloseTo((before.to - before.from) / Math.E, 6);
    // The moment under the pointer stays under it.
    expect(momentAt(timeline, canvas, at.clientX)).toBeCloseTo(under, 6);

    const width = canvas.getBoundingClientRect().width;
    const pan = wheel({ shiftKey: true, deltaY: 80, ...at });
    plot.dispatchEvent(pan);
    expect(pan.defaultPrevented).toBe(true);
    expect(timeline.view.from).toBeCloseTo(zoomed.from + (80 / width) * (zoomed.to - zoomed.from), 6);

    const scroll = wheel({ deltaY: 80, ...at });
    const unchanged = timeline.view;
    plot.dispatchEvent(scroll);
    expect(scroll.defaultPrevented).toBe(false);
    expect(timeline.view).toEqual(unchanged);
  });

  it('Shift+arrow keys pan by a fifth of the view', async () => {
    const { timeline, plot } = await shown();
    timeline.zoom(4, 50);
    const before = timeline.view;
    const span = before.to - before.from;
    plot.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', shiftKey: true, bubbles: true }));
    expect(timeline.view.from).toBeCloseTo(before.from + 0.2 * span, 6);
    plot.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', shiftKey: true, bubbles: true }));
    expect(timeline.view.from).toBeCloseTo(before.from, 6);
  });
});
