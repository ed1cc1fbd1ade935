/** <gil-trace> in a real browser: mount it, drive its form, read what it draws. */
import { afterEach, describe, expect, it } from 'vitest';
import '../../../src/client/demos/gil-trace.ts';
import type { GilTraceElement } from '../../../src/client/demos/gil-trace.ts';
import { computeGilView, renderGilControls, renderGilView } from '../../../src/client/demos/gil-view.ts';

afterEach(() => {
  document.body.innerHTML = '';
});

function mount(attrs: Record<string, string> = {}): GilTraceElement {
  const el = document.createElement('gil-trace') as GilTraceElement;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  document.body.append(el);
  return el;
}

const lanes = (el: Element) => [...el.querySelectorAll('.gil-trace__lane[data-thread]')];
const form = (el: Element) => el.querySelector('form') as HTMLFormElement;
const input = (el: Element, name: string) => form(el).elements.namedItem(name) as HTMLInputElement;

describe('<gil-trace>', () => {
  it('draws one lane per thread and highlights the lost update of the default run', () => {
    const el = mount({
      'data-threads': '2',
      'data-increments': '2',
      'data-switch-interval': '4',
      'data-seed': '1',
    });
    expect(el.dataset['state']).toBe('ready');
    expect(lanes(el)).toHaveLength(2);
    expect(el.querySelector('.gil-trace__summary')?.textContent).toContain('x = 3, expected 4');
    const lost = el.querySelectorAll('.gil-trace__lane .gil-trace__cell--lost');
    expect(lost).toHaveLength(1);
    expect(lost[0]?.textContent).toBe('S2');
    expect(lost[0]?.getAttribute('title')).toContain('it read 1, but T0 had since stored 2');
    // Every tick column has exactly one thread running (one GIL).
    const view = el.view!;
    for (let t = 0; t < view.ticks; t++) {
      const running = view.lanes.filter((lane) => lane[t]!.kind === 'run' || lane[t]!.kind === 'lost');
      expect(running.length).toBeLessThanOrEqual(1);
    }
    // The table alternative has a row per tick and marks the lost update.
    const rows = el.querySelectorAll('.gil-trace__table tbody tr');
    expect(rows).toHaveLength(view.ticks);
    expect(el.querySelectorAll('.gil-trace__row--lost')).toHaveLength(1);
  });

  it('the form changes the run: a user lock loses nothing and shows lock waits', () => {
    const el = mount();
    expect(form(el).hidden).toBe(false);
    input(el, 'locked').click(); // fires change
    expect(el.dataset['locked']).toBe('true');
    expect(el.querySelector('.gil-trace__summary')?.textContent).toContain('x = 4, expected 4');
    expect(el.querySelectorAll('.gil-trace__lane .gil-trace__cell--lost')).toHaveLength(0);
    expect(el.querySelectorAll('.gil-trace__lane .gil-trace__cell--wait-lock').length).toBeGreaterThan(0);
  });

  it('takes typed values on submit, clamps them, and "Next seed" moves the seed', () => {
    const el = mount();
    // Out of range: the browser's validation blocks a submit, a change clamps it.
    input(el, 'threads').value = '9';
    input(el, 'increments').value = '3';
    input(el, 'threads').dispatchEvent(new Event('change', { bubbles: true }));
    expect(el.dataset['threads']).toBe('4');
    expect(lanes(el)).toHaveLength(4);
    expect(input(el, 'threads').value).toBe('4');
    const seed = Number(el.dataset['seed']);
    (el.querySelector('[data-action="next-seed"]') as HTMLButtonElement).click();
    expect(Number(el.dataset['seed'])).toBe(seed + 1);
    const view = el.view!;
    expect(view.final).toBeLessThanOrEqual(12);
    // Stale stores are marked exactly when updates were lost.
    expect(view.lost.length > 0).toBe(view.final < view.expected);
  });

  it('keeps the server-rendered markup and the table open state when it upgrades and redraws', () => {
    const view = computeGilView({ seed: 7 });
    const el = document.createElement('gil-trace') as GilTraceElement;
    el.dataset['seed'] = '7';
    el.innerHTML = `${renderGilControls(view.options, 'x')}<div class="gil-trace__output">${renderGilView(view)}</div>`;
    const summary = el.querySelector('.gil-trace__summary')?.textContent;
    document.body.append(el);
    expect(el.querySelector('.gil-trace__summary')?.textContent).toBe(summary);
    (el.querySelector('details') as HTMLDetailsElement).open = true;
    input(el, 'switchInterval').value = '2';
    form(el).requestSubmit();
    expect((el.querySelector('details') as HTMLDetailsElement).open).toBe(true);
    expect(el.dataset['switchInterval']).toBe('2');
  });
});
