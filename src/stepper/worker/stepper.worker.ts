/**
 * The stepper's worker: records a run off the page's main thread (engine262 is a JavaScript
 * engine written in JavaScript, far slower than the browser's own), one call at a time, exposed
 * with comlink. Only engine262 runs the snippet here, so the API sits on the worker's global.
 */
import * as Comlink from 'comlink';
import type { StepperWorkerApi } from '../protocol.ts';
import { recordSnippet } from '../step-run.ts';

const api: StepperWorkerApi = { record: recordSnippet };

Comlink.expose(api);
