/**
 * Tracing for the run timeline (on only with `RunOptions.trace`): turns the teaching libraries'
 * trace records (src/concurrency/trace.ts) into run events of this thread, on the run's clock.
 *
 * Cost when off: nothing is installed. When on: one small object per library operation, plus
 * one event per timer set/fired and per loop the loop guard sees running.
 */
import { setTracer, type TraceRecord, type Tracer } from '../../concurrency/trace.ts';
import type { ChannelEvent, RunEvent, ThreadRef } from '../events.ts';
import { inspectNested } from '../format.ts';

/** A handed-off value as short text; primitives without the inspector. */
function summary(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string' && value.length <= 40 && !/['\\\n]/.test(value)) return `'${value}'`;
  return inspectNested(value, { depth: 1, maxStringLength: 40, breakLength: Infinity });
}

/** A trace record as an event of `thread`; `t` is now, except for pool tasks (their arrival). */
export function recordToEvent(record: TraceRecord, thread: ThreadRef, runStart: number, now: number): RunEvent {
  switch (record.type) {
    case 'lock':
      return { kind: 'lock', what: record.what, lock: record.lock, op: record.op, thread, t: now };
    case 'channel': {
      // Field by field, no spreads: this runs once per channel operation of a traced run.
      const event: { -readonly [K in keyof ChannelEvent]: ChannelEvent[K] } = { kind: 'channel', op: record.op, thread, t: now };
      if (record.goroutine !== undefined) event.goroutine = record.goroutine;
      if (record.name !== undefined) event.name = record.name;
      if (record.wait !== undefined) event.wait = record.wait;
      if (record.opId !== undefined) event.opId = record.opId;
      if (record.channels !== undefined) event.channels = record.channels;
      if (record.via !== undefined) event.via = record.via;
      if (record.failed) event.failed = true;
      if (record.op === 'handoff') event.value = summary(record.value);
      return event;
    }
    case 'pool-task':
      return {
        kind: 'pool-task',
        pool: record.pool,
        worker: record.worker,
        chunk: record.chunk,
        size: record.size,
        sent: record.sent - runStart,
        start: record.start - runStart,
        end: record.end - runStart,
        ...(record.failed ? { failed: true } : {}),
        thread,
        t: record.received - runStart,
      };
    case 'gil': {
      const { type: _type, ...rest } = record;
      return { kind: 'gil', ...rest, thread, t: now };
    }
  }
}

/**
 * Installs this thread's library tracer, emitting run events. Returns the uninstall function,
 * which removes the tracer only if it is still this one (a later run may have replaced it).
 */
export function installTracer(emit: (event: RunEvent) => void, thread: ThreadRef, runStart: number): () => void {
  const tracer: Tracer = (record) => emit(recordToEvent(record, thread, runStart, performance.timeOrigin + performance.now() - runStart));
  setTracer(tracer);
  return () => {
    const current = setTracer(null);
    // A later run's tracer is in force: leave it.
    if (current !== tracer) setTracer(current);
  };
}
