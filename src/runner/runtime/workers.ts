/**
 * The workers a snippet starts: `new Worker(url)` and `spawn()`. A blob: or data: worker (and a
 * spawned one) is a runner worker (runner.worker.ts) told to run the snippet's worker code, with
 * the runtime installed: its console, errors and trace come back on a port of its own, and its
 * `postMessage` to this thread travels on that port too, behind what it printed before sending.
 * Every worker, captured or not, is known until it is terminated, closes or crashes (live
 * workers keep a run busy), and `terminateAll` stops them all with the run.
 */
import { workerThread, type ThreadRef } from '../events.ts';
import { messageSummary } from '../../snippet/index.ts';
import type { ChildInit, ChildSource, RuntimeSettings, Upstream } from '../protocol.ts';
import type { AnyGlobal, Natives } from './natives.ts';
import type { ThreadEvents } from './tracing.ts';

export interface WorkersConfig {
  readonly thread: ThreadRef;
  readonly settings: RuntimeSettings;
  readonly native: Natives;
  readonly events: ThreadEvents;
  /**
   * Starts a runner worker (runner.worker.ts) for a worker the snippet starts: through the page
   * (worker/broker.ts), so that no worker is nested. Its first message must be a ChildInit.
   */
  readonly newRunnerWorker: () => Worker;
  /** Called whenever a worker starts or stops. */
  readonly changed: () => void;
}

export interface Workers {
  /** How many workers are still alive. */
  count(): number;
  /** The threads of the workers still alive. */
  live(): ThreadRef[];
  /** Terminates every worker this thread started. */
  terminateAll(reason: 'run-ended' | 'terminated'): void;
}

interface Live {
  readonly worker: Worker;
  /** The worker's own terminate, taken before the snippet could replace it. */
  readonly terminate: () => void;
  readonly ref: ThreadRef;
  stopped: boolean;
}

const sizeOf = (data: unknown): number | undefined => {
  if (typeof data === 'string') return data.length * 2;
  // By tag, not instanceof: on the main thread the buffer comes from the run's iframe.
  const tag = Object.prototype.toString.call(data);
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]')
    return (data as ArrayBuffer).byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  return undefined;
};

