/**
 * Driving a runnable example's island (<interleave-example>) through the engine layer, as a
 * reader does: the realm's radio, Run, and what the island shows when the run (and, for an
 * exercise, its check) has ended. Used by every file of the cross-engine suite.
 */
import type { EnginePage } from '../support/engines/index.ts';
import { SELECT } from '../support/examples.ts';

export interface Outcome {
  readonly state: string;
  readonly status: string;
  readonly output: string;
  readonly verdict?: string;
  readonly verdictText?: string;
}

/**
 * Picks the realm (when the island offers a choice) the way a reader does: a click on its radio.
 * Waits up to 30 s for it: WebKit, loaded by a parallel run, once took over 10 s to take a click.
 */
export async function chooseRealm(page: EnginePage, island: string, realm: 'main' | 'worker'): Promise<void> {
  const radio = `${island} ${SELECT.realmInput(realm)}`;
  if (!(await page.evaluate((selector) => document.querySelector(selector) !== null, radio))) return;
  await page.click(radio);
  await explainTimeout(page, island, () =>
    page.waitFor((selector) => (document.querySelector(selector) as HTMLInputElement).checked, radio, {
      timeoutMs: 30_000,
      what: `the ${realm} realm to be chosen`,
    }),
  );
}

/**
 * Runs `wait`; if it fails, adds to its error what the page looked like then: whether it was
 * visible and focused, whether its timers and frames still ran, and the island's state — a
 * timeout alone does not say whether the page, the engine or the test stalled.
 */
async function explainTimeout<T>(page: EnginePage, island: string, wait: () => Promise<T>): Promise<T> {
  try {
    return await wait();
  } catch (error) {
    const seen = await page
      .evaluate(
        async ({ selector, parts }) => {
          const within = (start: (done: () => void) => void) =>
            Promise.race([
              new Promise<string>((resolve) => {
                const t0 = performance.now();
                start(() => resolve(`${Math.round(performance.now() - t0)} ms`));
              }),
              new Promise<string>((resolve) => setTimeout(() => resolve('not within 2 s'), 2_000)),
            ]);
          const element = document.querySelector(selector) as HTMLElement | null;
          return JSON.stringify({
            visibility: document.visibilityState,
            focus: document.hasFocus(),
            timer: await within((done) => setTimeout(done, 0)),
            frame: await within((done) => requestAnimationFrame(() => done())),
            island: element ? { ...element.dataset } : 'missing',
            status: element?.querySelector(parts.status)?.textContent ?? null,
            lastOutput: [...(element?.querySelectorAll(parts.output) ?? [])]
              .slice(-3)
              .map((l) => l.textContent),
            sinceLoad: `${Math.round(performance.now())} ms`,
            lastClick: (window as { __interleaveLastClick?: string }).__interleaveLastClick ?? null,
          });
        },
        { selector: island, parts: { status: SELECT.status, output: SELECT.outputText } },
      )
      .catch((reason: unknown) => `the page did not answer (${String(reason)})`);
    (error as Error).message += `\nthe page then: ${seen}`;
    throw error;
  }
}

/** Waits until the island has swapped in its editor with `what` (saved or shared code) loaded. */
export async function editorReady(page: EnginePage, island: string, what: string): Promise<void> {
  await page.waitFor((selector) => document.querySelector(selector)?.hasAttribute('data-editor'), island, {
    timeoutMs: 30_000,
    what: `${what} to be loaded into the editor`,
  });
}

/** Clicks Run and waits until that run (and, for an exercise, its check) has ended. */
export async function runAndWait(
  page: EnginePage,
  island: string,
  timeoutMs: number,
  { exercise = false } = {},
): Promise<Outcome> {
  const runs = (selector: string) =>
    Number((document.querySelector(selector) as HTMLElement).dataset['runs'] ?? 0);
  const before = await page.evaluate(runs, island);
  await page.click(`${island} ${SELECT.action('run')}`);
  await explainTimeout(page, island, () =>
    page.waitFor(
      ({ selector, before, exercise }) => {
        const data = (document.querySelector(selector) as HTMLElement).dataset;
        const ended = Number(data['runs'] ?? 0) > before && data['state'] !== 'running';
        return ended && (!exercise || data['verdict'] !== undefined);
      },
      { selector: island, before, exercise },
      { timeoutMs, what: `the run of ${island} to end` },
    ),
  );
  return page.evaluate(
    ({ selector, parts }) => {
      const element = document.querySelector(selector) as HTMLElement;
      return {
        state: element.dataset['state'] ?? '',
        status: element.querySelector(parts.status)?.textContent ?? '',
        output: [...element.querySelectorAll(parts.output)].map((line) => line.textContent).join('\n'),
        ...(element.dataset['verdict'] === undefined
          ? {}
          : {
              verdict: element.dataset['verdict'],
              verdictText: element.querySelector(parts.verdict)?.textContent ?? '',
            }),
      };
    },
    {
      selector: island,
      parts: { status: SELECT.status, output: SELECT.outputText, verdict: SELECT.verdict },
    },
  );
}
