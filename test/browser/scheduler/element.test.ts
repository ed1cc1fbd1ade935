/** <model-scheduler> in a real browser: load a snippet's model, step it by hand, random, explore. */
import { afterEach, describe, expect, it } from 'vitest';
import '../../../src/client/scheduler/element.ts';
import type { ModelSchedulerElement } from '../../../src/client/scheduler/element.ts';
import { toHtml } from 'hast-util-to-html';
import { highlightedBlock } from '../example/mount.ts';

const RACE = `import { model } from 'interleave/model';

const race = model(({ shared, thread }) => {
  const x = shared('x', 0);
  for (let i = 0; i < 2; i++) {
    thread(async () => {
      const tmp = await x.read();
      await x.write(tmp + 1);
    });
  }
});
console.log('not printed: the scheduler stops the snippet at its model');
await race.explore();
`;

const LOCKS = `import { model } from 'interleave/model';
model(({ mutex, thread }) => {
  const a = mutex('A');
  const b = mutex('B');
  thread(async () => { await a.lock(); await b.lock(); await b.unlock(); await a.unlock(); });
  thread(async () => { await b.lock(); await a.lock(); await a.unlock(); await b.unlock(); });
});
`;

afterEach(() => {
  document.body.innerHTML = '';
  history.replaceState(null, '', location.pathname);
});

/** The markup ModelScheduler.astro renders, next to a stand-in for the example. */
function mount(code: string): ModelSchedulerElement {
  const example = document.createElement('interleave-example');
  example.dataset['id'] = 'demo';
  // The code as the build writes it: Expressive Code's highlighted block in the code box.
  example.innerHTML = toHtml({
    type: 'element',
    tagName: 'div',
    properties: { className: ['ix-code'] },
    children: [highlightedBlock(code)],
  });
  const panel = document.createElement('model-scheduler') as ModelSchedulerElement;
  panel.dataset['for'] = 'demo';
  panel.innerHTML = `
    <div class="ms-modes" data-js-only hidden>
      <button type="button" data-mode="hand">Step by hand</button>
      <button type="button" data-mode="random">Random schedule</button>
      <label>Seed <input name="seed" type="number" value="1"></label>
      <button type="button" data-mode="explore">Explore every schedule</button>
    </div>
    <p class="ms-status" role="status" aria-live="polite"></p>
    <div class="ms-view"></div>`;
  document.body.append(example, panel);
  return panel;
}

async function settled(panel: ModelSchedulerElement): Promise<void> {
  await expect.poll(() => panel.dataset['state']).toBe('ready');
}

const press = async (panel: ModelSchedulerElement, selector: string) => {
  (panel.querySelector(selector) as HTMLButtonElement).click();
  await settled(panel);
};
const threadButtons = (panel: Element) =>
  [...panel.querySelectorAll('[role="group"][aria-label="Threads"] button')] as HTMLButtonElement[];
const status = (panel: Element) => panel.querySelector('[role="status"]')!.textContent;

describe('<model-scheduler>', () => {
  it('by hand: buttons named for what they would do, digits, undo, the source line, the outcome', async () => {
    const panel = mount(RACE);
    expect((panel.querySelector('.ms-modes') as HTMLElement).hidden).toBe(false);
    await press(panel, '[data-mode="hand"]');
    expect(threadButtons(panel).map((b) => b.textContent)).toEqual([
      'Run thread 1: line 7, const tmp = await x.read()',
      'Run thread 2: line 7, const tmp = await x.read()',
    ]);
    expect(panel.querySelector('.ms-next')?.textContent).toContain('next: thread 1, thread 2');
    threadButtons(panel)[0]!.click();
    await settled(panel);
    expect(status(panel)).toBe('thread 1 ran line 7, x.read() → 0.');
    expect(threadButtons(panel)[0]!.textContent).toBe('Run thread 1: line 8, await x.write(tmp + 1)');
    // A digit picks a thread.
    panel.dispatchEvent(new KeyboardEvent('keydown', { key: '2', bubbles: true }));
    await expect.poll(() => status(panel)).toBe('thread 2 ran line 7, x.read() → 0.');
    await press(panel, '[data-act="undo"]');
    expect(panel.session!.schedule).toEqual([{ thread: 1 }]);
    for (const thread of [2, 1, 2]) {
      panel.querySelector<HTMLButtonElement>(`button[data-thread="${thread}"]`)!.click();
      await settled(panel);
    }
    expect(status(panel)).toContain('Every thread finished: x = 1.');
    expect(panel.querySelector('.ms-state')?.textContent).toContain('x1');
    expect(threadButtons(panel).every((b) => b.disabled)).toBe(true);
  });

  it('a deadlock is explained; explore finds it and opens it one step before', async () => {
    const panel = mount(LOCKS);
    await press(panel, '[data-mode="explore"]');
    const report = panel.querySelector('.ms-report')!.textContent;
    expect(report).toContain('Explored every schedule');
    expect(report).toContain(
      'every thread waits: thread 1 holds A and waits for B; thread 2 holds B and waits for A',
    );
    await press(panel, '[data-act="open"]');
    expect(status(panel)).toBe('Replayed 1 steps. The failing schedule runs thread 2 next.');
    const suggested = panel.querySelector<HTMLButtonElement>('.ms-suggested')!;
    expect(suggested.textContent).toContain('Run thread 2: line 6, thread(async () => { await b.lock()');
    suggested.click();
    await settled(panel);
    expect(panel.dataset['ending']).toBe('deadlock');
    expect(status(panel)).toContain('Deadlock: every thread waits: thread 1 holds A and waits for B');
  });

  it('random: the seed is in the link, and the same seed gives the same schedule', async () => {
    const panel = mount(RACE);
    (panel.querySelector('input[name="seed"]') as HTMLInputElement).value = '7';
    await press(panel, '[data-mode="random"]');
    const link = panel.querySelector<HTMLAnchorElement>('.ms-share')!;
    expect(new URL(link.href).hash).toBe('#scheduler=demo:7');
    const schedule = panel.querySelector('.ms-view code')!.textContent;
    // Opening the link: a new panel reads the fragment and replays the same schedule.
    document.body.innerHTML = '';
    history.replaceState(null, '', '#scheduler=demo:7');
    const again = mount(RACE);
    await expect.poll(() => again.querySelector('.ms-view code')?.textContent).toBe(schedule);
  });

  it('draws a schedule on the run timeline, with its Mermaid text', async () => {
    const panel = mount(LOCKS);
    await press(panel, '[data-mode="hand"]');
    for (const thread of [1, 1]) {
      panel.querySelector<HTMLButtonElement>(`button[data-thread="${thread}"]`)!.click();
      await settled(panel);
    }
    await press(panel, '[data-act="timeline"]');
    await expect.poll(() => panel.querySelector('run-timeline')).not.toBeNull();
    expect(panel.querySelector('.ms-mermaid')?.textContent).toContain('sequenceDiagram');
  });

  it('code without a model, or that throws, gets a clear message', async () => {
    const panel = mount(`console.log('no model here');`);
    await press(panel, '[data-mode="hand"]');
    expect(status(panel)).toBe(
      "This code declares no model: import { model } from 'interleave/model' and call model(…).",
    );
    document.body.innerHTML = '';
    const broken = mount(`const x = ;`);
    await press(broken, '[data-mode="hand"]');
    expect(status(broken)).toMatch(/^Line 1: /);
  });
});
