/**
 * The event loop stepper on the built site, in Chromium: nothing of it loads before the first
 * Step; Step records the example in the stepper's worker and opens the panel; stepping to the end
 * shows the example's expected output; the page still takes a click while recording; and axe
 * finds nothing in the open panel, in both themes.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { BuildName } from '../support/site.ts';
import { axeViolations, type Theme } from '../support/axe.ts';
import { exampleLocator } from '../support/examples.ts';
import { servedSite } from './served-site.ts';
import { extractExamples } from '../../src/build/examples/syntax.mjs';
import { readFileSync } from 'node:fs';

const CHAPTER = 'chapters/async-event-loop/';
const ID = 'task-microtask-order';
const REGION = 'section[aria-label="Event loop stepper"]';
const expected = extractExamples(
  readFileSync('content/chapters/async-event-loop.mdx', 'utf8'),
  'x',
).examples.find((example) => example.id === ID)!.expected!;

describe.each(['root', 'subPath'] as BuildName[])('the event loop stepper, build "%s"', (name) => {
  const site = servedSite(name);

  async function open(): Promise<Page & { requests: string[]; errors: string[] }> {
    const context = await site.browser.newContext();
    context.setDefaultTimeout(30_000);
    const page = Object.assign(await context.newPage(), { requests: [] as string[], errors: [] as string[] });
    page.on('request', (request) => page.requests.push(new URL(request.url()).pathname));
    page.on('pageerror', (error) => page.errors.push(error.message));
    await page.goto(site.server.url + CHAPTER, { waitUntil: 'networkidle' });
    return page;
  }

  it('loads nothing until Step, then steps the example to its expected output', async () => {
    const page = await open();
    expect(page.requests.filter((path) => /stepper|engine262/i.test(path))).toEqual([]);
    const example = exampleLocator(page, ID);
    await example.getByRole('button', { name: 'Step' }).click();
    const region = example.locator(REGION);
    await region.waitFor();
    expect(page.requests.some((path) => /stepper\.worker/.test(path))).toBe(true);
    expect(await example.locator('.ix-status').textContent()).toMatch(/^Recorded \d+ steps/);
    await region.getByRole('button', { name: /End/ }).click();
    const output = region.getByRole('list', { name: 'Output' }).getByRole('listitem');
    expect(await output.allTextContents()).toEqual(expected.split('\n'));
    expect(
      await region.getByRole('list', { name: 'Call stack' }).getByRole('listitem').allTextContents(),
    ).toEqual(['empty']);
    expect(await example.locator('.ix-step-range').count()).toBe(0); // the last step has no source
    await region.getByRole('button', { name: /Start/ }).click();
    expect(await example.locator('.ix-step-range').textContent()).toBe(
      "console.log('1 sync: the script is the current task');",
    );
    expect(page.errors).toEqual([]);
    await page.context().close();
  });

  it('records off the main thread: the page draws frames while an endless loop is recorded', async () => {
    const page = await open();
    const example = exampleLocator(page, ID);
    await example.getByRole('button', { name: 'Edit' }).click();
    await example.locator('.cm-content').waitFor();
    await example.locator('.cm-content').fill('let n = 0;\nwhile (true) n++;');
    await example.getByRole('button', { name: 'Step' }).click();
    await expect
      .poll(() => example.locator('.ix-status').textContent())
      .toBe('Recording the run for step mode…');
    // The recording (about two seconds of an endless loop) is off the main thread: the page
    // draws its next frame while it goes on. Recorded on the main thread, the frame would come
    // only after it, when the status line already says it is done.
    const atNextFrame = await page.evaluate(
      (selector) =>
        new Promise<string>((resolve) =>
          requestAnimationFrame(() => resolve(document.querySelector(selector)?.textContent ?? '')),
        ),
      `interleave-example[data-id="${ID}"] .ix-status`,
    );
    expect(atNextFrame).toBe('Recording the run for step mode…');
    await example.locator(REGION).waitFor({ timeout: 60_000 });
    expect(await example.locator('.ix-stepper-notice').textContent()).toMatch(
      /^Recording stopped early: the run went past 50,000 steps/,
    );
    await page.context().close();
  });
});

describe.each(['light', 'dark'] as Theme[])('the open stepper, %s theme', (theme) => {
  const site = servedSite();
  it('has no WCAG 2.2 A/AA violations', async () => {
    const example = `interleave-example[data-id="${ID}"]`;
    const violations = await axeViolations(site.browser, `${site.server.origin}/${CHAPTER}`, theme, {
      include: example,
      prepare: async (page) => {
        await page.locator(example).getByRole('button', { name: 'Step' }).click();
        await page.locator(`${example} ${REGION}`).waitFor({ timeout: 30_000 });
        await page
          .locator(`${example} ${REGION}`)
          .getByRole('button', { name: /Next ▶/ })
          .click();
      },
    });
    expect(violations).toEqual([]);
  });
});
