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

  it('tries a failed load again on the next press, and says so meanwhile', async () => {
    document.body.innerHTML = `<div style="height: 300vh"></div><retry-probe><p role="status"></p><button type="button">Go</button></retry-probe>`;
    const clicks: string[] = [];
    let loads = 0;
    lazyDemo('retry-probe', async () => {
      loads++;
      if (loads === 1) throw new TypeError('Failed to fetch dynamically imported module');
      customElements.define(
        'retry-probe',
        class extends HTMLElement {
          connectedCallback(): void {
            this.querySelector('button')?.addEventListener('click', () => clicks.push('upgraded'));
          }
        },
      );
    });
    const button = document.querySelector('button')!;
    const status = document.querySelector('[role="status"]')!;
    button.click();
    await expect.poll(() => status.textContent).toMatch(/^Could not load the demo/);
    expect(loads).toBe(1);
    expect(clicks).toEqual([]);
    button.click();
    await customElements.whenDefined('retry-probe');
    await expect.poll(() => clicks).toEqual(['upgraded']);
    expect(loads).toBe(2);
    document.body.innerHTML = '';
  });
});
