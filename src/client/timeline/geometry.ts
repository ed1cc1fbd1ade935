/**
 * Where things are on the timeline's canvas, in CSS px: the axis on top, then one lane per
 * thread, each as tall as its rows; an item's box; which item is under a point. Pure: drawing
 * and the pointer both ask here, so what is drawn is what is hit.
 */
import type { Arrow, TimelineLayout } from './layout.ts';
import type { Item, TimelineItems } from './items.ts';
import { timeToX, type ViewState } from './view-state.ts';

/** Height of the time axis above the lanes. */
export const AXIS = 22;
/** Height of one row of spans. */
export const ROW = 12;
/** Space above a lane's first row and below its last. */
export const PAD = 5;
const MIN_LANE = 26;

export interface LaneGeometry {
  readonly top: readonly number[];
  readonly height: readonly number[];
  /** The bottom of the last lane. */
  readonly bottom: number;
}

export function laneGeometry(layout: TimelineLayout): LaneGeometry {
  const top: number[] = [];
  const height: number[] = [];
  let y = AXIS;
  for (const lane of layout.lanes) {
    const h = Math.max(MIN_LANE, lane.rows * ROW + 2 * PAD);
    top.push(y);
    height.push(h);
    y += h;
  }
  return { top, height, bottom: y };
}

/** Everything needed to place an item: the model, its items and lanes, the view, the width. */
export interface Plot {
  readonly layout: TimelineLayout;
  readonly items: TimelineItems;
  readonly lanes: LaneGeometry;
  readonly view: ViewState;
  readonly width: number;
}

export const xOf = (plot: Plot, t: number): number => timeToX(plot.view, t, plot.width);

/** The top of row `row` of lane `lane`. */
export const rowY = (plot: Plot, lane: number, row: number): number =>
  (plot.lanes.top[lane] as number) + PAD + row * ROW;

/** A message arrow runs from the middle of the sender's lane to the middle of the receiver's. */
export function arrowY(plot: Plot, arrow: Arrow): { y0: number; y1: number } {
  const mid = (lane: number) => (plot.lanes.top[lane] as number) + (plot.lanes.height[lane] as number) / 2;
  return { y0: mid(arrow.from), y1: mid(arrow.to) };
}

/** An item's box on the canvas (what the focus ring goes around). */
export function itemBox(plot: Plot, item: Item): { x: number; y: number; w: number; h: number } {
  const top = rowY(plot, item.lane, 0);
  switch (item.type) {
    case 'span': {
      const x = xOf(plot, item.t);
      return { x, y: top + item.ref.row * ROW, w: Math.max(1.5, xOf(plot, item.end) - x), h: ROW };
    }
    case 'arrow': {
      const { y0, y1 } = arrowY(plot, item.ref);
      const x = xOf(plot, item.t);
      return { x: x - 2, y: Math.min(y0, y1), w: 10, h: Math.abs(y1 - y0) };
    }
    case 'link': {
      const x = xOf(plot, item.t);
      return { x, y: top - 3, w: Math.max(2, xOf(plot, item.end) - x), h: 6 };
    }
    default:
      return { x: xOf(plot, item.t) - 4, y: top, w: 8, h: ROW };
  }
}

/** The item under point (x, y): an arrow anywhere, else a mark within 5 px, else a span. */
export function hitTest(plot: Plot, x: number, y: number): Item | undefined {
  const { top, height } = plot.lanes;
  const lane = top.findIndex((laneTop, i) => y >= laneTop && y < laneTop + (height[i] as number));
  // Arrows cross lanes: check them first, anywhere.
  for (const a of plot.layout.arrows) {
    const ax = xOf(plot, a.t);
    const { y0, y1 } = arrowY(plot, a);
    if (x >= ax - 3 && x <= ax + 9 && y >= Math.min(y0, y1) && y <= Math.max(y0, y1)) {
      const item = plot.items.byEvent.get(a.event);
      if (item) return item;
    }
  }
  if (lane < 0) return undefined;
  const row = Math.floor((y - rowY(plot, lane, 0)) / ROW);
  // A mark within 5 px wins (it is small and sits on top); else the span under the pointer.
  let mark: Item | undefined;
  let span: Item | undefined;
  let bestDistance = 5;
  for (const item of plot.items.lanes[lane] ?? []) {
    if (item.type === 'span') {
      if (span || item.ref.row !== row) continue;
      const box = itemBox(plot, item);
      if (x >= box.x - 2 && x <= box.x + box.w + 2) span = item;
    } else if (item.type === 'mark' && row <= 0) {
      const distance = Math.abs(xOf(plot, item.t) - x);
      if (distance < bestDistance) {
        mark = item;
        bestDistance = distance;
      }
    }
  }
  return mark ?? span;
}
