/**
 * One snippet in, a recording or a clear refusal out: what the stepper's worker does for each
 * request, kept apart from the worker so that Node (the tests, the benchmark) runs the same code.
 */
import { record } from './record/index.ts';
import type { RecordResult } from './types.ts';
import { findUnsupported } from './unsupported.ts';

export function recordSnippet(code: string): RecordResult {
  const missing = findUnsupported(code);
  if (missing) return { ok: false, message: missing };
  try {
    return { ok: true, recording: record(code) };
  } catch (error) {
    return {
      ok: false,
      message: `The stepper could not record this code (${(error as Error).message}). Run still works: use Run instead.`,
    };
  }
}
