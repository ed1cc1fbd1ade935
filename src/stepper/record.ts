/**
 * The recorder: runs a snippet of plain JavaScript in engine262 (a spec-exact JavaScript engine
 * written in JavaScript) and records every step of the run — statements, calls and returns,
 * `await` suspending and resuming, promises settling, jobs queued and run, tasks and timers, output —
 * with the call stack, the microtask queue, the task queue and the output at each one. It runs in a worker
 * (worker/stepper.worker.ts) and in Node (the tests); it touches no DOM.
 *
 * State: one recording at a time (engine262 has one "surrounding agent" per thread); each call
 * makes a fresh agent and realm and throws them away afterwards.
 *
 * The host is a browser's event loop reduced to what a snippet can see: the engine's job queue is
 * the microtask queue; `setTimeout`/`setInterval` queue tasks on a virtual clock that jumps to the
 * next due timer when nothing else is left (no 4 ms clamp, no real durations); after each task the
 * microtask queue is drained, then unhandled rejections are reported in a task of their own, as
 * the HTML standard says. What a queued job will do is only known once it runs (a job is an
 * opaque closure), so descriptions are filled in when the job runs and shown on every step where
 * it waited — the recording is complete before anyone looks at it.
 *
 * Promises settling: every promise is created by engine262's `MakeBasicObject`, which tells the
 * agent (`debugger_markObjectCreated`) before it fills in the slots with plain property writes;
 * the recorder puts an accessor on the new promise's `PromiseState` there, so the moment
 * FulfillPromise/RejectPromise write its state becomes a step — before the jobs it queues, as in
 * the spec. What made the promise is read off the stack at its creation (see `#promiseName`).
 * Shown: promises the reader can name — made by `new Promise`, an async function call, `await` of a
 * value that is not a promise, or a `Promise` method (`then`, `catch`, `finally`, `Promise.all`, …)
 * called by their code. Not shown: promises the engine makes for itself that no code can reach
 * (the ones `Promise.all` and its kin make per element, the one a promise-resolved-with-a-promise
 * makes to adopt it, the module's own).
 */
import {
  Agent,
  CallSite,
  CreateBuiltinFunction,
  CreateDataProperty,
  Get,
  inspect,
  isBuiltinFunctionObject,
  isECMAScriptFunctionObject,
  IsCallable,
  JSStringValue,
  ManagedRealm,
  NullValue,
  NumberValue,
  ObjectValue,
  OrdinaryObjectCreate,
  PerformPromiseThen,
  runSingleJobInQueue,
  setSurroundingAgent,
  skipDebugger,
  SourceTextModuleRecord,
  surroundingAgent,
  Throw,
  ThrowCompletion,
  ToString,
  Value,
  X,
  type Arguments,
  type ExecutionContext,
  type FunctionObject,
  type Job,
  type JobQueue,
  type ParseNode,
  type PromiseObject,
  type EventLoop,
} from '@engine262/engine262';
import { formatArgs } from '../snippet/index.ts';
import { toHost } from './host-values.ts';
import {
  EVALUATION_LIMIT,
  KEPT_STEPS,
  MS_PER_EVALUATION,
  STEP_LIMIT,
  type Frame,
  type Recording,
  type SourceRange,
  type Step,
  type StepKind,
  type Waiting,
  type WaitingTask,
} from './types.ts';

/** Statements (and an arrow function's expression body) each make a step. */
const STATEMENTS = new Set<string>([
  'ExpressionStatement',
  'VariableStatement',
  'LexicalDeclaration',
  'ReturnStatement',
  'IfStatement',
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'ForAwaitStatement',
  'WhileStatement',
  'DoWhileStatement',
  'ThrowStatement',
  'TryStatement',
  'BreakStatement',
  'ContinueStatement',
  'SwitchStatement',
  'ClassDeclaration',
  'ExpressionBody',
]);

/** Thrown through the engine to end a run at a limit; caught by `record`. */
class LimitReached extends Error {}

/** A job in the microtask queue, described once it has run. */
interface QueuedJob {
  id: number;
  text: string | undefined;
  /** Ran user code (a callback or a resumed function); otherwise the job is promise plumbing. */
  observed: boolean;
}

interface Timer {
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

const quote = (name: string) => `\`${name}\``;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function record(code: string): Recording {
  return new Recorder(code).run();
}

class Recorder {
  readonly #code: string;
  readonly #steps: Step[] = [];
  #droppedSteps = 0;
  #stepCount = 0;
  #evaluations = 0;
  readonly #output: string[] = [];
  #nowMs = 0;
  /** The real time the recording started: the virtual clock's 0 for `Date`. */
  readonly #startEpochMs = Date.now();
  #turn = 0;
  #stoppedEarly: string | undefined;

