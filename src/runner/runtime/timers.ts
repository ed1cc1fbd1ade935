/**
 * The global's timers, wrapped: the runtime knows which are pending (they keep a run busy), and
 * traced runs record each timer set, cleared and fired. A snippet's callbacks run as they would
 * unwrapped, in the same order.
 */
import type { AnyGlobal, Natives } from './natives.ts';
import type { ThreadEvents } from './tracing.ts';

export type TimerKind = 'timeout' | 'interval' | 'frame';

/**
 * Replaces the global's setTimeout/setInterval/requestAnimationFrame and their clearers. Returns
 * the pending timers by id; `changed` is called whenever one fires or is cleared.
 */
export function installTimers(
  g: AnyGlobal,
  native: Natives,
  events: ThreadEvents,
  changed: () => void,
): ReadonlyMap<unknown, TimerKind> {
  const { tracing } = events;
  const timers = new Map<unknown, TimerKind>();
  // The wrapper that calls the snippet's callback is made IN the global: an exception it lets
  // through is then reported to the global's own 'error' listeners (an iframe's, not the page's).
  const wrapCallback = new g.Function(
    'callback',
    'args',
    'after',
    'return function () { try { return callback.apply(this, args); } finally { after(); } };',
  ) as (callback: unknown, args: unknown[], after: () => void) => (...a: unknown[]) => void;
  // Tracing: the same wrapper, timed (a second function so untraced runs pay nothing).
  const timedCallback = new g.Function(
    'callback',
    'args',
    'after',
    'now',
    'return function () { const start = now(); try { return callback.apply(this, args); } finally { after(start); } };',
  ) as (
    callback: unknown,
    args: unknown[],
    after: (start: number) => void,
    now: () => number,
  ) => (...a: unknown[]) => void;
  const timerSet = (id: number, ms: number | undefined, repeat: boolean) =>
    events.timer('set', id, Math.max(0, Number(ms) || 0), repeat);
  g.setTimeout = function setTimeout(callback: unknown, ms?: number, ...args: unknown[]) {
    if (typeof callback !== 'function') return native.setTimeout(callback as () => void, ms, ...args);
    const id = (tracing
      ? native.setTimeout(
          timedCallback(
            callback,
            args,
            (start) => {
              events.task('timer', start, native.now(), id);
              timers.delete(id);
              changed();
            },
            native.now,
          ),
          ms,
        )
      : native.setTimeout(
          wrapCallback(callback, args, () => {
            timers.delete(id);
            changed();
          }),
          ms,
        )) as unknown as number;
    timers.set(id, 'timeout');
    if (tracing) timerSet(id, ms, false);
    return id;
  };
  g.setInterval = function setInterval(callback: unknown, ms?: number, ...args: unknown[]) {
    const id = (tracing && typeof callback === 'function'
      ? native.setInterval(
          timedCallback(
            callback,
            args,
            (start) => events.task('interval', start, native.now(), id),
            native.now,
          ),
          ms,
        )
      : native.setInterval(callback as () => void, ms, ...args)) as unknown as number;
    if (typeof callback === 'function') {
      timers.set(id, 'interval');
      if (tracing) timerSet(id, ms, true);
    }
    return id;
  };
  const clear = (id: unknown) => {
    if (timers.delete(id)) {
      events.timer('clear', Number(id), 0, false);
      native.setTimeout(changed, 0);
    }
  };
  g.clearTimeout = function clearTimeout(id: number) {
    native.clearTimeout(id);
    clear(id);
  };
  g.clearInterval = function clearInterval(id: number) {
    native.clearInterval(id);
    clear(id);
  };
  if (native.requestAnimationFrame && native.cancelAnimationFrame) {
    const raf = native.requestAnimationFrame;
    const caf = native.cancelAnimationFrame;
    g.requestAnimationFrame = function requestAnimationFrame(callback: FrameRequestCallback) {
      const start = { at: 0 };
      const after = () => {
        if (tracing) events.task('frame', start.at, native.now());
        timers.delete(id);
        changed();
      };
      const wrapped = new g.Function(
        'callback',
        'after',
        'start',
        'now',
        'return function (time) { start.at = now(); try { return callback(time); } finally { after(); } };',
      )(callback, after, start, native.now) as FrameRequestCallback;
      const id = raf(wrapped);
      timers.set(id, 'frame');
      return id;
    };
    g.cancelAnimationFrame = function cancelAnimationFrame(id: number) {
      caf(id);
      clear(id);
    };
  }
  return timers;
}
