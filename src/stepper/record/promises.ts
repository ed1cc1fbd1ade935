/**
 * Promises settling: every promise is created by engine262's `MakeBasicObject`, which tells the
 * agent (`debugger_markObjectCreated`) before it fills in the slots with plain property writes;
 * an accessor on the new promise's `PromiseState` there makes the moment FulfillPromise or
 * RejectPromise writes its state a step — before the jobs it queues, as in the spec. What made
 * the promise is read off the stack at its creation (see `#promiseName`).
 *
 * Shown: promises the reader can name — made by `new Promise`, an async function call, `await` of
 * a value that is not a promise, or a `Promise` method (`then`, `catch`, `finally`, `Promise.all`,
 * …) called by their code. Not shown: promises the engine makes for itself that no code can reach
 * (the ones `Promise.all` and its kin make per element, the one a promise-resolved-with-a-promise
 * makes to adopt it, the module's own).
 */
import {
  CallSite,
  isBuiltinFunctionObject,
  isECMAScriptFunctionObject,
  NullValue,
  ObjectValue,
  surroundingAgent,
  Value,
  type Agent,
  type ExecutionContext,
  type FunctionObject,
  type PromiseObject,
} from '@engine262/engine262';
import type { CallStack } from './call-stack.ts';
import { codeOf, isAsyncFunction } from './engine.ts';
import type { RecordingKernel } from './kernel.ts';
import { capital, describeValue, quote } from './narration.ts';

export class PromiseWatch {
  readonly #kernel: RecordingKernel<CallStack>;
  /** The `Promise` constructor is running for a `new Promise(executor)` of the snippet's. */
  #constructingWithExecutor = false;
  /** An async function's promise, with the context the function was called in. */
  readonly #asyncCallerOf = new WeakMap<ObjectValue, ExecutionContext>();

  constructor(kernel: RecordingKernel<CallStack>) {
    this.#kernel = kernel;
  }

  /** Every promise the snippet can name gets a step when it settles (see the header). */
  watchCreation(agent: Agent): void {
    const markObjectCreated = agent.debugger_markObjectCreated;
    agent.debugger_markObjectCreated = (object) => {
      markObjectCreated.call(agent, object);
      // Before the module runs, promises are the host's (loading and evaluating the module).
      if (this.#kernel.module && object.internalSlotsList.includes('PromiseState'))
        this.#watchPromise(object);
    };
  }

  /** Tells `new Promise(executor)` apart from the engine's own promises (NewPromiseCapability). */
  watchConstructor(): void {
    const promiseConstructor = this.#kernel.realm.Intrinsics['%Promise%'] as FunctionObject;
    const construct = promiseConstructor.Construct!;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const watch = this;
    promiseConstructor.Construct = function* (args, newTarget) {
      // The engine passes its own (builtin) executor; the snippet passes a function of its own.
      const executor = args[0];
      watch.#constructingWithExecutor = !(
        executor instanceof ObjectValue && isBuiltinFunctionObject(executor)
      );
      try {
        return yield* construct.call(this, args, newTarget);
      } finally {
        watch.#constructingWithExecutor = false;
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
    const line = this.#kernel.lastLine;
    if (builtins.length === 0) {
      if (this.#constructingWithExecutor)
        return `the promise made by ${quote('new Promise')} on line ${line}`;
      if (this.#kernel.stack.isAwaiting(caller)) return `the promise ${quote('await')} made on line ${line}`;
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
        const isModule =
          context.ScriptOrModule === this.#kernel.module && !this.#kernel.stack.isJobContext(context);
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
    if (call && surroundingAgent.executionContextStack.includes(call)) this.#kernel.stack.finished(call);
    const value = describeValue(promise.PromiseResult ?? Value.undefined);
    let then = '';
    if (waiting === 1) then = '; the job waiting on it joins the microtask queue';
    else if (waiting > 1) then = `; the ${waiting} jobs waiting on it join the microtask queue`;
    else if (state === 'rejected' && promise.PromiseIsHandled === Value.false)
      then = '; nothing handles it yet';
    this.#kernel.push('settle', `${capital(name)} is ${state} with ${value}${then}.`);
  }
}
