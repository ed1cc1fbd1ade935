/**
 * Step mode's recorder: runs a snippet of plain JavaScript in engine262 (a spec-exact JavaScript
 * engine written in JavaScript) and records every step of the run — statements, calls and
 * returns, `await` suspending and resuming, promises settling, jobs queued and run, tasks and
 * timers, output — with the call stack, the microtask queue, the task queue and the output at
 * each one. It runs in a worker (worker/stepper.worker.ts) and in Node (the tests); it touches no
 * DOM. What a queued job will do is only known once it runs, so descriptions are filled in at the
 * end — the recording is complete before anyone looks at it.
 *
 * State: one recording at a time (engine262 has one "surrounding agent" per thread); each call
 * makes a fresh agent and realm and throws them away afterwards.
 *
 * The parts, each over the recording's kernel (`kernel.ts`: the steps, the clock, both queues):
 * `call-stack.ts`, `promises.ts` (promises settling), `jobs.ts` (what each microtask was for),
 * `host.ts` (console, timers, `queueMicrotask`, `performance.now()`), `event-loop.ts`,
 * `evaluation.ts` (each node evaluated); `narration.ts` and `engine.ts` are helpers.
 */
import { Agent, ManagedRealm, setSurroundingAgent, type PromiseObject } from '@engine262/engine262';
import type { Recording } from '../types.ts';
import { CallStack } from './call-stack.ts';
import { idleEventLoop } from './engine.ts';
import { watchEvaluation } from './evaluation.ts';
import { HostEventLoop } from './event-loop.ts';
import { installHost } from './host.ts';
import { JobDescriptions } from './jobs.ts';
import { LimitReached, RecordingKernel } from './kernel.ts';
import { PromiseWatch } from './promises.ts';

export function record(code: string): Recording {
  return new StepRecorder(code).run();
}

/** One recording: wires the parts to a fresh engine262 agent, runs the snippet, gives the steps. */
class StepRecorder {
  readonly #kernel: RecordingKernel<CallStack>;
  readonly #jobs: JobDescriptions;
  readonly #promises: PromiseWatch;
  readonly #eventLoop: HostEventLoop;

  constructor(code: string) {
    this.#kernel = new RecordingKernel(code, (kernel) => new CallStack(kernel));
    this.#jobs = new JobDescriptions(this.#kernel);
    this.#promises = new PromiseWatch(this.#kernel);
    this.#eventLoop = new HostEventLoop(this.#kernel, this.#jobs);
  }

  run(): Recording {
    const kernel = this.#kernel;
    const eventLoop = this.#eventLoop;
    const agent = new Agent({
      jobQueue: eventLoop.jobQueue(),
      eventLoop: () => idleEventLoop,
      startEventLoop: false,
      onNodeEvaluation: watchEvaluation(kernel, this.#jobs),
      hostHooks: {
        // `Date.now()` and `new Date()` read the virtual clock too, from the real time the
        // recording started: a busy-wait on Date.now() ends, and dates agree with the timers.
        HostSystemUTCEpochNanoseconds: () => BigInt(Math.round((kernel.startEpochMs + kernel.nowMs) * 1e6)),
        HostPromiseRejectionTrackers: new Set([
          (promise: PromiseObject, operation: 'reject' | 'handle') =>
            eventLoop.trackRejection(promise, operation),
        ]),
      },
    });
    setSurroundingAgent(agent);
    this.#promises.watchCreation(agent);
    let stoppedEarly: string | undefined;
    try {
      kernel.realm = new ManagedRealm({ name: 'snippet' });
      this.#promises.watchConstructor();
      installHost(kernel);
      eventLoop.evaluateModule();
      eventLoop.run();
      kernel.push('end', 'The run is over: the call stack and both queues are empty.');
    } catch (error) {
      if (!(error instanceof LimitReached)) throw error;
      stoppedEarly = error.message;
      kernel.stepCount = 0; // the closing step is not counted against the limit
      kernel.push(
        'end',
        `Recording stopped: ${error.message} The last ${kernel.steps.length.toLocaleString('en')} steps are kept.`,
      );
    }
    this.#jobs.describeAll();
    return {
      steps: kernel.steps,
      output: kernel.output,
      droppedSteps: kernel.droppedSteps,
      ...(stoppedEarly ? { stoppedEarly } : {}),
    };
  }
}
