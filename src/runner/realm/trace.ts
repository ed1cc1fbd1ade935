/**
 * Tracing for the run timeline (on only with `RunOptions.trace`): turns the teaching libraries'
 * trace records (src/concurrency/trace.ts) into this thread's compact trace records
 * (trace-buffer.ts), decoded into run events on the run's clock by whoever receives them.
 *
 * Cost when off: nothing is installed. When on: per library operation, one clock read and a few
 * array writes (pool tasks and GIL runs, which are rare, become events at once).
 */
import { setTracer, type Tracer } from '../../concurrency/trace.ts';
import type { TraceWriter } from './trace-buffer.ts';

/**
 * Installs this thread's library tracer, writing to `writer`. Returns the uninstall function,
 * which removes the tracer only if it is still this one (a later run may have replaced it).
 */
export function installTracer(writer: TraceWriter): () => void {
  const tracer: Tracer = (record) => writer.record(record);
  setTracer(tracer);
  return () => {
    const current = setTracer(null);
    // A later run's tracer is in force: leave it.
    if (current !== tracer) setTracer(current);
  };
}