  /** The microtask queue as the engine holds it, and each job's record. */
  readonly #queue = new Set<Job>();
  readonly #jobs = new Map<Job, QueuedJob>();
  #nextJobId = 1;
  #currentJob: QueuedJob | undefined;
  /** The context a job runs in (bottom of the stack): not a frame the reader sees. */
  readonly #jobContexts = new WeakSet<ExecutionContext>();

  /** Timers and tasks on the virtual clock. */
  readonly #timers = new Map<number, Timer>();
  #nextTimerId = 1;
  #timerSeq = 0;

  /** Async contexts that have suspended at an `await` at least once, with that await's line. */
  readonly #awaitLine = new WeakMap<ExecutionContext, number>();
  /** An `await` evaluated in this context and not yet suspended at. */
  readonly #pendingAwait = new WeakMap<ExecutionContext, SourceRange>();
  /** Jobs run for the host (the module's own promise): not shown. */
  readonly #hiddenJobs = new Set<number>();
  /** Contexts already shown (an async function's caller context reappears when its body suspends). */
  readonly #seen = new WeakSet<ExecutionContext>();
  /** Async functions whose body is suspended at an `await`. */
  readonly #suspended = new WeakSet<FunctionObject>();
  #lastLine = 1;
  #previousFrames: { context: ExecutionContext; frame: Frame }[] = [];

  /** Rejected promises with no handler yet (HTML's "about-to-be-notified rejected promises"). */
  readonly #aboutToBeNotified = new Set<PromiseObject>();
  /** The `Promise` constructor is running for a `new Promise(executor)` of the snippet's. */
  #constructingWithExecutor = false;
  /** An async function's promise, with the context the function was called in. */
  readonly #asyncCallerOf = new WeakMap<ObjectValue, ExecutionContext>();
  /** Contexts of async function calls whose body has finished: no longer a frame. */
  readonly #finishedCalls = new WeakSet<ExecutionContext>();

  #realm!: ManagedRealm;
  #module: SourceTextModuleRecord | undefined;

  constructor(code: string) {
    this.#code = code;
  }

