/**
 * The two panels that run a reader's code in ways of their own, in one engine of the engine layer:
 * the event loop stepper (engine262 in a worker; src/client/stepper/) and the scheduler panel
 * (`<model-scheduler>`, the model's threads in the page; src/client/scheduler/). Chromium also
 * checks, in test/e2e/stepper.test.ts and scheduler.test.ts, what only its driver sees (requests
 * made, axe in the open panels).
 *
 * Stepper: on one load of the event loop chapter, each example that offers Step is recorded, walked forward
 * one Next at a time to its last step and back one Back at a time to its first; the walk back
 * shows exactly what the walk forward showed, the last step's output is the example's expected
 * output, and the call stack and the queues (the task queue where the code sets a timer) are
 * filled on the way. A "predict, then step" exercise steps to the order that Run printed in the
 * same engine.
 *
 * Scheduler: on the model's reference page, by hand (each button names its thread's line of
 * code, so the engine's stack frames were read right), a seeded random schedule (the same twice,
 * and the same as the library's own in Node), and "Explore every schedule" (the counts the unit
 * tests pin: 6 schedules, x = 2 in 2, x = 1 in 4).
 */
import { afterAll, describe, expect } from 'vitest';
import { compareOutput } from '../../src/build/examples/syntax.mjs';
import { formatSchedule } from '../../src/client/scheduler/session.ts';
import { model } from '../../src/concurrency/model/index.ts';
import type { EnginePage } from '../support/engines/index.ts';
import { contentExamples, contentExercises, SELECT } from '../support/examples.ts';
import { race } from '../support/model-race.ts';
import { engineSuite, onePageLoad, type EngineSuite } from './suite.ts';

const STEPPER = 'section[aria-label="Event loop stepper"]';
const STEPPER_PAGE = 'content/chapters/async-event-loop.mdx';

/** What the open stepper shows at its current step (the "empty" placeholders left out). */
interface StepView {
  readonly position: string;
  readonly narration: string;
  readonly stack: string[];
  readonly microtasks: string[];
  readonly tasks: string[];
  readonly output: string[];
}

/**
 * In the page: walks the stepper under `island` from its first step to its last with Next, then
 * back to its first with Back — clicks on the panel's own buttons, one step each — and returns
 * what each step showed on the way.
 */
function walkStepper({ island, region }: { island: string; region: string }): {
  forward: StepView[];
  backward: StepView[];
} {
  const root = document.querySelector(`${island} ${region}`)!;
  const items = (box: string) =>
    [...root.querySelectorAll(`.${box} li:not(.ix-stepper-empty)`)].map((li) => li.textContent ?? '');
  const view = (): StepView => ({
    position: root.querySelector('.ix-stepper-position')?.textContent ?? '',
    narration: root.querySelector('.ix-stepper-narration')?.textContent ?? '',
    stack: items('ix-stepper-stack'),
    microtasks: items('ix-stepper-micro'),
    tasks: items('ix-stepper-tasks'),
    output: items('ix-stepper-output'),
  });
  const press = (move: string) => root.querySelector<HTMLButtonElement>(`[data-move="${move}"]`)!.click();
  const scrubber = root.querySelector<HTMLInputElement>('input[type="range"]')!;
  const last = Number(scrubber.max);
  press('start');
  const forward = [view()];
  while (Number(scrubber.value) < last && forward.length <= last) {
    press('next');
    forward.push(view());
  }
  const backward = [view()];
  while (Number(scrubber.value) > 0 && backward.length <= last + 1) {
    press('back');
    backward.push(view());
  }
  return { forward, backward };
}

/** Presses Step under `island` and waits until its recording is shown; returns the status line. */
async function step(page: EnginePage, island: string): Promise<string> {
  await page.click(`${island} ${SELECT.action('step')}`);
  return page.waitFor(
    ({ island, region, status }) => {
      const said = document.querySelector(`${island} ${status}`)?.textContent ?? '';
      return document.querySelector(`${island} ${region}`) && /^Recorded /.test(said) ? said : '';
    },
    { island, region: STEPPER, status: SELECT.status },
    { timeoutMs: 60_000, what: `the recording of ${island}` },
  );
}

