/**
 * The stepper's panel: a region named "Event loop stepper" under an example, showing one step of
 * a recording at a time — narration (a polite live region), the call stack, the microtask queue,
 * the task queue and the output as named lists — with next, back, a scrubber, to start, to end,
 * next output line, and a coarse mode that moves one event-loop turn at a time.
 *
 * State: the recording and the current step's index; `onShow` is told each shown step's source
 * range (the example highlights it in its editor). Keys (while focus is in the panel): → / ←
 * next / back, Home / End, O next output line, T coarse mode; the reference page lists them.
 */
import type { Recording, Step } from '../../stepper/types.ts';
import { moveTo, type StepperMove } from './navigation.ts';
import './stepper.css';

export const STEPPER_LABEL = 'Event loop stepper';

/** What the panel says about where step mode differs from a browser, by design. */
export const STEP_MODE_NOTE =
  'Step mode replays the run in a spec-exact engine on a virtual clock: each evaluated expression costs 10 µs, timers fire exactly when due (no 4 ms clamp, no throttling), and times are not real durations.';

const KEYS: Record<string, StepperMove | 'coarse'> = {
  ArrowRight: 'next',
  ArrowLeft: 'back',
  Home: 'start',
  End: 'end',
  o: 'nextOutput',
  O: 'nextOutput',
  t: 'coarse',
  T: 'coarse',
};

const BUTTONS: { move: StepperMove; label: string; keys: string; title: string }[] = [
  { move: 'start', label: '⏮ Start', keys: 'Home', title: 'To the first step (Home)' },
  { move: 'back', label: '◀ Back', keys: 'ArrowLeft', title: 'One step back (←)' },
  { move: 'next', label: 'Next ▶', keys: 'ArrowRight', title: 'One step forward (→)' },
  { move: 'nextOutput', label: 'Next output', keys: 'O', title: 'To the next line of output (O)' },
  { move: 'end', label: 'End ⏭', keys: 'End', title: 'To the last step (End)' },
];

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props))
    if (value !== undefined) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

