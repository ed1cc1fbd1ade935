/**
 * The runner's worker: one bundled module for the run's own worker AND every worker a snippet
 * starts. Its first message says which (see protocol.ts). Runs in a DedicatedWorkerGlobalScope.
 *
 * - Host mode: `api` is exposed with Comlink on a private MessagePort, never on the global, so the
 *   snippet's own `postMessage`/`onmessage` are untouched.
 * - Child mode: the snippet's worker code runs here. Messages that arrive before that code has
 *   been evaluated are held and re-dispatched afterwards, as a plain worker would queue them.
 *   `close()` tells the parent first, so the run knows the worker is gone.
 *
 * Nested workers are new instances of this same script (`self.location.href`).
 */
import * as Comlink from 'comlink';
import { epochNow, type RunEvent, type RunMessageEvent, type ThreadRef } from '../events.ts';
import { messageSummary } from '../format.ts';
import { importLibrary, libraryNames } from '../libraries.ts';
import { batchedPort } from './batch.ts';
import { installRuntime } from '../runtime/install.ts';
import { warmUpTransform } from '../transform.ts';
import { isInit, type ChildInit, type RunnerWorkerApi, type RuntimeSettings } from '../protocol.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- the worker global, typed loosely on purpose */
const scope = self as any;

const nativeSetTimeout = setTimeout.bind(self) as typeof setTimeout;
const nativeQueueMicrotask = queueMicrotask.bind(self);
const nativeClose = scope.close.bind(self) as () => void;

// Taken before the runtime replaces the global `Worker` with its capturing wrapper.
const NativeWorker = Worker;
function newRunnerWorker(): Worker {
  return new NativeWorker(self.location.href, { type: 'module' });
}

function setUp(port: MessagePort, thread: ThreadRef, settings: RuntimeSettings) {
  const out = batchedPort(
    port,
    nativeQueueMicrotask,
    () => performance.now(),
    (fn) => nativeSetTimeout(fn, 0),
  );
  // Traced: this thread's events go out as compact batches (runtime/trace-buffer.ts).
  const traceWriter = settings.trace ? out.tracing(thread, settings.runStart, settings.traceCap) : undefined;
  const runtime = installRuntime({
    global: self,
    thread,
    settings,
    mainThread: false,
    emit: (event: RunEvent) => out.emit(event),
    newRunnerWorker,
    importLibrary,
    libraryNames,
    onIdle: () => out.send({ type: 'idle' }),
    onRunaway: () => undefined,
    ...(traceWriter ? { traceWriter, forwardBatch: out.forward } : {}),
  });
  return { runtime, out };
}

const api: RunnerWorkerApi = {
  async run(code, settings, thread, port) {
    holding = false;
    const { runtime, out } = setUp(port, thread, settings);
    const outcome = await runtime.run(code, 'module', 'snippet.js');
    // Out now, not at the end of the task. After a syntax error the host ends the run as failed.
    out.flush();
    return outcome;
  },
  now: () => epochNow(),
};

async function startChild(init: ChildInit, held: MessageEvent[], release: () => void) {
  const { runtime, out } = setUp(init.port, init.thread, init.settings);
  // The snippet's own postMessage to its parent goes on the event port, behind this worker's
  // earlier output (see Upstream 'post'), and at once: the parent may terminate it on receipt.
  scope.postMessage = function postMessage(
    message: unknown,
    transfer?: Transferable[] | StructuredSerializeOptions,
  ) {
    runtime.reportLoops();
    const event: RunMessageEvent = {
      kind: 'message',
      from: init.thread,
      to: init.parent,
      summary: messageSummary(message),
      thread: init.thread,
      t: epochNow() - init.settings.runStart,
    };
    out.send(
      { type: 'post', data: message, event },
      Array.isArray(transfer) ? transfer : (transfer?.transfer ?? []),
    );
  };
  scope.close = function close() {
    out.send({ type: 'closed' });
    nativeClose();
  };
  const code = init.source.kind === 'text' ? init.source.text : await init.source.blob.text();
  await runtime.run(code, init.type, `${init.thread.label}.js`);
  release();
  for (const event of held)
    self.dispatchEvent(new MessageEvent('message', { data: event.data, ports: [...event.ports] }));
  held.length = 0;
}

// Hold the snippet's messages until its code has run (the init message itself is ours).
const held: MessageEvent[] = [];
let holding = true;
self.addEventListener('message', function first(event: MessageEvent) {
  if (isInit(event.data)) {
    event.stopImmediatePropagation();
    self.removeEventListener('message', first);
    const data = event.data;
    if (data.__interleave === 'host') {
      Comlink.expose(api, data.port);
      // A spare worker waits for its run: compile the transform's parser meanwhile.
      nativeSetTimeout(warmUpTransform, 0);
    } else
      void startChild(data, held, () => {
        holding = false;
      });
    return;
  }
});
self.addEventListener('message', (event: MessageEvent) => {
  if (!holding || isInit(event.data) || !event.isTrusted) return;
  event.stopImmediatePropagation();
  held.push(event);
});
