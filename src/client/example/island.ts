/**
 * The controller of one <interleave-example>, loaded on the reader's first interaction.
 *
 * State it owns: the example's current code (original, a saved edit, or a shared link's code),
 * the chosen realm, the editor once mounted, the run in progress and its output panel and
 * health meter. The runner (src/runner/) is loaded on intent (`warm`, when the reader's pointer
 * or focus first enters the example) or else on the first Run; the editor (editor.ts) on the
 * first Edit — each its own chunk, so reading a page costs neither.
 *
 * Element attributes it maintains (styling and tests read them; view.ts's `ExampleData` says what
 * each means): `data-state`, `data-runs`, `data-realm`, `data-edited`, `data-editor`,
 * `data-verdict`.
 */
import type { Executor, RealmKind, RunHandle, RunResult } from '../../runner/index.ts';
import type * as EditorModule from './editor.ts';
import type { EditorHandle } from './editor.ts';
import type * as RunnerModule from '../../runner/index.ts';
import type * as TimelineModule from '../timeline/index.ts';
import { HealthMeter } from './meter.ts';
import { OutputPanel } from './output.ts';
import { markPassed, pageKey, readSaved, writeSaved, type SavedEdit } from '../progress/index.ts';
import { decodeShare, encodeShare, playgroundUrl } from './share.ts';
import { copyText } from '../clipboard.ts';
import { formatMs } from '../format-time.ts';
import { couldNotLoad, loadOnce } from '../load-once.ts';
import {
  CLASS,
  exampleData,
  LABEL,
  runLabel,
  SELECT,
  STARTING,
  staticCode,
  verdictOf,
  type Action,
  type Check,
  type ExampleData,
  type ExampleKind,
  type ExampleState,
} from './view.ts';

type Runner = typeof RunnerModule;
const loadRunner = loadOnce((): Promise<Runner> => import('../../runner/index.ts'));
const loadEditor = loadOnce((): Promise<typeof EditorModule> => import('./editor.ts'));

/**
 * The page's one warm worker executor serves whichever example runs in a worker; an example
 * that runs while another holds it gets a worker of its own (cold), so runs never stop each
 * other. Main-thread runs each get their own executor (a cheap iframe per run).
 */
let sharedWorkerOwner: symbol | undefined;

const STATE_TEXT: Record<RunResult['status'], string> = {
  done: 'Done',
  stopped: 'Stopped',
  'timed-out': 'Timed out',
  failed: 'Failed',
};

export function attach(element: HTMLElement): Island {
  return new Island(element);
}

export class Island {
  readonly element: HTMLElement;
  readonly #data: ExampleData;
  readonly id: string;
  readonly original: string;
  readonly hash: string;
  readonly realms: RealmKind[];
  readonly timeoutMs: number;
  readonly playground: boolean;
  readonly kind: ExampleKind;
  #code: string;
  #realm: RealmKind;
  #editor: EditorHandle | undefined;
  #editorLoading: Promise<EditorHandle> | undefined;
  #run: RunHandle | undefined;
  #output: OutputPanel | undefined;
  readonly #meter: HealthMeter;
  readonly #status: HTMLElement;
  #ownExecutors: Partial<Record<RealmKind, Executor>> = {};
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #notice: HTMLElement | undefined;
  #pendingSaved: SavedEdit | undefined;
  #shareLink: HTMLAnchorElement | undefined;
  #runs = 0;
  /** Who holds the page's shared worker executor. */
  readonly #token = Symbol('island');

