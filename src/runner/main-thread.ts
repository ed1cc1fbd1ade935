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
 * runtime/install.ts and src/snippet/transform.ts. Console calls are captured synchronously, so
 * the order of sync code, microtasks and timers is the engine's own (a browser test compares it
 * with a plain `<script type="module">`).
 */
import { MAIN_THREAD, type RunEvent } from './events.ts';
import { importLibrary, libraryNames, warmUpTransform } from '../snippet/index.ts';
import { RunLifecycle, traceSettings } from './lifecycle.ts';
import type { RuntimeSettings } from './protocol.ts';
import { installRuntime, type Runtime } from './runtime/install.ts';
import { canShareMemory, describeSetUpError } from './shared-memory.ts';
import { DEFAULT_MAIN_LOOP_BUDGET_MS, type Executor, type RunHandle, type RunOptions } from './types.ts';
import { brokeredWorkers, WorkerBroker } from './worker/broker.ts';
import { newRunnerWorker } from './worker/new-runner-worker.ts';

export class MainThreadExecutor implements Executor {
  readonly realm = 'main' as const;
  private current: RunHandle | undefined;

  private readonly container: HTMLElement;
  /**
   * Iframes with the runtime already installed, made while the page is idle, one per kind of run
   * (plain, traced, another loop budget): creating a browsing context (~10 ms) and installing the
   * runtime (~3 ms) are most of the cost of starting a main-thread run, so they are paid before the
   * reader presses Run. A plain spare is always kept; after a run of another kind, one of that
   * kind too (the reader is likely to run it again). The runtime's hooks forward to whichever run
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

  /** Which spare fits a run: runs differ in what the runtime installs for them. */
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

  /** An iframe in the container with the runtime installed for runs with these options. */
  private prepare(options: RunOptions): Prepared {
    const iframe = MainThreadExecutor.newFrame();
    this.container.append(iframe);
    const hooks: Hooks = { emit: () => undefined, onIdle: () => undefined, onRunaway: () => undefined };
    const settings: { runStart: number } & Omit<RuntimeSettings, 'runStart'> = {
      runStart: 0,
      loopBudgetMs: options.loopBudgetMs ?? DEFAULT_MAIN_LOOP_BUDGET_MS,
      ...(canShareMemory() ? { counter: new SharedArrayBuffer(4) } : {}),
      ...traceSettings(options),
    };
    const win = iframe.contentWindow;
    // The snippet's workers, and theirs, are started and (at the run's end) stopped by the page.
    const broker = new WorkerBroker(newRunnerWorker);
    let runtime: Runtime | undefined;
    let setUpError: string | undefined;
    try {
      runtime = win
        ? installRuntime({
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
            onIdle: () => hooks.onIdle(),
            onRunaway: (error) => hooks.onRunaway(error),
          })
        : undefined;
    } catch (error) {
      // Reported by the run that takes this iframe: a run must never hang on its set-up.
      setUpError = describeSetUpError(error);
    }
    return { iframe, runtime, broker, hooks, settings, ...(setUpError ? { setUpError } : {}) };
  }

  /** A never-used prepared iframe for these options: a spare of their kind, else a new one. */
  private take(options: RunOptions): Prepared {
    const kind = MainThreadExecutor.kind(options);
    const spare = this.spares.get(kind);
    this.spares.delete(kind);
    if (spare?.iframe.isConnected) return spare;
    return this.prepare(options);
  }

  run(code: string, options: RunOptions = {}): RunHandle {
    this.current?.stop();
    const run = new RunLifecycle(options);
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
    const { iframe, runtime, broker, hooks, setUpError } = prepared;
    prepared.settings.runStart = run.recorder.runStart;
    run.onEnd({
      teardown: (status) => {
        runtime?.terminateAll(status === 'done' ? 'run-ended' : 'terminated');
        broker.terminateAll();
        runtime?.stopTracing();
        iframe.remove();
      },
      after: () => {
        if (this.current === run.handle) this.current = undefined;
        this.prepareWhenIdle({});
        if (this.other) this.prepareWhenIdle(this.other);
      },
    });
    this.current = run.handle;

    if (!runtime) {
      run.end('failed', setUpError ?? 'Could not create a realm for the run.');
      return run.handle;
    }
    hooks.emit = run.recorder.push;
    hooks.onIdle = () => run.end('done');
    hooks.onRunaway = (error) => {
      // Let the reader's stack unwind first; the guard keeps throwing meanwhile.
      setTimeout(() => run.end('stopped', error.message), 0);
    };
    run.startClock(() => {
      const busy = runtime.describeBusy();
      return `${busy ? `: ${busy}` : ''}. Everything the run started was stopped.`;
    });

    void runtime.run(code, 'module', 'snippet.js').then((outcome) => {
      if (outcome === 'syntax-error') run.end('failed', 'The code has a syntax error; nothing ran.');
    });
    return run.handle;
  }

  dispose(): void {
    this.current?.stop();
    for (const spare of this.spares.values()) spare.iframe.remove();
    this.spares.clear();
  }
}

/** Where a prepared runtime sends its events and news; set by the run that takes it. */
interface Hooks {
  emit: (event: RunEvent) => void;
  onIdle: () => void;
  onRunaway: (error: Error) => void;
}

interface Prepared {
  readonly iframe: HTMLIFrameElement;
  readonly runtime: Runtime | undefined;
  readonly broker: WorkerBroker;
  readonly hooks: Hooks;
  readonly settings: { runStart: number; loopBudgetMs: number };
  /** Why installing the runtime failed, if it did. */
  readonly setUpError?: string;
}
