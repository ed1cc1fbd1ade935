/**
 * The runner's worker: one bundled module for the run's own worker AND every worker a snippet
 * starts. Its first message says which (see protocol.ts). Runs in a DedicatedWorkerGlobalScope.
 *
 * - Host mode: `api` is exposed with Comlink on a private MessagePort, never on the global, so the
 *   snippet's own `postMessage`/`onmessage` are untouched.
 * - Linked mode: a worker the snippet started, which the page started for it (broker.ts). What
 *   its parent posts arrives on a port; the first message is its {@link ChildInit}, and the
 *   snippet's worker code runs here. Later messages that arrive before that code has been
 *   evaluated are held and dispatched afterwards, as a plain worker would queue them.
 *   `close()` tells the parent first, so the run knows the worker is gone.
 *
 * No worker is nested: every thread starts its workers through the page (broker.ts says why).
 */
import * as Comlink from 'comlink';
import { epochNow, type RunEvent, type RunMessageEvent, type ThreadRef } from '../events.ts';
import { importLibrary, libraryNames, messageSummary, warmUpTransform } from '../../snippet/index.ts';
import { batchedPort } from './batch.ts';
import { installRuntime } from '../runtime/install.ts';
import { isInit, type ChildInit, type RunnerWorkerApi, type RuntimeSettings } from '../protocol.ts';
import { brokeredWorkers } from './broker.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- the worker global, typed loosely on purpose */
const scope = self as any;

const nativeSetTimeout = setTimeout.bind(self) as typeof setTimeout;
const nativeQueueMicrotask = queueMicrotask.bind(self);
const nativeClose = scope.close.bind(self) as () => void;

function setUp(port: MessagePort, thread: ThreadRef, settings: RuntimeSettings, broker: MessagePort) {
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
    newRunnerWorker: brokeredWorkers(broker),
    importLibrary,
    libraryNames,
    onIdle: () => out.send({ type: 'idle' }),
    onRunaway: () => undefined,
    ...(traceWriter ? { traceWriter, forwardBatch: out.forward } : {}),
  });
  return { runtime, out };
}

const api: RunnerWorkerApi = {
  async run(code, settings, thread, port, broker) {
    const { runtime, out } = setUp(port, thread, settings, broker);
    const outcome = await runtime.run(code, 'module', 'snippet.js');
    // Out now, not at the end of the task. After a syntax error the host ends the run as failed.
    out.flush();
    return outcome;
  },
  now: () => epochNow(),
};

async function startChild(init: ChildInit, broker: MessagePort): Promise<void> {
  const { runtime, out } = setUp(init.port, init.thread, init.settings, broker);
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
}

/** Linked mode: the parent's messages come on `link`; the first is the ChildInit. */
function startLinked(link: MessagePort, broker: MessagePort): void {
  const deliver = (event: MessageEvent) =>
    self.dispatchEvent(new MessageEvent('message', { data: event.data, ports: [...event.ports] }));
  // Held until the snippet's worker code has run: its listeners are not there before.
  let held: MessageEvent[] | undefined = [];
  const release = () => {
    const early = held ?? [];
    held = undefined;
    for (const event of early) deliver(event);
  };
  link.onmessage = (event: MessageEvent) => {
    if (isInit(event.data) && event.data.__interleave === 'child')
      void startChild(event.data, broker).then(release, release);
    else if (held) held.push(event);
    else deliver(event);
  };
}

self.addEventListener('message', function first(event: MessageEvent) {
  if (!isInit(event.data)) return;
  event.stopImmediatePropagation();
  self.removeEventListener('message', first);
  const data = event.data;
  if (data.__interleave === 'host') {
    Comlink.expose(api, data.port);
    // A spare worker waits for its run: compile the transform's parser meanwhile.
    nativeSetTimeout(warmUpTransform, 0);
  } else if (data.__interleave === 'linked') startLinked(data.link, data.broker);
});