  constructor(element: HTMLElement) {
    this.element = element;
    const data = (this.#data = exampleData(element));
    this.id = data.id ?? 'example';
    this.original = staticCode(element) ?? '';
    this.hash = data.hash ?? '';
    this.realms = (data.realms ?? 'main worker')
      .split(' ')
      .filter((r): r is RealmKind => r === 'main' || r === 'worker');
    this.timeoutMs = Number(data.timeout) || 10_000;
    this.playground = data.playground !== undefined;
    this.kind = data.exercise !== undefined ? 'exercise' : 'example';
    this.#code = this.original;
    // The reader may have picked a realm before this module arrived.
    const checked = element.querySelector<HTMLInputElement>(SELECT.checkedRealm)?.value;
    this.#realm = this.realms.find((realm) => realm === checked) ?? this.realms[0] ?? 'main';
    this.#status =
      element.querySelector(SELECT.status) ?? element.appendChild(document.createElement('span'));
    const bar = element.querySelector<HTMLElement>(SELECT.bar) ?? element;
    this.#meter = new HealthMeter(bar);
    data.state ??= 'idle';
    data.realm = this.#realm;
    this.#restore();
  }

  get code(): string {
    return this.#editor?.code ?? this.#code;
  }

  get realm(): RealmKind {
    return this.#realm;
  }

  /** Latest run's output as plain text (what expected output is compared with). */
  get outputText(): string {
    return this.#output?.plainText ?? '';
  }

  get longestFrameGap(): number {
    return this.#meter.longestGap;
  }

  /** What each button does; a new action in view.ts's `ACTIONS` is a type error here until handled. */
  readonly #actions: Record<Action, () => void | Promise<void>> = {
    run: () => this.run(),
    stop: () => this.stop(),
    edit: () => this.edit(),
    reset: () => this.reset(),
    copy: () => this.copy(),
    share: () => this.share(),
    restore: () => this.restoreSaved(),
    discard: () => this.discardSaved(),
    undo: () => this.undo(),
    timeline: () => this.toggleTimeline(),
    step: () => this.step(),
  };

  async act(action: Action): Promise<void> {
    await this.#actions[action]();
  }

  /** Loads the runner and warms a worker ahead of a likely Run. */
  warm(): void {
    loadRunner().then(
      (runner) => {
        if (this.realms.includes('worker') && !sharedWorkerOwner) runner.createExecutor('worker');
      },
      () => undefined, // Run tries again, and says so if it fails
    );
  }

  setRealm(value: string): void {
    if (value !== 'main' && value !== 'worker') return;
    if (!this.realms.includes(value)) return;
    this.#realm = value;
    this.#data.realm = value;
    for (const input of this.element.querySelectorAll<HTMLInputElement>(SELECT.realmInput()))
      input.checked = input.value === value;
    if (this.code !== this.original) this.#scheduleSave();
  }

  // ── Running ────────────────────────────────────────────────────────────────────────────────

