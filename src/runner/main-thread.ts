/**
 * Runs snippets on the page's main thread, each run in a fresh, hidden, same-origin iframe.
 *
 * The iframe shares the page's thread and event loop — a blocking snippet really freezes the
 * page, which is what the book wants to show — but has its own global: its own `console` to
 * capture, its own timers and pending promises. Stop removes the iframe, which discards them
 * all; the workers the snippet started are terminated explicitly.
 *
 * The snippet is evaluated in the iframe's global, as a strict async function body or (when it
 * needs what only a module has) as a module imported from inside the iframe — see
 * realm/install.ts and transform.ts. Console calls are captured synchronously, so the order of
 * sync code, microtasks and timers is the engine's own (a browser test compares it with a plain
 * `<script type="module">`).
 */
import { MAIN_THREAD, type RunEvent } from './events.ts';
import { importLibrary, libraryNames } from './libraries.ts';
import { observeLongTasks } from './longtasks.ts';
import { installRealm, type Realm } from './realm/install.ts';
import { warmUpTransform } from './transform.ts';
import { Recorder, traceSettings, type RunHandle } from './recorder.ts';
import { canShareMemory, describeSetUpError } from './shared-memory.ts';
import { DEFAULT_MAIN_LOOP_BUDGET_MS, DEFAULT_TIMEOUT_MS, type Executor, type RunOptions } from './types.ts';
import { brokeredWorkers, WorkerBroker } from './worker/broker.ts';
import { newRunnerWorker } from './worker/new-runner-worker.ts';
import type { RealmSettings } from './worker/protocol.ts';

function seconds(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
}

export class MainThreadExecutor implements Executor {
  readonly realm = 'main' as const;
  private current: RunHandle | undefined;

  private readonly container: HTMLElement;
  /**
   * Iframes with a realm already installed, made while the page is idle, one per kind of run
   * (plain, traced, another loop budget): creating a browsing context (~10 ms) and installing the
   * realm (~3 ms) are most of the cost of starting a main-thread run, so they are paid before the
   * reader presses Run. A plain spare is always kept; after a run of another kind, one of that
   * kind too (the reader is likely to run it again). The realm's hooks forward to whichever run
   * takes it; its settings get that run's start time.
   */
  private readonly spares = new Map<string, Prepared>();
  /** The options of the latest run that was not plain, whose kind of spare is kept too. */
  private other: RunOptions | undefined;

  /** @param container where the hidden per-run iframes go (default: document.body) */
  constructor(container?: HTMLElement) {
    this.container = container ?? document.body;
    this.prepareWhenIdle({});
  }

  private static newFrame(): HTMLIFrameElement {
    const iframe = document.createElement('iframe');
    iframe.hidden = true;
    iframe.tabIndex = -1;
    iframe.setAttribute('aria-hidden', 'true');
    iframe.title = 'Interleave run';
    return iframe;
  }

  /** Which spare fits a run: runs differ in what the realm installs for them. */
  private static kind(options: RunOptions): string {
    const trace = options.trace ? `traced, cap ${traceSettings(options).traceCap}` : 'plain';
    return `${trace}, loop budget ${options.loopBudgetMs ?? DEFAULT_MAIN_LOOP_BUDGET_MS}`;
  }

  private prepareWhenIdle(options: RunOptions): void {
    const kind = MainThreadExecutor.kind(options);
    const plain = MainThreadExecutor.kind({});
    const prepare = () => {
      // Never in the middle of a run: it would stall the run's thread (~10 ms) and skew the
      // very timings a snippet shows. The run's end asks again.
      if (this.current || this.spares.get(kind)?.iframe.isConnected) return;
      warmUpTransform();
      // At most two: the plain one and the latest other kind.
      if (kind !== plain)
        for (const [other, spare] of this.spares)
          if (other !== plain && other !== kind) {
            spare.iframe.remove();
            this.spares.delete(other);
          }
      this.spares.set(kind, this.prepare(options));
    };
    if (typeof requestIdleCallback === 'function') requestIdleCallback(prepare, { timeout: 500 });
    else setTimeout(prepare, 0);
  }

  /** An iframe in the container with a realm installed for runs with these options. */
  private prepare(options: RunOptions): Prepared {
    const iframe = MainThreadExecutor.newFrame();
    this.container.append(iframe);
    const hooks: Hooks = { emit: () => undefined, onChange: () => undefined, onRunaway: () => undefined };
    const settings: { runStart: number } & Omit<RealmSettings, 'runStart'> = {
      runStart: 0,
      loopBudgetMs: options.loopBudgetMs ?? DEFAULT_MAIN_LOOP_BUDGET_MS,
      ...(canShareMemory() ? { counter: new SharedArrayBuffer(4) } : {}),
      ...traceSettings(options),
    };
    const win = iframe.contentWindow;
    // The snippet's workers, and theirs, are started and (at the run's end) stopped by the page.
    const broker = new WorkerBroker(newRunnerWorker);
    let realm: Realm | undefined;
    let setUpError: string | undefined;
    try {
      realm = win
        ? installRealm({
            global: win,
            thread: MAIN_THREAD,
            settings,
            mainThread: true,
            emit: (event) => hooks.emit(event),
            newRunnerWorker: brokeredWorkers(
              broker.connect(),
              (win as { Worker?: typeof Worker }).Worker?.prototype,
            ),
            importLibrary,
            libraryNames,
            onChange: () => hooks.onChange(),
            onRunaway: (error) => hooks.onRunaway(error),
          })
        : undefined;
    } catch (error) {
      // Reported by the run that takes this realm: a run must never hang on its set-up.
      setUpError = describeSetUpError(error);
    }
    return { iframe, realm, broker, hooks, settings, ...(setUpError ? { setUpError } : {}) };
  }

