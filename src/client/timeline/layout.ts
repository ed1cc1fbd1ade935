/**
 * The timeline's model, computed from a run's events alone: lanes (one per thread, plus pool
 * workers the runner could not see as threads), spans (when a thread ran, waited for or held a
 * lock, was blocked on a channel, ran a goroutine or a pool chunk), point marks (output, errors,
 * timers set, hand-offs) and arrows (messages between threads). Pure: no DOM, runs in Node.
 *
 * Guarantees: every span and mark names the index of the event it came from (`event`), so a view
 * can go from an item back to the event and to the output line of that moment; a span whose end
 * never came (a lock still held, a goroutine still blocked when the run ended) is closed at the
 * run's end and flagged `open`; items are sorted by start within each lane and row.
 */
import type { GilRunEvent, RunEvent, ThreadRef } from '../../runner/index.ts';
import { formatMs } from '../format-time.ts';

export type SpanKind =
  'task' | 'loop' | 'longtask' | 'timer' | 'lock-wait' | 'lock-held' | 'blocked' | 'goroutine' | 'pool-task';

export type MarkKind =
  'log' | 'error' | 'timer-set' | 'handoff' | 'close' | 'deadlock' | 'limit' | 'started' | 'stopped';

export interface Lane {
  readonly key: string;
  readonly label: string;
  /** The thread's id, for thread lanes. */
  readonly thread?: number;
  /** When the thread existed (worker started / stopped); undefined = the whole run. */
  start: number;
  end: number | undefined;
  /** Rows used: row 0 is "ran", the others hold waits, holds and goroutines, packed. */
  rows: number;
}

export interface Span {
  readonly lane: number;
  row: number;
  readonly start: number;
  end: number;
  readonly kind: SpanKind;
  readonly label: string;
  /** Index of the event that opened the span. */
  readonly event: number;
  /** Index of the event that closed it, if any. */
  endEvent?: number;
  /** Never closed: it lasted until the end of the run. */
  open?: boolean;
}

export interface Mark {
  readonly lane: number;
  readonly t: number;
  readonly kind: MarkKind;
  readonly label: string;
  readonly event: number;
}

export interface Arrow {
  readonly from: number;
  readonly to: number;
  readonly t: number;
  readonly label: string;
  readonly event: number;
}

/** A timer: set at `from`, fired at `to` (same lane). */
export interface Link {
  readonly lane: number;
  readonly from: number;
  readonly to: number;
  readonly label: string;
  readonly event: number;
}

export interface TimelineLayout {
  readonly lanes: Lane[];
  readonly spans: Span[];
  readonly marks: Mark[];
  readonly arrows: Arrow[];
  readonly links: Link[];
  /** GIL model runs (their time is in ticks, so they are drawn apart). */
  readonly gil: { readonly event: number; readonly run: GilRunEvent }[];
  /** The run's end (its final status), or the last event's time while it runs. */
  readonly end: number;
}

function threadName(thread: ThreadRef): string {
  return thread.name ? `${thread.label} (${thread.name})` : thread.label;
}

/** One line of text describing an event, for details, the table and screen readers. */
export function describeEvent(event: RunEvent): string {
  switch (event.kind) {
    case 'log':
      return `console.${event.level}: ${event.text}`;
    case 'error':
      return event.text.split('\n')[0] ?? event.text;
    case 'status':
      return event.state === 'running'
        ? 'run started'
        : `run ${event.state}${event.reason ? `: ${event.reason}` : ''}`;
    case 'worker-started':
      return `${threadName(event.worker)} started (${event.via})`;
    case 'worker-stopped':
      return `${threadName(event.worker)} stopped (${event.reason})`;
    case 'message':
      return `message ${event.from.label} → ${event.to.label}: ${event.summary}`;
    case 'limit':
      return event.message;
    case 'task':
      return `${event.source === 'loop' ? 'loop running' : event.source === 'longtask' ? 'long task' : `${event.source} callback`} for ${formatMs(event.duration)}`;
    case 'timer':
      return event.op === 'set'
        ? `${event.repeat ? 'setInterval' : 'setTimeout'} #${event.timer}, ${event.delay} ms`
        : `timer #${event.timer} cleared`;
    case 'lock':
      return `${event.lock}: ${{ wait: 'waits', acquire: 'gets it', timeout: 'gives up waiting', release: 'releases it' }[event.op]}`;
    case 'channel': {
      const on = event.channels?.length ? ` ${event.channels.join(', ')}` : '';
      switch (event.op) {
        case 'go':
          return `go: goroutine ${event.goroutine}${event.name ? ` (${event.name})` : ''} starts`;
        case 'exit':
          return `goroutine ${event.goroutine} ${event.failed ? 'panicked' : 'returns'}`;
        case 'block':
          return `blocked on ${event.wait}${on}`;
        case 'unblock':
          return `unblocked (${event.wait})`;
        case 'handoff':
          return `hand-off on${on}: ${event.value ?? ''} (${event.via})`;
        case 'close':
          return `close(${on.trim()})`;
        case 'deadlock':
          return 'fatal error: all goroutines are asleep - deadlock!';
      }
    }
    case 'pool-task':
      return `pool chunk ${event.chunk} (${event.size} input${event.size === 1 ? '' : 's'}) on pool worker ${event.worker + 1}: ${formatMs(event.end - event.start)}${event.failed ? ', failed' : ''}`;
    case 'gil':
      return `GIL model: ${event.threads} threads, ${event.ticks} ticks, ${event.switches} switches${event.withGil ? '' : ' (free-threaded)'}${event.deadlock ? ', deadlock' : ''}`;
    default:
      return (event as { kind: string }).kind;
  }
}

