/**
 * The event loop: the engine's job queue is the microtask queue; timers queue tasks on a virtual
 * clock that jumps to the next due one when nothing else is left (no 4 ms clamp, no real
 * durations); after each task the microtask queue is drained, then unhandled rejections are
 * reported in a task of their own, as the HTML standard says.
 */
import {
  CreateBuiltinFunction,
  PerformPromiseThen,
  runSingleJobInQueue,
  ThrowCompletion,
  Value,
  X,
  type Job,
  type JobQueue,
  type PromiseObject,
} from '@engine262/engine262';
import { reportUncaught } from './host.ts';
import type { JobDescriptions } from './jobs.ts';
import type { QueuedJob, QueuedTask, RecordingKernel } from './kernel.ts';
import { plural } from './narration.ts';

export class HostEventLoop {
  readonly #kernel: RecordingKernel;
  readonly #jobs: JobDescriptions;
  /** Rejected promises with no handler yet (HTML's "about-to-be-notified rejected promises"). */
  readonly #aboutToBeNotified = new Set<PromiseObject>();

  constructor(kernel: RecordingKernel, jobs: JobDescriptions) {
    this.#kernel = kernel;
    this.#jobs = jobs;
  }

  /** The host's promise rejection tracker. */
  trackRejection(promise: PromiseObject, operation: 'reject' | 'handle'): void {
    if (operation === 'reject') this.#aboutToBeNotified.add(promise);
    else this.#aboutToBeNotified.delete(promise);
  }

  /** The engine's job queue, watched: every promise job queued becomes a step. */
  jobQueue(): JobQueue {
    const kernel = this.#kernel;
    const queue = kernel.queue;
    const enqueue = (job: Job) => {
      queue.add(job);
      const record: QueuedJob = { id: kernel.nextJobId++, text: undefined, observed: false };
      kernel.jobs.set(job, record);
      this.#jobs.noteAdoption();
      if (kernel.module) kernel.push('queue', 'A job joins the microtask queue.', undefined, record);
    };
    return {
      enqueueFinalizationRegistryCleanupJob: enqueue,
      enqueuePromiseJob: enqueue,
      enqueueTimeoutJob: enqueue,
      enqueueGenericJob: enqueue,
      onNewJob: new Set(),
      shift() {
        const [first] = queue;
        if (first) queue.delete(first);
        return first;
      },
      get length() {
        return queue.size;
      },
      mark(marker) {
        for (const job of queue) {
          marker(job.callerRealm);
          marker(job.callerScriptOrModule);
        }
      },
    };
  }

  /** Loads and runs the snippet's module: one job, inside which the module's own code runs. */
  evaluateModule(): void {
    const kernel = this.#kernel;
    const realm = kernel.realm;
    realm.evaluateModule(kernel.code, 'snippet.js', (completion) => {
      if (completion instanceof ThrowCompletion) {
        reportUncaught(kernel, completion.Value, 'Uncaught');
        return;
      }
      // A module with top-level await settles its promise later; a rejection is uncaught.
      const promise = X(completion);
      const pop = realm.pushTopContext();
      PerformPromiseThen(
        promise,
        CreateBuiltinFunction.from(() => {
          this.#jobs.hideCurrent();
          return Value.undefined;
        }),
        CreateBuiltinFunction.from((reason = Value.undefined) => {
          this.#jobs.hideCurrent();
          reportUncaught(kernel, reason, 'Uncaught');
          return Value.undefined;
        }),
      );
      pop?.();
    });
    this.#drainMicrotasks();
  }

  /** Runs tasks, each followed by the microtasks it leaves, until no task is left. */
  run(): void {
    const kernel = this.#kernel;
    for (;;) {
      this.#drainMicrotasks();
      this.#notifyRejections();
      const next = this.#nextTask();
      if (!next) return;
      kernel.tasks.delete(next.id);
      if (next.dueMs > kernel.nowMs) kernel.nowMs = next.dueMs;
      kernel.turn++;
      kernel.push('task', `The event loop takes the next task: ${next.text}.`);
      if (next.intervalMs !== undefined) {
        kernel.tasks.set(next.id, { ...next, dueMs: kernel.nowMs + next.intervalMs, seq: kernel.taskSeq++ });
      }
      if (next.run) next.run();
      else if (next.callback) this.#runCallbackTask(next);
    }
  }

  #nextTask(): QueuedTask | undefined {
    let best: QueuedTask | undefined;
    for (const task of this.#kernel.tasks.values()) {
      if (!best || task.dueMs < best.dueMs || (task.dueMs === best.dueMs && task.seq < best.seq)) best = task;
    }
    return best;
  }

  #runCallbackTask(task: QueuedTask): void {
    const callback = task.callback!;
    const args = task.args;
    this.#runJob({
      queueName: 'timers',
      callerRealm: this.#kernel.realm,
      callerScriptOrModule: Value.null,
      job: function* () {
        return yield* callback.Call(Value.undefined, args);
      },
    });
  }

  #drainMicrotasks(): void {
    const kernel = this.#kernel;
    for (let job = this.#shift(); job; job = this.#shift()) {
      const queued = kernel.jobs.get(job);
      kernel.currentJob = queued;
      if (kernel.module) kernel.push('job', 'The next microtask runs.', undefined, queued);
      this.#runJob(job);
      kernel.currentJob = undefined;
      kernel.stack.settle();
    }
  }

  #shift(): Job | undefined {
    const queue = this.#kernel.queue;
    const [first] = queue;
    if (first) queue.delete(first);
    return first;
  }

  /** Runs a job to its end (the engine runs it synchronously: there is no debugger attached). */
  #runJob(job: Job): void {
    runSingleJobInQueue(
      job,
      (error) => reportUncaught(this.#kernel, error, 'Uncaught'),
      () => undefined,
    );
    this.#kernel.stack.settle();
  }

  /** End of a checkpoint: rejections still unhandled are reported in a task of their own. */
  #notifyRejections(): void {
    if (this.#aboutToBeNotified.size === 0) return;
    const kernel = this.#kernel;
    const promises = [...this.#aboutToBeNotified];
    this.#aboutToBeNotified.clear();
    kernel.addTask({
      dueMs: kernel.nowMs,
      text: `report ${plural(promises.length, 'unhandled rejection')}`,
      callback: null,
      args: [],
      run: () => {
        for (const promise of promises) {
          if (promise.PromiseIsHandled.booleanValue()) continue;
          reportUncaught(kernel, promise.PromiseResult ?? Value.undefined, 'Uncaught (in promise)');
        }
      },
    });
  }
}
