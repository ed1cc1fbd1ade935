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
  TRACE_KINDS,
  type LimitEvent,
  type RunEvent,
  type StatusEvent,
} from './events.ts';
import { DEFAULT_TRACE_EVENTS, type CapOptions, type EndState, type RunResult } from './types.ts';

export class Recorder {
  readonly events: RunEvent[] = [];
  readonly runStart = epochNow();
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private readonly head: number;
  private readonly tailSize: number;
  private lines = 0;
  private traced = 0;
  private readonly traceCap: number;
  private messages = 0;
  private readonly messageCap: number;
  private tail: RunEvent[] = [];
  private tailAt = 0;
  private ended: RunResult | undefined;
  private resolve!: (result: RunResult) => void;
  readonly done: Promise<RunResult>;

  constructor(cap: CapOptions = {}, listener?: (event: RunEvent) => void) {
    this.head = cap.head ?? 1000;
    this.tailSize = cap.tail ?? 200;
    this.traceCap = cap.traceEvents ?? DEFAULT_TRACE_EVENTS;
    this.messageCap = cap.messageEvents ?? 5_000;
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
      this.traced++;
      if (this.traced > this.traceCap) {
        if (this.traced === this.traceCap + 1) {
          this.notice(
            'trace',
            `Timeline: the run produced more than ${this.traceCap.toLocaleString('en')} trace events; later ones are left out.`,
          );
        }
        return;
      }
    } else if (event.kind === 'message') {
      this.messages++;
      if (this.messages > this.messageCap) {
        if (this.messages === this.messageCap + 1) {
          this.notice(
            'messages',
            `The run passed more than ${this.messageCap.toLocaleString('en')} messages between threads; later ones are not recorded.`,
          );
        }
        return;
      }
    } else if (event.kind === 'log') {
      this.lines++;
      if (this.lines > this.head) {
        if (this.lines === this.head + 1) {
          this.notice(
            'output',
            `Output is long: showing the first ${this.head} lines; the last ${this.tailSize} will follow when the run ends.`,
          );
        }
        if (this.tailSize > 0) {
          if (this.tail.length < this.tailSize) this.tail.push(event);
          else {
            this.tail[this.tailAt] = event;
            this.tailAt = (this.tailAt + 1) % this.tailSize;
          }
        }
        return;
      }
    }
    this.deliver(event);
  };

  /** Ends the run (first call wins): flushes the tail, emits the final status, resolves done. */
  finish(status: EndState, reason?: string): void {
    if (this.ended) return;
    const tail = [...this.tail.slice(this.tailAt), ...this.tail.slice(0, this.tailAt)];
    const dropped = Math.max(0, this.lines - this.head - tail.length);
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
 * The output of a run as plain text, one line per output line, e.g. to compare with an example's
 * expected output. `threads: true` prefixes `[main] ` / `[worker 1] `. Errors are included as
 * their first line ("Uncaught Error: boom"); status, worker and message events are not.
 */
export function outputText(events: readonly RunEvent[], options: { threads?: boolean } = {}): string {
  const lines: string[] = [];
  for (const event of events) {
    let text: string | undefined;
    if (event.kind === 'log') text = event.text;
    else if (event.kind === 'error') text = event.text.split('\n')[0];
    else if (event.kind === 'limit' && event.what === 'output' && event.dropped) text = event.message;
    if (text === undefined) continue;
    lines.push(options.threads ? `[${event.thread.label}] ${text}` : text);
  }
  return lines.join('\n');
}