/** `code` in narration and job descriptions, shown as <code>. */
function withCode(target: HTMLElement, text: string): void {
  target.replaceChildren();
  text.split(/(`[^`]*`)/).forEach((part) => {
    if (part.startsWith('`') && part.endsWith('`') && part.length > 1)
      target.append(el('code', {}, part.slice(1, -1)));
    else if (part) target.append(part);
  });
}

export class StepperPanel {
  readonly element: HTMLElement;
  #recording: Recording;
  #at = 0;
  #coarse = false;
  readonly #onShow: (step: Step) => void;
  readonly #scrubber: HTMLInputElement;
  readonly #position: HTMLElement;
  readonly #narration: HTMLElement;
  readonly #coarseBox: HTMLInputElement;
  readonly #notice: HTMLElement;
  readonly #lists: Record<'stack' | 'microtasks' | 'tasks' | 'output', HTMLOListElement>;

  constructor(recording: Recording, onShow: (step: Step) => void) {
    this.#recording = recording;
    this.#onShow = onShow;
    const root = (this.element = el('section', { class: 'ix-stepper', 'aria-label': STEPPER_LABEL }));
    const heading = el('p', { class: 'ix-stepper-title' }, STEPPER_LABEL);
    const note = el('p', { class: 'ix-stepper-note' }, STEP_MODE_NOTE);
    this.#notice = el('p', { class: 'ix-stepper-notice', role: 'note' });
    this.#notice.hidden = true;

    const controls = el('div', {
      class: 'ix-stepper-controls',
      role: 'group',
      'aria-label': 'Step controls',
    });
    for (const { move, label, keys, title } of BUTTONS) {
      const button = el(
        'button',
        { type: 'button', class: 'ix-button ix-quiet', 'data-move': move, title, 'aria-keyshortcuts': keys },
        label,
      );
      button.addEventListener('click', () => this.move(move));
      controls.append(button);
    }
    const coarseLabel = el('label', {
      class: 'ix-stepper-coarse',
      title: 'One event-loop turn at a time (T)',
    });
    this.#coarseBox = el('input', { type: 'checkbox', 'aria-keyshortcuts': 'T' });
    this.#coarseBox.addEventListener('change', () => (this.#coarse = this.#coarseBox.checked));
    coarseLabel.append(this.#coarseBox, ' One event-loop turn at a time');
    controls.append(coarseLabel);

    const scrub = el('label', { class: 'ix-stepper-scrub' });
    this.#scrubber = el('input', { type: 'range', min: '0', step: '1', 'aria-label': 'Step' });
    this.#scrubber.addEventListener('input', () => this.show(Number(this.#scrubber.value)));
    this.#position = el('span', { class: 'ix-stepper-position' });
    scrub.append(this.#scrubber, this.#position);

    this.#narration = el('p', { class: 'ix-stepper-narration', 'aria-live': 'polite' });

    const lists = el('div', { class: 'ix-stepper-lists' });
    const list = (name: string, className: string) => {
      const box = el('div', { class: `ix-stepper-box ${className}` });
      const id = `ix-stepper-${Math.random().toString(36).slice(2, 9)}`;
      box.append(el('p', { class: 'ix-stepper-label', id }, name));
      const ol = el('ol', { 'aria-labelledby': id });
      box.append(ol);
      lists.append(box);
      return ol;
    };
    this.#lists = {
      stack: list('Call stack', 'ix-stepper-stack'),
      microtasks: list('Microtask queue', 'ix-stepper-micro'),
      tasks: list('Task queue', 'ix-stepper-tasks'),
      output: list('Output', 'ix-stepper-output'),
    };

    root.append(heading, note, this.#notice, controls, scrub, this.#narration, lists);
    root.addEventListener('keydown', (event) => this.#onKey(event));
    this.load(recording);
  }

  get index(): number {
    return this.#at;
  }

  get step(): Step | undefined {
    return this.#recording.steps[this.#at];
  }

  /** Shows a new recording from its first step. */
  load(recording: Recording): void {
    this.#recording = recording;
    this.#scrubber.max = String(Math.max(recording.steps.length - 1, 0));
    const notes: string[] = [];
    if (recording.stoppedEarly)
      notes.push(`Recording stopped early: ${recording.stoppedEarly} The last steps are kept.`);
    if (recording.droppedSteps > 0)
      notes.push(`The first ${recording.droppedSteps.toLocaleString('en')} steps are not kept.`);
    this.setNotice(notes.join(' '));
    this.show(0);
  }

  /** A line above the controls (a stale recording, an early stop); empty hides it. */
  setNotice(text: string): void {
    this.#notice.textContent = text;
    this.#notice.hidden = !text;
  }

  move(move: StepperMove): void {
    this.show(moveTo(this.#recording.steps, this.#at, move, this.#coarse));
  }

  setCoarse(on: boolean): void {
    this.#coarse = on;
    this.#coarseBox.checked = on;
  }

  show(index: number): void {
    const { steps, output, droppedSteps } = this.#recording;
    const step = steps[index];
    if (!step) return;
    this.#at = index;
    this.#scrubber.value = String(index);
    const number = droppedSteps + index + 1;
    const total = droppedSteps + steps.length;
    const time = `${Math.round(step.nowMs * 100) / 100} ms`;
    this.#position.textContent = `Step ${number} of ${total} · turn ${step.turn} · ${time}`;
    this.#scrubber.setAttribute('aria-valuetext', `Step ${number} of ${total}`);
    withCode(this.#narration, step.narration);

    const fill = (list: HTMLOListElement, items: HTMLLIElement[]) => {
      if (items.length === 0) items = [el('li', { class: 'ix-stepper-empty' }, 'empty')];
      list.replaceChildren(...items);
    };
    fill(
      this.#lists.stack,
      [...step.stack].reverse().map((frame) => {
        const li = el('li');
        withCode(li, frame.name);
        if (frame.resumed) li.append(el('span', { class: 'ix-stepper-tag' }, ' (resumed after await)'));
        return li;
      }),
    );
    fill(
      this.#lists.microtasks,
      step.microtasks.map((job) => {
        const li = el('li');
        withCode(li, job.text);
        return li;
      }),
    );
    fill(
      this.#lists.tasks,
      step.tasks.map((task) => {
        const li = el('li');
        withCode(li, task.text);
        const due = task.dueMs <= step.nowMs ? 'due now' : `due at ${Math.round(task.dueMs * 100) / 100} ms`;
        li.append(el('span', { class: 'ix-stepper-tag' }, ` (${due})`));
        return li;
      }),
    );
    fill(
      this.#lists.output,
      output.slice(0, step.outputLength).map((line) => el('li', {}, line)),
    );
    this.#onShow(step);
  }

  #onKey(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement;
    // The scrubber handles its own arrows, Home and End (and announces the new value).
    if (
      target === this.#scrubber &&
      event.key !== 'o' &&
      event.key !== 'O' &&
      event.key !== 't' &&
      event.key !== 'T'
    )
      return;
    const action = KEYS[event.key];
    if (!action) return;
    event.preventDefault();
    if (action === 'coarse') this.setCoarse(!this.#coarse);
    else this.move(action);
  }
}
