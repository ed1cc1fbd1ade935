/**
 * Compact trace records for the run timeline (RunOptions.trace), and their decoding into run
 * events.
 *
 * A traced run can make a trace event every microsecond (a lock taken in a loop, a channel
 * hand-off between goroutines). Building a RunEvent object per event, stamping it, and sending
 * objects through structured clone cost the snippet several µs each. Here a record is six numbers
 * appended to a growable Float64Array, with one clock read; names are interned in a string table
 * sent with the batch that first uses them; values handed off on a channel are kept as numbers
 * where they are numbers, and formatted only when they are not. Records are turned into
 * RunEvents on the receiving side ({@link TraceDecoder}), off the traced code's path.
 *
 * Ordering: a writer also takes the thread's other events (logs, errors, messages…) as
 * `object` records, so a batch decodes to exactly the order the events happened in.
 *
 * Record layout (STRIDE numbers): [code, time, a, b, c, d]; `time` is the recording thread's
 * `performance.now()`, and a batch's `offset` (`performance.timeOrigin − runStart` there) turns it
 * into ms since the run started.
 * - OBJECT  a = index into the batch's objects
 * - LOCK    a = what, b = op, c = lock name (string id)
 * - CHANNEL a = flags (op, wait, via, failed, value kind, which of b/c), b = goroutine or opId,
 *           c = name or channels (string id), d = value (number, 0/1, or string id)
 * - TASK    time = start, a = source, b = duration, c = timer id (NaN: none)
 * - TIMER   a = op, b = timer id, c = delay, d = repeat
 */
import type { ChannelRecord, LockRecord, TraceRecord } from '../../concurrency/trace.ts';
import type { ChannelEvent, RunEvent, TaskEvent, ThreadRef } from '../events.ts';
import type { PackedBatch } from '../protocol.ts';
import { inspectNested } from '../../snippet/index.ts';

export const STRIDE = 6;
const OBJECT = 1;
const LOCK = 2;
const CHANNEL = 3;
const TASK = 4;
const TIMER = 5;

const LOCK_WHAT: readonly LockRecord['what'][] = ['Mutex', 'Semaphore', 'Condition', 'WaitGroup'];
const LOCK_WHAT_ID = { Mutex: 0, Semaphore: 1, Condition: 2, WaitGroup: 3 } as const;
const LOCK_OP: readonly LockRecord['op'][] = ['wait', 'acquire', 'timeout', 'release'];
const LOCK_OP_ID = { wait: 0, acquire: 1, timeout: 2, release: 3 } as const;
const CH_OP: readonly ChannelEvent['op'][] = [
  'go',
  'exit',
  'block',
  'unblock',
  'handoff',
  'close',
  'deadlock',
];
const CH_OP_ID = { go: 0, exit: 1, block: 2, unblock: 3, handoff: 4, close: 5, deadlock: 6 } as const;
const CH_WAIT: readonly (ChannelEvent['wait'] | undefined)[] = [undefined, 'send', 'recv', 'select', 'wait'];
const CH_WAIT_ID = { send: 1, recv: 2, select: 3, wait: 4 } as const;
const CH_VIA: readonly (ChannelEvent['via'] | undefined)[] = [undefined, 'direct', 'buffer'];
const CH_VIA_ID = { direct: 1, buffer: 2 } as const;
const TASK_SOURCE: readonly TaskEvent['source'][] = ['timer', 'interval', 'frame', 'loop'];
const TASK_SOURCE_ID = { timer: 0, interval: 1, frame: 2, loop: 3 } as const;

// CHANNEL flags: bits 0-2 op, 3-5 wait, 6-7 via, 8 failed, 9-11 value kind, 12 b is a goroutine,
// 13 b is an opId, 14 c is a name, 15 c is channels, 16 channels are several (joined by NUL).
const V_NUMBER = 1;
const V_BOOLEAN = 2;
const V_STRING = 3; // the raw string: formatted when decoded
const V_TEXT = 4; // already formatted
const V_UNDEFINED = 5;
const B_GOROUTINE = 1 << 12;
const B_OPID = 1 << 13;
const C_NAME = 1 << 14;
const C_CHANNELS = 1 << 15;
const C_SEVERAL = 1 << 16;

/** A handed-off value as short text; primitives without the inspector. */
export function summary(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean')
    return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string' && value.length <= 40 && !/['\\\n]/.test(value)) return `'${value}'`;
  return inspectNested(value, { depth: 1, maxStringLength: 40, breakLength: Infinity });
}