/** Builds the model. `end`: the time to close open spans at (default: the run's end or last event). */
export function layoutTimeline(events: readonly RunEvent[], options: { end?: number } = {}): TimelineLayout {
  const lanes: Lane[] = [];
  const byKey = new Map<string, number>();
  const spans: Span[] = [];
  const marks: Mark[] = [];
  const arrows: Arrow[] = [];
  const links: Link[] = [];
  const gil: { event: number; run: GilRunEvent }[] = [];

  let end = 0;
  for (const e of events) {
    if (e.t > end) end = e.t;
    if (e.kind === 'task' && e.t + e.duration > end) end = e.t + e.duration;
    if (e.kind === 'pool-task' && e.end > end) end = e.end;
  }
  const final = events.findLast((e) => e.kind === 'status' && e.state !== 'running');
  if (final) end = Math.max(end, final.t);
  if (options.end !== undefined) end = Math.max(end, options.end);

  const laneOf = (thread: ThreadRef): number => {
    const key = `t${thread.id}`;
    let index = byKey.get(key);
    if (index === undefined) {
      index =
        lanes.push({ key, label: threadName(thread), thread: thread.id, start: 0, end: undefined, rows: 1 }) -
        1;
      byKey.set(key, index);
    }
    return index;
  };
  // Pool workers: the thread the runner saw with that name, else a lane of their own.
  const claimed = new Set<number>();
  const poolLane = (pool: number, worker: number): number => {
    const name = `pool worker ${worker + 1}`;
    const key = `p${pool}:${worker}`;
    let index = byKey.get(key);
    if (index === undefined) {
      index = lanes.findIndex((lane, i) => lane.label.endsWith(`(${name})`) && !claimed.has(i));
      if (index < 0)
        index =
          lanes.push({
            key,
            label: pool > 1 ? `pool ${pool} worker ${worker + 1}` : name,
            start: 0,
            end: undefined,
            rows: 1,
          }) - 1;
      byKey.set(key, index);
      claimed.add(index);
    }
    return index;
  };

  // Main first, always.
  laneOf({ id: 0, label: 'main' });

  const openWaits = new Map<string, Span[]>();
  const openHolds = new Map<string, Span[]>();
  const openBlocks = new Map<number, Span>();
  const openGoroutines = new Map<string, Span>();
  const timerSets = new Map<string, { t: number; event: number; label: string }>();
  const push = (map: Map<string, Span[]>, key: string, span: Span) => {
    const list = map.get(key);
    if (list) list.push(span);
    else map.set(key, [span]);
  };
  // Spans not closed yet; flagged `open` at the end. (Not `open: true` now and `delete` later:
  // deleting a property turns every span into a slow dictionary-mode object.)
  const unclosed = new Set<Span>();
  const open = (lane: number, start: number, kind: SpanKind, label: string, event: number): Span => {
    const span: Span = { lane, row: 1, start, end: end, kind, label, event };
    spans.push(span);
    unclosed.add(span);
    return span;
  };
  const close = (span: Span | undefined, t: number, event: number) => {
    if (!span) return;
    span.end = Math.max(span.start, t);
    span.endEvent = event;
    unclosed.delete(span);
  };

  events.forEach((e, i) => {
    switch (e.kind) {
      case 'log':
      case 'error':
        marks.push({
          lane: laneOf(e.thread),
          t: e.t,
          kind: e.kind,
          label: e.text.split('\n')[0] ?? '',
          event: i,
        });
        break;
      case 'limit':
        marks.push({ lane: laneOf(e.thread), t: e.t, kind: 'limit', label: e.message, event: i });
        break;
      case 'worker-started':
      case 'worker-stopped': {
        // A worker's lane begins and ends with it; the mark says so.
        const index = laneOf(e.worker);
        const lane = lanes[index] as Lane;
        const started = e.kind === 'worker-started';
        if (started) lane.start = e.t;
        else lane.end = e.t;
        marks.push({
          lane: index,
          t: e.t,
          kind: started ? 'started' : 'stopped',
          label: `${lane.label} ${started ? 'started' : e.reason}`,
          event: i,
        });
        break;
      }
      case 'message':
        arrows.push({ from: laneOf(e.from), to: laneOf(e.to), t: e.t, label: e.summary, event: i });
        break;
      case 'task': {
        const kind: SpanKind =
          e.source === 'loop'
            ? 'loop'
            : e.source === 'longtask'
              ? 'longtask'
              : e.source === 'timer' || e.source === 'interval'
                ? 'timer'
                : 'task';
        const lane = laneOf(e.thread);
        spans.push({
          lane,
          row: 0,
          start: e.t,
          end: e.t + e.duration,
          kind,
          label: describeEvent(e),
          event: i,
        });
        if (e.timer !== undefined) {
          const set = timerSets.get(`${lane}:${e.timer}`);
          if (set) links.push({ lane, from: set.t, to: e.t, label: set.label, event: set.event });
        }
        break;
      }
      case 'timer': {
        const lane = laneOf(e.thread);
        if (e.op === 'set') {
          const label = describeEvent(e);
          timerSets.set(`${lane}:${e.timer}`, { t: e.t, event: i, label });
          marks.push({ lane, t: e.t, kind: 'timer-set', label, event: i });
        }
        break;
      }
      case 'lock': {
        const lane = laneOf(e.thread);
        const key = `${lane}|${e.lock}`;
        if (e.op === 'wait') push(openWaits, key, open(lane, e.t, 'lock-wait', `waits for ${e.lock}`, i));
        else if (e.op === 'acquire' || e.op === 'timeout') {
          close(openWaits.get(key)?.shift(), e.t, i);
          if (e.op === 'acquire' && (e.what === 'Mutex' || e.what === 'Semaphore'))
            push(openHolds, key, open(lane, e.t, 'lock-held', `holds ${e.lock}`, i));
        } else close(openHolds.get(key)?.shift(), e.t, i);
        break;
      }
      case 'channel': {
        const lane = laneOf(e.thread);
        if (e.op === 'go' && e.goroutine !== undefined) {
          openGoroutines.set(
            `${lane}:${e.goroutine}`,
            open(lane, e.t, 'goroutine', `goroutine ${e.goroutine}${e.name ? ` (${e.name})` : ''}`, i),
          );
        } else if (e.op === 'exit' && e.goroutine !== undefined) {
          close(openGoroutines.get(`${lane}:${e.goroutine}`), e.t, i);
          openGoroutines.delete(`${lane}:${e.goroutine}`);
        } else if (e.op === 'block' && e.opId !== undefined) {
          openBlocks.set(e.opId, open(lane, e.t, 'blocked', describeEvent(e), i));
        } else if (e.op === 'unblock' && e.opId !== undefined) {
          close(openBlocks.get(e.opId), e.t, i);
          openBlocks.delete(e.opId);
        } else if (e.op === 'handoff' || e.op === 'close' || e.op === 'deadlock') {
          marks.push({ lane, t: e.t, kind: e.op, label: describeEvent(e), event: i });
        }
        break;
      }
      case 'pool-task': {
        const lane = poolLane(e.pool, e.worker);
        spans.push({
          lane,
          row: 0,
          start: e.start,
          end: e.end,
          kind: 'pool-task',
          label: describeEvent(e),
          event: i,
        });
        break;
      }
      case 'gil':
        gil.push({ event: i, run: e });
        break;
      default:
        break;
    }
  });

  for (const span of unclosed) span.open = true;

  // Pack the non-"ran" spans of each lane into rows 1, 2, …: first row whose last span has ended.
  const rowEnds = new Map<number, number[]>();
  const packed = spans.filter((s) => s.row !== 0).sort((a, b) => a.start - b.start || a.event - b.event);
  for (const span of packed) {
    let ends = rowEnds.get(span.lane);
    if (!ends) rowEnds.set(span.lane, (ends = []));
    let row = ends.findIndex((t) => t <= span.start);
    if (row < 0) row = ends.push(span.end) - 1;
    else ends[row] = span.end;
    span.row = row + 1;
    const lane = lanes[span.lane] as Lane;
    lane.rows = Math.max(lane.rows, span.row + 1);
  }
  spans.sort((a, b) => a.lane - b.lane || a.row - b.row || a.start - b.start);
  marks.sort((a, b) => a.lane - b.lane || a.t - b.t);

  return { lanes, spans, marks, arrows, links, gil, end };
}
