/**
 * An exercise's check, after every run: the check (a module's source, in `data-check`) is loaded
 * once, given the run's output lines, how it ended and how long it took; its verdict is shown in
 * the verdict line and written as `data-verdict`, and a pass is recorded in the reader's progress.
 *
 * State: the check, loaded once, on the first run.
 */
import type { RunResult } from '../../runner/index.ts';
import { markPassed, pageKey } from '../progress/index.ts';
import { exampleData, SELECT, VERDICT_TEXT, verdictOf, type Check, type ExampleData } from './view.ts';

export class ExerciseCheck {
  readonly #element: HTMLElement;
  readonly #data: ExampleData;
  readonly #id: string;
  #check: Promise<Check> | undefined;

  constructor(element: HTMLElement, id: string) {
    this.#element = element;
    this.#data = exampleData(element);
    this.#id = id;
  }

  /** The check, loaded once from a blob URL. */
  #load(): Promise<Check> {
    return (this.#check ??= (async () => {
      const url = URL.createObjectURL(new Blob([this.#data.check ?? ''], { type: 'text/javascript' }));
      try {
        const module = (await import(/* @vite-ignore */ url)) as { default?: unknown };
        if (typeof module.default !== 'function') throw new Error('the check has no default export');
        return module.default as Check;
      } finally {
        URL.revokeObjectURL(url);
      }
    })());
  }

  /** A new run has started: the last verdict no longer holds. */
  clear(): void {
    delete this.#data.verdict;
  }

  /** Checks a finished run whose plain output is `output`, and shows the verdict. */
  async judge(result: RunResult, output: string): Promise<void> {
    const verdict = this.#element.querySelector<HTMLElement>(SELECT.verdict);
    const show = (state: NonNullable<ExampleData['verdict']>, message: string) => {
      this.#data.verdict = state;
      if (verdict) verdict.textContent = message;
    };
    if (result.status === 'stopped' && result.reason === 'Stopped.') {
      return show('none', VERDICT_TEXT.stopped);
    }
    const lines = output.split('\n');
    if (lines.length === 1 && lines[0] === '') lines.pop();
    try {
      const check = await this.#load();
      const { pass, reason } = verdictOf(
        await check({ lines, status: result.status, durationMs: result.durationMs }),
      );
      show(pass ? 'pass' : 'fail', pass ? VERDICT_TEXT.pass : VERDICT_TEXT.fail(reason));
      if (pass) markPassed(pageKey(), this.#id);
    } catch (error) {
      show('fail', VERDICT_TEXT.broken((error as Error).message));
    }
  }
}
