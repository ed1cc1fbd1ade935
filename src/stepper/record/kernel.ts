/**
 * The kernel of a recording: what every step shows — the steps so far, the output, the virtual
 * clock and turn, the microtask queue and the task queue — and {@link RecordingKernel.push},
 * which makes a step of them. The parts that watch the engine (the call stack, promises, jobs,
 * the host, the event loop) each receive the kernel and push steps through it.
 */
import type {
  ExecutionContext,
  FunctionObject,
  Job,
  ManagedRealm,
  SourceTextModuleRecord,
  Value,
} from '@engine262/engine262';
import {
  KEPT_STEPS,
  STEP_LIMIT,
  type Frame,
  type SourceRange,
  type Step,
  type StepKind,
  type Waiting,
  type WaitingTask,
} from '../types.ts';

/** Thrown through the engine to end a run at a limit; caught by `record`. */
export class LimitReached extends Error {}

/** A job in the microtask queue, described once it has run. */
export interface QueuedJob {
  id: number;
  text: string | undefined;
  /** Ran user code (a callback or a resumed function); otherwise the job is promise plumbing. */
  observed: boolean;
}

/** A task on the virtual clock: a timer's callback, or the report of unhandled rejections. */
export interface QueuedTask {
  id: number;
  dueMs: number;
  seq: number;
  text: string;
  /** Runs the task; null for the unhandled-rejection report. */
  callback: FunctionObject | null;
  args: Value[];
  intervalMs?: number;
  run?: () => void;
}

/** A frame the reader sees, with the context it stands for. */
export interface ShownFrame {
  context: ExecutionContext;
  frame: Frame;
}

/** The call stack as a step needs it (call-stack.ts). */
export interface StackWatch {
  /** Frames the reader sees now, outermost first. */
  frames(): ShownFrame[];
  /** Makes steps of the calls and returns since the last look. */
  settle(range?: SourceRange): void;
}

export class RecordingKernel<Stack extends StackWatch = StackWatch> {
  readonly code: string;
  readonly steps: Step[] = [];
  droppedSteps = 0;
  /** Steps counted against the limit. */
  stepCount = 0;
  readonly output: string[] = [];
  /** The virtual clock, in ms since the run started. */
  nowMs = 0;
  /** The real time the recording started: the virtual clock's 0 for `Date`. */
  readonly startEpochMs = Date.now();
  /** Event-loop turns so far: a task, then the microtasks it leaves. */
  turn = 0;
  /** The line of the last node evaluated. */
  lastLine = 1;
  /** The snippet's module, once its code runs: before that, everything is the host's. */
  module: SourceTextModuleRecord | undefined;
  realm!: ManagedRealm;

  /** The microtask queue as the engine holds it, and each job's record. */
  readonly queue = new Set<Job>();
  readonly jobs = new Map<Job, QueuedJob>();
  nextJobId = 1;
  currentJob: QueuedJob | undefined;
  /** The job each `job` and `queue` step is about (its text is known only once it ran). */
  readonly runningJobId = new WeakMap<Step, number>();

  /** Timers and tasks on the virtual clock. */
  readonly tasks = new Map<number, QueuedTask>();
  nextTaskId = 1;
  taskSeq = 0;

  readonly stack: Stack;

  constructor(code: string, watchStack: (kernel: RecordingKernel) => Stack) {
    this.code = code;
    this.stack = watchStack(this);
  }

  /** Queues a task on the virtual clock; gives its id. */
  addTask(task: Omit<QueuedTask, 'id' | 'seq'>): number {
    const id = this.nextTaskId++;
    this.tasks.set(id, { id, seq: this.taskSeq++, ...task });
    return id;
  }

  /** Records one step, with the call stack (`frames`, or the stack now) and both queues. */
  push(
    kind: StepKind,
    narration: string,
    range?: SourceRange,
    running?: QueuedJob,
    frames?: { frame: Frame }[],
  ): void {
    if (!frames && this.module) this.stack.settle(range);
    if (++this.stepCount > STEP_LIMIT)
      throw new LimitReached(`the run went past ${STEP_LIMIT.toLocaleString('en')} steps.`);
    const microtasks: Waiting[] = [];
    for (const job of this.queue) {
      const queued = this.jobs.get(job);
      if (queued) microtasks.push({ id: queued.id, text: queued.text ?? '' });
    }
    const tasks: WaitingTask[] = [...this.tasks.values()]
      .sort((a, b) => a.dueMs - b.dueMs || a.seq - b.seq)
      .map((t) => ({ id: t.id, text: t.text, dueMs: t.dueMs }));
    const step: Step = {
      kind,
      narration,
      ...(range ? { range } : {}),
      stack: (frames ?? this.stack.frames()).map((f) => ({ ...f.frame })),
      microtasks,
      tasks,
      nowMs: Math.round(this.nowMs * 1000) / 1000,
      outputLength: this.output.length,
      turn: this.turn,
    };
    if (running) this.runningJobId.set(step, running.id);
    this.steps.push(step);
    if (this.steps.length > KEPT_STEPS * 1.5) {
      const drop = this.steps.length - KEPT_STEPS;
      this.steps.splice(0, drop);
      this.droppedSteps += drop;
    }
  }
}
