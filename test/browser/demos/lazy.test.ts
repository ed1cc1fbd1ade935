/** lazyDemo: reveals JS-only controls at once, loads the module on a press and replays the press. */
import { describe, expect, it } from 'vitest';
import { lazyDemo } from '../../../src/client/demos/lazy.ts';

describe('lazyDemo', () => {
  it('shows [data-js-only] controls, loads on a button press, then replays the press', async () => {
    document.body.innerHTML = `<div style="height: 300vh"></div><lazy-probe><div data-js-only hidden><button type="button">Go</button></div></lazy-probe>`;
    const clicks: string[] = [];
    let loads = 0;
    lazyDemo('lazy-probe', async () => {
      loads++;
      customElements.define(
        'lazy-probe',
        class extends HTMLElement {
          connectedCallback(): void {
            this.querySelector('button')?.addEventListener('click', () => clicks.push('upgraded'));
          }
        },
      );
    });
    const controls = document.querySelector<HTMLElement>('[data-js-only]')!;
    expect(controls.hidden).toBe(false);
    expect(loads).toBe(0); // far below the viewport: nothing loaded yet
    document.querySelector('button')!.click();
    await customElements.whenDefined('lazy-probe');
    await new Promise((r) => setTimeout(r, 0));
    expect(loads).toBe(1);
    expect(clicks).toEqual(['upgraded']);
    document.body.innerHTML = '';
  });
});
