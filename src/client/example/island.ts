/**
 * The controller of one <interleave-example>, loaded on the reader's first interaction. It wires
 * the parts, as the timeline's element.ts does:
 *
 * - `edits.ts`: the code — the editor, saved edits and their restore, Reset and Undo, Copy, Share;
 * - `exercise.ts`: an exercise's check after every run, its verdict, the exercise marked passed;
 * - `status.ts`: the status line, and the Undo it offers;
 * - `output.ts` and `meter.ts`: the run's output panel, the main-thread health meter;
 * - the runner, which runs the code (and chooses the executor: `executorFor(realm, island)`);
 * - the timeline and the stepper, loaded when the reader asks for them.
 *
 * State it owns: the chosen realm, the run in progress and the last one (for the timeline). The
 * runner (src/runner/) is loaded on intent (`warm`, when the reader's pointer or focus first
 * enters the example) or else on the first Run; the editor on the first Edit — each its own
 * chunk, so reading a page costs neither.
 *
 * Element attributes it maintains (styling and tests read them; view.ts's `ExampleData` says what
 * each means): `data-state`, `data-runs`, `data-realm`, and through its parts `data-edited`,
 * `data-editor` (edits.ts) and `data-verdict` (exercise.ts).
 */
import type { RealmKind, RunHandle, RunResult } from '../../runner/index.ts';
import type * as RunnerModule from '../../runner/index.ts';
import type * as TimelineModule from '../timeline/index.ts';
import { formatMs } from '../format-time.ts';
import { couldNotLoad, loadOnce } from '../load-once.ts';
import { Edits } from './edits.ts';
import { ExerciseCheck } from './exercise.ts';
import { HealthMeter } from './meter.ts';
import { OutputPanel } from './output.ts';
import { StatusLine } from './status.ts';
import {
  CLASS,
  exampleData,
  runLabel,
  SELECT,
  STARTING,
  staticCode,
  type Action,
  type ExampleData,
  type ExampleKind,
  type ExampleState,
} from './view.ts';

const loadRunner = loadOnce((): Promise<typeof RunnerModule> => import('../../runner/index.ts'));

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
  readonly realms: RealmKind[];
  readonly timeoutMs: number;
  readonly kind: ExampleKind;
  readonly status: StatusLine;
  #realm: RealmKind;
  #run: RunHandle | undefined;
  #output: OutputPanel | undefined;
  readonly #meter: HealthMeter;
  readonly #edits: Edits;
  readonly #exercise: ExerciseCheck | undefined;
  #runs = 0;

  constructor(element: HTMLElement) {
    this.element = element;
    const data = (this.#data = exampleData(element));
    this.id = data.id ?? 'example';
    this.original = staticCode(element) ?? '';
    this.realms = (data.realms ?? 'main worker')
      .split(' ')
      .filter((r): r is RealmKind => r === 'main' || r === 'worker');
    this.timeoutMs = Number(data.timeout) || 10_000;
    this.kind = data.exercise !== undefined ? 'exercise' : 'example';
    // The reader may have picked a realm before this module arrived.
    const checked = element.querySelector<HTMLInputElement>(SELECT.checkedRealm)?.value;
    this.#realm = this.realms.find((realm) => realm === checked) ?? this.realms[0] ?? 'main';
    this.status = new StatusLine(
      element.querySelector(SELECT.status) ?? element.appendChild(document.createElement('span')),
    );
    const bar = element.querySelector<HTMLElement>(SELECT.bar) ?? element;
    this.#meter = new HealthMeter(bar);
    this.#exercise = this.kind === 'exercise' ? new ExerciseCheck(element, this.id) : undefined;
    data.state ??= 'idle';
    data.realm = this.#realm;
    this.#edits = new Edits(this);
    this.#edits.restore();
  }

  get code(): string {
    return this.#edits.code;
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
    edit: () => this.#edits.edit(),
    reset: () => this.#edits.reset(),
    copy: () => this.#edits.copy(),
    share: () => this.#edits.share(),
    restore: () => this.#edits.restoreSaved(),
    discard: () => this.#edits.discardSaved(),
    undo: () => this.#edits.undo(),
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
        if (this.realms.includes('worker')) runner.warmWorker();
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
    if (this.#edits.edited) this.#edits.scheduleSave();
  }

  // ── Running ────────────────────────────────────────────────────────────────────────────────

  async run(): Promise<void> {
    const code = this.code;
    const realm = this.#realm;
    this.#run?.stop();
    this.status.say(STARTING);
    let runner: typeof RunnerModule;
    try {
      runner = await loadRunner();
    } catch {
      return this.status.say(couldNotLoad('code runner'));
    }
    const executor = runner.executorFor(realm, this);
    this.#output ??= new OutputPanel(this.#outputHost());
    this.#output.reset();
    this.#runs++;
    this.#data.runs = String(this.#runs);
    this.#setState('running');
    this.status.say('Running…');
    this.#exercise?.clear();
    this.#meter.start();
    const output = this.#output;
    // Tracing costs a little, so only when the timeline is open (or the example asks for it).
    const traced = this.#timelineOn();
    const handle = executor.run(code, { timeoutMs: this.timeoutMs, trace: traced });
    this.#run = handle;
    handle.subscribe((event) => output.push(event));
    if (traced) void this.#showTimeline(handle);
    const result = await handle.done;
    if (this.#run !== handle) return; // a newer run took over
    this.#run = undefined;
    this.#lastRun = handle;
    output.flushAll();
    this.#meter.stop();
    this.#setState(result.status);
    const reason = result.status !== 'done' && result.reason ? `: ${result.reason}` : '';
    this.status.say(`${STATE_TEXT[result.status]} in ${formatMs(result.durationMs, 'coarse')}${reason}`);
    await this.#exercise?.judge(result, runner.outputText(result.events));
  }

  stop(): void {
    this.#run?.stop();
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

  /** Where the output panel, the timeline and the stepper go: the box under the bar. */
  #outputHost(): HTMLElement {
    let host = this.element.querySelector<HTMLElement>(SELECT.after);
    if (!host) {
      host = document.createElement('div');
      host.className = CLASS.after;
      this.element.append(host);
    }
    return host;
  }

  // ── Step mode (src/client/stepper/) ────────────────────────────────────────────────────────

  /** Records the code in the stepper's engine and opens the stepper panel under the example. */
  async step(): Promise<void> {
    this.status.say('Loading the stepper…');
    try {
      const { openStepper } = await import('../stepper/stepper.ts');
      await openStepper({
        host: this.#outputHost(),
        code: this.code,
        editor: () => this.#edits.mountEditor().catch(() => undefined),
        say: (text) => this.status.say(text),
      });
    } catch {
      this.status.say(couldNotLoad('stepper'));
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
    else this.status.say('Run the example to see its timeline.');
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
}
