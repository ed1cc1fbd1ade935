/**
 * What a recorded run is made of: the plain data the recorder (record/, in a worker) sends to
 * the page's stepper panel (src/client/stepper/). Structured-cloneable, no engine objects.
 */

/** The most steps a run records; past it the run stops (an endless loop ends here). */
export const STEP_LIMIT = 50_000;
/** Of those, the last ones kept to step through (the first are dropped past this). */
export const KEPT_STEPS = 10_000;
/** The most expressions a run evaluates, even between steps (a `while (true) {}` has none). */
export const EVALUATION_LIMIT = 2_000_000;

/**
 * The virtual clock's cost of work: each expression the engine evaluates moves the clock on by
 * this much (10 µs). Without it a busy-wait on `performance.now()` would never end; it is small
 * enough that timers a few milliseconds apart keep the order a browser gives them.
 */
export const MS_PER_EVALUATION = 0.01;

/** A range of the snippet's source, in UTF-16 offsets, with its 1-based first line. */
export interface SourceRange {
  from: number;
  to: number;
  line: number;
}

export type StepKind =
  | 'statement'
  | 'call'
  | 'return'
  | 'await'
  | 'resume'
  | 'queue'
  | 'settle'
  | 'job'
  | 'task'
  | 'timer'
  | 'output'
  | 'error'
  | 'end';

/** One function on the call stack, outermost first. */
export interface Frame {
  name: string;
  /** An async function (or the module) running again after an `await`. */
  resumed: boolean;
}

/** A job or task waiting in a queue, with what it will do. */
export interface Waiting {
  id: number;
  text: string;
}

/** A timer not yet due, or a task ready to run, on the virtual clock. */
export interface WaitingTask extends Waiting {
  /** Virtual time (ms since the run started) at which it is due. */
  dueMs: number;
}

export interface Step {
  kind: StepKind;
  /** One plain sentence saying what happened. */
  narration: string;
  range?: SourceRange;
  stack: Frame[];
  microtasks: Waiting[];
  /** Tasks and timers, in the order they will run. */
  tasks: WaitingTask[];
  /** Virtual time of the step, in ms since the run started. */
  nowMs: number;
  /** How many output lines exist at this step (a prefix of `Recording.output`). */
  outputLength: number;
  /** The event-loop turn the step belongs to: 0 is the script, each task starts a new one. */
  turn: number;
}

export interface Recording {
  steps: Step[];
  /** Every line the run printed, in order (an uncaught error as its first line). */
  output: string[];
  /** Steps recorded before the kept ones, dropped (the run went past `KEPT_STEPS`). */
  droppedSteps: number;
  /** Why recording stopped early, if it did (the step or evaluation limit). */
  stoppedEarly?: string;
}

/** What the recorder answers: a recording, or why the snippet cannot be stepped. */
export type RecordResult = { ok: true; recording: Recording } | { ok: false; message: string };
