/**
 * A captured `console` for one thread of a run. Stateful (counters, timers, group depth) but
 * pure: it only calls `sink` with already formatted text, so it works in any global and in Node.
 *
 * Messages follow Chromium's wording ("default: 1", "Timer 'x' does not exist",
 * "Assertion failed: …", "label: 1.23 ms") so a reader sees what DevTools would show.
 */
import type { LogLevel } from './events.ts';
import { formatArgs, formatTable, indent, inspect, inspectNested } from '../snippet/index.ts';

export type ConsoleSink = (level: LogLevel, text: string, depth: number) => void;

export interface CapturedConsole {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  trace(...args: unknown[]): void;
  dir(value?: unknown, options?: { depth?: number | null }): void;
  dirxml(...args: unknown[]): void;
  table(data?: unknown, columns?: readonly string[]): void;
  group(...args: unknown[]): void;
  groupCollapsed(...args: unknown[]): void;
  groupEnd(): void;
  count(label?: unknown): void;
  countReset(label?: unknown): void;
  time(label?: unknown): void;
  timeLog(label?: unknown, ...data: unknown[]): void;
  timeEnd(label?: unknown): void;
  assert(condition?: unknown, ...data: unknown[]): void;
  clear(): void;
}

/**
 * @param sink receives every line
 * @param now  a millisecond clock (performance.now of the thread)
 * @param traceStack returns the current stack without the runner's own frames, for console.trace
 */
export function createConsole(
  sink: ConsoleSink,
  now: () => number,
  traceStack: () => string = () => '',
): CapturedConsole {
  let depth = 0;
  const counts = new Map<string, number>();
  const timers = new Map<string, number>();
  const emit = (level: LogLevel, text: string) => sink(level, indent(text, depth), depth);
  const labelOf = (label: unknown) => (label === undefined ? 'default' : String(label));
  const elapsed = (start: number) => {
    const ms = now() - start;
    return `${ms < 1000 ? Number(ms.toFixed(3)) : Number(ms.toFixed(1))} ms`;
  };

  const api: CapturedConsole = {
    log: (...args) => emit('log', formatArgs(args)),
    info: (...args) => emit('info', formatArgs(args)),
    warn: (...args) => emit('warn', formatArgs(args)),
    error: (...args) => emit('error', formatArgs(args)),
    debug: (...args) => emit('debug', formatArgs(args)),
    trace: (...args) => {
      const message = args.length ? `Trace: ${formatArgs(args)}` : 'Trace';
      const stack = traceStack();
      emit('trace', stack ? `${message}\n${stack}` : message);
    },
    dir: (value, options) => {
      const d = options?.depth;
      emit(
        'dir',
        inspectNested(value, d === null ? { depth: Infinity } : d === undefined ? {} : { depth: d }),
      );
    },
    dirxml: (...args) => emit('dirxml', args.map((a) => inspectNested(a)).join(' ')),
    table: (data, columns) => {
      const table = formatTable(data, columns);
      emit(table === null ? 'log' : 'table', table ?? inspect(data));
    },
    group: (...args) => {
      emit('group', args.length ? formatArgs(args) : 'console.group');
      depth++;
    },
    groupCollapsed: (...args) => {
      emit('group', args.length ? formatArgs(args) : 'console.groupCollapsed');
      depth++;
    },
    groupEnd: () => {
      if (depth > 0) depth--;
    },
    count: (label) => {
      const key = labelOf(label);
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      emit('count', `${key}: ${n}`);
    },
    countReset: (label) => {
      const key = labelOf(label);
      if (counts.has(key)) counts.set(key, 0);
      else emit('warn', `Count for '${key}' does not exist`);
    },
    time: (label) => {
      const key = labelOf(label);
      if (timers.has(key)) emit('warn', `Timer '${key}' already exists`);
      else timers.set(key, now());
    },
    timeLog: (label, ...data) => {
      const key = labelOf(label);
      const start = timers.get(key);
      if (start === undefined) emit('warn', `Timer '${key}' does not exist`);
      else emit('time', [`${key}: ${elapsed(start)}`, ...data.map((d) => inspect(d))].join(' '));
    },
    timeEnd: (label) => {
      const key = labelOf(label);
      const start = timers.get(key);
      if (start === undefined) emit('warn', `Timer '${key}' does not exist`);
      else {
        timers.delete(key);
        emit('time', `${key}: ${elapsed(start)}`);
      }
    },
    assert: (condition, ...data) => {
      if (condition) return;
      emit('assert', data.length ? `Assertion failed: ${formatArgs(data)}` : 'Assertion failed');
    },
    clear: () => {
      // Nothing to clear in a stream; the UI may show a separator for it later.
    },
  };
  return api;
}