export interface WriterOptions {
  /** Records per batch before `onFull` is called. */
  readonly limit: number;
  /** Age (ms) of a batch's first record after which the next record calls `onFull`. */
  readonly maxAgeMs: number;
  /** Called when a record goes into an empty writer (schedule the batch's end). */
  readonly onStart: () => void;
  /** Called after a record that reached `limit` or `maxAgeMs` (take the batch now). */
  readonly onFull: () => void;
  /** Trace records this writer takes at most (RuntimeSettings.traceCap); others are dropped. */
  readonly cap?: number;
}

/**
 * Appends one thread's trace records. Cost per record: one `performance.now()`, six array writes,
 * and for names a comparison with the last name (or a Map lookup). Not re-entrant-safe across
 * threads (one writer per thread).
 */
export class TraceWriter {
  count = 0;
  #records = new Float64Array(256 * STRIDE);
  #objects: RunEvent[] = [];
  #strings: string[] = [];
  #stringCount = 0;
  readonly #ids = new Map<string, number>();
  #lastName: string | undefined;
  #lastId = -1;
  #batchStart = 0;
  /** Trace records (not `object`s) still allowed; see {@link whenCapped}. */
  #room: number;
  #onCapped: (() => void) | undefined;
  readonly #thread: ThreadRef;
  readonly #offset: number;
  readonly #options: WriterOptions;

  constructor(thread: ThreadRef, runStart: number, options: WriterOptions) {
    this.#thread = thread;
    this.#offset = performance.timeOrigin - runStart;
    this.#options = options;
    this.#room = options.cap ?? Infinity;
  }

  /**
   * Calls `fn` once, when the cap is reached: the runtime then removes the libraries' tracer, so
   * the rest of a long run pays nothing for records that would be dropped.
   */
  whenCapped(fn: () => void): void {
    this.#onCapped = fn;
  }

