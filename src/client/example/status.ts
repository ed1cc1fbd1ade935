/**
 * The example's status line (a polite live region in the bar): what just happened, in words.
 *
 * State: the undo on offer. Reset and Discard say what they did with an Undo button beside it,
 * which takes the action back until the reader does something else: anything said next (a run,
 * a copy, an edit) withdraws the offer.
 */
import { toDom } from './dom.ts';
import { undoButton } from './view.ts';

export type Undo = () => Promise<void> | void;

export class StatusLine {
  readonly #element: HTMLElement;
  #undo: Undo | undefined;

  constructor(element: HTMLElement) {
    this.#element = element;
  }

  say(text: string): void {
    this.#undo = undefined;
    this.#element.textContent = text;
  }

  /** Says `text` with an Undo button beside it; `undo` puts back what the action removed. */
  offerUndo(text: string, undo: Undo): void {
    this.say(text);
    const button = toDom(undoButton());
    this.#element.append(' ', button);
    this.#undo = undo;
    button.focus(); // the button pressed (Reset, Discard) has just gone
  }

  /** Whether an Undo is on offer. */
  get offersUndo(): boolean {
    return this.#undo !== undefined;
  }

  /** Takes back the action on offer, if any (once). */
  async undo(): Promise<void> {
    const undo = this.#undo;
    this.#undo = undefined;
    await undo?.();
  }
}
