/**
 * The page's side of recording: one stepper worker, started on the first Step (the engine is
 * its own chunk, so a page that never steps loads none of it), asked to record one snippet at a
 * time. A worker that fails to load, crashes or takes too long is stopped and the caller gets a
 * message instead: a Step must never hang.
 *
 * State: the worker (kept warm after the first Step, dropped when it fails) and the pending
 * requests by id.
 */
import type { RecordRequest, RecordResponse } from '../../stepper/protocol.ts';
import type { RecordResult } from '../../stepper/types.ts';

/** Wall-clock bound on one recording; the step and evaluation limits normally end it far sooner. */
export const RECORD_TIMEOUT_MS = 60_000;

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, (result: RecordResult) => void>();

function failAll(message: string): void {
  worker?.terminate();
  worker = undefined;
  for (const settle of pending.values()) settle({ ok: false, message });
  pending.clear();
}

function stepperWorker(): Worker {
  if (worker) return worker;
  const started = new Worker(new URL('../../stepper/worker/stepper.worker.ts', import.meta.url), {
    type: 'module',
  });
  started.addEventListener('message', (event: MessageEvent<RecordResponse>) => {
    const settle = pending.get(event.data.id);
    pending.delete(event.data.id);
    settle?.(event.data.result);
  });
  started.addEventListener('error', (event) => {
    event.preventDefault();
    failAll('The stepper could not start (its worker failed to load). Run still works: use Run instead.');
  });
  worker = started;
  return started;
}

/** Starts the worker ahead of a likely Step (pointer or focus on the button). */
export function warmStepper(): void {
  stepperWorker();
}

/** Records a run of `code` in the stepper's worker. */
export function recordInWorker(code: string, timeoutMs = RECORD_TIMEOUT_MS): Promise<RecordResult> {
  return new Promise((resolve) => {
    const id = nextId++;
    const timer = setTimeout(() => {
      if (!pending.has(id)) return;
      failAll(
        `Recording took over ${Math.round(timeoutMs / 1000)} s and was stopped. Try a smaller run, or use Run.`,
      );
    }, timeoutMs);
    pending.set(id, (result) => {
      clearTimeout(timer);
      resolve(result);
    });
    try {
      stepperWorker().postMessage({ id, code } satisfies RecordRequest);
    } catch (error) {
      failAll(`The stepper could not start (${(error as Error).message}). Run still works: use Run instead.`);
    }
  });
}
