/**
 * Installs the runner into one realm — the main-thread run's iframe window, the run's worker, or
 * a worker the snippet started — and runs code there. The same code serves all three, so the
 * snippet sees the same world everywhere: an ES module (strict, top-level await), a captured
 * `console`, the loop guard, `spawn()`, a `Worker` whose blob:/data: workers report their
 * output too, and `interleave/…` imports.
 *
 * What it guarantees:
 * - Capture never goes through the realm's mutable globals after installation: a snippet that
 *   replaces `console`, `postMessage`, `onmessage` or `Worker` cannot hide errors, timers or
 *   workers from the runner.
 * - Console calls are formatted synchronously, in call order, so the stream's order is exactly
 *   the engine's order of sync code, microtasks and timers.
 * - The realm knows what keeps it busy: pending timers and live workers. With its top-level code
 *   settled and neither pending, it reports idle via `onChange` → {@link Realm.busy}.
 * - Every worker the snippet starts (and, through them, theirs) is terminated by `terminateAll`.
 */
import { libraryInRealm } from '../libraries.ts';
import { createConsole } from '../console.ts';
import { sinceRunStart, workerThread, type RunEvent, type ThreadRef, type WithoutStamp } from '../events.ts';
import { inspectNested } from '../format.ts';
import { IMPORT_HOOK, LOOP_GUARD, transform } from '../transform.ts';
import type { ChildInit, ChildSource, RealmSettings, Upstream } from '../worker/protocol.ts';
import { describeThrown, type SourceInfo } from './errors.ts';
import { createLoopGuard, RunawayLoopError } from './guard.ts';
import { installTracer } from './trace.ts';
import { TraceDecoder, TraceWriter, type PackedBatch } from './trace-buffer.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- realm globals are untyped on purpose */
type AnyGlobal = any;

export interface RealmConfig {
  /** The realm's global object (iframe window or worker global scope). */
  readonly global: AnyGlobal;
  readonly thread: ThreadRef;
  readonly settings: RealmSettings;
  /** True for the page's main thread (changes the loop message; no Atomics.wait there). */
  readonly mainThread: boolean;
  /** Receives every event of this thread and of the workers it starts. */
  readonly emit: (event: RunEvent) => void;
  /**
   * Starts a runner worker (runner.worker.ts) for a worker the snippet starts: through the page
   * (worker/broker.ts), so no worker is nested. Its first message must be a ChildInit.
   */
  readonly newRunnerWorker: () => Worker;
  /** Loads a teaching library by name (libraries.ts). */
  readonly importLibrary: (name: string) => Promise<unknown>;
  readonly libraryNames: readonly string[];
  /** Called whenever busy-ness may have changed. */
  readonly onChange: () => void;
  /** Called once when the loop guard trips. */
  readonly onRunaway: (error: RunawayLoopError) => void;
  /**
   * Traced runs in a worker: the batched port's writer, which takes this thread's trace records
   * AND its other events (in order), and passes child workers' batches on as they are. Without
   * it (the page's main thread), the realm keeps its own writer and decodes into `emit`.
   */
  readonly traceWriter?: TraceWriter;
  readonly forwardBatch?: (batch: PackedBatch) => void;
}