  async run(): Promise<void> {
    const code = this.code;
    const realm = this.#realm;
    this.#run?.stop();
    this.#say(STARTING);
    let runner: Runner;
    try {
      runner = await loadRunner();
    } catch {
      return this.#say(couldNotLoad('code runner'));
    }
    const executor = this.#executorFor(runner, realm);
    this.#output ??= new OutputPanel(this.#outputHost());
    this.#output.reset();
    this.#runs++;
    this.#data.runs = String(this.#runs);
    this.#setState('running');
    this.#say('Running…');
    delete this.#data.verdict;
    this.#meter.start();
    const output = this.#output;
    // Tracing costs a little, so only when the timeline is open (or the example asks for it).
    const traced = this.#timelineOn();
    const handle = executor.run(code, { timeoutMs: this.timeoutMs, trace: traced });
    this.#run = handle;
    handle.subscribe((event) => output.push(event));
    if (traced) void this.#showTimeline(handle);
    const result = await handle.done;
    if (sharedWorkerOwner === this.#token) sharedWorkerOwner = undefined;
    if (this.#run !== handle) return; // a newer run took over
    this.#run = undefined;
    this.#lastRun = handle;
    output.flushAll();
    this.#meter.stop();
    this.#setState(result.status);
    const reason = result.status !== 'done' && result.reason ? `: ${result.reason}` : '';
    this.#say(`${STATE_TEXT[result.status]} in ${formatMs(result.durationMs, 'coarse')}${reason}`);
    if (this.kind === 'exercise') await this.#check(result, runner);
  }

  // ── Exercises: every run is followed by the exercise's check ───────────────────────────────

  #checkModule: Promise<Check> | undefined;

  /** The exercise's check (a module in data-check), loaded once from a blob URL. */
  #loadCheck(): Promise<Check> {
    return (this.#checkModule ??= (async () => {
      const url = URL.createObjectURL(new Blob([this.#data.check ?? ''], { type: 'text/javascript' }));
      try {
        const module = (await import(/* @vite-ignore */ url)) as { default?: unknown };
        if (typeof module.default !== 'function') throw new Error('the check has no default export');
        return module.default as Check;
      } finally {
        URL.revokeObjectURL(url);
      }
    })());
  }

  async #check(result: RunResult, runner: Runner): Promise<void> {
    const verdict = this.element.querySelector<HTMLElement>(SELECT.verdict);
    const show = (state: NonNullable<ExampleData['verdict']>, message: string) => {
      this.#data.verdict = state;
      if (verdict) verdict.textContent = message;
    };
    if (result.status === 'stopped' && result.reason === 'Stopped.') {
      return show('none', 'Stopped before the end: run it again to check it.');
    }
    const lines = runner.outputText(result.events).split('\n');
    if (lines.length === 1 && lines[0] === '') lines.pop();
    try {
      const check = await this.#loadCheck();
      const { pass, reason } = verdictOf(
        await check({ lines, status: result.status, durationMs: result.durationMs }),
      );
      show(pass ? 'pass' : 'fail', pass ? '✓ Passed: well done.' : `✗ Not yet: ${reason}`);
      if (pass) markPassed(pageKey(), this.id); // the reader's progress (src/client/progress/)
    } catch (error) {
      show('fail', `✗ The check itself failed (${(error as Error).message}). Please report this exercise.`);
    }
  }

  stop(): void {
    this.#run?.stop();
  }

  // ── Step mode (src/client/stepper/) ────────────────────────────────────────────────────────

  /** Records the code in the stepper's engine and opens the stepper panel under the example. */
  async step(): Promise<void> {
    this.#say('Loading the stepper…');
    try {
      const { openStepper } = await import('../stepper/stepper.ts');
      await openStepper({
        host: this.#outputHost(),
        code: this.code,
        editor: () => this.#mountEditor().catch(() => undefined),
        say: (text) => this.#say(text),
      });
    } catch {
      this.#say(couldNotLoad('stepper'));
    }
  }

  // ── Timeline (src/client/timeline/) ─────────────────────────────────────────────────────────

  #timeline: TimelineModule.RunTimeline | undefined;
  #lastRun: RunHandle | undefined;

  /** The Timeline button is pressed (server-rendered pressed for examples with the `timeline` flag). */
  #timelineOn(): boolean {
    const button = this.element.querySelector(SELECT.action('timeline'));
    return button ? button.getAttribute('aria-pressed') === 'true' : this.#data.timeline !== undefined;
  }

  /** Shows or hides the timeline; shown, it draws the last run (untraced: threads and messages). */
  async toggleTimeline(): Promise<void> {
    const button = this.element.querySelector<HTMLElement>(SELECT.action('timeline'));
    const on = !this.#timelineOn();
    button?.setAttribute('aria-pressed', String(on));
    if (!on) {
      if (this.#timeline) this.#timeline.hidden = true;
      return;
    }
    const run = this.#run ?? this.#lastRun;
    if (run) await this.#showTimeline(run);
    else this.#say('Run the example to see its timeline.');
  }

  async #showTimeline(handle: RunHandle): Promise<void> {
    this.#lastRun = handle;
    const { mountTimeline, linkOutput } = await import('../timeline/index.ts');
    const fresh = !this.#timeline;
    const timeline = this.#timeline ?? mountTimeline(this.#outputHost());
    // Right under the output panel (before the expected output).
    if (fresh) this.#output?.element.after(timeline);
    timeline.attach(handle);
    timeline.hidden = false;
    timeline.setAttribute(
      'aria-label',
      `Timeline of ${this.element.getAttribute('aria-label') ?? 'the run'}`,
    );
    this.#timeline = timeline;
    const list = this.#output?.element.querySelector<HTMLElement>(SELECT.output);
    if (fresh && list) linkOutput(timeline, list);
  }

  #executorFor(runner: Runner, realm: RealmKind): Executor {
    if (realm === 'main') return (this.#ownExecutors.main ??= new runner.MainThreadExecutor());
    if (!sharedWorkerOwner || sharedWorkerOwner === this.#token) {
      sharedWorkerOwner = this.#token;
      return runner.createExecutor('worker');
    }
    return (this.#ownExecutors.worker ??= new runner.WorkerExecutor({ warm: false }));
  }

  #outputHost(): HTMLElement {
    let host = this.element.querySelector<HTMLElement>(SELECT.after);
    if (!host) {
      host = document.createElement('div');
      host.className = CLASS.after;
      this.element.append(host);
    }
    return host;
  }