  run(): Recording {
    const jobQueue = this.#jobQueue();
    const agent = new Agent({
      jobQueue,
      eventLoop: () => idleEventLoop,
      startEventLoop: false,
      onNodeEvaluation: (node) => this.#onNode(node),
      hostHooks: {
        // `Date.now()` and `new Date()` read the virtual clock too, from the real time the
        // recording started: a busy-wait on Date.now() ends, and dates agree with the timers.
        HostSystemUTCEpochNanoseconds: () => BigInt(Math.round((this.#startEpochMs + this.#nowMs) * 1e6)),
        HostPromiseRejectionTrackers: new Set([
          (promise: PromiseObject, operation: 'reject' | 'handle') => {
            if (operation === 'reject') this.#aboutToBeNotified.add(promise);
            else this.#aboutToBeNotified.delete(promise);
          },
        ]),
      },
    });
    setSurroundingAgent(agent);
    this.#watchPromises(agent);
    try {
      this.#realm = new ManagedRealm({ name: 'snippet' });
      this.#watchNewPromise();
      this.#installHost();
      this.#evaluateModule();
      this.#runEventLoop();
      this.#push('end', 'The run is over: the call stack and both queues are empty.');
    } catch (error) {
      if (!(error instanceof LimitReached)) throw error;
      this.#stoppedEarly = error.message;
      this.#stepCount = 0; // the closing step is not counted against the limit
      this.#push(
        'end',
        `Recording stopped: ${error.message} The last ${this.#steps.length.toLocaleString('en')} steps are kept.`,
      );
    }
    this.#describeJobs();
    return {
      steps: this.#steps,
      output: this.#output,
      droppedSteps: this.#droppedSteps,
      ...(this.#stoppedEarly ? { stoppedEarly: this.#stoppedEarly } : {}),
    };
  }

  // ── The event loop ─────────────────────────────────────────────────────────────────────────

  /** The engine's job queue, watched: every promise job queued becomes a step. */
  #jobQueue(): JobQueue {
    const queue = this.#queue;
    const enqueue = (job: Job) => {
      queue.add(job);
      const record: QueuedJob = { id: this.#nextJobId++, text: undefined, observed: false };
      this.#jobs.set(job, record);
      this.#noteAdoption();
      if (this.#module) this.#push('queue', 'A job joins the microtask queue.', undefined, record);
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

  #evaluateModule(): void {
    const realm = this.#realm;
    realm.evaluateModule(this.#code, 'snippet.js', (completion) => {
      if (completion instanceof ThrowCompletion) {
        this.#uncaught(completion.Value, 'Uncaught');
        return;
      }
      // A module with top-level await settles its promise later; a rejection is uncaught.
      const promise = X(completion);
      const pop = realm.pushTopContext();
      PerformPromiseThen(
        promise,
        CreateBuiltinFunction.from(() => {
          this.#hideCurrentJob();
          return Value.undefined;
        }),
        CreateBuiltinFunction.from((reason = Value.undefined) => {
          this.#hideCurrentJob();
          this.#uncaught(reason, 'Uncaught');
          return Value.undefined;
        }),
      );
      pop?.();
    });
    // Loading the module is one job; the module's own code runs inside it.
    this.#drainMicrotasks();
  }

  #runEventLoop(): void {
    for (;;) {
      this.#drainMicrotasks();
      this.#notifyRejections();
      const next = this.#nextTask();
      if (!next) return;
      this.#timers.delete(next.id);
      if (next.dueMs > this.#nowMs) this.#nowMs = next.dueMs;
      this.#turn++;
      this.#push('task', `The event loop takes the next task: ${next.text}.`);
      if (next.intervalMs !== undefined) {
        this.#timers.set(next.id, { ...next, dueMs: this.#nowMs + next.intervalMs, seq: this.#timerSeq++ });
      }
      if (next.run) next.run();
      else if (next.callback) this.#runCallbackTask(next);
    }
  }

  #nextTask(): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.#timers.values()) {
      if (!best || timer.dueMs < best.dueMs || (timer.dueMs === best.dueMs && timer.seq < best.seq))
        best = timer;
    }
    return best;
  }

  #runCallbackTask(timer: Timer): void {
    const callback = timer.callback!;
    const args = timer.args;
    this.#runJob({
      queueName: 'timers',
      callerRealm: this.#realm,
      callerScriptOrModule: Value.null,
      job: function* () {
        return yield* callback.Call(Value.undefined, args);
      },
    });
  }

  #drainMicrotasks(): void {
    for (let job = this.#shift(); job; job = this.#shift()) {
      const queued = this.#jobs.get(job);
      this.#currentJob = queued;
      if (this.#module) this.#push('job', 'The next microtask runs.', undefined, queued);
      this.#runJob(job);
      this.#currentJob = undefined;
      this.#settleFrames();
    }
  }

