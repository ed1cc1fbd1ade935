/**
 * Errors: catches a thread's uncaught errors and unhandled rejections, and turns a thrown value
 * into the `error` event's fields, with line and column in the READER's code: frames of the
 * snippet (named by its `//# sourceURL`, or the URL it was loaded from where an engine ignores
 * sourceURL for modules) are found in the stack and mapped back through the transform.
 */
import type { RunEvent, ThreadRef, WithoutStamp } from '../events.ts';
import { formatError, inspect } from '../../snippet/index.ts';
import { RunawayLoopError } from './guard.ts';
import type { AnyGlobal } from './natives.ts';

export type PositionMap = (line: number, column: number) => { line: number; column: number };

export interface ErrorFields {
  name: string;
  message: string;
  stack?: string;
  line?: number;
  column?: number;
  text: string;
}

export interface SourceInfo {
  /** File name the snippet's stack frames carry, e.g. `snippet.js`. */
  readonly sourceURL: string;
  /** The URL the module was loaded from (a data: URL), if any. */
  readonly moduleURL?: string;
  readonly toOriginal: PositionMap;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Rewrites the stack: snippet frames renamed and mapped, the runner's own frames dropped. */
export function cleanStack(
  stack: string,
  sources: readonly SourceInfo[],
): { stack: string; line?: number; column?: number } {
  let line: number | undefined;
  let column: number | undefined;
  const kept: string[] = [];
  const lines = stack.split('\n');
  for (const [index, text] of lines.entries()) {
    let mapped: string | undefined;
    for (const source of sources) {
      const names = [source.sourceURL, ...(source.moduleURL ? [source.moduleURL] : [])].map(escape).join('|');
      const pattern = new RegExp(`(?:${names}):(\\d+):(\\d+)`, 'g');
      if (!pattern.test(text)) continue;
      pattern.lastIndex = 0;
      mapped = text.replace(pattern, (_m, l: string, c: string) => {
        const at = source.toOriginal(Number(l), Number(c));
        if (line === undefined) {
          line = at.line;
          column = at.column;
        }
        return `${source.sourceURL}:${at.line}:${at.column}`;
      });
      break;
    }
    const isFrame = /^\s+at |@/.test(text);
    if (mapped !== undefined) kept.push(mapped);
    else if (!isFrame || index === 0) kept.push(text);
  }
  return {
    stack: kept.join('\n'),
    ...(line !== undefined ? { line } : {}),
    ...(column !== undefined ? { column } : {}),
  };
}

/** Fields for an `error` event from whatever was thrown (not always an Error). */
export function describeThrown(
  thrown: unknown,
  sources: readonly SourceInfo[],
  fallback?: { line?: number; column?: number; filename?: string },
): ErrorFields {
  const isErrorLike =
    typeof thrown === 'object' && thrown !== null && typeof (thrown as Error).message === 'string';
  if (!isErrorLike) {
    const text = inspect(thrown, { depth: 1 });
    const place = fallbackPlace(sources, fallback);
    return {
      name: 'Uncaught',
      message: text,
      text: `Uncaught ${typeof thrown === 'string' ? JSON.stringify(thrown) : text}`,
      ...place,
    };
  }
  const error = thrown as Error;
  const name = typeof error.name === 'string' ? error.name : 'Error';
  const raw = formatError(error);
  const { stack, line, column } = cleanStack(raw, sources);
  const place = line !== undefined ? { line, column: column ?? 1 } : fallbackPlace(sources, fallback);
  return { name, message: error.message, stack, text: stack, ...place };
}

function fallbackPlace(
  sources: readonly SourceInfo[],
  fallback?: { line?: number; column?: number; filename?: string },
) {
  if (!fallback?.line) return {};
  const source = sources.find(
    (s) => fallback.filename === s.sourceURL || fallback.filename === s.moduleURL || !fallback.filename,
  );
  if (!source) return {};
  const at = source.toOriginal(fallback.line, fallback.column ?? 1);
  return { line: at.line, column: at.column };
}

/** Reports an uncaught error or unhandled rejection of the thread as an `error` event. */
export type ReportError = (
  thrown: unknown,
  source: 'uncaught' | 'unhandled-rejection',
  fallback?: { line?: number; column?: number; filename?: string },
) => void;

/**
 * Listens for the global's uncaught errors and unhandled rejections (and cancels the browser's
 * own report of them), and returns the reporter the evaluation uses for what it catches itself.
 */
export function installErrorReporting(
  g: AnyGlobal,
  thread: ThreadRef,
  sources: readonly SourceInfo[],
  emit: (event: WithoutStamp<RunEvent>) => void,
): ReportError {
  const reportError: ReportError = (thrown, source, fallback) => {
    if (thrown instanceof RunawayLoopError || (thrown as Error | undefined)?.name === 'RunawayLoopError') {
      // Reported once when the guard tripped; later re-throws of the tripped guard are noise.
      return;
    }
    const fields = describeThrown(thrown, sources, fallback);
    const prefix = source === 'unhandled-rejection' ? 'Uncaught (in promise) ' : 'Uncaught ';
    emit({ kind: 'error', source, ...fields, text: prefix + fields.text });
    if (/allocation failed|out of memory/i.test(fields.message)) {
      emit({
        kind: 'limit',
        what: 'memory',
        message: `Out of memory: ${thread.label} asked for more memory than the browser would give (${fields.message}).`,
      });
    }
  };
  g.addEventListener('error', (event: ErrorEvent) => {
    event.preventDefault();
    reportError(event.error ?? event.message, 'uncaught', {
      line: event.lineno,
      column: event.colno,
      filename: event.filename,
    });
  });
  g.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
    event.preventDefault();
    reportError(event.reason, 'unhandled-rejection');
  });
  return reportError;
}
