/**
 * Where one thread's events leave the runtime, and tracing for the run timeline (on only with
 * `RunOptions.trace`).
 *
 * Untraced, an event goes straight to the runtime's `emit`. Traced, the thread writes compact
 * records (trace-buffer.ts): in a worker, into the batched port's writer, which also takes the
 * thread's other events so that one batch keeps their order; on the page's main thread, into a
 * writer of its own, decoded into `emit` after the task or before the next other event. The
 * teaching libraries' trace records (src/concurrency/trace.ts) go into the same writer while
 * the run lasts.
 *
 * Cost when off: nothing is installed. When on: per library operation, one clock read and a few
 * array writes (pool tasks and GIL runs, which are rare, become events at once).
 */
import { setTracer, type Tracer } from '../../concurrency/trace.ts';
import { sinceRunStart, type RunEvent, type ThreadRef, type WithoutStamp } from '../events.ts';
import type { PackedBatch, RuntimeSettings } from '../protocol.ts';
import { TraceDecoder, TraceWriter } from './trace-buffer.ts';

export interface ThreadEventsConfig {
  readonly thread: ThreadRef;
  readonly settings: RuntimeSettings;
  /** Receives every event of this thread and of the workers it starts, stamped. */
  readonly emit: (event: RunEvent) => void;
  /** Traced runs in a worker: the batched port's writer (see RuntimeConfig.traceWriter). */
  readonly traceWriter?: TraceWriter | undefined;
  /** Traced runs in a worker: passes a child worker's batch on as it is. */
  readonly forwardBatch?: ((batch: PackedBatch) => void) | undefined;
}

export interface ThreadEvents {
  /** Stamps an event of this thread (or of `from`) with the run's clock, and sends it. */
  emit(event: WithoutStamp<RunEvent>, from?: ThreadRef): void;
  /** Sends an event stamped where it happened (a child worker's), in order with this thread's. */
  pass(event: RunEvent): void;
  /** A child worker's batch: passed on (in a worker) or decoded here (main thread). */
  passBatch(batch: PackedBatch): void;
  /** Whether the run is traced. */
  readonly tracing: boolean;
  /** When the run starts: makes the main thread's writer and installs the libraries' tracer. */
  startTracing(): void;
  /** When the run ends: removes the libraries' tracer, decodes what is left. */
  stopTracing(): void;
  /** Traced runs: this thread ran code from `start` to `end` (its own clock). */
  task(source: 'timer' | 'interval' | 'frame' | 'loop', start: number, end: number, timer?: number): void;
  /** Traced runs: a timer was set or cleared. */
  timer(op: 'set' | 'clear', id: number, delay: number, repeat: boolean): void;
}

export function createThreadEvents(config: ThreadEventsConfig): ThreadEvents {
  const { thread, settings } = config;
  const tracing = settings.trace === true;
  const decoder = new TraceDecoder();
  let writer: TraceWriter | undefined;
  /** Every event of this thread (and of the workers it starts) leaves through here. */
  let out: (event: RunEvent) => void = config.emit;
  /** Main thread: decodes the records so far into `config.emit` (before any later event). */
  let drain = () => undefined as void;
  /** Main thread: makes this run's writer, when the run starts. */
  let makeOwnWriter: (() => TraceWriter) | undefined;
  if (tracing && config.traceWriter) {
    writer = config.traceWriter;
  } else if (tracing) {
    // The page's main thread keeps its own writer. It is made when the run starts (startTracing),
    // not now: a spare runtime is installed before its run, and a writer turns its thread's clock
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

  // Set when the run starts, not at installation: a main-thread runtime may be made ahead of its
  // run, and the page's libraries (which main-thread runs share) must not trace someone else's
  // run meanwhile.
  let uninstallTracer = () => undefined as void;

  return {
    emit: (event, from = thread) =>
      out({ ...event, thread: from, t: sinceRunStart(settings.runStart) } as unknown as RunEvent),
    pass: (event) => out(event),
    passBatch: (batch) => {
      if (config.forwardBatch) config.forwardBatch(batch);
      else {
        drain();
        decoder.decode(batch, config.emit);
      }
    },
    tracing,
    startTracing: () => {
      if (makeOwnWriter) writer = makeOwnWriter();
      if (!writer) return;
      uninstallTracer = installTracer(writer);
      writer.whenCapped(uninstallTracer);
    },
    stopTracing: () => {
      uninstallTracer();
      drain();
    },
    task: (source, start, end, timer) => writer?.task(source, start, end, timer),
    timer: (op, id, delay, repeat) => writer?.timer(op, id, delay, repeat),
  };
}

/**
 * Installs this thread's library tracer, writing to `writer`. Returns the uninstall function,
 * which removes the tracer only if it is still this one (a later run may have replaced it).
 */
function installTracer(writer: TraceWriter): () => void {
  const tracer: Tracer = (record) => writer.record(record);
  setTracer(tracer);
  return () => {
    const current = setTracer(null);
    // A later run's tracer is in force: leave it.
    if (current !== tracer) setTracer(current);
  };
}
