/**
 * Tracing only: the page's main-thread long tasks (over 50 ms, as the browser reports them with
 * PerformanceObserver 'longtask') during a run, as `task` events of the main thread. Where the
 * browser does not report long tasks, nothing is recorded.
 *
 * A run starts inside a task of the page (the Run click's), so the first long task may have begun
 * before the run did: only its part within the run is recorded, from the run's start (t = 0).
 */
import { MAIN_THREAD, type RunEvent } from './events.ts';

/** Starts observing; returns the function that stops. */
export function observeLongTasks(emit: (event: RunEvent) => void, runStart: number): () => void {
  if (
    typeof PerformanceObserver !== 'function' ||
    !PerformanceObserver.supportedEntryTypes?.includes('longtask')
  ) {
    return () => undefined;
  }
  const report = (entry: PerformanceEntry) => {
    const start = performance.timeOrigin + entry.startTime - runStart;
    const end = start + entry.duration;
    if (end < 0) return;
    const t = Math.max(0, start);
    emit({ kind: 'task', source: 'longtask', duration: end - t, thread: MAIN_THREAD, t });
  };
  const observer = new PerformanceObserver((list) => list.getEntries().forEach(report));
  observer.observe({ type: 'longtask' });
  return () => {
    // Entries of the last task arrive a little after it: take what is queued before stopping.
    observer.takeRecords().forEach(report);
    observer.disconnect();
  };
}