export interface Realm {
  /** Transforms and runs `code`; resolves when its top level has settled (errors are reported, not thrown). */
  run(code: string, type: 'module' | 'classic', sourceURL: string): Promise<'ok' | 'syntax-error' | 'threw'>;
  /** Pending timers, live workers, or top-level code still running. */
  busy(): boolean;
  /** What keeps the realm busy, for a timeout message. */
  describeBusy(): string;
  /** Terminates every worker this realm started. */
  terminateAll(reason: 'run-ended' | 'terminated'): void;
  /** Removes this realm's library tracer (main-thread runs share the page's libraries). */
  stopTracing(): void;
  /** Traced runs: records the loops of the current task so far now (before a message leaves). */
  reportLoops(): void;
  /** Reports an uncaught error / rejection of this realm. */
  reportError(
    thrown: unknown,
    source: 'uncaught' | 'unhandled-rejection',
    fallback?: { line?: number; column?: number; filename?: string },
  ): void;
  readonly sources: SourceInfo[];
  readonly console: ReturnType<typeof createConsole>;
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

export function installRealm(config: RealmConfig): Realm {
  const g = config.global;
  const { thread, settings } = config;
  // Keep the realm's own natives before the snippet can touch them.
  const native = {
    setTimeout: g.setTimeout.bind(g) as typeof setTimeout,
    clearTimeout: g.clearTimeout.bind(g) as typeof clearTimeout,
    setInterval: g.setInterval.bind(g) as typeof setInterval,
    clearInterval: g.clearInterval.bind(g) as typeof clearInterval,
    requestAnimationFrame:
      typeof g.requestAnimationFrame === 'function'
        ? (g.requestAnimationFrame.bind(g) as typeof requestAnimationFrame)
        : undefined,
    cancelAnimationFrame:
      typeof g.cancelAnimationFrame === 'function'
        ? (g.cancelAnimationFrame.bind(g) as typeof cancelAnimationFrame)
        : undefined,
    now: () => performance.now(),
    Worker: (g.Worker as typeof Worker | undefined) ?? undefined,
    createObjectURL: URL.createObjectURL.bind(URL),
    revokeObjectURL: URL.revokeObjectURL.bind(URL),
    Blob: g.Blob as typeof Blob,
  };

  // ---- tracing (RunOptions.trace only): compact records, see trace-buffer.ts ------------------
  const tracing = settings.trace === true;
  const decoder = new TraceDecoder();
  let writer: TraceWriter | undefined;
  /** Every event of this realm (and of the workers it starts) leaves through here. */
  let out: (event: RunEvent) => void = config.emit;
  /** Main thread: decodes the records so far into `config.emit` (before any later event). */
  let drain = () => undefined as void;
  /** Main thread: makes this run's writer, when the run starts. */
  let makeOwnWriter: (() => TraceWriter) | undefined;
  if (tracing && config.traceWriter) {
    writer = config.traceWriter;
  } else if (tracing) {
    // The page's main thread keeps its own writer. It is made when the run starts (startTracing),
    // not now: a spare realm is installed before its run, and a writer turns its thread's clock
    // into run time with the run's start, which is only known then.
    let own: TraceWriter | undefined;
    let scheduled = false;
    makeOwnWriter = () =>
      (own = new TraceWriter(thread, settings.runStart, {
        // Decoded after the task, or before the next other event, so the traced code pays only
        // for the records; a long synchronous loop keeps them (growing) until it ends.
        limit: 65_536,
        maxAgeMs: Infinity,
        ...(settings.traceCap !== undefined ? { cap: settings.traceCap } : {}),
        onStart: () => {
          if (scheduled) return;
          scheduled = true;
          setTimeout(() => {
            scheduled = false;
            drain();
          }, 0);
        },
        onFull: () => drain(),
      }));
    drain = () => {
      if (own && own.count > 0) decoder.decode(own.take(), config.emit);
    };
    out = (event) => {
      drain();
      config.emit(event);
    };
  }
  /** A child worker's batch: passed on (in a worker) or decoded here (main thread). */
  const received = (batch: PackedBatch) => {
    if (config.forwardBatch) config.forwardBatch(batch);
    else {
      drain();
      decoder.decode(batch, config.emit);
    }
  };

  const stamp = <E extends WithoutStamp<RunEvent>>(event: E, from: ThreadRef = thread) =>
    ({ ...event, thread: from, t: sinceRunStart(settings.runStart) }) as unknown as RunEvent;
  const emit = (event: WithoutStamp<RunEvent>, from?: ThreadRef) => out(stamp(event, from));

  // ---- console -------------------------------------------------------------------------
  const sources: SourceInfo[] = [];
  const capturedConsole = createConsole(
    (level, text, depth) => emit({ kind: 'log', level, text, depth }),
    native.now,
    () => {
      const raw = new Error().stack ?? '';
      return (
        describeThrown(Object.assign(new Error(''), { stack: raw }), sources)
          .stack?.split('\n')
          .slice(1)
          .join('\n') ?? ''
      );
    },
  );
  Object.defineProperty(g, 'console', {
    value: capturedConsole,
    writable: true,
    configurable: true,
    enumerable: false,
  });

  // ---- errors ------------------------------------------------------------------------------
  const reportError: Realm['reportError'] = (thrown, source, fallback) => {
    if (thrown instanceof RunawayLoopError || (thrown as Error | undefined)?.name === 'RunawayLoopError') {
      // Reported once by onRunaway; later re-throws of the tripped guard are noise.
      return;
    }
    const fields = describeThrown(thrown, sources, fallback);
    const prefix = source === 'unhandled-rejection' ? 'Uncaught (in promise) ' : 'Uncaught ';
    emit({ kind: 'error', source, ...fields, text: prefix + fields.text });
    if (/allocation failed|out of memory/i.test(fields.message)) {
      emit({
        kind: 'limit',
        what: 'memory',
        message: `Out of memory: ${thread.label} asked for more memory than the browser would give (${fields.message}).`,
      });
    }
  };
  g.addEventListener('error', (event: ErrorEvent) => {
    event.preventDefault();
    reportError(event.error ?? event.message, 'uncaught', {
      line: event.lineno,
      column: event.colno,
      filename: event.filename,
    });
  });
  g.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
    event.preventDefault();
    reportError(event.reason, 'unhandled-rejection');
  });

  // ---- tracing: the libraries' tracer, timers, loops ------------------------------------------
  // Set when the run starts, not now: a main-thread realm may be made ahead of its run, and the
  // page's libraries (which main-thread runs share) must not trace someone else's run meanwhile.
  let uninstallTracer = () => undefined as void;
  const startTracing = () => {
    if (makeOwnWriter) writer = makeOwnWriter();
    if (!writer) return;
    uninstallTracer = installTracer(writer);
    writer.whenCapped(uninstallTracer);
  };
  const stopTracing = () => {
    uninstallTracer();
    drain();
  };
  const taskEvent = (
    source: 'timer' | 'interval' | 'frame' | 'loop',
    start: number,
    end: number,
    timer?: number,
  ) => writer?.task(source, start, end, timer);

  // ---- loop guard --------------------------------------------------------------------------
  const guard = createLoopGuard({
    ...(tracing ? { onLoop: (start: number, end: number) => taskEvent('loop', start, end) } : {}),
    budgetMs: settings.loopBudgetMs,
    mainThread: config.mainThread,
    now: native.now,
    later: (fn) => native.setTimeout(fn, 0),
    onTrip: (error) => {
      emit({
        kind: 'error',
        source: 'runner',
        name: error.name,
        message: error.message,
        text: error.message,
      });
      emit({ kind: 'limit', what: 'loop', message: error.message });
      config.onRunaway(error);
    },
  });
  Object.defineProperty(g, LOOP_GUARD, {
    value: guard,
    writable: false,
    configurable: false,
    enumerable: false,
  });

  // ---- libraries ---------------------------------------------------------------------------
  const importHook = async (name: string) => {
    if (!config.libraryNames.includes(name)) {
      throw new Error(
        `There is no module 'interleave/${name}'. The book's modules are: ${config.libraryNames.map((n) => `interleave/${n}`).join(', ')}`,
      );
    }
    return libraryInRealm(name, await config.importLibrary(name), g);
  };
  Object.defineProperty(g, IMPORT_HOOK, {
    value: importHook,
    writable: false,
    configurable: false,
    enumerable: false,
  });

  // ---- timers: what keeps the realm busy ---------------------------------------------------
  const timers = new Map<unknown, 'timeout' | 'interval' | 'frame'>();
  let running = 0;
  const changed = () => config.onChange();
  // The wrapper that calls the snippet's callback is made IN the realm: an exception it lets
  // through is then reported to the realm's own 'error' listeners (an iframe's, not the page's).
  const wrapCallback = new g.Function(
    'callback',
    'args',
    'after',
    'return function () { try { return callback.apply(this, args); } finally { after(); } };',
  ) as (callback: unknown, args: unknown[], after: () => void) => (...a: unknown[]) => void;
  // Tracing: the same wrapper, timed (a second function so untraced runs pay nothing).
  const timedCallback = new g.Function(
    'callback',
    'args',
    'after',
    'now',
    'return function () { const start = now(); try { return callback.apply(this, args); } finally { after(start); } };',
  ) as (
    callback: unknown,
    args: unknown[],
    after: (start: number) => void,
    now: () => number,
  ) => (...a: unknown[]) => void;
  const timerSet = (id: number, ms: number | undefined, repeat: boolean) =>
    writer?.timer('set', id, Math.max(0, Number(ms) || 0), repeat);
  g.setTimeout = function setTimeout(callback: unknown, ms?: number, ...args: unknown[]) {
    if (typeof callback !== 'function') return native.setTimeout(callback as () => void, ms, ...args);
    const id = (tracing
      ? native.setTimeout(
          timedCallback(
            callback,
            args,
            (start) => {
              taskEvent('timer', start, native.now(), id);
              timers.delete(id);
              changed();
            },
            native.now,
          ),
          ms,
        )
      : native.setTimeout(
          wrapCallback(callback, args, () => {
            timers.delete(id);
            changed();
          }),
          ms,
        )) as unknown as number;
    timers.set(id, 'timeout');
    if (tracing) timerSet(id, ms, false);
    return id;
  };
  g.setInterval = function setInterval(callback: unknown, ms?: number, ...args: unknown[]) {
    const id = (tracing && typeof callback === 'function'
      ? native.setInterval(
          timedCallback(
            callback,
            args,
            (start) => taskEvent('interval', start, native.now(), id),
            native.now,
          ),
          ms,
        )
      : native.setInterval(callback as () => void, ms, ...args)) as unknown as number;
    if (typeof callback === 'function') {
      timers.set(id, 'interval');
      if (tracing) timerSet(id, ms, true);
    }
    return id;
  };
  const clear = (id: unknown) => {
    if (timers.delete(id)) {
      writer?.timer('clear', Number(id), 0, false);
      native.setTimeout(changed, 0);
    }
  };
  g.clearTimeout = function clearTimeout(id: number) {
    native.clearTimeout(id);
    clear(id);
  };
  g.clearInterval = function clearInterval(id: number) {
    native.clearInterval(id);
    clear(id);
  };
  if (native.requestAnimationFrame && native.cancelAnimationFrame) {
    const raf = native.requestAnimationFrame;
    const caf = native.cancelAnimationFrame;
    g.requestAnimationFrame = function requestAnimationFrame(callback: FrameRequestCallback) {
      const start = { at: 0 };
      const after = () => {
        if (tracing) taskEvent('frame', start.at, native.now());
        timers.delete(id);
        changed();
      };
      const wrapped = new g.Function(
        'callback',
        'after',
        'start',
        'now',
        'return function (time) { start.at = now(); try { return callback(time); } finally { after(); } };',
      )(callback, after, start, native.now) as FrameRequestCallback;
      const id = raf(wrapped);
      timers.set(id, 'frame');
      return id;
    };
    g.cancelAnimationFrame = function cancelAnimationFrame(id: number) {
      caf(id);
      clear(id);
    };
  }

  // ---- workers the snippet starts ----------------------------------------------------------
  const counter = settings.counter ? new Int32Array(settings.counter) : undefined;
  let localIds = 0;
  const nextThreadId = () => {
    if (counter) return Atomics.add(counter, 0, 1) + 1;
    // Without shared memory, ids stay unique by nesting under this thread's id.
    localIds++;
    return thread.id === 0 ? localIds : thread.id * 10 + localIds;
  };
  interface Live {
    readonly worker: Worker;
    /** The worker's own terminate, taken before the snippet could replace it. */
    readonly terminate: () => void;
    readonly ref: ThreadRef;
    stopped: boolean;
  }
  const live = new Set<Live>();
  const stopWorker = (entry: Live, reason: 'terminated' | 'closed' | 'run-ended' | 'crashed') => {
    if (entry.stopped) return;
    entry.stopped = true;
    live.delete(entry);
    emit({ kind: 'worker-stopped', worker: entry.ref, reason });
    changed();
  };
  const blobs = new Map<string, Blob>();
  const nativeCreateObjectURL = native.createObjectURL;
  const blobURLs = (object: Blob | MediaSource) => {
    const url = nativeCreateObjectURL(object);
    if (
      object instanceof native.Blob ||
      Object.prototype.toString.call(object) === '[object Blob]' ||
      Object.prototype.toString.call(object) === '[object File]'
    )
      blobs.set(url, object as Blob);
    return url;
  };
  // The realm's URL is its own object (iframe) or the worker's (worker): patch only that realm's.
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

  const startWorker = (
    source: ChildSource | undefined,
    url: string | URL | undefined,
    options: WorkerOptions | undefined,
    via: 'spawn' | 'new Worker',
  ): Worker => {
    const id = nextThreadId();
    const ref = workerThread(id, options?.name);
    if (!source) {
      // Not a blob:/data: URL: start it as asked, without capture, but still stop it with the run.
      if (!native.Worker) throw new Error('Workers are not available here');
      const plain = new native.Worker(url as string, options);
      const entry: Live = { worker: plain, terminate: plain.terminate.bind(plain), ref, stopped: false };
      live.add(entry);
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
    }
    const worker = config.newRunnerWorker();
    const entry: Live = { worker, terminate: worker.terminate.bind(worker), ref, stopped: false };
    live.add(entry);
    const channel = new MessageChannel();
    channel.port1.onmessage = (event: MessageEvent<Upstream>) => {
      const message = event.data;
      if (message.type === 'events') for (const e of message.events) out(e);
      else if (message.type === 'batch') received(message.batch);
      else if (message.type === 'closed') stopWorker(entry, 'closed');
      else if (message.type === 'post' && !entry.stopped) {
        // The worker's postMessage to us, behind its earlier events (see Upstream 'post').
        // A terminated worker's messages are dropped: to the snippet, it is gone.
        out(message.event);
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
    // The worker's realm reports and cancels the snippet's uncaught errors, so an error that
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
        const summary = inspectNested(message, { depth: 1, maxStringLength: 60, breakLength: Infinity });
        nativePost(message, transfer as Transferable[]);
        emit({ kind: 'message', from: thread, to: ref, summary, ...(bytes === undefined ? {} : { bytes }) });
      },
    });
    return worker;
  };

  const RealmWorker = function Worker(this: unknown, url: string | URL, options?: WorkerOptions) {
    if (new.target === undefined)
      throw new TypeError("Failed to construct 'Worker': Please use the 'new' operator.");
    return startWorker(sourceOf(url), url, options, 'new Worker');
  } as unknown as typeof Worker;
  if (native.Worker) RealmWorker.prototype = native.Worker.prototype;
  g.Worker = RealmWorker;

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

  // ---- running code ------------------------------------------------------------------------
  // import() from a function made in the realm: the module joins THAT realm's module map.
  const importInRealm = new g.Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
  const run: Realm['run'] = async (code, type, sourceURL) => {
    startTracing();
    const result = transform(code, {
      sourceURL,
      libraries: config.libraryNames,
      sourceType: type === 'module' ? 'module' : 'script',
      asFunction: true,
    });
    if (!result.ok) {
      const { message, line, column } = result.error;
      emit({
        kind: 'error',
        source: 'syntax',
        name: 'SyntaxError',
        message,
        line,
        column,
        text: `SyntaxError: ${message} (${sourceURL}:${line}:${column})`,
      });
      return 'syntax-error';
    }
    running++;
    try {
      if (result.evaluate !== 'module') {
        sources.push({ sourceURL, toOriginal: result.toOriginal });
        try {
          // Indirect eval: in the realm's global scope. A classic worker script runs as it is
          // (sloppy); a module's code comes as a strict async function, called at once.
          const value = (0, g.eval)(result.code) as unknown;
          if (result.evaluate === 'function') await (value as () => Promise<unknown>).call(undefined);
        } catch (error) {
          reportError(error, 'uncaught');
          return 'threw';
        }
        return 'ok';
      }
      // Code only a module can hold (exports, import.meta, URL imports, `arguments`): a real
      // module, from a data: URL rather than a blob: one (Chromium loads data: modules in the
      // page's own process; a blob: URL costs trips to the browser process to register and to
      // fetch it). Each run has a fresh realm, so the module map never holds an older module
      // under the same URL.
      const moduleURL = `data:text/javascript;charset=utf-8,${encodeURIComponent(result.code)}`;
      sources.push({ sourceURL, moduleURL, toOriginal: result.toOriginal });
      try {
        await importInRealm(moduleURL);
        return 'ok';
      } catch (error) {
        reportError(error, 'uncaught');
        return 'threw';
      }
    } finally {
      running--;
      changed();
    }
  };

  return {
    run,
    busy: () => running > 0 || timers.size > 0 || live.size > 0,
    describeBusy: () => {
      const parts: string[] = [];
      const intervals = [...timers.values()].filter((k) => k === 'interval').length;
      if (running) parts.push('its top-level code never finished (an await that never resolves?)');
      if (intervals)
        parts.push(`${intervals} setInterval timer${intervals > 1 ? 's were' : ' was'} never cleared`);
      if (timers.size - intervals)
        parts.push(
          `${timers.size - intervals} timer${timers.size - intervals > 1 ? 's were' : ' was'} still pending`,
        );
      const names = [...live].map((w) => w.ref.label);
      if (names.length)
        parts.push(`${names.join(', ')} ${names.length > 1 ? 'were' : 'was'} never terminated or closed`);
      return parts.join('; ');
    },
    terminateAll: (reason) => {
      for (const entry of [...live]) {
        entry.terminate();
        stopWorker(entry, reason);
      }
    },
    stopTracing,
    reportLoops: () => guard.report(),
    reportError,
    sources,
    console: capturedConsole,
  };
}

export type { Upstream };