  /** False (and the cap reported) once the cap is used up: drop the record. */
  #admit(): boolean {
    if (this.#room > 0) {
      this.#room--;
      return true;
    }
    const capped = this.#onCapped;
    this.#onCapped = undefined;
    capped?.();
    return false;
  }

  /** The thread's clock, as records store it. */
  now(): number {
    return performance.now();
  }

  /** Ms since the run started for a time of this thread's clock. */
  runTime(time: number): number {
    return time + this.#offset;
  }

  /** Index of the slot for a new record at `time`; grows the buffer when needed. */
  #slot(time: number): number {
    if (this.count === 0) {
      this.#batchStart = time;
      this.#options.onStart();
    }
    const at = this.count * STRIDE;
    if (at + STRIDE > this.#records.length) {
      const grown = new Float64Array(this.#records.length * 2);
      grown.set(this.#records);
      this.#records = grown;
    }
    this.count++;
    return at;
  }

  #done(time: number): void {
    if (this.count >= this.#options.limit || time - this.#batchStart >= this.#options.maxAgeMs)
      this.#options.onFull();
  }

  #intern(name: string): number {
    if (name === this.#lastName) return this.#lastId;
    let id = this.#ids.get(name);
    if (id === undefined) {
      id = this.#text(name);
      this.#ids.set(name, id);
    }
    this.#lastName = name;
    this.#lastId = id;
    return id;
  }

  /** A string used once (not interned). */
  #text(text: string): number {
    this.#strings.push(text);
    return this.#stringCount++;
  }

  /** Any other event of the thread (kept in order with the records). */
  object(event: RunEvent): void {
    const time = performance.now();
    const at = this.#slot(time);
    const r = this.#records;
    r[at] = OBJECT;
    r[at + 1] = time;
    r[at + 2] = this.#objects.push(event) - 1;
    this.#done(time);
  }

  lock(record: LockRecord): void {
    if (!this.#admit()) return;
    const time = performance.now();
    const at = this.#slot(time);
    const r = this.#records;
    r[at] = LOCK;
    r[at + 1] = time;
    r[at + 2] = LOCK_WHAT_ID[record.what];
    r[at + 3] = LOCK_OP_ID[record.op];
    r[at + 4] = this.#intern(record.lock);
    this.#done(time);
  }

  channel(record: ChannelRecord): void {
    if (!this.#admit()) return;
    const { goroutine, opId, name, channels } = record;
    if ((goroutine !== undefined && opId !== undefined) || (name !== undefined && channels !== undefined)) {
      // Not a shape interleave/csp makes: keep it whole.
      this.object(channelEvent(record, this.#thread, this.runTime(record.time ?? performance.now())));
      return;
    }
    // One clock read per event is most of what tracing costs (~0.25 µs): reuse the runtime's.
    const time = record.time ?? performance.now();
    let flags: number = CH_OP_ID[record.op];
    if (record.wait !== undefined) flags |= CH_WAIT_ID[record.wait] << 3;
    if (record.via !== undefined) flags |= CH_VIA_ID[record.via] << 6;
    if (record.failed) flags |= 1 << 8;
    let b = 0;
    if (goroutine !== undefined) {
      flags |= B_GOROUTINE;
      b = goroutine;
    } else if (opId !== undefined) {
      flags |= B_OPID;
      b = opId;
    }
    let c = 0;
    if (name !== undefined) {
      flags |= C_NAME;
      c = this.#intern(name);
    } else if (channels !== undefined) {
      flags |= C_CHANNELS;
      if (channels.length === 1) c = this.#intern(channels[0] as string);
      else {
        flags |= C_SEVERAL;
        c = this.#intern(channels.join('\u0000'));
      }
    }
    let d = 0;
    if (record.op === 'handoff') {
      const value = record.value;
      const type = typeof value;
      if (type === 'number') {
        flags |= V_NUMBER << 9;
        d = value as number;
      } else if (type === 'boolean') {
        flags |= V_BOOLEAN << 9;
        d = value ? 1 : 0;
      } else if (type === 'string') {
        flags |= V_STRING << 9;
        d = this.#text(value as string);
      } else if (value === undefined) flags |= V_UNDEFINED << 9;
      else {
        // An object may change after the hand-off: format it now.
        flags |= V_TEXT << 9;
        d = this.#text(summary(value));
      }
    }
    const at = this.#slot(time);
    const r = this.#records;
    r[at] = CHANNEL;
    r[at + 1] = time;
    r[at + 2] = flags;
    r[at + 3] = b;
    r[at + 4] = c;
    r[at + 5] = d;
    this.#done(time);
  }

  /** A stretch the thread ran (timer, interval or frame callback, a loop), on this thread's clock. */
  task(source: 'timer' | 'interval' | 'frame' | 'loop', start: number, end: number, timer?: number): void {
    if (!this.#admit()) return;
    const at = this.#slot(start);
    const r = this.#records;
    r[at] = TASK;
    r[at + 1] = start;
    r[at + 2] = TASK_SOURCE_ID[source];
    r[at + 3] = end - start;
    r[at + 4] = timer === undefined ? NaN : timer;
    this.#done(end);
  }

  timer(op: 'set' | 'clear', timer: number, delay: number, repeat: boolean): void {
    if (!this.#admit()) return;
    const time = performance.now();
    const at = this.#slot(time);
    const r = this.#records;
    r[at] = TIMER;
    r[at + 1] = time;
    r[at + 2] = op === 'set' ? 0 : 1;
    r[at + 3] = timer;
    r[at + 4] = delay;
    r[at + 5] = repeat ? 1 : 0;
    this.#done(time);
  }

  /** A library's record (src/concurrency/trace.ts). */
  record(record: TraceRecord): void {
    if (record.type === 'lock') this.lock(record);
    else if (record.type === 'channel') this.channel(record);
    else if (this.#admit())
      this.object(libraryEvent(record, this.#thread, this.#offset, this.runTime(performance.now())));
  }

  /** Takes the records so far as a batch (its records' buffer may be transferred) and starts afresh. */
  take(): PackedBatch {
    const batch: PackedBatch = {
      thread: this.#thread,
      offset: this.#offset,
      records: this.#records,
      count: this.count,
      strings: this.#strings,
      objects: this.#objects,
    };
    this.#records = new Float64Array(Math.min(this.#records.length, 4096 * STRIDE));
    this.count = 0;
    this.#strings = [];
    this.#objects = [];
    return batch;
  }
}

/** A channel record as an event (no packing). */
function channelEvent(record: ChannelRecord, thread: ThreadRef, t: number): ChannelEvent {
  // Field by field, no spreads.
  const event: { -readonly [K in keyof ChannelEvent]: ChannelEvent[K] } = {
    kind: 'channel',
    op: record.op,
    thread,
    t,
  };
  if (record.goroutine !== undefined) event.goroutine = record.goroutine;
  if (record.name !== undefined) event.name = record.name;
  if (record.wait !== undefined) event.wait = record.wait;
  if (record.opId !== undefined) event.opId = record.opId;
  if (record.channels !== undefined) event.channels = record.channels;
  if (record.via !== undefined) event.via = record.via;
  if (record.failed) event.failed = true;
  if (record.op === 'handoff') event.value = summary(record.value);
  return event;
}

/** Pool tasks and GIL runs (rare, and their own shapes) as events; `t` is now except for pool tasks. */
function libraryEvent(
  record: Exclude<TraceRecord, LockRecord | ChannelRecord>,
  thread: ThreadRef,
  offset: number,
  now: number,
): RunEvent {
  if (record.type === 'pool-task') {
    // Pool times are epoch ms; offset = timeOrigin − runStart, so epoch − runStart = epoch − timeOrigin + offset.
    const since = (epoch: number) => epoch - performance.timeOrigin + offset;
    const event = {
      kind: 'pool-task' as const,
      pool: record.pool,
      worker: record.worker,
      chunk: record.chunk,
      size: record.size,
      sent: since(record.sent),
      start: since(record.start),
      end: since(record.end),
      thread,
      t: since(record.received),
    };
    return record.failed ? { ...event, failed: true } : event;
  }
  return {
    kind: 'gil',
    threads: record.threads,
    ticks: record.ticks,
    withGil: record.withGil,
    spans: record.spans,
    switches: record.switches,
    deadlock: record.deadlock,
    thread,
    t: now,
  };
}

/**
 * Turns batches back into run events, in record order. Keeps each thread's string table, so one
 * decoder must see every batch of the threads it decodes, in the order they were sent.
 */
export class TraceDecoder {
  readonly #tables = new Map<number, string[]>();

  decode(batch: PackedBatch, emit: (event: RunEvent) => void): void {
    let table = this.#tables.get(batch.thread.id);
    if (!table) this.#tables.set(batch.thread.id, (table = []));
    for (const text of batch.strings) table.push(text);
    const { records: r, count, offset, thread, objects } = batch;
    for (let i = 0; i < count; i++) {
      const at = i * STRIDE;
      const code = r[at] as number;
      const t = (r[at + 1] as number) + offset;
      switch (code) {
        case OBJECT:
          emit(objects[r[at + 2] as number] as RunEvent);
          break;
        case LOCK:
          emit({
            kind: 'lock',
            what: LOCK_WHAT[r[at + 2] as number] as LockRecord['what'],
            lock: table[r[at + 4] as number] as string,
            op: LOCK_OP[r[at + 3] as number] as LockRecord['op'],
            thread,
            t,
          });
          break;
        case CHANNEL:
          emit(decodeChannel(r, at, table, thread, t));
          break;
        case TASK: {
          const timer = r[at + 4] as number;
          const source = TASK_SOURCE[r[at + 2] as number] as TaskEvent['source'];
          emit(
            Number.isNaN(timer)
              ? { kind: 'task', source, duration: r[at + 3] as number, thread, t }
              : { kind: 'task', source, duration: r[at + 3] as number, timer, thread, t },
          );
          break;
        }
        case TIMER:
          emit({
            kind: 'timer',
            op: r[at + 2] === 0 ? 'set' : 'clear',
            timer: r[at + 3] as number,
            delay: r[at + 4] as number,
            repeat: r[at + 5] === 1,
            thread,
            t,
          });
          break;
        default:
          break;
      }
    }
  }
}

function decodeChannel(
  r: Float64Array,
  at: number,
  table: readonly string[],
  thread: ThreadRef,
  t: number,
): ChannelEvent {
  const flags = r[at + 2] as number;
  const event: { -readonly [K in keyof ChannelEvent]: ChannelEvent[K] } = {
    kind: 'channel',
    op: CH_OP[flags & 7] as ChannelEvent['op'],
    thread,
    t,
  };
  const b = r[at + 3] as number;
  const c = r[at + 4] as number;
  if (flags & B_GOROUTINE) event.goroutine = b;
  if (flags & C_NAME) event.name = table[c] as string;
  const wait = CH_WAIT[(flags >> 3) & 7];
  if (wait !== undefined) event.wait = wait;
  if (flags & B_OPID) event.opId = b;
  if (flags & C_CHANNELS)
    event.channels = flags & C_SEVERAL ? (table[c] as string).split('\u0000') : [table[c] as string];
  const via = CH_VIA[(flags >> 6) & 3];
  if (via !== undefined) event.via = via;
  if (flags & (1 << 8)) event.failed = true;
  if (event.op === 'handoff') {
    const d = r[at + 5] as number;
    switch ((flags >> 9) & 7) {
      case V_NUMBER:
        event.value = summary(d);
        break;
      case V_BOOLEAN:
        event.value = d === 1 ? 'true' : 'false';
        break;
      case V_STRING:
        event.value = summary(table[d]);
        break;
      case V_TEXT:
        event.value = table[d] as string;
        break;
      default:
        event.value = summary(undefined);
    }
  }
  return event;
}
