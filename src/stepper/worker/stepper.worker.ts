/**
 * The stepper's worker: records a run off the page's main thread (engine262 is a JavaScript
 * engine written in JavaScript, far slower than the browser's own), one request at a time.
 */
import { recordSnippet } from '../step-run.ts';
import type { RecordRequest, RecordResponse } from '../protocol.ts';

addEventListener('message', (event: MessageEvent<RecordRequest>) => {
  const { id, code } = event.data;
  const response: RecordResponse = { id, result: recordSnippet(code) };
  postMessage(response);
});