  #setState(state: ExampleState): void {
    this.#data.state = state;
    const running = state === 'running';
    const runButton = this.element.querySelector<HTMLElement>(SELECT.action('run'));
    const stopButton = this.element.querySelector<HTMLElement>(SELECT.action('stop'));
    if (stopButton) stopButton.hidden = !running;
    if (runButton) {
      const label = runButton.lastChild;
      if (label?.nodeType === Node.TEXT_NODE) label.textContent = ` ${runLabel(this.kind, running)}`;
    }
  }

  #say(text: string): void {
    this.#undo = undefined;
    this.#status.textContent = text;
  }

  // ── Undo: Reset and Discard can be taken back until the reader does something else ─────────

  #undo: (() => Promise<void> | void) | undefined;

  /** Says `text` with an Undo button beside it; `undo` puts back what the action removed. */
  #offerUndo(text: string, undo: () => Promise<void> | void): void {
    this.#say(text);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = `${CLASS.button} ${CLASS.quiet}`;
    button.dataset['action'] = 'undo' satisfies Action;
    button.textContent = LABEL.undo;
    this.#status.append(' ', button);
    this.#undo = undo;
    button.focus(); // the button pressed (Reset, Discard) has just gone
  }

  async undo(): Promise<void> {
    const undo = this.#undo;
    this.#undo = undefined;
    await undo?.();
    // Back to the control the reader used, now that it is there again.
    const back = this.element.querySelector<HTMLElement>(
      `${SELECT.action('reset')}:not([hidden]), .${CLASS.notice} ${SELECT.action('restore')}`,
    );
    back?.focus();
  }

  // ── Editing ────────────────────────────────────────────────────────────────────────────────

  async edit(focus = true): Promise<void> {
    const editor = await this.#mountEditor().catch(() => undefined);
    if (focus) editor?.focus();
  }

  /** The editor, loading it on first call; if it cannot be loaded, says so (and rejects). */
  #mountEditor(): Promise<EditorHandle> {
    return (this.#editorLoading ??= loadEditor().then(
      async ({ mountEditor }) => {
        const host = this.element.querySelector<HTMLElement>(SELECT.code) ?? this.element;
        const label = this.element.getAttribute('aria-label') ?? 'Example';
        this.#editor = await mountEditor(host, this.#code, {
          label,
          onChange: () => this.#onEdit(),
          onRun: () => void this.run(),
        });
        this.#data.editor = '';
        return this.#editor;
      },
      (error: unknown) => {
        this.#editorLoading = undefined;
        this.#say(couldNotLoad('editor'));
        throw error;
      },
    ));
  }

  #onEdit(): void {
    // New work: an earlier Reset or Discard can no longer be undone over it.
    if (this.#undo) this.#say('');
    this.#markEdited();
    this.#scheduleSave();
  }

  #markEdited(): void {
    const edited = this.code !== this.original;
    if (edited) this.#data.edited = '';
    else delete this.#data.edited;
    const reset = this.element.querySelector<HTMLElement>(SELECT.action('reset'));
    if (reset) reset.hidden = !edited;
  }

  #scheduleSave(): void {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => this.#save(), 200);
  }

  #save(): void {
    // A save now supersedes a pending one (setCode's change event schedules one): a late timer
    // would write over whatever was stored meanwhile.
    clearTimeout(this.#saveTimer);
    const code = this.code;
    // An old edit waiting for "restore?" is kept until the reader decides or edits anew.
    if (code === this.original && !this.#pendingSaved) writeSaved(this.id, undefined);
    else if (code !== this.original) {
      this.#pendingSaved = undefined;
      this.#notice?.remove();
      writeSaved(this.id, { code, hash: this.hash, realm: this.#realm, savedAt: Date.now() });
    }
  }

  async reset(): Promise<void> {
    const edited = this.code;
    this.#code = this.original;
    this.#editor?.setCode(this.original);
    clearTimeout(this.#saveTimer); // the one just scheduled by setCode's change event, and any before
    writeSaved(this.id, undefined);
    this.#markEdited();
    this.#offerUndo('Reset to the original.', async () => {
      this.#code = edited;
      const editor = await this.#mountEditor().catch(() => undefined);
      editor?.setCode(edited);
      this.#save();
      this.#markEdited();
      this.#say('Your edit is back.');
    });
  }

  async copy(): Promise<void> {
    const ok = await copyText(this.code);
    this.#say(ok ? 'Code copied.' : 'Could not copy: select the code and copy it yourself.');
  }

  async share(): Promise<void> {
    const fragment = await encodeShare({ code: this.code, realm: this.#realm });
    const url = playgroundUrl(fragment);
    if (!this.#shareLink) {
      this.#shareLink = document.createElement('a');
      this.#shareLink.className = CLASS.shareLink;
      this.#shareLink.textContent = LABEL.shareLink;
      this.element.querySelector(SELECT.tools)?.append(this.#shareLink);
    }
    this.#shareLink.href = url;
    const ok = await copyText(url);
    this.#say(
      ok ? 'Share link copied: it opens this code in the playground.' : 'Share link ready (next to Share).',
    );
  }

  // ── Saved edits and shared code ────────────────────────────────────────────────────────────

  #restore(): void {
    if (this.playground) {
      void this.#openShared();
      return;
    }
    const saved = readSaved(this.id);
    if (!saved) return;
    if (saved.hash === this.hash) {
      this.#code = saved.code;
      if (saved.realm) this.setRealm(saved.realm);
      // Without the editor (it could not load) the edit is still what Run runs.
      this.#mountEditor().then(
        () => this.#markEdited(),
        () => undefined,
      );
    } else {
      this.#pendingSaved = saved;
      this.#showNotice();
    }
  }

  async #openShared(): Promise<void> {
    const shared = location.hash.length > 1 ? await decodeShare(location.hash) : undefined;
    if (shared) {
      this.#code = shared.code;
      if (shared.realm) this.setRealm(shared.realm);
      this.#say('Opened a shared example. Nothing has run: press Run when you are ready.');
    } else {
      const saved = readSaved(this.id);
      // Nothing but the page's own code: it stays the static block until the reader edits it.
      if (!saved) return;
      this.#code = saved.code;
      if (saved.realm) this.setRealm(saved.realm);
    }
    await this.#mountEditor().catch(() => undefined);
    this.#markEdited();
  }

  #showNotice(): void {
    const notice = document.createElement('div');
    notice.className = CLASS.notice;
    notice.setAttribute('role', 'note');
    const text = document.createElement('span');
    text.textContent =
      'The original of this example changed since you edited it — your old edit is kept. Restore it?';
    const restore = document.createElement('button');
    restore.type = 'button';
    restore.className = CLASS.button;
    restore.dataset['action'] = 'restore' satisfies Action;
    restore.textContent = LABEL.restore;
    const discard = document.createElement('button');
    discard.type = 'button';
    discard.className = `${CLASS.button} ${CLASS.quiet}`;
    discard.dataset['action'] = 'discard' satisfies Action;
    discard.textContent = LABEL.discard;
    notice.append(text, ' ', restore, ' ', discard);
    this.element.querySelector(SELECT.bar)?.before(notice);
    this.#notice = notice;
  }

  async restoreSaved(): Promise<void> {
    const saved = this.#pendingSaved;
    if (!saved) return;
    this.#pendingSaved = undefined;
    this.#notice?.remove();
    this.#code = saved.code;
    if (saved.realm) this.setRealm(saved.realm);
    const editor = await this.#mountEditor().catch(() => undefined);
    editor?.setCode(saved.code);
    clearTimeout(this.#saveTimer); // scheduled by setCode's change event; saved here at once
    // Saved again against the new original: it is now an edit of this version.
    writeSaved(this.id, { ...saved, hash: this.hash, savedAt: Date.now() });
    this.#markEdited();
    this.#say('Your edit is restored.');
  }

  discardSaved(): void {
    const discarded = this.#pendingSaved;
    this.#pendingSaved = undefined;
    this.#notice?.remove();
    writeSaved(this.id, undefined);
    if (!discarded) return this.#say('Old edit discarded.');
    this.#offerUndo('Old edit discarded.', () => {
      writeSaved(this.id, discarded);
      this.#pendingSaved = discarded;
      this.#showNotice();
      this.#say('Your old edit is kept: restore it or discard it.');
    });
  }
}
