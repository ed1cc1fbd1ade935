/**
 * The page's side of recording: one stepper worker, started on the first Step (the engine is
 * its own chunk, so a page that never steps loads none of it) and called through comlink, one
 * snippet at a time. A worker that fails to load, crashes or takes too long is stopped and every
 * call waiting on it gets a message instead: a Step must never hang.
 *
 * State: the worker, kept warm after the first Step and dropped when it fails.
 */
import * as Comlink from 'comlink';
import type { StepperWorkerApi } from '../../stepper/protocol.ts';
import type { RecordResult } from '../../stepper/types.ts';

/** Wall-clock bound on one recording; the step and evaluation limits normally end it far sooner. */
export const RECORD_TIMEOUT_MS = 60_000;

const FAILED_TO_LOAD =
  'The stepper could not start (its worker failed to load). Run still works: use Run instead.';

interface StepperWorker {
  readonly api: Comlink.Remote<StepperWorkerApi>;
  /**
   * Settles once the worker is stopped, with what to tell the reader: comlink's calls never
   * settle after `terminate()`, so each call races this.
   */
  readonly stopped: Promise<RecordResult>;
  /** Terminates the worker (the next Step starts another) and fails every call waiting on it. */
  stop(message: string): void;
}

let current: StepperWorker | undefined;

function start(): StepperWorker {
  const worker = new Worker(new URL('../../stepper/worker/stepper.worker.ts', import.meta.url), {
    type: 'module',
  });
  let settle: (result: RecordResult) => void = () => undefined;
  const started: StepperWorker = {
    api: Comlink.wrap<StepperWorkerApi>(worker),
    stopped: new Promise((resolve) => {
      settle = resolve;
    }),
    stop(message) {
      worker.terminate();
      if (current === started) current = undefined;
      settle({ ok: false, message });
    },
  };
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    started.stop(FAILED_TO_LOAD);
  });
  return started;
}

function stepperWorker(): StepperWorker {
  current ??= start();
  return current;
}

/** Starts the worker ahead of a likely Step (pointer or focus on the button). */
export function warmStepper(): void {
  stepperWorker();
}

/** Records a run of `code` in the stepper's worker. */
export async function recordInWorker(code: string, timeoutMs = RECORD_TIMEOUT_MS): Promise<RecordResult> {
  let worker: StepperWorker;
  try {
    worker = stepperWorker();
  } catch (error) {
    return {
      ok: false,
      message: `The stepper could not start (${(error as Error).message}). Run still works: use Run instead.`,
    };
  }
  const timer = setTimeout(
    () =>
      worker.stop(
        `Recording took over ${Math.round(timeoutMs / 1000)} s and was stopped. Try a smaller run, or use Run.`,
      ),
    timeoutMs,
  );
  try {
    return await Promise.race([
      // A call that throws in the worker stops it, as an error thrown there always did.
      worker.api.record(code).catch(() => (worker.stop(FAILED_TO_LOAD), worker.stopped)),
      worker.stopped,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
