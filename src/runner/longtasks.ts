/**
 * Tracing only: the page's main-thread long tasks (over 50 ms, as the browser reports them with
 * PerformanceObserver 'longtask') during a run, as `task` events of the main thread. Where the
 * browser does not report long tasks, nothing is recorded.
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
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const t = performance.timeOrigin + entry.startTime - runStart;
      if (t + entry.duration < 0) continue;
      emit({ kind: 'task', source: 'longtask', duration: entry.duration, thread: MAIN_THREAD, t });
    }
  });
  observer.observe({ type: 'longtask' });
  return () => {
    // Entries of the last task arrive a little after it: take what is queued before stopping.
    for (const entry of observer.takeRecords()) {
      const t = performance.timeOrigin + entry.startTime - runStart;
      if (t + entry.duration >= 0)
        emit({ kind: 'task', source: 'longtask', duration: entry.duration, thread: MAIN_THREAD, t });
    }
    observer.disconnect();
  };
}
