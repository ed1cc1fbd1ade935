/**
 * Sends events over a MessagePort in batches: everything one task emits goes in one message at
 * the end of that task (a microtask flush, so nothing waits for a timer a terminate() could
 * pre-empt), and inside a long task at least every ~16 ms (a frame) or 500 events — so a worker
 * printing 100,000 lines streams them instead of holding them all until its loop ends.
 */
import type { RunEvent } from '../events.ts';
import type { Upstream } from '../worker/protocol.ts';

/** Kinds that may wait for the end of the task (or the frame) before they are sent. */
const LATER = new Set<RunEvent['kind']>(['log', 'task', 'timer', 'lock', 'channel', 'pool-task', 'gil']);

export interface BatchedPort {
  emit(event: RunEvent): void;
  flush(): void;
  send(message: Upstream): void;
}

export function batchedPort(port: MessagePort, schedule: (fn: () => void) => void, now: () => number): BatchedPort {
  let batch: RunEvent[] = [];
  let lastFlush = now();
  let timer = false;
  const flush = () => {
    timer = false;
    if (batch.length === 0) return;
    const events = batch;
    batch = [];
    lastFlush = now();
    port.postMessage({ type: 'events', events } satisfies Upstream);
  };
  return {
    emit(event) {
      batch.push(event);
      // Errors and status changes go at once; logs and trace events wait for the frame.
      if (!LATER.has(event.kind) || batch.length >= 500 || now() - lastFlush >= 16) flush();
      else if (!timer) {
        timer = true;
        schedule(flush);
      }
    },
    flush,
    send(message) {
      flush();
      port.postMessage(message);
    },
  };
}
