/**
 * Runs snippets in a dedicated worker. The ONE place that does Comlink's `wrap`.
 *
 * Every run gets its own worker, terminated when the run ends (a run may have polluted the
 * worker's global), with every worker the snippet started: the page started those (see
 * worker/broker.ts), so they are terminated with it. To keep the first output fast, one spare worker is started
 * ahead of time ("warm") and replaced after each run.
 *
 * Comlink calls never settle after `terminate()`, so each run races its call against its own
 * "terminated" promise. Events come back on a MessagePort of their own, batched by the worker.
 */
import * as Comlink from 'comlink';
import { MAIN_THREAD, workerThread, type RunEvent } from './events.ts';
import { observeLongTasks } from './longtasks.ts';
import { TraceDecoder } from './realm/trace-buffer.ts';
import { Recorder, traceSettings, type RunHandle } from './recorder.ts';
import { canShareMemory, describeSetUpError } from './shared-memory.ts';
import { DEFAULT_TIMEOUT_MS, type Executor, type RunOptions } from './types.ts';
import { WorkerBroker } from './worker/broker.ts';
import { newRunnerWorker } from './worker/new-runner-worker.ts';
import type { HostInit, Upstream } from './worker/protocol.ts';
import type { RunnerWorkerApi } from './worker/runner.worker.ts';

interface Started {
  readonly worker: Worker;
  readonly api: Comlink.Remote<RunnerWorkerApi>;
  readonly port: MessagePort;
}

/** The run's own worker thread. */
export const RUN_WORKER = workerThread(1);

function seconds(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
}

function start(): Started {
  const worker = newRunnerWorker();
  const channel = new MessageChannel();
  worker.postMessage({ __interleave: 'host', port: channel.port2 } satisfies HostInit, [channel.port2]);
  return { worker, api: Comlink.wrap<RunnerWorkerApi>(channel.port1), port: channel.port1 };
}

export interface WorkerExecutorOptions {
  /** Keep one worker started ahead of the next run (default true). */
  readonly warm?: boolean;
}

export class WorkerExecutor implements Executor {
  readonly realm = 'worker' as const;
  private spare: Started | undefined;
  private current: RunHandle | undefined;
  private disposed = false;
  private readonly warm: boolean;

  constructor(options: WorkerExecutorOptions = {}) {
    this.warm = options.warm ?? true;
    if (this.warm) this.startSpare();
  }

  /** Starts the next run's worker ahead of time; if that fails, the run will say so. */
  private startSpare(): void {
    try {
      this.spare = start();
    } catch {
      this.spare = undefined;
    }
  }

  /** Whether the next run will use an already started worker. */
  get isWarm(): boolean {
    return this.spare !== undefined;
  }

  run(code: string, options: RunOptions = {}): RunHandle {
    this.current?.stop();
    const recorder = new Recorder(options.cap, options.onEvent);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let started: Started;
    try {
      started = this.spare ?? start();
    } catch (error) {
      // No worker (a browser or policy that refuses it): the run ends at once, saying why.
      return WorkerExecutor.failed(recorder, describeSetUpError(error));
    }
    this.spare = undefined;
    const { worker } = started;

    let rejectPending: (reason: Error) => void = () => undefined;
    const terminated = new Promise<never>((_resolve, reject) => {
      rejectPending = reject;
    });
    terminated.catch(() => undefined);

    const events = new MessageChannel();
    // The snippet's workers, and theirs, are started by the page and stopped with the run.
    const broker = new WorkerBroker(newRunnerWorker);
    // Traced runs: the workers' compact batches, turned into events here (realm/trace-buffer.ts).
    const decoder = new TraceDecoder();
    let stopLongTasks = () => undefined as void;
    const end = (status: 'done' | 'stopped' | 'timed-out' | 'failed', reason?: string) => {
      if (recorder.isEnded) return;
      clearTimeout(timer);
      stopLongTasks();
      worker.terminate();
      broker.terminateAll();
      events.port1.close();
      started.port.close();
      rejectPending(new Error('The run ended; its worker was terminated.'));
      recorder.finish(status, reason);
      if (this.current === handle) this.current = undefined;
      if (this.warm && !this.disposed && !this.spare) this.startSpare();
    };

    events.port1.onmessage = (event: MessageEvent<Upstream>) => {
      const message = event.data;
      if (message.type === 'events') for (const e of message.events) recorder.push(e);
      else if (message.type === 'batch') decoder.decode(message.batch, recorder.push);
      else if (message.type === 'idle') end('done');
    };
    worker.addEventListener('error', (event) => {
      // Reached only when the worker itself fails (it reports the snippet's errors itself).
      event.preventDefault();
      const text = event.message || 'The worker stopped unexpectedly';
      const memory = /memory|allocation/i.test(text);
      const message = memory
        ? 'Out of memory: the worker allocated more than the browser allows and was stopped.'
        : text;
      recorder.push({
        kind: 'error',
        source: 'runner',
        name: memory ? 'OutOfMemory' : 'WorkerError',
        message,
        text: message,
        thread: RUN_WORKER,
        t: recorder.now(),
      });
      end('failed', message);
    });

    const handle: RunHandle = {
      get events() {
        return recorder.events;
      },
      subscribe: (listener: (event: RunEvent) => void) => recorder.subscribe(listener),
      stop: () => end('stopped', 'Stopped.'),
      done: recorder.done,
    };
    this.current = handle;
    recorder.push({ kind: 'status', state: 'running', thread: MAIN_THREAD, t: 0 });
    recorder.push({
      kind: 'worker-started',
      worker: RUN_WORKER,
      via: 'runner',
      thread: MAIN_THREAD,
      t: recorder.now(),
    });

    const counter = canShareMemory() ? new SharedArrayBuffer(4) : undefined;
    if (counter) new Int32Array(counter)[0] = RUN_WORKER.id;
    const settings = {
      runStart: recorder.runStart,
      loopBudgetMs: options.loopBudgetMs ?? Infinity,
      ...(counter ? { counter } : {}),
      ...traceSettings(options),
    };
    if (options.trace) stopLongTasks = observeLongTasks(recorder.push, recorder.runStart);
    const timer = setTimeout(() => {
      end(
        'timed-out',
        `Timed out after ${seconds(timeoutMs)}: the worker and every worker it started were stopped.`,
      );
    }, timeoutMs);

    const brokerPort = broker.connect();
    Promise.race([
      started.api.run(
        code,
        settings,
        RUN_WORKER,
        Comlink.transfer(events.port2, [events.port2]),
        Comlink.transfer(brokerPort, [brokerPort]),
      ),
      terminated,
    ]).then(
      (outcome) => {
        if (outcome === 'syntax-error') {
          // Let the syntax error event (sent on the other port) arrive first.
          setTimeout(() => end('failed', 'The code has a syntax error; nothing ran.'), 20);
        }
      },
      () => undefined,
    );
    return handle;
  }

  /** A run that could not start: it has ended, as failed, with the reason. */
  private static failed(recorder: Recorder, reason: string): RunHandle {
    recorder.push({ kind: 'status', state: 'running', thread: MAIN_THREAD, t: 0 });
    recorder.finish('failed', reason);
    return {
      get events() {
        return recorder.events;
      },
      subscribe: (listener: (event: RunEvent) => void) => recorder.subscribe(listener),
      stop: () => undefined,
      done: recorder.done,
    };
  }

  dispose(): void {
    this.disposed = true;
    this.current?.stop();
    if (this.spare) {
      this.spare.worker.terminate();
      this.spare.port.close();
      this.spare = undefined;
    }
  }
}
