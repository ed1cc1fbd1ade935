/**
 * Sends events over a MessagePort in batches: at most one message per ~16 ms (a frame) or per
 * 500 events, whichever comes first — flushed from inside a busy loop too, so a worker printing
 * 100,000 lines streams them instead of holding them all until the loop ends.
 */
import type { RunEvent } from '../events.ts';
import type { Upstream } from '../worker/protocol.ts';

export interface BatchedPort {
  emit(event: RunEvent): void;
  flush(): void;
  send(message: Upstream): void;
}

export function batchedPort(port: MessagePort, setTimer: (fn: () => void, ms: number) => unknown, now: () => number): BatchedPort {
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
      // Errors and status changes go at once; logs wait for the frame.
      if (event.kind !== 'log' || batch.length >= 500 || now() - lastFlush >= 16) flush();
      else if (!timer) {
        timer = true;
        setTimer(flush, 16);
      }
    },
    flush,
    send(message) {
      flush();
      port.postMessage(message);
    },
  };
}
