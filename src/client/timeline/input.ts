/**
 * The timeline's pointer, touch, wheel and keyboard handling, on its plot (the canvas's box, one
 * tab stop). Pointer: hover shows a tooltip, a click chooses, a drag pans, two pointers pinch to
 * zoom. Wheel: Ctrl/⌘ zooms around the pointer, Shift or a sideways wheel pans, a plain wheel is
 * left to the page. Keys: ←/→/↑/↓/Home/End move the focus, Enter/Space choose, +/− zoom, 0 fits,
 * Shift+←/→ pan. All view changes are computed by view-state.ts; the element draws.
 *
 * State (per plot, in closures): the pointers down, and the drag or pinch under way with the
 * view it started from.
 */
import type { Item } from './items.ts';
import { panView, panViewTo, pixelsToMs, xToTime, zoomView, type ViewState } from './view-state.ts';

/** What input needs from the timeline. */
export interface InputHost {
  view(): ViewState;
  /** The run's end, ms (views are kept within reach of it). */
  end(): number;
  /** The plot's width as last drawn, px. */
  width(): number;
  /** Shows `view` (and redraws). */
  setView(view: ViewState): void;
  itemAt(x: number, y: number): Item | undefined;
  describe(item: Item): string;
  choose(item: Item): void;
  /** Zooms by `factor` around what the reader is looking at (the focus, else the mark). */
  zoomStep(factor: number): void;
  fit(): void;
  /** Moves the focus for a navigation key; false when there is nothing to focus. */
  moveFocus(key: string): boolean;
  /** The item keyboard focus is on. */
  focused(): Item | undefined;
  draw(): void;
}

/** How far a pointer moves (px) before a press is a drag, not a click. */
const DRAG_THRESHOLD = 3;
/** One toolbar or key zoom step. */
export const ZOOM_STEP = 1.6;
/** Shift+←/→ pans by this part of the view. */
const KEY_PAN = 0.2;
const NAVIGATION_KEYS = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'];

export function wireInput(
  plot: HTMLElement,
  canvas: HTMLCanvasElement,
  tip: HTMLElement,
  host: InputHost,
): void {
  const local = (event: MouseEvent) => {
    const rect = canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };
  const pointers = new Map<number, number>();
  let drag: { x: number; from: number; moved: boolean } | undefined;
  let pinch: { distance: number; view: ViewState } | undefined;

  plot.addEventListener('pointerdown', (event) => {
    pointers.set(event.pointerId, event.clientX);
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()] as [number, number];
      pinch = { distance: Math.abs(a - b) || 1, view: host.view() };
      drag = undefined;
    } else {
      drag = { x: event.clientX, from: host.view().from, moved: false };
    }
  });

  plot.addEventListener('pointermove', (event) => {
    if (pointers.has(event.pointerId)) pointers.set(event.pointerId, event.clientX);
    if (pinch && pointers.size === 2) {
      const [a, b] = [...pointers.values()] as [number, number];
      const factor = (Math.abs(a - b) || 1) / pinch.distance;
      const middle = (pinch.view.from + pinch.view.to) / 2;
      host.setView(zoomView(pinch.view, factor, middle, host.end()));
      return;
    }
    if (drag && pointers.has(event.pointerId)) {
      const dx = event.clientX - drag.x;
      if (Math.abs(dx) > DRAG_THRESHOLD) {
        if (!drag.moved) plot.setPointerCapture(event.pointerId);
        drag.moved = true;
        plot.classList.add('rt-dragging');
        const view = host.view();
        host.setView(panViewTo(view, drag.from - pixelsToMs(view, dx, host.width()), host.end()));
      }
      return;
    }
    const { x, y } = local(event);
    const item = host.itemAt(x, y);
    if (item) {
      tip.hidden = false;
      tip.textContent = host.describe(item);
      tip.style.left = `${Math.min(x + 12, Math.max(0, host.width() - 260))}px`;
      tip.style.top = `${y + 14}px`;
    } else tip.hidden = true;
  });

  const up = (event: PointerEvent) => {
    pointers.delete(event.pointerId);
    if (pointers.size < 2) pinch = undefined;
    plot.classList.remove('rt-dragging');
    const wasDrag = drag?.moved;
    drag = undefined;
    if (event.type === 'pointerup' && !wasDrag) {
      const { x, y } = local(event);
      const item = host.itemAt(x, y);
      if (item) host.choose(item);
    }
  };
  plot.addEventListener('pointerup', up);
  plot.addEventListener('pointercancel', up);
  plot.addEventListener('pointerleave', () => {
    tip.hidden = true;
  });

  plot.addEventListener(
    'wheel',
    (event) => {
      const view = host.view();
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        const at = xToTime(view, local(event).x, host.width());
        host.setView(zoomView(view, Math.exp(-event.deltaY / 300), at, host.end()));
      } else if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
        event.preventDefault();
        const delta = event.shiftKey && !event.deltaX ? event.deltaY : event.deltaX;
        host.setView(panView(view, pixelsToMs(view, delta, host.width()), host.end()));
      }
    },
    { passive: false },
  );

  plot.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const { key } = event;
    let handled = true;
    if (event.shiftKey && (key === 'ArrowLeft' || key === 'ArrowRight')) {
      const view = host.view();
      host.setView(
        panView(view, (key === 'ArrowLeft' ? -KEY_PAN : KEY_PAN) * (view.to - view.from), host.end()),
      );
    } else if (NAVIGATION_KEYS.includes(key)) handled = host.moveFocus(key);
    else if (key === 'Enter' || key === ' ') {
      const focused = host.focused();
      if (focused) host.choose(focused);
      else handled = host.moveFocus('Home');
    } else if (key === '+' || key === '=') host.zoomStep(ZOOM_STEP);
    else if (key === '-' || key === '_') host.zoomStep(1 / ZOOM_STEP);
    else if (key === '0') host.fit();
    else handled = false;
    if (handled) {
      event.preventDefault();
      host.draw();
    }
  });

  plot.addEventListener('focus', () => {
    if (!host.focused()) host.moveFocus('Home');
    host.draw();
  });
}
