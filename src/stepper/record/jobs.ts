/**
 * What each microtask was for. A queued job is an opaque closure: what it does is known only once
 * it runs, so its text is filled in then (or at the end) and shown on every step where it waited.
 */
import {
  CallSite,
  isBuiltinFunctionObject,
  isECMAScriptFunctionObject,
  surroundingAgent,
} from '@engine262/engine262';
import type { Step } from '../types.ts';
import type { CallStack } from './call-stack.ts';
import { codeOf, hasAsyncContext } from './engine.ts';
import type { RecordingKernel } from './kernel.ts';
import { quote } from './narration.ts';

export class JobDescriptions {
  readonly #kernel: RecordingKernel<CallStack>;
  /** Jobs run for the host (the module's own promise): not shown. */
  readonly #hiddenJobs = new Set<number>();

  constructor(kernel: RecordingKernel<CallStack>) {
    this.#kernel = kernel;
  }

  /** The first user code a job reaches says what the job is for. */
  observe(): void {
    const job = this.#kernel.currentJob!;
    job.observed = true;
    if (job.text) return;
    const stack = [...surroundingAgent.executionContextStack];
    // stack[0] is the job's own context; what it called first says what it is.
    const first = stack[1];
    const fn = first?.Function;
    if (fn && isBuiltinFunctionObject(fn) && hasAsyncContext(fn)) {
      const resumed = stack[2];
      const callStack = this.#kernel.stack;
      const name = resumed ? callStack.frameName(resumed) : 'an async function';
      const line = resumed ? callStack.awaitLineOf(resumed) : undefined;
      job.text = `resume ${name} after the ${quote('await')}${line ? ` on line ${line}` : ''}`;
      return;
    }
    const user = stack.slice(1).find((c) => isECMAScriptFunctionObject(c.Function));
    if (user) {
      const name = CallSite.getFunctionName(user.Function);
      const line = codeOf(user.Function)?.location.start.line;
      job.text =
        name === 'then'
          ? `call the thenable's ${quote('then')} (line ${line ?? '?'}) to adopt its state`
          : `${quote('then')} callback from line ${line ?? '?'}`;
    }
  }

  /**
   * A job that queues another while running no user code, from inside a promise's `then`, is the
   * extra tick of resolving a promise with a promise.
   */
  noteAdoption(): void {
    const job = this.#kernel.currentJob;
    if (!job || job.observed || job.text) return;
    const called = [...surroundingAgent.executionContextStack][1]?.Function;
    if (called && isBuiltinFunctionObject(called) && CallSite.getFunctionName(called) === 'Promise#then')
      job.text = `adopt the state of a promise it was resolved with (call its ${quote('then')}: one extra tick)`;
  }

  /** The running job is the host's (it watches the module's promise): the reader never sees it. */
  hideCurrent(): void {
    const job = this.#kernel.currentJob;
    if (job) this.#hiddenJobs.add(job.id);
  }

  /** Fills in what each job did, now that all have run, and drops the host's own jobs. */
  describeAll(): void {
    const kernel = this.#kernel;
    for (const job of kernel.jobs.values()) {
      job.text ??= job.observed
        ? 'a promise job'
        : 'pass a settled value along a promise chain (no callback of yours)';
    }
    const texts = new Map<number, string>();
    for (const job of kernel.jobs.values()) texts.set(job.id, job.text!);
    const hidden = this.#hiddenJobs;
    const kept: Step[] = [];
    for (const step of kernel.steps) {
      const jobId = kernel.runningJobId.get(step);
      if (jobId !== undefined && hidden.has(jobId)) continue;
      step.microtasks = step.microtasks.filter((waiting) => !hidden.has(waiting.id));
      for (const waiting of step.microtasks) waiting.text = texts.get(waiting.id) ?? waiting.text;
      if (jobId !== undefined && step.kind === 'job')
        step.narration = `The next microtask runs: ${texts.get(jobId)}.`;
      if (jobId !== undefined && step.kind === 'queue')
        step.narration = `A job joins the microtask queue: ${texts.get(jobId)}.`;
      kept.push(step);
    }
    kernel.steps.splice(0, kernel.steps.length, ...kept);
  }
}
