/**
 * Exercises are tests too: for every exercise in content/, in each realm it allows, through the
 * built page's real UI, the starter as given must FAIL its check (so the check can fail) and the
 * reference solution — loaded the way a reader's saved edit is — must PASS it.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatError, type Exercise } from '../../src/build/examples.mjs';
import { chooseRealm, contentExercises, exampleLocator, SELECT, savedEdit } from './examples-support.ts';
import { servedSite } from './served-site.ts';

const { files: found, cases } = contentExercises();

const site = servedSite();

it('every exercise in content/ is well formed', () => {
  expect(found.flatMap(({ errors }) => errors).map(formatError)).toEqual([]);
});

/** Practice comes in several kinds (predict the output, fix the bug, make it faster or correct). */
const EXERCISES_PER_CHAPTER = 3;

it(`every chapter has at least ${EXERCISES_PER_CHAPTER} exercises`, () => {
  const chapters = found.filter(({ file }) => file.startsWith('content/chapters/'));
  expect(chapters.length).toBeGreaterThan(0);
  const short = chapters
    .filter(({ exercises }) => exercises.length < EXERCISES_PER_CHAPTER)
    .map(
      ({ file, exercises }) =>
        `${file} has ${exercises.length} exercise(s); add ${EXERCISES_PER_CHAPTER - exercises.length} more, of other kinds (predict the output, fix the bug, make it faster, make it correct)`,
    );
  expect(short).toEqual([]);
});

/** Runs the exercise on its page and returns the verdict the island shows. */
async function runAndCheck(island: Locator, timeoutMs: number): Promise<{ verdict: string; text: string }> {
  await island.locator(SELECT.action('run')).click();
  const handle = await island.elementHandle();
  try {
    await island
      .page()
      .waitForFunction((el) => (el as HTMLElement).dataset['verdict'] !== undefined, handle, {
        timeout: timeoutMs,
      });
  } catch (error) {
    const state = await island.getAttribute('data-state');
    const status = await island.locator(SELECT.status).textContent();
    throw new Error(`no verdict after ${timeoutMs} ms (run state "${state}", status "${status}")`, {
      cause: error,
    });
  }
  return {
    verdict: (await island.getAttribute('data-verdict')) ?? '',
    text: (await island.locator(SELECT.verdict).textContent()) ?? '',
  };
}

async function openExercise(
  path: string,
  exercise: Exercise,
  code?: string,
): Promise<{ page: Page; island: Locator }> {
  const context = await site.browser.newContext();
  context.setDefaultTimeout(exercise.timeoutMs + 30_000);
  const page = await context.newPage();
  if (code !== undefined) {
    const [key, value] = savedEdit(path, exercise, code);
    await context.addInitScript(([k, v]) => localStorage.setItem(k, v), [key, value] as const);
  }
  await page.goto(site.server.url + path, { waitUntil: 'load' });
  const island = exampleLocator(page, exercise.id);
  expect(await island.count(), `exercise ${exercise.id} not found on /${path}`).toBe(1);
  if (code !== undefined)
    await page.waitForFunction(
      (id) => document.querySelector(`interleave-example[data-id="${id}"]`)?.hasAttribute('data-editor'),
      exercise.id,
    );
  return { page, island };
}

describe.each(cases)('$exercise.file:$exercise.line ($exercise.id, $realm)', ({ exercise, realm, path }) => {
  const where = `${exercise.file}:${exercise.line} (exercise ${exercise.id}, ${realm})`;

  it('the starter as given fails its check', async () => {
    const { page, island } = await openExercise(path, exercise);
    await chooseRealm(island, realm);
    const { verdict, text } = await runAndCheck(island, exercise.timeoutMs + 30_000);
    expect(verdict, `${where}: the starter passed its check — the check cannot fail (${text})`).toBe('fail');
    expect(text).toMatch(/^✗ Not yet: /);
    await page.context().close();
  }, 90_000);

  it('the solution passes its check', async () => {
    const { page, island } = await openExercise(path, exercise, exercise.solution);
    await chooseRealm(island, realm);
    const { verdict, text } = await runAndCheck(island, exercise.timeoutMs + 30_000);
    expect(
      verdict,
      `${where}: the solution (line ${exercise.solutionLine}) failed its check (line ${exercise.checkLine}): ${text}`,
    ).toBe('pass');
    await page.context().close();
  }, 90_000);
});
