/**
 * What a reader can point at, focus and choose in the timeline: every span, mark, message arrow
 * and timer link of a layout, as one kind of item with a lane, a time (`t`, and `end` for what
 * lasts) and the index of its event. Pure: items per lane sorted by time (for the keyboard), an
 * index by event (for `selectEvent` and the output panel), and the sentence that describes one.
 */
import { formatMs } from '../format-time.ts';
import type { RunEvent } from '../../runner/index.ts';
import { describeEvent, type Arrow, type Link, type Mark, type Span, type TimelineLayout } from './layout.ts';

interface ItemOf<Type extends string, Ref> {
  readonly type: Type;
  readonly lane: number;
  readonly t: number;
  readonly end: number;
  readonly ref: Ref;
  /** Index of the item's event in the run's events. */
  readonly event: number;
}

export type Item =
  ItemOf<'span', Span> | ItemOf<'mark', Mark> | ItemOf<'arrow', Arrow> | ItemOf<'link', Link>;

export interface TimelineItems {
  /** Per lane, sorted by time (then event). */
  readonly lanes: readonly (readonly Item[])[];
  /** The first item made from each event. */
  readonly byEvent: ReadonlyMap<number, Item>;
}

export function indexItems(layout: TimelineLayout): TimelineItems {
  const lanes: Item[][] = layout.lanes.map(() => []);
  const byEvent = new Map<number, Item>();
  const add = (item: Item) => {
    lanes[item.lane]?.push(item);
    if (!byEvent.has(item.event)) byEvent.set(item.event, item);
  };
  for (const s of layout.spans)
    add({ type: 'span', lane: s.lane, t: s.start, end: s.end, ref: s, event: s.event });
  for (const m of layout.marks) add({ type: 'mark', lane: m.lane, t: m.t, end: m.t, ref: m, event: m.event });
  for (const a of layout.arrows)
    add({ type: 'arrow', lane: a.from, t: a.t, end: a.t, ref: a, event: a.event });
  for (const l of layout.links)
    add({ type: 'link', lane: l.lane, t: l.from, end: l.to, ref: l, event: l.event });
  for (const list of lanes) list.sort((a, b) => a.t - b.t || a.event - b.event);
  return { lanes, byEvent };
}

/** The item of `lane` closest in time to `t`. */
export function nearestItem(items: TimelineItems, lane: number, t: number): Item | undefined {
  const list = items.lanes[lane];
  if (!list?.length) return undefined;
  let best = list[0] as Item;
  for (const item of list) if (Math.abs(item.t - t) < Math.abs(best.t - t)) best = item;
  return best;
}

/** The first item of the first lane that has one. */
export function firstItem(items: TimelineItems): Item | undefined {
  return items.lanes.find((list) => list.length)?.[0];
}

/**
 * Where a navigation key goes from `item`: ←/→ the previous/next item in its lane, Home/End the
 * first/last, ↑/↓ the nearest item in time in the next lane up/down that has any.
 */
export function itemAfterKey(items: TimelineItems, item: Item, key: string): Item | undefined {
  const list = items.lanes[item.lane] ?? [];
  const at = list.indexOf(item);
  switch (key) {
    case 'ArrowRight':
      return list[Math.min(list.length - 1, at + 1)];
    case 'ArrowLeft':
      return list[Math.max(0, at - 1)];
    case 'Home':
      return list[0];
    case 'End':
      return list[list.length - 1];
    case 'ArrowUp':
    case 'ArrowDown': {
      const dir = key === 'ArrowUp' ? -1 : 1;
      for (let lane = item.lane + dir; lane >= 0 && lane < items.lanes.length; lane += dir) {
        const next = nearestItem(items, lane, item.t);
        if (next) return next;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** "lane, when: what", as the details line, the tooltip and screen readers say it. */
export function describeItem(item: Item, layout: TimelineLayout, events: readonly RunEvent[]): string {
  const lane = layout.lanes[item.lane]?.label ?? '';
  const event = events[item.event];
  const when =
    item.end > item.t
      ? `${formatMs(item.t)} to ${formatMs(item.end)} (${formatMs(item.end - item.t)})`
      : formatMs(item.t);
  let what: string;
  if (item.type === 'span') what = `${item.ref.label}${item.ref.open ? ', until the run ended' : ''}`;
  else if (item.type === 'link') what = `${item.ref.label}, fired after ${formatMs(item.end - item.t)}`;
  else what = event ? describeEvent(event) : item.ref.label;
  return `${lane}, ${when}: ${what}`;
}

/** The same sentence for an event that has no item (a status change, a GIL run). */
export function describeEventAt(event: RunEvent): string {
  return `${event.thread.label}, ${formatMs(event.t)}: ${describeEvent(event)}`;
}
