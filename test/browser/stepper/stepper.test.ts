/**
 * Step mode in a real browser, through the example's own Step button: the recording is made by
 * the stepper's worker, the panel is a region with named lists and a polite narration, keys move
 * through the steps, the editor highlights each step's source range, and code step mode cannot
 * run is refused with a message naming what is missing.
 */
import { describe, expect, it } from 'vitest';
import '../../../src/client/example/bootstrap.ts';
import { SELECT } from '../../../src/client/example/view.ts';
import { until } from '../../support/wait.ts';
import { mountExample } from '../example/mount.ts';

const code = [
  'async function async1() {',
  "  console.log('async1 start');",
  '  await null;',
  "  console.log('async1 end');",
  '}',
  "setTimeout(() => console.log('timer'), 0);",
  'async1();',
  "Promise.resolve().then(() => console.log('then'));",
].join('\n');

const listItems = (region: Element, name: string) => {
  const label = [...region.querySelectorAll('p')].find((p) => p.textContent === name);
  const list = label && region.querySelector(`ol[aria-labelledby="${label.id}"]`);
  if (!list) throw new Error(`no list named ${name}`);
  return [...list.querySelectorAll('li')].map((li) => li.textContent ?? '');
};

const key = (target: Element, key: string) =>
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));

describe('the event loop stepper', () => {
  it('records the run and steps through it with the keyboard', async () => {
    const element = mountExample(code, { step: true });
    element.querySelector<HTMLElement>(SELECT.action('step'))!.click();
    const named = 'section[aria-label="Event loop stepper"]';
    await until(() => element.querySelector(named) !== null);
    const region = element.querySelector(named)!;
    expect(element.querySelector(SELECT.status)?.textContent).toMatch(/^Recorded \d+ steps/);
    const narration = region.querySelector('[aria-live="polite"]')!;
    expect(narration.textContent).toBe("Line 6 runs: setTimeout(() => console.log('timer'), 0);.");
    expect(listItems(region, 'Call stack')).toEqual(['the module']);
    expect(listItems(region, 'Microtask queue')).toEqual(['empty']);
    expect(listItems(region, 'Output')).toEqual(['empty']);

    // The editor opened, and highlights the step's source.
    await until(() => element.querySelector('.ix-step-range') !== null);
    expect(element.querySelector('.ix-step-range')?.textContent).toBe(
      "setTimeout(() => console.log('timer'), 0);",
    );

    const next = region.querySelector<HTMLElement>('[data-move="next"]')!;
    expect(document.activeElement).toBe(next);
    key(next, 'ArrowRight');
    expect(listItems(region, 'Task queue')).toEqual(['setTimeout callback from line 6 (due now)']);

    // O: to the next line of output.
    key(next, 'o');
    expect(listItems(region, 'Output')).toEqual(['async1 start']);
    while (!listItems(region, 'Microtask queue')[0]?.startsWith('resume')) key(next, 'ArrowRight');
    expect(listItems(region, 'Microtask queue')[0]).toBe('resume async1 after the await on line 3');

    // T: coarse mode, one event-loop turn at a time; End and Home.
    key(next, 't');
    expect(region.querySelector<HTMLInputElement>('input[type="checkbox"]')?.checked).toBe(true);
    key(next, 'ArrowRight');
    expect(listItems(region, 'Output')).toEqual(['async1 start', 'async1 end', 'then']);
    expect(narration.textContent).toMatch(/^The event loop takes the next task/);
    key(next, 'End');
    expect(listItems(region, 'Output')).toEqual(['async1 start', 'async1 end', 'then', 'timer']);
    key(next, 'Home');
    expect(region.querySelector<HTMLInputElement>('input[type="range"]')?.value).toBe('0');
    element.remove();
  });

  it('names what step mode does not have, before anything runs', async () => {
    const element = mountExample("console.log('hi');\ndocument.title = 'x';", { step: true });
    element.querySelector<HTMLElement>(SELECT.action('step'))!.click();
    await until(() => /use Run instead/.test(element.querySelector(SELECT.status)?.textContent ?? ''));
    expect(element.querySelector(SELECT.status)?.textContent).toContain('`document` (the DOM) on line 2');
    expect(element.querySelector('section[aria-label="Event loop stepper"]')).toBeNull();
    element.remove();
  });
});
