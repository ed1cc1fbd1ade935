/**
 * The run as Mermaid sequence-diagram text: a folded panel that shows it (kept up to date while
 * open) and the toolbar's copy button, which falls back to opening the panel when the page may
 * not write to the clipboard.
 */
import { copyText } from '../clipboard.ts';
import { button } from './button.ts';

/** How long the copy button says "Copied" before it reads "Copy as Mermaid" again. */
const FEEDBACK_MS = 1500;

export class MermaidPanel {
  readonly element: HTMLDetailsElement;
  readonly #text: () => string;

  /** `text`: the run's Mermaid text as it is now. */
  constructor(text: () => string) {
    this.#text = text;
    this.element = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = 'As a Mermaid sequence diagram';
    this.element.append(summary);
    this.element.addEventListener('toggle', () => this.render());
  }

  /** Shows the text, if the panel is open. */
  render(): void {
    if (!this.element.open) return;
    let pre = this.element.querySelector('pre');
    if (!pre) {
      pre = document.createElement('pre');
      pre.className = 'rt-mermaid';
      this.element.append(pre);
    }
    pre.textContent = this.#text();
  }

  /** The toolbar button; `announce` says what happened (in the timeline's live details line). */
  copyButton(announce: (message: string) => void): HTMLButtonElement {
    const copy = button(
      'Copy as Mermaid',
      'Copy the run as a Mermaid sequence diagram',
      () => void this.#copy(copy, announce),
    );
    return copy;
  }

  async #copy(from: HTMLButtonElement, announce: (message: string) => void): Promise<void> {
    const ok = await copyText(this.#text());
    if (!ok) {
      // No way to copy here: show the text to copy by hand.
      this.element.open = true;
      this.render();
    }
    const label = from.textContent;
    from.textContent = ok ? 'Copied' : 'Shown below';
    announce(
      ok
        ? 'The run was copied as a Mermaid sequence diagram.'
        : 'Copying is not allowed here; the Mermaid text is shown below.',
    );
    setTimeout(() => {
      from.textContent = label;
    }, FEEDBACK_MS);
  }
}
