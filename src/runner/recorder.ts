/**
 * The host side of one run's event stream: keeps the events, caps floods of output, fans events
 * out to listeners, and settles `done` exactly once.
 *
 * Cap: the first `head` output lines (log events) are kept and delivered live; after
 * that one `limit` event says output is being cut, later lines are only counted, except the last
 * `tail`, which are delivered when the run ends — after a `limit` event with the number left out.
 * Message events (postMessage between threads) are not output: they have their own cap, so a
 * snippet that passes many messages never loses its console lines. Errors, status and worker
 * events are never dropped. Cost per dropped line: one ring-buffer write.
 */
import {
  epochNow,
  MAIN_THREAD,
  plainOutputLine,
  TRACE_KINDS,
  type LimitEvent,
  type RunEvent,
  type StatusEvent,
} from './events.ts';
import { DEFAULT_TRACE_EVENTS, type CapOptions, type EndState, type RunResult } from './types.ts';

/** Counts the events of one kind and lets the first `cap` through; says so once when it stops. */
class Quota {
  count = 0;
  readonly cap: number;
  private readonly onFull: () => void;

  constructor(cap: number, onFull: () => void) {
    this.cap = cap;
    this.onFull = onFull;
  }

  /** Counts one event: true while within the cap; past it false, after `onFull` the first time. */
  admit(): boolean {
    this.count++;
    if (this.count <= this.cap) return true;
    if (this.count === this.cap + 1) this.onFull();
    return false;
  }
}

export class Recorder {
  readonly events: RunEvent[] = [];
  readonly runStart = epochNow();
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private readonly lines: Quota;
  private readonly traced: Quota;
  private readonly messages: Quota;
  private readonly tailSize: number;
  private tail: RunEvent[] = [];
  private tailAt = 0;
  private ended: RunResult | undefined;
  private resolve!: (result: RunResult) => void;
  readonly done: Promise<RunResult>;

  constructor(cap: CapOptions = {}, listener?: (event: RunEvent) => void) {
    const head = cap.head ?? 1000;
    const tailSize = cap.tail ?? 200;
    const traceCap = cap.traceEvents ?? DEFAULT_TRACE_EVENTS;
    const messageCap = cap.messageEvents ?? 5_000;
    this.tailSize = tailSize;
    this.lines = new Quota(head, () =>
      this.notice(
        'output',
        `Output is long: showing the first ${head} lines; the last ${tailSize} will follow when the run ends.`,
      ),
    );
    this.traced = new Quota(traceCap, () =>
      this.notice(
        'trace',
        `Timeline: the run produced more than ${traceCap.toLocaleString('en')} trace events; later ones are left out.`,
      ),
    );
    this.messages = new Quota(messageCap, () =>
      this.notice(
        'messages',
        `The run passed more than ${messageCap.toLocaleString('en')} messages between threads; later ones are not recorded.`,
      ),
    );
    if (listener) this.listeners.add(listener);
    this.done = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  get isEnded(): boolean {
    return this.ended !== undefined;
  }

  now(): number {
    return epochNow() - this.runStart;
  }

  subscribe(listener: (event: RunEvent) => void): () => void {
    for (const event of this.events) listener(event);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private deliver(event: RunEvent): void {
    this.events.push(event);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // A broken listener must not break the run or the other listeners.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** A `limit` event from the recorder itself (on the main thread, now). */
  private notice(what: LimitEvent['what'], message: string): void {
    this.deliver({ kind: 'limit', what, message, thread: MAIN_THREAD, t: this.now() });
  }

  push = (event: RunEvent): void => {
    if (this.ended) return;
    if (TRACE_KINDS.has(event.kind)) {
      if (!this.traced.admit()) return;
    } else if (event.kind === 'message') {
      if (!this.messages.admit()) return;
    } else if (event.kind === 'log' && !this.lines.admit()) {
      this.keepInTail(event);
      return;
    }
    this.deliver(event);
  };

  /** An output line past the head: kept if it is among the last `tail` so far. */
  private keepInTail(event: RunEvent): void {
    if (this.tailSize === 0) return;
    if (this.tail.length < this.tailSize) this.tail.push(event);
    else {
      this.tail[this.tailAt] = event;
      this.tailAt = (this.tailAt + 1) % this.tailSize;
    }
  }

  /** Ends the run (first call wins): flushes the tail, emits the final status, resolves done. */
  finish(status: EndState, reason?: string): void {
    if (this.ended) return;
    const tail = [...this.tail.slice(this.tailAt), ...this.tail.slice(0, this.tailAt)];
    const dropped = Math.max(0, this.lines.count - this.lines.cap - tail.length);
    if (dropped > 0) {
      this.deliver({
        kind: 'limit',
        what: 'output',
        message: `… ${dropped.toLocaleString('en')} lines left out …`,
        dropped,
        thread: MAIN_THREAD,
        t: this.now(),
      });
    }
    for (const event of tail) this.deliver(event);
    const durationMs = this.now();
    const statusEvent: StatusEvent = {
      kind: 'status',
      state: status,
      durationMs,
      ...(reason ? { reason } : {}),
      thread: MAIN_THREAD,
      t: durationMs,
    };
    this.deliver(statusEvent);
    this.ended = {
      status,
      durationMs,
      events: this.events,
      droppedLines: dropped,
      ...(reason ? { reason } : {}),
    };
    this.listeners.clear();
    this.resolve(this.ended);
  }
}

/**
 * The output of a run as plain text, one line per output line (events.ts `plainOutputLine`), e.g.
 * to compare with an example's expected output. `threads: true` prefixes `[main] ` / `[worker 1] `.
 */
export function outputText(events: readonly RunEvent[], options: { threads?: boolean } = {}): string {
  const lines: string[] = [];
  for (const event of events) {
    const text = plainOutputLine(event);
    if (text === undefined) continue;
    lines.push(options.threads ? `[${event.thread.label}] ${text}` : text);
  }
  return lines.join('\n');
}