  /** A never-used prepared realm for these options: a spare of their kind, else a new one. */
  private take(options: RunOptions): Prepared {
    const kind = MainThreadExecutor.kind(options);
    const spare = this.spares.get(kind);
    this.spares.delete(kind);
    if (spare?.iframe.isConnected) return spare;
    return this.prepare(options);
  }

  run(code: string, options: RunOptions = {}): RunHandle {
    this.current?.stop();
    const recorder = new Recorder(options.cap, options.onEvent);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

    if (MainThreadExecutor.kind(options) !== MainThreadExecutor.kind({})) {
      // Only what decides the kind: not the run's listeners.
      const { trace, loopBudgetMs, cap } = options;
      this.other = {
        ...(trace ? { trace } : {}),
        ...(loopBudgetMs !== undefined ? { loopBudgetMs } : {}),
        ...(cap?.traceEvents !== undefined ? { cap: { traceEvents: cap.traceEvents } } : {}),
      };
    }
    const prepared = this.take(options);
    const { iframe, realm, broker, hooks, setUpError } = prepared;
    prepared.settings.runStart = recorder.runStart;

    // Assigned once, below, but read by end() which may run before that (no realm).
    // eslint-disable-next-line prefer-const
    let timer: ReturnType<typeof setTimeout> | undefined;
    let settled = false;
    let idleCheck = false;
    let stopLongTasks = () => undefined as void;

    const end = (status: 'done' | 'stopped' | 'timed-out' | 'failed', reason?: string) => {
      if (recorder.isEnded) return;
      clearTimeout(timer);
      realm?.terminateAll(status === 'done' ? 'run-ended' : 'terminated');
      broker.terminateAll();
      realm?.stopTracing();
      stopLongTasks();
      iframe.remove();
      recorder.finish(status, reason);
      if (this.current === handle) this.current = undefined;
      this.prepareWhenIdle({});
      if (this.other) this.prepareWhenIdle(this.other);
    };
    const onChange = () => {
      if (!settled || idleCheck || !realm || realm.busy()) return;
      idleCheck = true;
      // Confirm a little later: an unhandled rejection or a message may still be on its way.
      setTimeout(() => {
        idleCheck = false;
        if (settled && realm && !realm.busy()) end('done');
      }, 10);
    };

    const handle: RunHandle = {
      get events() {
        return recorder.events;
      },
      subscribe: (listener) => recorder.subscribe(listener),
      stop: () => end('stopped', 'Stopped.'),
      done: recorder.done,
    };
    this.current = handle;

    recorder.push({ kind: 'status', state: 'running', thread: MAIN_THREAD, t: 0 });
    if (!realm) {
      end('failed', setUpError ?? 'Could not create a realm for the run.');
      return handle;
    }
    hooks.emit = recorder.push;
    hooks.onChange = onChange;
    hooks.onRunaway = (error) => {
      // Let the reader's stack unwind first; the guard keeps throwing meanwhile.
      setTimeout(() => end('stopped', error.message), 0);
    };
    if (options.trace) stopLongTasks = observeLongTasks(recorder.push, recorder.runStart);
    timer = setTimeout(() => {
      const busy = realm?.describeBusy();
      end(
        'timed-out',
        `Timed out after ${seconds(timeoutMs)}${busy ? `: ${busy}` : ''}. Everything the run started was stopped.`,
      );
    }, timeoutMs);

    void realm.run(code, 'module', 'snippet.js').then((outcome) => {
      if (outcome === 'syntax-error') return end('failed', 'The code has a syntax error; nothing ran.');
      settled = true;
      onChange();
    });
    return handle;
  }

  dispose(): void {
    this.current?.stop();
    for (const spare of this.spares.values()) spare.iframe.remove();
    this.spares.clear();
  }
}

/** Where a prepared realm sends its events and news; set by the run that takes it. */
interface Hooks {
  emit: (event: RunEvent) => void;
  onChange: () => void;
  onRunaway: (error: Error) => void;
}

interface Prepared {
  readonly iframe: HTMLIFrameElement;
  readonly realm: Realm | undefined;
  readonly broker: WorkerBroker;
  readonly hooks: Hooks;
  readonly settings: { runStart: number; loopBudgetMs: number };
  /** Why installing the realm failed, if it did. */
  readonly setUpError?: string;
}
