/** The messages between the page (src/client/stepper/recorder-client.ts) and the stepper's worker. */
import type { RecordResult } from './types.ts';

export interface RecordRequest {
  id: number;
  code: string;
}

export interface RecordResponse {
  id: number;
  result: RecordResult;
}
