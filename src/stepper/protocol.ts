/** The stepper worker's API, which the page (src/client/stepper/worker-client.ts) calls through comlink. */
import type { RecordResult } from './types.ts';

export interface StepperWorkerApi {
  /** A recording of `code`, or a clear refusal (step-run.ts). */
  record(code: string): RecordResult;
}
