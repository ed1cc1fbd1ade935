/**
 * Sends a worker's events over a MessagePort in batches.
 *
 * Untraced runs: everything one task emits goes in one message at the end of that task (a
 * microtask flush, so nothing waits for a timer a terminate() could pre-empt), and inside a long
 * task at least every ~16 ms (a frame) or 500 events — so a worker printing 100,000 lines streams
 * them instead of holding them all until its loop ends.
 *
 * Traced runs (`tracing()`): the thread's events go through a {@link TraceWriter} instead, so
 * trace records (compact) and other events (as objects) keep their order in one batch. Other
 * events flush as above. A batch of trace records only is sent after the current task (a
 * macrotask, not a microtask: a worker whose goroutines hand off on every microtask would
 * otherwise post a message every few events), or once it holds 4,096 records or is 100 ms old,
 * its buffer transferred, not copied. The worker's own `postMessage` and `close()` flush first;
 * what a worker records in the same task after its last message may be lost if its parent
 * terminates it at once (as an untraced worker's output could be).
 */
import { TRACE_KINDS, type RunEvent, type RunEventKind, type ThreadRef } from '../events.ts';
import type { PackedBatch, Upstream } from '../protocol.ts';
import { TraceWriter } from '../runtime/trace-buffer.ts';

/** Kinds that may wait for the end of the task (or the frame) before they are sent: output and trace. */
const LATER: ReadonlySet<RunEventKind> = new Set(['log', ...TRACE_KINDS]);

export interface BatchedPort {
  emit(event: RunEvent): void;
  flush(): void;
  /** Sends `message` now, after this thread's pending events (transferring `transfer`). */
  send(message: Upstream, transfer?: Transferable[]): void;
  /** Starts a trace writer for this thread; from now on `emit` goes through it too. */
  tracing(thread: ThreadRef, runStart: number, cap?: number): TraceWriter;
  /** Passes a child worker's batch on, after this thread's own pending events. */
  forward(batch: PackedBatch): void;
}

export function batchedPort(
  port: MessagePort,
  schedule: (fn: () => void) => void,
  now: () => number,
  /** Runs `fn` as a task of its own, after the current one (trace-only batches). */
  scheduleTask: (fn: () => void) => void = (fn) => setTimeout(fn, 0),
): BatchedPort {
  let batch: RunEvent[] = [];
  let writer: TraceWriter | undefined;
  let objects = 0;
  let lastFlush = now();
  let timer = false;
  let taskTimer = false;
  const post = (packed: PackedBatch) =>
    port.postMessage({ type: 'batch', batch: packed } satisfies Upstream, [packed.records.buffer]);
  const flush = () => {
    timer = false;
    if (writer && writer.count > 0) {
      objects = 0;
      lastFlush = now();
      post(writer.take());
    }
    if (batch.length === 0) return;
    const events = batch;
    batch = [];
    lastFlush = now();
    port.postMessage({ type: 'events', events } satisfies Upstream);
  };
  const endOfTask = () => {
    taskTimer = false;
    if (writer && writer.count > 0) flush();
  };
  return {
    emit(event) {
      let size: number;
      if (writer) {
        writer.object(event);
        size = ++objects;
      } else size = batch.push(event);
      // Errors and status changes go at once; logs and trace events wait for the frame.
      if (!LATER.has(event.kind) || size >= 500 || now() - lastFlush >= 16) flush();
      else if (!timer) {
        timer = true;
        schedule(flush);
      }
    },
    flush,
    send(message, transfer = []) {
      flush();
      port.postMessage(message, transfer);
    },
    tracing(thread, runStart, cap) {
      writer ??= new TraceWriter(thread, runStart, {
        limit: 4096,
        maxAgeMs: 100,
        ...(cap !== undefined ? { cap } : {}),
        onStart: () => {
          if (taskTimer) return;
          taskTimer = true;
          scheduleTask(endOfTask);
        },
        onFull: flush,
      });
      return writer;
    },
    forward(packed) {
      flush();
      post(packed);
    },
  };
}
