/**
 * One run's life on the page, the same for both executors: its recorder and handle, its timeout,
 * main-thread long tasks when traced, and one end. An executor starts a {@link RunLifecycle},
 * says how to tear its run down ({@link RunLifecycle.onEnd}), starts the clock, and calls `end`
 * when the run is over; `stop()`, the timeout and a second `end` all meet the same, first, end.
 */
import { MAIN_THREAD } from './events.ts';
import { formatLimit } from '../snippet/index.ts';
import { observeLongTasks } from './longtasks.ts';
import type { RuntimeSettings } from './protocol.ts';
import { Recorder } from './recorder.ts';
import {
  DEFAULT_TIMEOUT_MS,
  DEFAULT_TRACE_EVENTS,
  type EndState,
  type RunHandle,
  type RunOptions,
} from './types.ts';

/** What an executor does when its run ends. */
export interface RunEnding {
  /** Releases what the run holds (its iframe or worker, ports); before the final status. */
  teardown(status: EndState): void;
  /** After the final status: the executor forgets the run and gets ready for the next. */
  after(): void;
}

export class RunLifecycle {
  readonly recorder: Recorder;
  readonly handle: RunHandle;
  private ending: RunEnding = { teardown: () => undefined, after: () => undefined };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopLongTasks = () => undefined as void;
  private readonly options: RunOptions;

  /** The run has started: its first event, `status: running`, is recorded. */
  constructor(options: RunOptions) {
    this.options = options;
    const recorder = new Recorder(options.cap, options.onEvent);
    this.recorder = recorder;
    this.handle = {
      get events() {
        return recorder.events;
      },
      subscribe: (listener) => recorder.subscribe(listener),
      stop: () => this.end('stopped', 'Stopped.'),
      done: recorder.done,
    };
    recorder.push({ kind: 'status', state: 'running', thread: MAIN_THREAD, t: 0 });
  }

  onEnd(ending: RunEnding): void {
    this.ending = ending;
  }

  /**
   * Starts the timeout (and, traced, the long-task observer). `timedOut` finishes the reason's
   * sentence after "Timed out after 10 s".
   */
  startClock(timedOut: () => string): void {
    const { recorder, options } = this;
    if (options.trace) this.stopLongTasks = observeLongTasks(recorder.push, recorder.runStart);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.timer = setTimeout(
      () => this.end('timed-out', `Timed out after ${formatLimit(timeoutMs)}${timedOut()}`),
      timeoutMs,
    );
  }

  /** Ends the run, once: the first call wins, later ones do nothing. */
  end(status: EndState, reason?: string): void {
    if (this.recorder.isEnded) return;
    clearTimeout(this.timer);
    this.ending.teardown(status);
    this.stopLongTasks();
    this.recorder.finish(status, reason);
    this.ending.after();
  }
}

/** The trace settings every thread of a run with these options gets (see RuntimeSettings.traceCap). */
export function traceSettings(options: RunOptions): Pick<RuntimeSettings, 'trace' | 'traceCap'> {
  return options.trace
    ? { trace: true, traceCap: (options.cap?.traceEvents ?? DEFAULT_TRACE_EVENTS) + 1 }
    : {};
}
