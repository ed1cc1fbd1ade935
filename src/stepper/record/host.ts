/**
 * The host a snippet sees, a browser's reduced to what step mode has: `console`, timers on the
 * virtual clock, `queueMicrotask`, `performance.now()`, and errors nothing caught, printed as the
 * browser's console (and Run's output) prints them.
 */
import {
  CreateBuiltinFunction,
  CreateDataProperty,
  Get,
  inspect,
  IsCallable,
  JSStringValue,
  NumberValue,
  ObjectValue,
  OrdinaryObjectCreate,
  skipDebugger,
  surroundingAgent,
  Throw,
  ThrowCompletion,
  ToString,
  Value,
  X,
  type Arguments,
  type FunctionObject,
  type Job,
} from '@engine262/engine262';
import { formatArgs } from '../../snippet/index.ts';
import { toHost } from '../host-values.ts';
import type { RecordingKernel } from './kernel.ts';
import { clip, formatVirtual, quote } from './narration.ts';

export function installHost(kernel: RecordingKernel): void {
  const realm = kernel.realm;
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
        // Console formatting: as Run's console formats the same values.
        const line = formatArgs(args.map((arg) => toHost(arg)));
        kernel.output.push(line);
        kernel.push('output', `${quote(`console.${method}`)} prints “${clip(line)}”.`);
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
      const ms = delay instanceof NumberValue && Number.isFinite(delay.value) ? Math.max(0, delay.value) : 0;
      const id = kernel.addTask({
        dueMs: kernel.nowMs + ms,
        text: `${quote(name)} callback from line ${kernel.lastLine}`,
        callback: callback as FunctionObject,
        args: rest.map((arg) => arg ?? Value.undefined),
        ...(repeat ? { intervalMs: ms } : {}),
      });
      kernel.push(
        'timer',
        `${quote(name)} sets a timer: its callback becomes a task after ${ms} ms (at ${formatVirtual(kernel.nowMs + ms)} on the virtual clock).`,
      );
      return Value(id);
    });
  define(global, 'setTimeout', timer('setTimeout', false));
  define(global, 'setInterval', timer('setInterval', true));
  const clear = (name: string) =>
    fn(name, 1, ([id = Value.undefined]) => {
      if (id instanceof NumberValue && kernel.tasks.delete(id.value))
        kernel.push('timer', `${quote(name)} cancels timer ${id.value}: its task will not run.`);
      return Value.undefined;
    });
  define(global, 'clearTimeout', clear('clearTimeout'));
  define(global, 'clearInterval', clear('clearInterval'));

  define(
    global,
    'queueMicrotask',
    fn('queueMicrotask', 1, ([callback = Value.undefined]) => {
      if (!IsCallable(callback)) return Throw.TypeError('queueMicrotask needs a function');
      const line = kernel.lastLine;
      const job: Job = {
        queueName: 'PromiseJobs',
        callerRealm: realm,
        callerScriptOrModule: Value.null,
        job: function* () {
          return yield* (callback as FunctionObject).Call(Value.undefined, []);
        },
      };
      surroundingAgent.jobQueue.enqueueGenericJob(job);
      const queued = kernel.jobs.get(job)!;
      queued.text = `${quote('queueMicrotask')} callback from line ${line}`;
      return Value.undefined;
    }),
  );

  const performance = OrdinaryObjectCreate(realm.Intrinsics['%Object.prototype%']);
  define(
    performance,
    'now',
    fn('now', 0, () => Value(Math.round(kernel.nowMs * 1000) / 1000)),
  );
  define(global, 'performance', performance);
  define(global, 'globalThis', global);
  pop?.();
}

/** An uncaught error's first line, as the browser's console (and Run's output) shows it. */
export function reportUncaught(kernel: RecordingKernel, value: Value, prefix: string): void {
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
  kernel.output.push(line);
  kernel.push('error', `Nothing caught it: “${clip(line)}”.`);
}
