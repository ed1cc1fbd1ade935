/**
 * `<model-scheduler data-for="<example id>">`: be the scheduler of the `interleave/model` program
 * in the example with that id, in three ways — by hand (the reader picks which thread runs each
 * step, and can undo), a seeded random schedule (its seed in a share link), and an exploration of
 * every schedule whose shortest failing one opens by hand at its last step.
 *
 * State: the loaded program (re-read from the example's current code at each mode's start, so the
 * reader's edits count), and in by-hand mode one {@link HandSession}. Every step re-renders the
 * panel from the session; the polite status line announces what the step did.
 */
import {
  model,
  parseSchedule,
  type Choice,
  type ExploreReport,
  type ModelMove,
  type Setup,
  type StateView,
} from '../../concurrency/model/index.ts';
import type { RunEvent } from '../../runner/index.ts';
import { staticCode } from '../example/view.ts';
import {
  HandSession,
  describeEnding,
  describeStep,
  formatSchedule,
  laneStatus,
  lineOf,
  moveLabel,
  parseRandomFragment,
  randomFragment,
  scheduleEvents,
} from './session.ts';

export const SCHEDULER_TAG = 'model-scheduler';

/** Most schedules an exploration in the page tries. */
export const EXPLORE_LIMIT = 20_000;

type ExampleElement = HTMLElement & { island?: () => Promise<{ code: string } | undefined> };

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> & { className?: string } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

export class ModelSchedulerElement extends HTMLElement {
  #session: HandSession | undefined;
  #setup: Setup | undefined;
  #code = '';
  /** The thread the failing schedule takes next, while the reader replays it by hand. */
  #suggested: Choice | undefined;
  #busy = false;

  connectedCallback(): void {
    this.addEventListener('click', (event) => void this.#onClick(event));
    this.addEventListener('keydown', (event) => void this.#onKey(event));
    for (const hidden of this.querySelectorAll<HTMLElement>('[data-js-only]')) hidden.hidden = false;
    const shared = parseRandomFragment(location.hash);
    if (shared && shared.exampleId === this.exampleId) {
      this.#seedInput.value = String(shared.seed);
      void this.random();
    }
  }

  get exampleId(): string {
    return this.dataset['for'] ?? '';
  }

  /** The by-hand session, while there is one (for tests). */
  get session(): HandSession | undefined {
    return this.#session;
  }

  get #status(): HTMLElement {
    return this.querySelector<HTMLElement>('.ms-status')!;
  }

  get #view(): HTMLElement {
    return this.querySelector<HTMLElement>('.ms-view')!;
  }

