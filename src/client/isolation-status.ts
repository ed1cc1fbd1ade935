import { readIsolationStatus } from './isolation.ts';

/**
 * <isolation-status>: the site-wide badge saying whether shared-memory examples
 * can run here. Server-rendered as a link to the explanation; this only fills
 * in the state, so without JavaScript it is simply a link.
 */
class IsolationStatusElement extends HTMLElement {
  readonly #update = (): void => this.render();

  connectedCallback(): void {
    this.render();
    // The bootstrap may still be registering the service worker.
    document.addEventListener('interleave:isolation', this.#update);
  }

  disconnectedCallback(): void {
    document.removeEventListener('interleave:isolation', this.#update);
  }

  render(): void {
    const link = this.querySelector('a');
    const label = this.querySelector('[data-label]');
    if (!link || !label) return;
    const status = readIsolationStatus();
    this.dataset['state'] = status.state;
    label.textContent = status.label;
    link.title = status.explanation;
    link.setAttribute('aria-description', status.explanation);
  }
}

customElements.define('isolation-status', IsolationStatusElement);
