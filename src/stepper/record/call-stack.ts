/**
 * The call stack the reader sees: user functions and the module's top level, outermost first,
 * and the steps between two looks at it — calls, returns, an `await` suspending a function and
 * the function resuming.
 */
import {
  CallSite,
  isECMAScriptFunctionObject,
  NullValue,
  surroundingAgent,
  type ExecutionContext,
  type FunctionObject,
} from '@engine262/engine262';
import type { SourceRange } from '../types.ts';
import { codeOf, isAsyncFunction } from './engine.ts';
import type { RecordingKernel, ShownFrame, StackWatch } from './kernel.ts';
import { capital, quote } from './narration.ts';

export class CallStack implements StackWatch {
  readonly #kernel: RecordingKernel;
  /** Async contexts that have suspended at an `await` at least once, with that await's line. */
  readonly #awaitLine = new WeakMap<ExecutionContext, number>();
  /** An `await` evaluated in this context and not yet suspended at. */
  readonly #pendingAwait = new WeakMap<ExecutionContext, SourceRange>();
  /** Contexts already shown (an async function's caller context reappears when its body suspends). */
  readonly #seen = new WeakSet<ExecutionContext>();
  /** Async functions whose body is suspended at an `await`. */
  readonly #suspended = new WeakSet<FunctionObject>();
  /** Contexts of async function calls whose body has finished: no longer a frame. */
  readonly #finishedCalls = new WeakSet<ExecutionContext>();
  /** The context a job runs in (bottom of the stack): not a frame the reader sees. */
  readonly #jobContexts = new WeakSet<ExecutionContext>();
  #previousFrames: ShownFrame[] = [];
  #framesCache:
    { length: number; top: ExecutionContext | undefined; version: number; frames: ShownFrame[] } | undefined;
  /** Bumped when a frame's look changes without the stack changing (a context suspends at `await`). */
  #frameVersion = 0;

  constructor(kernel: RecordingKernel) {
    this.#kernel = kernel;
  }

  /** An `await` in `context` has evaluated its operand: the function suspends when it leaves the stack. */
  awaitAt(context: ExecutionContext, range: SourceRange): void {
    this.#pendingAwait.set(context, range);
  }

  /** Whether `context` is at an `await` it has not yet suspended at. */
  isAwaiting(context: ExecutionContext): boolean {
    return this.#pendingAwait.has(context);
  }

  /** The line of the `await` `context` last suspended at. */
  awaitLineOf(context: ExecutionContext): number | undefined {
    return this.#awaitLine.get(context);
  }

  /** An async function's call whose body has finished: its context is no longer a frame. */
  finished(call: ExecutionContext): void {
    this.#finishedCalls.add(call);
    this.#frameVersion++;
  }

  /** Whether `context` is the bottom context of a job (not the module's own code). */
  isJobContext(context: ExecutionContext): boolean {
    return this.#jobContexts.has(context);
  }

  /** Frames the reader sees: user functions and the module's top level, outermost first. */
  frames(): ShownFrame[] {
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
    const module = this.#kernel.module;
    const frames: ShownFrame[] = [];
    const stack = [...contexts];
    for (const [index, context] of stack.entries()) {
      const fn = context.Function;
      const isModule = fn instanceof NullValue && context.ScriptOrModule === module;
      if (!isModule && !(fn && !(fn instanceof NullValue) && isECMAScriptFunctionObject(fn))) continue;
      if (isModule && this.#jobContexts.has(context)) continue;
      if (this.#finishedCalls.has(context)) continue;
      // An async function's body runs in a copy of the context it was called in: show one frame.
      if (!isModule && stack[index + 1]?.Function === fn) continue;
      frames.push({
        context,
        frame: { name: this.frameName(context), resumed: this.#awaitLine.has(context) },
      });
    }
    this.#framesCache = { length: contexts.length, top, version: this.#frameVersion, frames };
    return frames;
  }

  frameName(context: ExecutionContext): string {
    const fn = context.Function;
    if (fn instanceof NullValue) return 'the module';
    const name = CallSite.getFunctionName(fn);
    if (name) return quote(name);
    const line = codeOf(fn)?.location.start.line;
    return line ? `the anonymous function on line ${line}` : 'an anonymous function';
  }

  /** Steps for calls and returns since the last look at the stack. */
  settle(range?: SourceRange): void {
    const kernel = this.#kernel;
    if (!kernel.module) return;
    const stack = surroundingAgent.executionContextStack;
    const bottom = stack.at(0);
    if (
      bottom &&
      bottom.Function instanceof NullValue &&
      kernel.currentJob !== undefined &&
      !this.#jobContexts.has(bottom)
    ) {
      this.#jobContexts.add(bottom);
      this.#frameVersion++;
    }
    const now = this.frames();
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
        kernel.push(
          'await',
          `${quote('await')} suspends ${name}; its continuation is queued when the awaited value settles.`,
          awaited,
          undefined,
          now,
        );
      } else if (name === 'the module') {
        kernel.push('return', 'The module has run to its end.', range, undefined, now);
      } else if (isAsyncFunction(fn)) {
        const pending = this.#suspended.has(fn) && !this.#awaitLine.has(gone.context);
        kernel.push(
          'return',
          pending
            ? `${capital(name)} returns a pending promise to its caller.`
            : `${capital(name)} finishes, settling its promise.`,
          range,
          undefined,
          now,
        );
      } else kernel.push('return', `${capital(name)} returns.`, range, undefined, now);
    }
    for (let i = common; i < now.length; i++) {
      const entered = now[i]!;
      const seen = this.#seen.has(entered.context);
      this.#seen.add(entered.context);
      const fn = entered.context.Function;
      if (entered.frame.resumed) {
        if (!(fn instanceof NullValue)) this.#suspended.delete(fn);
        kernel.push(
          'resume',
          `${capital(entered.frame.name)} resumes after its ${quote('await')}.`,
          range,
          undefined,
          now.slice(0, i + 1),
        );
      } else if (!seen && entered.frame.name !== 'the module')
        kernel.push(
          'call',
          `${capital(entered.frame.name)} is called.`,
          range,
          undefined,
          now.slice(0, i + 1),
        );
    }
  }
}