function stepperChecks({ engine, site, test }: EngineSuite): void {
  const { path, examples } = contentExamples().pages.find(({ file }) => file === STEPPER_PAGE)!;
  describe('stepper', () => {
    // One load of the chapter steps each of its examples in turn.
    const page = onePageLoad(() => engine().open(site().url + path));
    for (const example of examples.filter((e) => e.step && !e.playground))
      test(
        'stepper',
        `${STEPPER_PAGE}:${example.line} (${example.id}): Step, forward to the end and back`,
        async () => {
          const island = SELECT.example(example.id!);
          const errorsBefore = (await page().errors()).length;
          expect(await step(page(), island)).toMatch(/^Recorded \d+ steps: step through them below\.$/);
          const { forward, backward } = await page().evaluate(walkStepper, { island, region: STEPPER });
          const steps = forward.length;
          expect(forward[0]!.position).toMatch(new RegExp(`^Step 1 of ${steps} `));
          expect(forward.at(-1)!.position).toMatch(new RegExp(`^Step ${steps} of ${steps} `));
          const output = forward.at(-1)!.output.join('\n');
          const comparison = compareOutput(output, example.expected ?? '', example.match);
          expect(comparison.ok, `${comparison.message}\n--- stepper output ---\n${output}`).toBe(true);
          // The call stack and the microtask queue had something in them on the way, and the
          // task queue too where the code sets a timer.
          const lists = /\bset(?:Timeout|Interval)\(/.test(example.code)
            ? (['stack', 'microtasks', 'tasks'] as const)
            : (['stack', 'microtasks'] as const);
          for (const list of lists)
            expect(
              forward.some((view) => view[list].length > 0),
              `${list} filled at some step`,
            ).toBe(true);
          // Back retraces the way forward, step by step.
          expect(backward.reverse()).toEqual(forward);
          expect((await page().errors()).slice(errorsBefore)).toEqual([]);
        },
        120_000,
      );

    const predict = contentExercises().cases.find(
      ({ exercise, realm }) => exercise.id === 'predict-then-step-queues' && realm === 'main',
    )!;
    test(
      'stepper',
      `${predict.exercise.file} (${predict.exercise.id}): Step shows the order Run printed`,
      async () => {
        const island = SELECT.example(predict.exercise.id);
        const page = await engine().open(site().url + predict.path);
        try {
          await page.click(`${island} ${SELECT.action('run')}`);
          // Truthy once it resolves: the lines the run printed, the prediction last.
          const ran = (await page.waitFor(
            ({ island, line }) => {
              const element = document.querySelector<HTMLElement>(island)!;
              if (element.dataset['verdict'] === undefined) return null;
              return [...element.querySelectorAll(line)].map((li) => li.textContent ?? '');
            },
            { island, line: SELECT.outputText },
            { timeoutMs: 30_000, what: 'the run and its check' },
          ))!;
          await step(page, island);
          await page.click(`${island} ${STEPPER} [data-move="end"]`);
          const stepped = await page.evaluate(
            (selector) =>
              [...document.querySelectorAll(`${selector} .ix-stepper-output li:not(.ix-stepper-empty)`)].map(
                (li) => li.textContent ?? '',
              ),
            `${island} ${STEPPER}`,
          );
          expect(ran.at(-1)).toMatch(/^prediction:/);
          expect(stepped).toEqual(ran);
          expect(await page.errors()).toEqual([]);
        } finally {
          await page.close();
        }
      },
    );
  });
}

const SCHEDULER_PAGE = 'reference/model/';
const PANEL = 'model-scheduler[data-for="model-race"]';

/** Clicks a button of the panel and waits until the panel has done what it started. */
async function press(page: EnginePage, selector: string): Promise<string> {
  await page.evaluate((panel) => {
    document.querySelector<HTMLElement>(panel)!.dataset['state'] = 'pressed';
  }, PANEL);
  await page.click(`${PANEL} ${selector}`);
  return page.waitFor(
    (panel) => {
      const element = document.querySelector<HTMLElement>(panel)!;
      return element.dataset['state'] === 'ready'
        ? (element.querySelector('.ms-status')?.textContent ?? '')
        : '';
    },
    PANEL,
    { timeoutMs: 30_000, what: `the panel to finish after ${selector}` },
  );
}

/** The labels of the thread buttons that can be pressed now. */
function threadButtons(panel: string): string[] {
  return [...document.querySelectorAll(`${panel} [role="group"] button:not([disabled])`)].map(
    (button) => button.textContent ?? '',
  );
}

function schedulerChecks({ engine, site, test }: EngineSuite): void {
  describe('scheduler', () => {
    // One page for the three checks, opened by the first that runs (after a by-hand run, random
    // and explore start afresh from the example's code).
    let page: EnginePage | undefined;
    const open = async () => (page ??= await engine().open(site().url + SCHEDULER_PAGE));
    afterAll(async () => {
      await page?.close();
    });

    test('scheduler', 'by hand: each button names its thread’s line of code', async () => {
      const page = await open();
      expect(await press(page, '[data-mode="hand"]')).toBe(
        'By hand: pick the thread that runs next (or press its number).',
      );
      expect(await page.evaluate(threadButtons, PANEL)).toEqual([
        'Run thread 1: line 7, const tmp = await x.read()',
        'Run thread 2: line 7, const tmp = await x.read()',
      ]);
      expect(await press(page, '[data-thread="2"]')).toBe('thread 2 ran line 7, x.read() → 0.');
      expect(await page.evaluate(threadButtons, PANEL)).toEqual([
        'Run thread 1: line 7, const tmp = await x.read()',
        'Run thread 2: line 8, await x.write(tmp + 1)',
      ]);
      expect(await press(page, '[data-thread="1"]')).toBe('thread 1 ran line 7, x.read() → 0.');
      expect(await press(page, '[data-thread="1"]')).toBe('thread 1 ran line 8, x.write(1).');
      expect(await press(page, '[data-thread="2"]')).toBe(
        'thread 2 ran line 8, x.write(1). Every thread finished: x = 1.',
      );
      expect(await page.errors()).toEqual([]);
    });

    test('scheduler', 'random: a seed gives the same schedule twice, the library’s own', async () => {
      const page = await open();
      const seed = 7;
      const expected = formatSchedule((await model(race).random(seed)).schedule);
      const shown: string[] = [];
      for (let round = 0; round < 2; round++) {
        await page.evaluate(
          ({ panel, seed }) => {
            document.querySelector<HTMLInputElement>(`${panel} input[name="seed"]`)!.value = String(seed);
          },
          { panel: PANEL, seed },
        );
        expect(await press(page, '[data-mode="random"]')).toMatch(
          new RegExp(`^Random schedule with seed ${seed}, 4 steps\\. Every thread finished: x = [12]\\.$`),
        );
        shown.push(
          await page.evaluate(
            (panel) => document.querySelector(`${panel} .ms-view code`)?.textContent ?? '',
            PANEL,
          ),
        );
      }
      expect(shown).toEqual([expected, expected]);
      expect(await page.errors()).toEqual([]);
    });

    test('scheduler', 'explore: every schedule, with the counts of each outcome', async () => {
      const page = await open();
      expect(await press(page, '[data-mode="explore"]')).toBe(
        'Explored every schedule: 6 schedules. x = 2: 2 schedules x = 1: 4 schedules',
      );
      expect(
        await page.evaluate(
          (panel) => [...document.querySelectorAll(`${panel} .ms-report li`)].map((li) => li.textContent),
          PANEL,
        ),
      ).toEqual(['Explored every schedule: 6 schedules.', 'x = 2: 2 schedules', 'x = 1: 4 schedules']);
      expect(await page.errors()).toEqual([]);
    });
  });
}

engineSuite(['stepper', 'scheduler'], (suite) => {
  stepperChecks(suite);
  schedulerChecks(suite);
});
