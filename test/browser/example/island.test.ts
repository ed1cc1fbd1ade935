/**
 * The island drives the markup the build renders (mounted from the contract, view.ts): Run, the
 * status line and the Run button's label, an exercise's verdict.
 */
import { describe, expect, it } from 'vitest';
import '../../../src/client/example/bootstrap.ts';
import { exampleData, runLabel, SELECT } from '../../../src/client/example/view.ts';
import { until } from '../../support/wait.ts';
import { mountExample } from './mount.ts';

const check = `export default function check({ lines, status }) {
  return (status === 'done' && lines.includes('ok')) || 'Print ok.';
}`;

describe('the example island on the build’s markup', () => {
  it('runs, says how it ended, and gives the Run button its label back', async () => {
    const element = mountExample("console.log('hi');");
    const run = element.querySelector<HTMLElement>(SELECT.action('run'))!;
    const stop = element.querySelector<HTMLElement>(SELECT.action('stop'))!;
    run.click();
    await until(() => exampleData(element).state === 'done');
    expect([...element.querySelectorAll(SELECT.outputText)].map((line) => line.textContent)).toEqual(['hi']);
    expect(element.querySelector(SELECT.status)?.textContent).toMatch(/^Done in \d/);
    expect(run.textContent).toBe(`▶ ${runLabel('example')}`);
    expect(stop.hidden).toBe(true);
    element.remove();
  });

  it('checks an exercise after each run, with the check’s own words when it fails', async () => {
    const element = mountExample("console.log('not yet');", { check });
    expect(element.querySelector(SELECT.verdict)?.textContent).toBe(
      `Edit the code, then press ${runLabel('exercise')}.`,
    );
    element.querySelector<HTMLElement>(SELECT.action('run'))!.click();
    await until(() => exampleData(element).verdict !== undefined);
    expect(exampleData(element).verdict).toBe('fail');
    expect(element.querySelector(SELECT.verdict)?.textContent).toBe('✗ Not yet: Print ok.');
    element.remove();

    const solved = mountExample("console.log('ok');", { check });
    solved.querySelector<HTMLElement>(SELECT.action('run'))!.click();
    await until(() => exampleData(solved).verdict !== undefined);
    expect(exampleData(solved).verdict).toBe('pass');
    solved.remove();
  });
});
