/**
 * Tracing for the run timeline (on only with `RunOptions.trace`): turns the teaching libraries'
 * trace records (src/concurrency/trace.ts) into run events of this thread, on the run's clock.
 *
 * Cost when off: nothing is installed. When on: one small object per library operation, plus
 * one event per timer set/fired and per loop the loop guard sees running.
 */
import { setTracer, type TraceRecord, type Tracer } from '../../concurrency/trace.ts';
import type { RunEvent, ThreadRef } from '../events.ts';
import { inspectNested } from '../format.ts';

/** A trace record as an event of `thread`; `t` is now, except for pool tasks (their arrival). */
export function recordToEvent(record: TraceRecord, thread: ThreadRef, runStart: number, now: number): RunEvent {
  switch (record.type) {
    case 'lock':
      return { kind: 'lock', what: record.what, lock: record.lock, op: record.op, thread, t: now };
    case 'channel': {
      const { type: _type, value, ...rest } = record;
      return {
        kind: 'channel',
        ...rest,
        ...(record.op === 'handoff' ? { value: inspectNested(value, { depth: 1, maxStringLength: 40, breakLength: Infinity }) } : {}),
        thread,
        t: now,
      };
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
