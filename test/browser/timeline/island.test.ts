/**
 * The timeline inside a runnable example: the Timeline toggle traces the run and shows the
 * timeline under the output; output lines and moments are linked both ways.
 */
import { describe, expect, it } from 'vitest';
import '../../../src/client/example/bootstrap.ts';
import { SELECT } from '../../../src/client/example/view.ts';
import type { RunTimeline } from '../../../src/client/timeline/index.ts';
import { until } from '../../support/wait.ts';
import { mountExample } from '../example/mount.ts';

const example = (code: string, pressed: boolean): HTMLElement => {
  const element = mountExample(code, { title: 'Timeline example', timeline: pressed });
  element.style.width = '800px';
  return element;
};

const code = `
setTimeout(() => console.log('timer'), 0);
const w = spawn(() => { onmessage = (e) => { console.log('worker got', e.data); postMessage('back'); }; });
w.onmessage = () => { console.log('main got back'); w.terminate(); };
w.postMessage('hello');
`;

describe('timeline in the example island', () => {
  it('with the flag (button pressed), a run is traced and its timeline opens under the output', async () => {
    const element = example(code, true);
    element.querySelector<HTMLElement>(SELECT.action('run'))!.click();
    await until(() => element.dataset['state'] === 'done');
    const timeline = element.querySelector<RunTimeline>('run-timeline');
    await until(() => element.querySelector('run-timeline') !== null);
    const tl = element.querySelector<RunTimeline>('run-timeline') ?? timeline!;
    expect(tl.previousElementSibling?.classList.contains('ix-output-wrap')).toBe(true);
    const layout = tl.layout;
    expect(layout.lanes.map((l) => l.label)).toEqual(['main', 'worker 1']);
    expect(layout.arrows).toHaveLength(2);
    // Traced: the timer set and fired, none of it printed as output.
    expect(tl.events.some((e) => e.kind === 'timer')).toBe(true);
    expect(element.querySelectorAll('.ix-output .ix-line')).toHaveLength(3);

    // Output line → moment.
    const line = [...element.querySelectorAll<HTMLElement>('.ix-output .ix-line')].find((l) =>
      l.textContent?.includes('worker got hello'),
    )!;
    line.click();
    expect(tl.focusedDescription).toContain('worker got hello');
    expect(line.hasAttribute('data-moment')).toBe(true);

    // Moment → output lines.
    const index = tl.events.findIndex((e) => e.kind === 'log' && e.text === 'main got back');
    tl.selectEvent(index);
    const marked = [...element.querySelectorAll('.ix-output [data-moment]')].map((l) => l.textContent);
    expect(marked).toHaveLength(1);
    expect(marked[0]).toContain('main got back');
    element.remove();
  });

  it('without the flag, runs are not traced until the Timeline button is pressed', async () => {
    const element = example(code, false);
    element.querySelector<HTMLElement>(SELECT.action('run'))!.click();
    await until(() => element.dataset['state'] === 'done');
    expect(element.querySelector('run-timeline')).toBeNull();
    const toggle = element.querySelector<HTMLElement>(SELECT.action('timeline'))!;
    toggle.click();
    await until(() => element.querySelector('run-timeline') !== null);
    const tl = element.querySelector<RunTimeline>('run-timeline')!;
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    // The last run, untraced: threads and messages only.
    expect(tl.layout.arrows).toHaveLength(2);
    expect(tl.events.some((e) => e.kind === 'timer')).toBe(false);
    element.querySelector<HTMLElement>(SELECT.action('run'))!.click();
    await until(() => element.dataset['state'] === 'done' && tl.events.some((e) => e.kind === 'timer'));
    toggle.click();
    await until(() => tl.hidden);
    element.remove();
  });
});