  get #seedInput(): HTMLInputElement {
    return this.querySelector<HTMLInputElement>('input[name="seed"]')!;
  }

  #say(text: string): void {
    this.#status.textContent = text;
  }

  async #onClick(event: Event): Promise<void> {
    const button = (event.target as Element | null)?.closest<HTMLButtonElement>('button');
    if (!button || button.disabled) return;
    const { mode, thread, branch, act } = button.dataset;
    if (mode === 'hand') await this.byHand();
    else if (mode === 'random') await this.random();
    else if (mode === 'explore') await this.explore();
    else if (thread) await this.step(Number(thread), branch === undefined ? undefined : Number(branch));
    else if (act === 'undo') await this.#withSession((s) => s.undo(), 'Took back the last step.');
    else if (act === 'restart') await this.#withSession((s) => s.restart(), 'Back at the start.');
    else if (act === 'open') {
      // At its last step: the replay stops just before it, and the reader takes it.
      const schedule = parseSchedule(button.dataset['schedule'] ?? '');
      await this.byHand(schedule.slice(0, -1), schedule.at(-1));
    } else if (act === 'timeline') await this.#drawTimeline(button);
  }

  async #onKey(event: KeyboardEvent): Promise<void> {
    if (!this.#session || event.altKey || event.ctrlKey || event.metaKey) return;
    if ((event.target as Element | null)?.closest('input, textarea, [contenteditable]')) return;
    if (!/^[1-9]$/.test(event.key)) return;
    event.preventDefault();
    const thread = Number(event.key);
    if (!this.#session.moves().some((m) => m.thread === thread)) {
      this.#say(`Thread ${thread} cannot run now.`);
      return;
    }
    await this.step(thread);
  }

  /** The program in the example's current code; says why not when there is none. */
  async #load(): Promise<Setup | undefined> {
    const example = document.querySelector<ExampleElement>(
      `interleave-example[data-id="${CSS.escape(this.exampleId)}"]`,
    );
    if (!example) {
      this.#say(`There is no example "${this.exampleId}" on this page.`);
      return undefined;
    }
    const island = await example.island?.();
    const code = island?.code ?? staticCode(example) ?? '';
    if (this.#setup && code === this.#code) return this.#setup;
    // The transform (acorn) comes only with the first press: the panel itself stays small.
    const { loadProgram } = await import('./load.ts');
    const loaded = await loadProgram(code);
    if ('problem' in loaded) {
      this.#say(loaded.problem);
      this.#view.replaceChildren(el('p', { className: 'ms-problem' }, loaded.problem));
      return undefined;
    }
    this.#code = code;
    this.#setup = loaded.setup;
    return loaded.setup;
  }

  async #guard(work: () => Promise<void>): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.dataset['state'] = 'busy';
    try {
      await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#say(message);
      this.#view.replaceChildren(el('p', { className: 'ms-problem' }, message));
    } finally {
      this.#busy = false;
      this.dataset['state'] = 'ready';
    }
  }

  // ---- by hand ---------------------------------------------------------------------------

  /** Starts a by-hand run, replayed along `schedule` when given. */
  async byHand(schedule: readonly Choice[] = [], suggested?: Choice): Promise<void> {
    await this.#guard(async () => {
      const setup = await this.#load();
      if (!setup) return;
      this.#session = await HandSession.open(setup, schedule);
      this.#suggested = suggested;
      this.#renderHand();
      const start =
        schedule.length === 0
          ? 'By hand: pick the thread that runs next (or press its number).'
          : `Replayed ${schedule.length} steps.`;
      const next = suggested ? ` The failing schedule runs thread ${suggested.thread} next.` : '';
      this.#say(`${start}${next}`);
      this.querySelector<HTMLButtonElement>('[role="group"] button:not([disabled])')?.focus();
    });
  }

  async step(thread: number, branch?: number): Promise<void> {
    await this.#guard(async () => {
      const session = this.#session;
      if (!session) return;
      if (!(await session.choose(thread, branch))) {
        this.#say(`Thread ${thread} cannot run now.`);
        return;
      }
      this.#suggested = undefined;
      const names = this.#names(session.run.state());
      const said = describeStep(session.run.steps.at(-1)!, names);
      this.#renderHand(thread);
      this.#say([said, describeEnding(session.run.ending)].filter(Boolean).join(' '));
    });
  }

  async #withSession(act: (session: HandSession) => Promise<void>, said: string): Promise<void> {
    await this.#guard(async () => {
      if (!this.#session) return;
      await act(this.#session);
      this.#suggested = undefined;
      this.#renderHand();
      this.#say(said);
    });
  }

  #names(state: StateView): Map<number, string> {
    return new Map(state.threads.map((t) => [t.id, t.name]));
  }

  #renderHand(focusThread?: number): void {
    const session = this.#session!;
    const run = session.run;
    const state = run.state();
    const moves = session.moves();
    const lines = this.#code.split('\n');
    const hadFocus =
      this.contains(document.activeElement) && document.activeElement?.closest('[role="group"]');

    const group = el('div', { className: 'ms-threads' });
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', 'Threads');
    for (const thread of state.threads) {
      const lane = el('div', { className: 'ms-lane' });
      lane.dataset['status'] = thread.status;
      const mine = moves.filter((m) => m.thread === thread.id);
      if (mine.length === 0) {
        const button = el(
          'button',
          { type: 'button', disabled: true, className: 'ms-thread' },
          laneStatus(thread),
        );
        lane.append(button);
      }
      for (const move of mine) lane.append(this.#moveButton(move, thread.name, lines));
      group.append(lane);
    }

    const tools = el(
      'div',
      { className: 'ms-tools' },
      el('button', { type: 'button', disabled: !session.canUndo }, 'Undo'),
      el('button', { type: 'button', disabled: !session.canUndo }, 'Restart'),
    );
    tools.children[0]!.setAttribute('data-act', 'undo');
    tools.children[1]!.setAttribute('data-act', 'restart');

    const ending = describeEnding(run.ending);
    this.#view.replaceChildren(
      group,
      tools,
      ...(ending ? [el('p', { className: 'ms-ending' }, ending)] : []),
      this.#renderCode(lines, state),
      this.#renderState(state),
      this.#renderSteps(session),
      this.#timelineToggle(),
    );
    this.dataset['ending'] = run.ending.kind;
    if (hadFocus) {
      const target =
        this.querySelector<HTMLButtonElement>(
          `[role="group"] button[data-thread="${focusThread}"]:not([disabled])`,
        ) ??
        this.querySelector<HTMLButtonElement>('[role="group"] button:not([disabled])') ??
        this.querySelector<HTMLButtonElement>('[data-act="undo"]');
      target?.focus();
    }
  }

  #moveButton(move: ModelMove, name: string, lines: readonly string[]): HTMLButtonElement {
    const label = moveLabel(move, name, lines);
    const suggested = this.#suggested?.thread === move.thread && this.#suggested.branch === move.branch;
    const button = el(
      'button',
      { type: 'button', className: 'ms-thread' },
      suggested ? `${label} (the failing schedule's next step)` : label,
    );
    button.dataset['thread'] = String(move.thread);
    if (move.branch !== undefined) button.dataset['branch'] = String(move.branch);
    if (suggested) button.classList.add('ms-suggested');
    return button;
  }

  #renderCode(lines: readonly string[], state: StateView): HTMLElement {
    const next = new Map<number, string[]>();
    for (const thread of state.threads) {
      const line = lineOf(thread.site);
      if (line !== undefined && (thread.status === 'ready' || thread.status === 'blocked')) {
        next.set(line, [...(next.get(line) ?? []), thread.name]);
      }
    }
    const list = el('ol', { className: 'ms-code' });
    list.setAttribute('aria-label', 'The code, with each thread’s next line marked');
    list.tabIndex = 0; // long lines scroll sideways: keyboard users must reach it
    lines.forEach((text, index) => {
      const who = next.get(index + 1);
      const item = el('li', {}, el('code', {}, text || ' '));
      if (who) {
        item.classList.add('ms-next');
        item.append(el('span', { className: 'ms-badge' }, `next: ${who.join(', ')}`));
      }
      list.append(item);
    });
    return list;
  }

  #renderState(state: StateView): HTMLElement {
    const rows: [string, string][] = [
      ...state.variables.map((v): [string, string] => [v.name, v.value]),
      ...state.locks.map((l): [string, string] => [`${l.kind} ${l.name}`, l.state]),
      ...state.channels.map((c): [string, string] => [
        `channel ${c.name}`,
        `${c.buffer.length ? `[${c.buffer.join(', ')}]` : 'empty'}${c.capacity ? ` (capacity ${c.capacity})` : ' (unbuffered)'}${c.closed ? ', closed' : ''}`,
      ]),
    ];
    const body = el('tbody');
    for (const [name, value] of rows)
      body.append(el('tr', {}, el('th', { scope: 'row' }, name), el('td', {}, value)));
    return el(
      'table',
      { className: 'ms-state' },
      el('caption', {}, 'Shared state'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Name'), el('th', { scope: 'col' }, 'Value'))),
      body,
    );
  }

  #renderSteps(session: HandSession): HTMLElement {
    const names = this.#names(session.run.state());
    const list = el('ol', { className: 'ms-steps' });
    list.setAttribute('aria-label', 'Steps so far');
    for (const step of session.run.steps) list.append(el('li', {}, describeStep(step, names)));
    return el(
      'details',
      { className: 'ms-history' },
      el('summary', {}, `Schedule so far: ${formatSchedule(session.schedule) || '(no step yet)'}`),
      list,
    );
  }

  #timelineToggle(): HTMLElement {
    const button = el('button', { type: 'button' }, 'Show as a timeline');
    button.dataset['act'] = 'timeline';
    return el('div', { className: 'ms-timeline' }, button);
  }

  /** Draws the current schedule on the run timeline, with its Mermaid text. */
  async #drawTimeline(button: HTMLButtonElement): Promise<void> {
    const events = this.#events();
    if (!events) return;
    const { mountTimeline, toMermaidSequence } = await import('../timeline/index.ts');
    const box = button.parentElement!;
    const timeline = mountTimeline(box);
    timeline.setEvents(events);
    const mermaid = el('pre', { className: 'ms-mermaid' }, el('code', {}, toMermaidSequence(events)));
    mermaid.tabIndex = 0; // it scrolls: keyboard users must reach it
    mermaid.setAttribute('role', 'region');
    mermaid.setAttribute('aria-label', 'The schedule as a Mermaid sequence diagram');
    box.querySelector('.ms-mermaid')?.remove();
    box.append(mermaid);
    button.remove();
  }

  #events(): RunEvent[] | undefined {
    const run = this.#session?.run;
    if (!run) return undefined;
    return scheduleEvents(run.steps, this.#names(run.state()), describeEnding(run.ending));
  }

  // ---- random and explore ----------------------------------------------------------------

  async random(): Promise<void> {
    await this.#guard(async () => {
      const setup = await this.#load();
      if (!setup) return;
      const seed = Math.max(0, Math.floor(Number(this.#seedInput.value) || 0));
      this.#seedInput.value = String(seed);
      const run = await model(setup).random(seed);
      const link = `${location.pathname}${location.search}${randomFragment(this.exampleId, seed)}`;
      const names = new Map(run.state.threads.map((t) => [t.id, t.name]));
      const list = el('ol', { className: 'ms-steps' });
      list.setAttribute('aria-label', `Steps of the schedule with seed ${seed}`);
      for (const step of run.steps) list.append(el('li', {}, describeStep(step, names)));
      const ending = describeEnding(run.ending) ?? '';
      const open = el('button', { type: 'button' }, 'Open this schedule by hand');
      open.dataset['act'] = 'open';
      open.dataset['schedule'] = formatSchedule(run.schedule);
      this.#session = undefined;
      this.#view.replaceChildren(
        el('p', { className: 'ms-ending' }, `Seed ${seed}: ${ending}`),
        el('p', {}, 'Schedule: ', el('code', {}, formatSchedule(run.schedule))),
        el('p', {}, el('a', { href: link, className: 'ms-share' }, `Link to this schedule (seed ${seed})`)),
        open,
        list,
      );
      this.dataset['ending'] = run.ending.kind;
      this.#say(`Random schedule with seed ${seed}, ${run.steps.length} steps. ${ending}`);
    });
  }

  async explore(): Promise<void> {
    await this.#guard(async () => {
      const setup = await this.#load();
      if (!setup) return;
      this.#say('Exploring every schedule…');
      const report = await model(setup).explore({ maxSchedules: EXPLORE_LIMIT });
      this.#session = undefined;
      this.#renderReport(report);
      this.#say(report.summary.join(' '));
    });
  }

  #renderReport(report: ExploreReport): void {
    const list = el('ul', { className: 'ms-report' });
    for (const line of report.summary) list.append(el('li', {}, line));
    const children: Node[] = [list];
    const failure = report.shortestFailure;
    if (failure) {
      const open = el('button', { type: 'button' }, 'Open the shortest failing schedule by hand');
      open.dataset['act'] = 'open';
      open.dataset['schedule'] = formatSchedule(failure.schedule);
      children.push(open);
    }
    this.#view.replaceChildren(...children);
    this.dataset['ending'] = failure ? failure.kind : 'done';
  }
}

export function defineModelScheduler(): void {
  if (!customElements.get(SCHEDULER_TAG)) customElements.define(SCHEDULER_TAG, ModelSchedulerElement);
}

defineModelScheduler();
