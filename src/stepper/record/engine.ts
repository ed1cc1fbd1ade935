/** What the recorder reads off engine262's objects: a function's code, whether it is async, a node's range. */
import {
  isECMAScriptFunctionObject,
  NullValue,
  type EventLoop,
  type FunctionObject,
  type ParseNode,
} from '@engine262/engine262';
import type { SourceRange } from '../types.ts';

/** An event loop that does nothing: the recorder drives the engine's jobs itself. */
export const idleEventLoop: EventLoop = {
  enqueue() {},
  enqueueAsync() {},
  run() {},
  runOnce() {},
  hasPendingJobs: false,
  onNoPendingJob: new Set(),
  mark() {},
};

/** The function's code, for ECMAScript functions (builtins have none). */
export function codeOf(fn: FunctionObject | NullValue): ParseNode | undefined {
  if (fn instanceof NullValue || !isECMAScriptFunctionObject(fn)) return undefined;
  return (fn as FunctionObject & { ECMAScriptCode?: ParseNode }).ECMAScriptCode;
}

const ASYNC_BODIES = new Set(['AsyncBody', 'AsyncConciseBody', 'AsyncGeneratorBody']);
export function isAsyncFunction(fn: FunctionObject | NullValue): fn is FunctionObject {
  const code = codeOf(fn);
  return code !== undefined && ASYNC_BODIES.has(code.type);
}

/** A builtin that resumes an async function (the engine marks it with its async context). */
export function hasAsyncContext(fn: object): boolean {
  return Object.getOwnPropertySymbols(fn).some((s) => s.description === 'kAsyncContext');
}

export function rangeOf(node: ParseNode): SourceRange {
  const { startIndex, endIndex, start } = node.location;
  return { from: startIndex, to: endIndex, line: start.line };
}
