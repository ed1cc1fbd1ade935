/**
 * The output panel: renders a run's RunEvents as text lines, each marked with its thread and
 * time. Text only (`textContent`), never HTML, whatever the snippet prints.
 *
 * State: a queue of events not yet on screen. Events are queued as they arrive and flushed in
 * batches: soon (a microtask) while little is arriving, so the first line shows at once; once a
 * frame has rendered `PER_FRAME` lines, the rest wait for the next animation frame, so a flood
 * never holds the main thread for long. (The runner caps floods to head + tail lines anyway.)
 *
 * Each line carries `data-out` when it is part of the run's plain output (what `outputText`
 * returns and what expected output is compared with): log lines, errors' first lines, and the
 * "lines left out" notice.
 */
import type { RunEvent } from '../../runner/index.ts';
import { TRACE_KINDS, plainOutputLine } from '../../runner/events.ts';
import { formatMs } from '../format-time.ts';
import { CLASS, LABEL, SELECT } from './view.ts';

const PER_FRAME = 200;

export class OutputPanel {
  readonly element: HTMLElement;
  readonly #list: HTMLElement;
  #queue: RunEvent[] = [];
  #scheduled: 'micro' | 'frame' | undefined;
  #renderedThisFrame = 0;
  #frameReset = false;
  #generation = 0;
  #following = false;
  /** False once the reader scrolls up from the bottom of the output, true again at the bottom. */
  #stuckToBottom = true;

  constructor(host: HTMLElement) {
    this.element = document.createElement('div');
    this.element.className = CLASS.outputWrap;
    const label = document.createElement('p');
    label.className = CLASS.label;
    label.textContent = LABEL.output;
    this.#list = document.createElement('div');
    this.#list.className = CLASS.output;
    this.#list.setAttribute('role', 'log');
    this.#list.setAttribute('aria-label', LABEL.output);
    this.#list.setAttribute('aria-live', 'off');
    this.#list.tabIndex = 0;
    this.#list.addEventListener(
      'scroll',
      () => {
        const list = this.#list;
        this.#stuckToBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 24;
      },
      { passive: true },
    );
    this.element.append(label, this.#list);
    host.prepend(this.element);
  }

  reset(): void {
    this.#generation++;
    this.#queue = [];
    this.#scheduled = undefined;
    this.#list.replaceChildren();
    this.#stuckToBottom = true;
    this.element.hidden = false;
  }

  push(event: RunEvent): void {
    // Status goes to the status line; thread starts/stops and messages to the timeline.
    if (event.kind === 'status' || event.kind === 'worker-started' || event.kind === 'message') return;
    if (event.kind === 'worker-stopped' && event.reason !== 'crashed') return;
    // Trace events (RunOptions.trace) are the timeline's, except a note that they were cut.
    if (TRACE_KINDS.has(event.kind)) return;
    this.#queue.push(event);
    this.#schedule();
  }

  /** Renders whatever is queued, now. */
  flush(): void {
    this.#scheduled = undefined;
    if (!this.#queue.length) return;
    const room = Math.max(1, PER_FRAME - this.#renderedThisFrame);
    const batch = this.#queue.splice(0, room);
    const fragment = document.createDocumentFragment();
    for (const event of batch) fragment.append(renderLine(event));
    this.#list.append(fragment);
    this.#followOutput();
    this.#renderedThisFrame += batch.length;
    this.#armFrameReset();
    if (this.#queue.length) this.#schedule();
  }

  /** Renders everything queued, however long (used when a run ends). */
  flushAll(): void {
    while (this.#queue.length) {
      this.#renderedThisFrame = 0;
      this.flush();
    }
  }

  /** The plain output as shown (lines with data-out), for copying and tests. */
  get plainText(): string {
    return [...this.#list.querySelectorAll<HTMLElement>(SELECT.outputText)]
      .map((node) => node.textContent)
      .join('\n');
  }

  /**
   * Keeps the newest line in view unless the reader has scrolled up. Done in the next frame, not
   * here: reading scroll sizes now would force a layout of the whole page on every flush, which
   * is most of the time to the first line of output.
   */
  #followOutput(): void {
    if (this.#following) return;
    this.#following = true;
    requestAnimationFrame(() => {
      this.#following = false;
      if (this.#stuckToBottom) this.#list.scrollTop = this.#list.scrollHeight;
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    const generation = this.#generation;
    const run = () => {
      if (generation === this.#generation) this.flush();
    };
    if (this.#renderedThisFrame < PER_FRAME) {
      this.#scheduled = 'micro';
      queueMicrotask(run);
    } else {
      this.#scheduled = 'frame';
      requestAnimationFrame(run);
    }
  }

  #armFrameReset(): void {
    if (this.#frameReset) return;
    this.#frameReset = true;
    requestAnimationFrame(() => {
      this.#frameReset = false;
      this.#renderedThisFrame = 0;
    });
  }
}

function span(className: string, text: string): HTMLSpanElement {
  const node = document.createElement('span');
  node.className = className;
  node.textContent = text;
  return node;
}

/** One event as one line element (text only). */
export function renderLine(event: RunEvent): HTMLElement {
  const line = document.createElement('div');
  line.className = CLASS.line;
  line.dataset['kind'] = event.kind;
  line.dataset['thread'] = String(event.thread.id);
  // The run timeline links lines and moments by time (src/client/timeline/link-output.ts).
  line.dataset['t'] = String(event.t);
  const where = event.thread.name ? `${event.thread.label} (${event.thread.name})` : event.thread.label;
  line.append(span(CLASS.where, where), span(CLASS.time, formatMs(event.t, 'coarse')));
  switch (event.kind) {
    case 'log': {
      line.dataset['level'] = event.level;
      line.append(span(CLASS.text, event.text));
      break;
    }
    case 'error': {
      const [first = '', ...rest] = event.text.split('\n');
      line.append(span(CLASS.text, first));
      const place =
        event.line !== undefined
          ? `line ${event.line}${event.column !== undefined ? `, column ${event.column}` : ''} of your code`
          : '';
      const detail = [
        place,
        ...rest.filter((text) => text.trim() && !(place && /^\s*at line \d+/.test(text))),
      ]
        .filter(Boolean)
        .join('\n');
      if (detail) line.append(span(CLASS.detail, detail));
      break;
    }
    case 'limit': {
      line.append(span(CLASS.text, event.message));
      break;
    }
    case 'message': {
      line.append(span(CLASS.text, `${event.from.label} → ${event.to.label}: ${event.summary}`));
      break;
    }
    case 'worker-stopped': {
      line.append(span(CLASS.text, `${event.worker.label} crashed`));
      break;
    }
    default:
      break;
  }
  if (plainOutputLine(event) !== undefined) line.dataset['out'] = '';
  return line;
}
