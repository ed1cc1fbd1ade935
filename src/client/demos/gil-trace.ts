/**
 * <gil-trace>: the live GIL trace. Reads its starting options from data-* attributes
 * (data-threads, data-increments, data-switch-interval, data-seed, data-locked), runs the
 * deterministic GIL model of `interleave/gil` and draws one lane per thread with the lost updates
 * highlighted, plus a table of the same trace. The server-rendered HTML (GilTrace.astro) already
 * holds the default trace; this module makes the form work. Pure computation: nothing to stop.
 *
 * For tests: `data-state` is "ready" after each render, and a `gil-trace-rendered` event fires.
 */
import { computeGilView, normalizeGilOptions, renderGilControls, renderGilView } from './gil-view.ts';
import type { GilTraceOptions, GilView } from './gil-view.ts';

let counter = 0;

export class GilTraceElement extends HTMLElement {
  #view: GilView | undefined;
  #id = `gil-trace-${++counter}`;

  get view(): GilView | undefined {
    return this.#view;
  }

  get options(): GilTraceOptions {
    const d = this.dataset;
    return normalizeGilOptions({
      threads: d['threads'],
      increments: d['increments'],
      switchInterval: d['switchInterval'],
      seed: d['seed'],
      locked: d['locked'] ?? false,
    });
  }

  connectedCallback(): void {
    let form = this.querySelector<HTMLFormElement>('form.gil-trace__controls');
    let output = this.querySelector<HTMLElement>('.gil-trace__output');
    if (!form || !output) {
      this.innerHTML = `${renderGilControls(this.options, this.#id)}<div class="gil-trace__output"></div>`;
      form = this.querySelector<HTMLFormElement>('form.gil-trace__controls');
      output = this.querySelector<HTMLElement>('.gil-trace__output');
    }
    if (!form || !output) return;
    form.hidden = false;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.update(this.#readForm(form));
    });
    form.addEventListener('change', () => this.update(this.#readForm(form)));
    form.querySelector('[data-action="next-seed"]')?.addEventListener('click', () => {
      const seed = form.elements.namedItem('seed') as HTMLInputElement | null;
      if (seed) seed.value = String((Number(seed.value) % 9999) + 1);
      this.update(this.#readForm(form));
    });
    this.update(this.options);
  }

  #readForm(form: HTMLFormElement): GilTraceOptions {
    const data = new FormData(form);
    return normalizeGilOptions({
      threads: data.get('threads'),
      increments: data.get('increments'),
      switchInterval: data.get('switchInterval'),
      seed: data.get('seed'),
      locked: data.get('locked') === 'on',
    });
  }

  /** Runs the model with `options` and redraws. */
  update(options: Partial<GilTraceOptions>): GilView {
    const view = computeGilView({ ...this.options, ...options });
    const o = view.options;
    this.dataset['threads'] = String(o.threads);
    this.dataset['increments'] = String(o.increments);
    this.dataset['switchInterval'] = String(o.switchInterval);
    this.dataset['seed'] = String(o.seed);
    this.dataset['locked'] = String(o.locked);
    const form = this.querySelector<HTMLFormElement>('form.gil-trace__controls');
    if (form) {
      for (const key of ['threads', 'increments', 'switchInterval', 'seed'] as const) {
        const input = form.elements.namedItem(key) as HTMLInputElement | null;
        if (input && input.value !== String(o[key])) input.value = String(o[key]);
      }
      const locked = form.elements.namedItem('locked') as HTMLInputElement | null;
      if (locked) locked.checked = o.locked;
    }
    const output = this.querySelector<HTMLElement>('.gil-trace__output');
    if (output) {
      const open = output.querySelector('details')?.open ?? false;
      output.innerHTML = renderGilView(view);
      const details = output.querySelector('details');
      if (details) details.open = open;
    }
    this.#view = view;
    this.dataset['state'] = 'ready';
    this.dispatchEvent(new CustomEvent('gil-trace-rendered', { detail: view }));
    return view;
  }
}

if (!customElements.get('gil-trace')) customElements.define('gil-trace', GilTraceElement);
