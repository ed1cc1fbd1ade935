/**
 * Runs snippets on the page's main thread, each run in a fresh, hidden, same-origin iframe.
 *
 * The iframe shares the page's thread and event loop — a blocking snippet really freezes the
 * page, which is what the book wants to show — but has its own global: its own `console` to
 * capture, its own timers and pending promises. Stop removes the iframe, which discards them
 * all; the workers the snippet started are terminated explicitly.
 *
 * The snippet is loaded with `import()` of a blob: module made from inside the iframe (so it
 * joins the iframe's module map). Console calls are captured synchronously, so the order of sync
 * code, microtasks and timers is the engine's own (a browser test compares it with a plain
 * `<script type="module">`).
 */
import { MAIN_THREAD } from './events.ts';
import { importLibrary, libraryNames } from './libraries.ts';
import { observeLongTasks } from './longtasks.ts';
import { installRealm, type Realm } from './realm/install.ts';
import { Recorder, type RunHandle } from './recorder.ts';
import { DEFAULT_MAIN_LOOP_BUDGET_MS, DEFAULT_TIMEOUT_MS, type Executor, type RunOptions } from './types.ts';
import { newRunnerWorker } from './worker/new-runner-worker.ts';

function seconds(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
}

export class MainThreadExecutor implements Executor {
  readonly realm = 'main' as const;
  private current: RunHandle | undefined;

  private readonly container: HTMLElement;
  /**
   * The next run's iframe, made while the page is idle: creating a browsing context is most of
   * the cost of starting a main-thread run (~10 ms), so it is paid before the reader presses Run.
   */
  private spare: HTMLIFrameElement | undefined;

  /** @param container where the hidden per-run iframes go (default: document.body) */
  constructor(container?: HTMLElement) {
    this.container = container ?? document.body;
    this.prepareWhenIdle();
  }

  private static newFrame(): HTMLIFrameElement {
    const iframe = document.createElement('iframe');
    iframe.hidden = true;
    iframe.tabIndex = -1;
    iframe.setAttribute('aria-hidden', 'true');
    iframe.title = 'Interleave run';
    return iframe;
  }

  private prepareWhenIdle(): void {
    const prepare = () => {
      if (this.spare?.isConnected && this.spare.contentWindow) return;
      this.spare = MainThreadExecutor.newFrame();
      this.container.append(this.spare);
    };
    if (typeof requestIdleCallback === 'function') requestIdleCallback(prepare, { timeout: 500 });
    else setTimeout(prepare, 0);
  }

  /** A fresh, never-used iframe (the spare when there is one) in the container. */
  private takeFrame(): HTMLIFrameElement {
    const spare = this.spare;
    this.spare = undefined;
    if (spare?.isConnected && spare.contentWindow) return spare;
    spare?.remove();
    const iframe = MainThreadExecutor.newFrame();
    this.container.append(iframe);
    return iframe;
  }

  run(code: string, options: RunOptions = {}): RunHandle {
    this.current?.stop();
    const recorder = new Recorder(options.cap, options.onEvent);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const loopBudgetMs = options.loopBudgetMs ?? DEFAULT_MAIN_LOOP_BUDGET_MS;

    const iframe = this.takeFrame();
    const win = iframe.contentWindow;

    // Assigned once, below, but read by end() which may run before that (no iframe window).
    // eslint-disable-next-line prefer-const
    let realm: Realm | undefined;
    // eslint-disable-next-line prefer-const
    let timer: ReturnType<typeof setTimeout> | undefined;
    let settled = false;
    let idleCheck = false;
    let stopLongTasks = () => undefined as void;

    const end = (status: 'done' | 'stopped' | 'timed-out' | 'failed', reason?: string) => {
      if (recorder.isEnded) return;
      clearTimeout(timer);
      realm?.terminateAll(status === 'done' ? 'run-ended' : 'terminated');
      realm?.stopTracing();
      stopLongTasks();
      iframe.remove();
      recorder.finish(status, reason);
      if (this.current === handle) this.current = undefined;
      this.prepareWhenIdle();
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
    if (!win) {
      end('failed', 'Could not create a realm for the run.');
      return handle;
    }
    realm = installRealm({
      global: win,
      thread: MAIN_THREAD,
      settings: {
        runStart: recorder.runStart,
        loopBudgetMs,
        ...(globalThis.crossOriginIsolated ? { counter: new SharedArrayBuffer(4) } : {}),
        ...(options.trace ? { trace: true } : {}),
      },
      mainThread: true,
      emit: recorder.push,
      newRunnerWorker,
      importLibrary,
      libraryNames,
      onChange,
      onRunaway: (error) => {
        // Let the reader's stack unwind first; the guard keeps throwing meanwhile.
        setTimeout(() => end('stopped', error.message), 0);
      },
    });
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
    this.spare?.remove();
    this.spare = undefined;
  }
}
