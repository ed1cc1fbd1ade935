/**
 * Node adapters for the browser-first libraries (tests, benchmarks, build-time checks). Import
 * this module only in Node: it loads `node:worker_threads`.
 */
import { Worker } from 'node:worker_threads';
import type { Spawn } from './pool.ts';

/**
 * A pool {@link Spawn} on Node's worker_threads: the pool's classic worker script runs with
 * `eval: true` (CommonJS, so it reaches its port through `require('node:worker_threads')`).
 */
export const nodeSpawn: Spawn = (script, events, index) => {
  const worker = new Worker(script, { eval: true, name: `pool worker ${index + 1}` });
  worker.on('message', (data: unknown) => events.message(data));
  worker.on('error', (error) => events.error(error));
  // A task calling process.exit() ends the worker without an 'error' event. (Exits the pool
  // caused itself with terminate() are ignored by the pool, which has moved on to a new worker.)
  worker.on('exit', (code) => events.error(new Error(`pool: worker ${index + 1} exited with code ${code}`)));
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer as never),
    terminate: () => worker.terminate(),
  };
};
