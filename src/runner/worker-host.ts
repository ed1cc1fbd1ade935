/**
 * Runs snippets in a dedicated worker. The ONE place that does Comlink's `wrap`.
 *
 * Every run gets its own worker, terminated when the run ends (a run may have polluted the
 * worker's global), with every worker the snippet started: the page started those
 * (worker/broker.ts), so the page stops them too. To keep the first output fast, one spare worker is started
 * ahead of time ("warm") and replaced after each run.
 *
 * Comlink calls never settle after `terminate()`, so each run races its call against its own
 * "terminated" promise. Events come back on a MessagePort of their own, batched by the worker.
 */
import * as Comlink from 'comlink';
import { MAIN_THREAD, workerThread } from './events.ts';
import { RunLifecycle, traceSettings } from './lifecycle.ts';
import type { HostInit, RunnerWorkerApi, RuntimeSettings, Upstream } from './protocol.ts';
import { TraceDecoder } from './runtime/trace-buffer.ts';
import { canShareMemory, describeSetUpError } from './shared-memory.ts';
import type { Executor, RunHandle, RunOptions } from './types.ts';
import { WorkerBroker } from './worker/broker.ts';
import { newRunnerWorker } from './worker/new-runner-worker.ts';

interface Started {
  readonly worker: Worker;
  readonly api: Comlink.Remote<RunnerWorkerApi>;
  readonly port: MessagePort;
}

/** The run's own worker thread. */
export const RUN_WORKER = workerThread(1);

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
    const run = new RunLifecycle(options);
    const { recorder } = run;
    let started: Started;
    try {
      started = this.spare ?? start();
    } catch (error) {
      // No worker (a browser or policy that refuses it): the run ends at once, saying why.
      run.end('failed', describeSetUpError(error));
      return run.handle;
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
    // Traced runs: the workers' compact batches, turned into events here (runtime/trace-buffer.ts).
    const decoder = new TraceDecoder();
    run.onEnd({
      teardown: () => {
        worker.terminate();
        broker.terminateAll();
        events.port1.close();
        started.port.close();
        rejectPending(new Error('The run ended; its worker was terminated.'));
      },
      after: () => {
        if (this.current === run.handle) this.current = undefined;
        if (this.warm && !this.disposed && !this.spare) this.startSpare();
      },
    });

    events.port1.onmessage = (event: MessageEvent<Upstream>) => {
      const message = event.data;
      if (message.type === 'events') for (const e of message.events) recorder.push(e);
      else if (message.type === 'batch') decoder.decode(message.batch, recorder.push);
      else if (message.type === 'idle') run.end('done');
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
      run.end('failed', message);
    });

    this.current = run.handle;
    recorder.push({
      kind: 'worker-started',
      worker: RUN_WORKER,
      via: 'runner',
      thread: MAIN_THREAD,
      t: recorder.now(),
    });

    const counter = canShareMemory() ? new SharedArrayBuffer(4) : undefined;
    if (counter) new Int32Array(counter)[0] = RUN_WORKER.id;
    const settings: RuntimeSettings = {
      runStart: recorder.runStart,
      loopBudgetMs: options.loopBudgetMs ?? Infinity,
      ...(counter ? { counter } : {}),
      ...traceSettings(options),
    };
    run.startClock(() => ': the worker and every worker it started were stopped.');

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
          setTimeout(() => run.end('failed', 'The code has a syntax error; nothing ran.'), 20);
        }
      },
      () => undefined,
    );
    return run.handle;
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