  #shift(): Job | undefined {
    const [first] = this.#queue;
    if (first) this.#queue.delete(first);
    return first;
  }

  /** Runs a job to its end (the engine runs it synchronously: there is no debugger attached). */
  #runJob(job: Job): void {
    runSingleJobInQueue(
      job,
      (error) => this.#uncaught(error, 'Uncaught'),
      () => undefined,
    );
    this.#settleFrames();
  }

  /** End of a checkpoint: rejections still unhandled are reported in a task of their own. */
  #notifyRejections(): void {
    if (this.#aboutToBeNotified.size === 0) return;
    const promises = [...this.#aboutToBeNotified];
    this.#aboutToBeNotified.clear();
    const id = this.#nextTimerId++;
    this.#timers.set(id, {
      id,
      dueMs: this.#nowMs,
      seq: this.#timerSeq++,
      text: `report ${plural(promises.length, 'unhandled rejection')}`,
      callback: null,
      args: [],
      run: () => {
        for (const promise of promises) {
          if (promise.PromiseIsHandled.booleanValue()) continue;
          this.#uncaught(promise.PromiseResult ?? Value.undefined, 'Uncaught (in promise)');
        }
      },
    });
  }

  // ── The host: console, timers, queueMicrotask, performance.now ────────────────────────────

  #installHost(): void {
    const realm = this.#realm;
    const pop = realm.pushTopContext();
    const global = realm.GlobalObject;
    const define = (target: ObjectValue, name: string, value: Value) =>
      X(CreateDataProperty(target, Value(name), value));
    const fn = (name: string, length: number, steps: (args: Arguments) => Value | ThrowCompletion) =>
      CreateBuiltinFunction((args: Arguments) => steps(args), length, Value(name), []);

    const console = OrdinaryObjectCreate(realm.Intrinsics['%Object.prototype%']);
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      define(
        console,
        method,
        fn(method, 0, (args) => {
          const line = this.#format(args);
          this.#output.push(line);
          this.#push('output', `${quote(`console.${method}`)} prints “${clip(line)}”.`);
          return Value.undefined;
        }),
      );
    }
    define(global, 'console', console);

    const timer = (name: string, repeat: boolean) =>
      fn(name, 2, ([callback = Value.undefined, delay = Value.undefined, ...rest]) => {
        if (!IsCallable(callback)) {
          return Throw.TypeError(`${name} needs a function in step mode`);
        }
        const ms =
          delay instanceof NumberValue && Number.isFinite(delay.value) ? Math.max(0, delay.value) : 0;
        const id = this.#nextTimerId++;
        const line = this.#lastLine;
        this.#timers.set(id, {
          id,
          dueMs: this.#nowMs + ms,
          seq: this.#timerSeq++,
          text: `${quote(name)} callback from line ${line}`,
          callback: callback as FunctionObject,
          args: rest.map((arg) => arg ?? Value.undefined),
          ...(repeat ? { intervalMs: ms } : {}),
        });
        this.#push(
          'timer',
          `${quote(name)} sets a timer: its callback becomes a task after ${ms} ms (at ${formatVirtual(this.#nowMs + ms)} on the virtual clock).`,
        );
        return Value(id);
      });
    define(global, 'setTimeout', timer('setTimeout', false));
    define(global, 'setInterval', timer('setInterval', true));
    const clear = (name: string) =>
      fn(name, 1, ([id = Value.undefined]) => {
        if (id instanceof NumberValue && this.#timers.delete(id.value))
          this.#push('timer', `${quote(name)} cancels timer ${id.value}: its task will not run.`);
        return Value.undefined;
      });
    define(global, 'clearTimeout', clear('clearTimeout'));
    define(global, 'clearInterval', clear('clearInterval'));

    define(
      global,
      'queueMicrotask',
      fn('queueMicrotask', 1, ([callback = Value.undefined]) => {
        if (!IsCallable(callback)) return Throw.TypeError('queueMicrotask needs a function');
        const line = this.#lastLine;
        const job: Job = {
          queueName: 'PromiseJobs',
          callerRealm: realm,
          callerScriptOrModule: Value.null,
          job: function* () {
            return yield* (callback as FunctionObject).Call(Value.undefined, []);
          },
        };
        surroundingAgent.jobQueue.enqueueGenericJob(job);
        const queued = this.#jobs.get(job)!;
        queued.text = `${quote('queueMicrotask')} callback from line ${line}`;
        return Value.undefined;
      }),
    );

    const performance = OrdinaryObjectCreate(realm.Intrinsics['%Object.prototype%']);
    define(
      performance,
      'now',
      fn('now', 0, () => Value(Math.round(this.#nowMs * 1000) / 1000)),
    );
    define(global, 'performance', performance);
    define(global, 'globalThis', global);
    pop?.();
  }

  /** Console formatting: as Run's console formats the same values. */
  #format(args: Arguments): string {
    return formatArgs(args.map((arg) => toHost(arg)));
  }

  /** An uncaught error's first line, as the browser's console (and Run's output) shows it. */
  #uncaught(value: Value, prefix: string): void {
    let text: string;
    if (value instanceof ObjectValue) {
      const name = skipDebugger(Get(value, Value('name')));
      const message = skipDebugger(Get(value, Value('message')));
      const asText = (completion: unknown) => {
        const v = completion instanceof ThrowCompletion ? Value.undefined : X(completion as never);
        if (v === Value.undefined) return '';
        const s = skipDebugger(ToString(v as Value));
        return s instanceof ThrowCompletion ? '' : X(s).stringValue();
      };
      const n = asText(name);
      const m = asText(message);
      text = n || m ? (m ? `${n || 'Error'}: ${m}` : n) : inspect(value);
    } else if (value instanceof JSStringValue) {
      text = JSON.stringify(value.stringValue());
    } else text = inspect(value);
    const line = `${prefix} ${text}`;
    this.#output.push(line);
    this.#push('error', `Nothing caught it: “${clip(line)}”.`);
  }

  // ── Observing the engine ───────────────────────────────────────────────────────────────────

  #onNode(node: ParseNode): void {
    if (++this.#evaluations > EVALUATION_LIMIT)
      throw new LimitReached(`the run went past ${EVALUATION_LIMIT.toLocaleString('en')} evaluations.`);
    this.#nowMs += MS_PER_EVALUATION;
    if (!this.#module) {
      const module = surroundingAgent.runningExecutionContext.ScriptOrModule;
      if (module instanceof SourceTextModuleRecord) this.#module = module;
      else return;
    }
    const range = rangeOf(node);
    this.#lastLine = range.line;
    if (this.#currentJob && !this.#currentJob.observed) this.#observeJob();
    this.#settleFrames(range);
    if (node.type === 'AwaitExpression') {
      // The function suspends once the operand is evaluated: the step is made when it leaves the stack.
      this.#pendingAwait.set(surroundingAgent.runningExecutionContext, range);
    } else if (node.type === 'YieldExpression') {
      this.#push('statement', `${quote('yield')} hands a value back to the generator's caller.`, range);
    } else if (STATEMENTS.has(node.type)) {
      this.#push('statement', statementNarration(node), range);
    }
  }

  /** Every promise the snippet can name gets a step when it settles (see the header). */
  #watchPromises(agent: Agent): void {
    const markObjectCreated = agent.debugger_markObjectCreated;
    agent.debugger_markObjectCreated = (object) => {
      markObjectCreated.call(agent, object);
      // Before the module runs, promises are the host's (loading and evaluating the module).
      if (this.#module && object.internalSlotsList.includes('PromiseState')) this.#watchPromise(object);
    };
  }

  /** Tells `new Promise(executor)` apart from the engine's own promises (NewPromiseCapability). */
  #watchNewPromise(): void {
    const promiseConstructor = this.#realm.Intrinsics['%Promise%'] as FunctionObject;
    const construct = promiseConstructor.Construct!;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const recorder = this;
    promiseConstructor.Construct = function* (args, newTarget) {
      // The engine passes its own (builtin) executor; the snippet passes a function of its own.
      const executor = args[0];
      recorder.#constructingWithExecutor = !(
        executor instanceof ObjectValue && isBuiltinFunctionObject(executor)
      );
      try {
        return yield* construct.call(this, args, newTarget);
      } finally {
        recorder.#constructingWithExecutor = false;
      }
    };
  }

  /** Makes the moment `promise` leaves "pending" a step, if the reader can name the promise. */
  #watchPromise(promise: ObjectValue): void {
    const name = this.#promiseName(promise);
    this.#constructingWithExecutor = false;
    if (!name) return;
    // MakeBasicObject assigns every slot right after this ([[Set]]): the accessors receive them all.
    // Settling empties the list of reactions (one per `then`, each a job to queue), then sets the state.
    let state: unknown;
    let reactions: unknown;
    let waiting = 0;
    Object.defineProperties(promise, {
      PromiseFulfillReactions: {
        configurable: true,
        enumerable: true,
        get: () => reactions,
        set: (value: unknown) => {
          if (value === undefined && Array.isArray(reactions)) waiting = reactions.length;
          reactions = value;
        },
      },
      PromiseState: {
        configurable: true,
        enumerable: true,
        get: () => state,
        set: (value: unknown) => {
          const was = state;
          state = value;
          if (was === 'pending' && (value === 'fulfilled' || value === 'rejected'))
            this.#settled(promise as PromiseObject, name, value, waiting);
        },
      },
    });
  }

  /**
   * What the promise being created is, read off the stack, or undefined for the engine's own:
   * the `Promise` constructor is on top; below it, the builtins that called it, down to the code
   * of the snippet that called them.
   */
  #promiseName(promise: ObjectValue): string | undefined {
    const stack = surroundingAgent.executionContextStack;
    const { caller, builtins } = this.#codeBelow(stack.length - 2);
    if (!caller) return undefined; // made by a job of the engine's, e.g. to adopt a thenable
    const line = this.#lastLine;
    if (builtins.length === 0) {
      if (this.#constructingWithExecutor)
        return `the promise made by ${quote('new Promise')} on line ${line}`;
      if (this.#pendingAwait.has(caller)) return `the promise ${quote('await')} made on line ${line}`;
      const fn = caller.Function;
      // An async generator awaits what it yields or returns (it has no promise of its own).
      if (codeOf(fn)?.type === 'AsyncGeneratorBody')
        return `the promise the async generator made to await a value on line ${line}`;
      if (isAsyncFunction(fn)) {
        // Made before the body runs, in the context of the call.
        this.#asyncCallerOf.set(promise, caller);
        const name = CallSite.getFunctionName(fn);
        // Called by code of the snippet's (the line is the call's), or by a task or job.
        const where = this.#codeBelow(stack.indexOf(caller) - 1).caller ? ` (called on line ${line})` : '';
        return name
          ? `${quote(`${name}()`)}'s promise${where}`
          : `the promise of the async function on line ${codeOf(fn)?.location.start.line ?? line}`;
      }
      return `a promise made on line ${line}`;
    }
    // `catch` and `finally` return what the `then` they call makes.
    const [called, ...inner] = builtins.map((fn) => CallSite.getFunctionName(fn) ?? '');
    const viaThen =
      inner.length === 1 && inner[0] === 'Promise#then' && /^Promise#(catch|finally)$/.test(called!);
    if (inner.length > 0 && !viaThen) return undefined; // made by a builtin for itself
    // A method (`Promise#then`, `AsyncGeneratorPrototype.next`) is named as it is called: `.then`.
    const method = /^(?:Promise#|\w+Prototype\.)(\w+)$/.exec(called!)?.[1];
    return method
      ? `the promise from ${quote(`.${method}`)} on line ${line}`
      : `the promise made by ${quote(called!)} on line ${line}`;
  }

  /** The snippet's code nearest below `index` on the stack, and the builtins it called on the way. */
  #codeBelow(index: number): { caller?: ExecutionContext | undefined; builtins: FunctionObject[] } {
    const stack = surroundingAgent.executionContextStack;
    const builtins: FunctionObject[] = [];
    for (let i = index; i >= 0; i--) {
      const context = stack[i]!;
      const fn = context.Function;
      if (fn instanceof NullValue) {
        const isModule = context.ScriptOrModule === this.#module && !this.#jobContexts.has(context);
        return { caller: isModule ? context : undefined, builtins };
      }
      if (isECMAScriptFunctionObject(fn)) return { caller: context, builtins };
      builtins.unshift(fn);
    }
    return { builtins };
  }

  #settled(promise: PromiseObject, name: string, state: 'fulfilled' | 'rejected', waiting: number): void {
    // An async function that finishes without suspending settles its promise before the context
    // of its call leaves the stack: that context is not a frame of its own.
    const call = this.#asyncCallerOf.get(promise);
    if (call && surroundingAgent.executionContextStack.includes(call)) {
      this.#finishedCalls.add(call);
      this.#frameVersion++;
    }
    const value = describeValue(promise.PromiseResult ?? Value.undefined);
    let then = '';
    if (waiting === 1) then = '; the job waiting on it joins the microtask queue';
    else if (waiting > 1) then = `; the ${waiting} jobs waiting on it join the microtask queue`;
    else if (state === 'rejected' && promise.PromiseIsHandled === Value.false)
      then = '; nothing handles it yet';
    this.#push('settle', `${capital(name)} is ${state} with ${value}${then}.`);
  }

  /** The first user code a job reaches says what the job is for. */
  #observeJob(): void {
    const job = this.#currentJob!;
    job.observed = true;
    if (job.text) return;
    const stack = [...surroundingAgent.executionContextStack];
    // stack[0] is the job's own context; what it called first says what it is.
    const first = stack[1];
    const fn = first?.Function;
    if (fn && isBuiltinFunctionObject(fn) && hasAsyncContext(fn)) {
      const resumed = stack[2];
      const name = resumed ? this.#frameName(resumed) : 'an async function';
      const line = resumed ? this.#awaitLine.get(resumed) : undefined;
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
  #noteAdoption(): void {
    const job = this.#currentJob;
    if (!job || job.observed || job.text) return;
    const called = [...surroundingAgent.executionContextStack][1]?.Function;
    if (called && isBuiltinFunctionObject(called) && CallSite.getFunctionName(called) === 'Promise#then')
      job.text = `adopt the state of a promise it was resolved with (call its ${quote('then')}: one extra tick)`;
  }

  /** The running job is the host's (it watches the module's promise): the reader never sees it. */
  #hideCurrentJob(): void {
    if (this.#currentJob) this.#hiddenJobs.add(this.#currentJob.id);
  }

  /** Fills in what each job did, now that all have run, and drops the host's own jobs. */
  #describeJobs(): void {
    for (const job of this.#jobs.values()) {
      job.text ??= job.observed
        ? 'a promise job'
        : 'pass a settled value along a promise chain (no callback of yours)';
    }
    const texts = new Map<number, string>();
    for (const job of this.#jobs.values()) texts.set(job.id, job.text!);
    const hidden = this.#hiddenJobs;
    const kept: Step[] = [];
    for (const step of this.#steps) {
      const jobId = this.#runningJobId.get(step);
      if (jobId !== undefined && hidden.has(jobId)) continue;
      step.microtasks = step.microtasks.filter((waiting) => !hidden.has(waiting.id));
      for (const waiting of step.microtasks) waiting.text = texts.get(waiting.id) ?? waiting.text;
      if (jobId !== undefined && step.kind === 'job')
        step.narration = `The next microtask runs: ${texts.get(jobId)}.`;
      if (jobId !== undefined && step.kind === 'queue')
        step.narration = `A job joins the microtask queue: ${texts.get(jobId)}.`;
      kept.push(step);
    }
    this.#steps.splice(0, this.#steps.length, ...kept);
  }

  readonly #runningJobId = new WeakMap<Step, number>();

  #framesCache:
    | {
        length: number;
        top: ExecutionContext | undefined;
        version: number;
        frames: { context: ExecutionContext; frame: Frame }[];
      }
    | undefined;
  /** Bumped when a frame's look changes without the stack changing (a context suspends at `await`). */
  #frameVersion = 0;

  /** Frames the reader sees: user functions and the module's top level, outermost first. */
  #frames(): { context: ExecutionContext; frame: Frame }[] {
    // Most steps follow one another in the same function: the stack is unchanged, and so are the frames.
    const contexts = surroundingAgent.executionContextStack;
    const top = contexts.at(-1);
    const cache = this.#framesCache;
    if (
      cache &&
      cache.length === contexts.length &&
      cache.top === top &&
      cache.version === this.#frameVersion
    )
      return cache.frames;
    const frames: { context: ExecutionContext; frame: Frame }[] = [];
    const stack = [...contexts];
    for (const [index, context] of stack.entries()) {
      const fn = context.Function;
      const isModule = fn instanceof NullValue && context.ScriptOrModule === this.#module;
      if (!isModule && !(fn && !(fn instanceof NullValue) && isECMAScriptFunctionObject(fn))) continue;
      if (isModule && this.#jobContexts.has(context)) continue;
      if (this.#finishedCalls.has(context)) continue;
      // An async function's body runs in a copy of the context it was called in: show one frame.
      if (!isModule && stack[index + 1]?.Function === fn) continue;
      frames.push({
        context,
        frame: { name: this.#frameName(context), resumed: this.#awaitLine.has(context) },
      });
    }
    this.#framesCache = { length: contexts.length, top, version: this.#frameVersion, frames };
    return frames;
  }

  #frameName(context: ExecutionContext): string {
    const fn = context.Function;
    if (fn instanceof NullValue) return 'the module';
    const name = CallSite.getFunctionName(fn);
    if (name) return quote(name);
    const line = codeOf(fn)?.location.start.line;
    return line ? `the anonymous function on line ${line}` : 'an anonymous function';
  }

  /** Steps for calls and returns since the last look at the stack. */
  #settleFrames(range?: SourceRange): void {
    if (!this.#module) return;
    const stack = surroundingAgent.executionContextStack;
    const bottom = stack.at(0);
    if (
      bottom &&
      bottom.Function instanceof NullValue &&
      this.#currentJob !== undefined &&
      !this.#jobContexts.has(bottom)
    ) {
      this.#jobContexts.add(bottom);
      this.#frameVersion++;
    }
    const now = this.#frames();
    const before = this.#previousFrames;
    if (now === before) return;
    let common = 0;
    while (common < before.length && common < now.length && before[common]!.context === now[common]!.context)
      common++;
    this.#previousFrames = now;
    for (let i = before.length - 1; i >= common; i--) {
      const gone = before[i]!;
      const name = gone.frame.name;
      const fn = gone.context.Function;
      const awaited = this.#pendingAwait.get(gone.context);
      if (awaited) {
        this.#pendingAwait.delete(gone.context);
        this.#awaitLine.set(gone.context, awaited.line);
        this.#frameVersion++;
        if (!(fn instanceof NullValue)) this.#suspended.add(fn);
        this.#push(
          'await',
          `${quote('await')} suspends ${name}; its continuation is queued when the awaited value settles.`,
          awaited,
          undefined,
          now,
        );
      } else if (name === 'the module') {
        this.#push('return', 'The module has run to its end.', range, undefined, now);
      } else if (isAsyncFunction(fn)) {
        const pending = this.#suspended.has(fn) && !this.#awaitLine.has(gone.context);
        this.#push(
          'return',
          pending
            ? `${capital(name)} returns a pending promise to its caller.`
            : `${capital(name)} finishes, settling its promise.`,
          range,
          undefined,
          now,
        );
      } else this.#push('return', `${capital(name)} returns.`, range, undefined, now);
    }
    for (let i = common; i < now.length; i++) {
      const entered = now[i]!;
      const seen = this.#seen.has(entered.context);
      this.#seen.add(entered.context);
      const fn = entered.context.Function;
      if (entered.frame.resumed) {
        if (!(fn instanceof NullValue)) this.#suspended.delete(fn);
        this.#push(
          'resume',
          `${capital(entered.frame.name)} resumes after its ${quote('await')}.`,
          range,
          undefined,
          now.slice(0, i + 1),
        );
      } else if (!seen && entered.frame.name !== 'the module')
        this.#push(
          'call',
          `${capital(entered.frame.name)} is called.`,
          range,
          undefined,
          now.slice(0, i + 1),
        );
    }
  }

  // ── Steps ──────────────────────────────────────────────────────────────────────────────────

  #push(
    kind: StepKind,
    narration: string,
    range?: SourceRange,
    running?: QueuedJob,
    frames?: { frame: Frame }[],
  ): void {
    if (!frames && this.#module) this.#settleFrames(range);
    if (++this.#stepCount > STEP_LIMIT)
      throw new LimitReached(`the run went past ${STEP_LIMIT.toLocaleString('en')} steps.`);
    const microtasks: Waiting[] = [];
    for (const job of this.#queue) {
      const queued = this.#jobs.get(job);
      if (queued) microtasks.push({ id: queued.id, text: queued.text ?? '' });
    }
    const tasks: WaitingTask[] = [...this.#timers.values()]
      .sort((a, b) => a.dueMs - b.dueMs || a.seq - b.seq)
      .map((t) => ({ id: t.id, text: t.text, dueMs: t.dueMs }));
    const step: Step = {
      kind,
      narration,
      ...(range ? { range } : {}),
      stack: (frames ?? this.#frames()).map((f) => ({ ...f.frame })),
      microtasks,
      tasks,
      nowMs: Math.round(this.#nowMs * 1000) / 1000,
      outputLength: this.#output.length,
      turn: this.#turn,
    };
    if (running) this.#runningJobId.set(step, running.id);
    this.#steps.push(step);
    if (this.#steps.length > KEPT_STEPS * 1.5) {
      const drop = this.#steps.length - KEPT_STEPS;
      this.#steps.splice(0, drop);
      this.#droppedSteps += drop;
    }
  }
}

/** An event loop that does nothing: the recorder drives the engine's jobs itself. */
const idleEventLoop: EventLoop = {
  enqueue() {},
  enqueueAsync() {},
  run() {},
  runOnce() {},
  hasPendingJobs: false,
  onNoPendingJob: new Set(),
  mark() {},
};

/** The function's code, for ECMAScript functions (builtins have none). */
function codeOf(fn: FunctionObject | NullValue): ParseNode | undefined {
  if (fn instanceof NullValue || !isECMAScriptFunctionObject(fn)) return undefined;
  return (fn as FunctionObject & { ECMAScriptCode?: ParseNode }).ECMAScriptCode;
}

const ASYNC_BODIES = new Set(['AsyncBody', 'AsyncConciseBody', 'AsyncGeneratorBody']);
function isAsyncFunction(fn: FunctionObject | NullValue): fn is FunctionObject {
  const code = codeOf(fn);
  return code !== undefined && ASYNC_BODIES.has(code.type);
}

function hasAsyncContext(fn: object): boolean {
  return Object.getOwnPropertySymbols(fn).some((s) => s.description === 'kAsyncContext');
}

function rangeOf(node: ParseNode): SourceRange {
  const { startIndex, endIndex, start } = node.location;
  return { from: startIndex, to: endIndex, line: start.line };
}

function statementNarration(node: ParseNode): string {
  const text = clip(node.sourceText.split('\n')[0] ?? '', 60);
  switch (node.type) {
    case 'ReturnStatement':
      return `${quote(text)} returns from the function.`;
    case 'ThrowStatement':
      return `${quote(text)} throws.`;
    case 'ExpressionBody':
      return `The arrow function evaluates ${quote(text)}.`;
    default:
      return `Line ${node.location.start.line} runs: ${quote(text)}.`;
  }
}

/** A settled value, for narration: as the console prints it, strings quoted (no getter runs). */
function describeValue(value: Value): string {
  const host = toHost(value);
  return clip(typeof host === 'string' ? `'${host}'` : formatArgs([host]).replace(/\s+/g, ' '), 60);
}

function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A time on the virtual clock, for narration. */
export function formatVirtual(ms: number): string {
  return `${Math.round(ms * 100) / 100} ms`;
}