/** Replaces the global's `Worker`, adds `spawn`, and remembers the blobs its URLs name. */
export function installWorkers(g: AnyGlobal, config: WorkersConfig): Workers {
  const { thread, settings, native, events, changed } = config;
  const emit = events.emit;
  const counter = settings.counter ? new Int32Array(settings.counter) : undefined;
  let localIds = 0;
  const nextThreadId = () => {
    if (counter) return Atomics.add(counter, 0, 1) + 1;
    // Without shared memory, ids stay unique by nesting under this thread's id.
    localIds++;
    return thread.id === 0 ? localIds : thread.id * 10 + localIds;
  };
  const live = new Set<Live>();
  const track = (worker: Worker, ref: ThreadRef): Live => {
    const entry: Live = { worker, terminate: worker.terminate.bind(worker), ref, stopped: false };
    live.add(entry);
    return entry;
  };
  const stopWorker = (entry: Live, reason: 'terminated' | 'closed' | 'run-ended' | 'crashed') => {
    if (entry.stopped) return;
    entry.stopped = true;
    live.delete(entry);
    emit({ kind: 'worker-stopped', worker: entry.ref, reason });
    changed();
  };

  const blobs = new Map<string, Blob>();
  const nativeCreateObjectURL = native.createObjectURL;
  // What createObjectURL takes where this runs (a Blob, or in a page also a MediaSource).
  const blobURLs = (object: Parameters<typeof URL.createObjectURL>[0]) => {
    const url = nativeCreateObjectURL(object);
    if (
      object instanceof native.Blob ||
      Object.prototype.toString.call(object) === '[object Blob]' ||
      Object.prototype.toString.call(object) === '[object File]'
    )
      blobs.set(url, object as Blob);
    return url;
  };
  // The global's URL is its own object (iframe) or the worker's (worker): patch only that one.
  if (g.URL && g.URL !== URL) g.URL.createObjectURL = blobURLs;
  else URL.createObjectURL = blobURLs;

  const sourceOf = (url: string | URL): ChildSource | undefined => {
    const href = String(url);
    const blob = blobs.get(href);
    if (blob) return { kind: 'blob', blob };
    const data = /^data:([^,]*?)(;base64)?,(.*)$/s.exec(href);
    if (data) {
      const body = data[3] ?? '';
      return { kind: 'text', text: data[2] ? atob(body) : decodeURIComponent(body) };
    }
    return undefined;
  };

  /** Not a blob:/data: URL: started as asked, without capture, but still stopped with the run. */
  const startPlainWorker = (
    ref: ThreadRef,
    url: string | URL | undefined,
    options: WorkerOptions | undefined,
    via: 'spawn' | 'new Worker',
  ): Worker => {
    if (!native.Worker) throw new Error('Workers are not available here');
    const plain = new native.Worker(url as string, options);
    const entry = track(plain, ref);
    emit({ kind: 'worker-started', worker: ref, via });
    emit({
      kind: 'log',
      level: 'warn',
      text: `${ref.label}: only blob: and data: workers (and spawn()) have their console captured`,
      depth: 0,
    });
    plain.terminate = () => {
      entry.terminate();
      stopWorker(entry, 'terminated');
    };
    return plain;
  };

  const startWorker = (
    source: ChildSource | undefined,
    url: string | URL | undefined,
    options: WorkerOptions | undefined,
    via: 'spawn' | 'new Worker',
  ): Worker => {
    const ref = workerThread(nextThreadId(), options?.name);
    if (!source) return startPlainWorker(ref, url, options, via);
    const worker = config.newRunnerWorker();
    const entry = track(worker, ref);
    const channel = new MessageChannel();
    channel.port1.onmessage = (event: MessageEvent<Upstream>) => {
      const message = event.data;
      if (message.type === 'events') for (const e of message.events) events.pass(e);
      else if (message.type === 'batch') events.passBatch(message.batch);
      else if (message.type === 'closed') stopWorker(entry, 'closed');
      else if (message.type === 'post' && !entry.stopped) {
        // The worker's postMessage to us, behind its earlier events (see Upstream 'post').
        // A terminated worker's messages are dropped: to the snippet, it is gone.
        events.pass(message.event);
        worker.dispatchEvent(new MessageEvent('message', { data: message.data, ports: [...event.ports] }));
      }
    };
    const init: ChildInit = {
      __interleave: 'child',
      port: channel.port2,
      thread: ref,
      parent: thread,
      settings,
      source,
      type: options?.type === 'module' ? 'module' : 'classic',
    };
    const nativePost = worker.postMessage.bind(worker);
    nativePost(init, [channel.port2]);
    emit({ kind: 'worker-started', worker: ref, via });
    // The worker's runtime reports and cancels the snippet's uncaught errors, so an error that
    // reaches this object means the worker itself failed: its script did not load or run (WebKit
    // sends a plain Event, without a message). Say so, and stop waiting for it.
    worker.addEventListener('error', (event: Event) => {
      event.preventDefault();
      if (entry.stopped) return;
      const why = (event as Partial<ErrorEvent>).message || 'the browser could not load or start its script';
      const message = `${ref.label} stopped unexpectedly: ${why}`;
      emit({ kind: 'error', source: 'runner', name: 'WorkerError', message, text: message });
      stopWorker(entry, 'crashed');
    });
    Object.defineProperty(worker, 'terminate', {
      configurable: true,
      value: function terminateWorker() {
        entry.terminate();
        // port1 stays open: what the worker sent just before it was terminated is still on its way.
        stopWorker(entry, 'terminated');
      },
    });
    Object.defineProperty(worker, 'postMessage', {
      configurable: true,
      value: function postMessage(message: unknown, transfer?: Transferable[] | StructuredSerializeOptions) {
        // Describe the message before posting it: a transfer detaches its buffers.
        const bytes = sizeOf(message);
        const summary = messageSummary(message);
        nativePost(message, transfer as Transferable[]);
        emit({ kind: 'message', from: thread, to: ref, summary, ...(bytes === undefined ? {} : { bytes }) });
      },
    });
    return worker;
  };

  const CapturingWorker = function Worker(this: unknown, url: string | URL, options?: WorkerOptions) {
    if (new.target === undefined)
      throw new TypeError("Failed to construct 'Worker': Please use the 'new' operator.");
    return startWorker(sourceOf(url), url, options, 'new Worker');
  } as unknown as typeof Worker;
  if (native.Worker) CapturingWorker.prototype = native.Worker.prototype;
  g.Worker = CapturingWorker;

  /**
   * `spawn(fnOrCode, { name })`: starts a worker running a function (its body is the worker's
   * code) or a string of module code. See the header of runner/index.ts.
   */
  const spawn = (code: string | ((...args: never[]) => unknown), options: { name?: string } = {}) => {
    const text = typeof code === 'function' ? `(${Function.prototype.toString.call(code)})();` : String(code);
    return startWorker(
      { kind: 'text', text },
      undefined,
      { type: 'module', ...(options.name ? { name: options.name } : {}) },
      'spawn',
    );
  };
  Object.defineProperty(g, 'spawn', { value: spawn, writable: true, configurable: true, enumerable: false });

  return {
    count: () => live.size,
    live: () => [...live].map((entry) => entry.ref),
    terminateAll: (reason) => {
      for (const entry of [...live]) {
        entry.terminate();
        stopWorker(entry, reason);
      }
    },
  };
}
