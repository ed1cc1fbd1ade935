/**
 * The book's runnable examples and exercises, for the tests, the bench and the screenshots: which
 * examples and exercises the book has (read by the build's own parser; by default only the chapter
 * `npm run check:chapter` names), the island's selectors (`SELECT`, from the example's contract
 * src/client/example/view.ts, re-exported), how a reader's saved edit is stored and a share link
 * made, and driving an island in Chromium with Playwright's locators (the cross-engine suite drives
 * it through the engine layer instead: test/engines/island.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import type { Locator, Page } from 'playwright-core';
import {
  extractExamples,
  extractExercises,
  type Example,
  type ExampleError,
  type Exercise,
} from '../../src/build/examples/syntax.mjs';
import { expect } from 'vitest';
import { SELECT } from '../../src/client/example/view.ts';
import { ROOT } from './site.ts';
import { isChecked } from './chapter-filter.ts';

export { SELECT };

export interface PageExamples {
  readonly file: string;
  /** Path of the built page, relative to the site's base ("" for the home page). */
  readonly path: string;
  readonly examples: Example[];
}

/** Every .mdx file under content/, with its runnable examples (and any authoring errors). */
export function contentExamples(checked: (file: string) => boolean = isChecked): {
  pages: PageExamples[];
  errors: ExampleError[];
} {
  const content = join(ROOT, 'content');
  const pages: PageExamples[] = [];
  const errors: ExampleError[] = [];
  for (const name of readdirSync(content, { recursive: true }).map(String).sort()) {
    if (!name.endsWith('.mdx') && !name.endsWith('.md')) continue;
    const file = relative(ROOT, join(content, name));
    if (!checked(file)) continue;
    const result = extractExamples(readFileSync(join(content, name), 'utf8'), file);
    errors.push(...result.errors);
    if (!result.examples.length) continue;
    const slug = name.replace(/\.mdx?$/, '').replace(/(^|\/)index$/, '');
    pages.push({ file, path: slug ? `${slug}/` : '', examples: result.examples });
  }
  return { pages, errors };
}

export interface PageExercise {
  readonly exercise: Exercise;
  readonly realm: 'main' | 'worker';
  /** Path of the built page, relative to the site's base. */
  readonly path: string;
}

/** Every .mdx file under content/ with its exercises (and authoring errors). */
export function contentExercises(checked: (file: string) => boolean = isChecked): {
  files: { file: string; path: string; exercises: Exercise[]; errors: ExampleError[] }[];
  cases: PageExercise[];
} {
  const content = join(ROOT, 'content');
  const files = readdirSync(content, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.mdx') && checked(relative(ROOT, join(content, name))))
    .sort()
    .map((name) => {
      const file = relative(ROOT, join(content, name));
      const path = `${name.replace(/\.mdx$/, '').replace(/(^|\/)index$/, '')}/`.replace(/^\/$/, '');
      return { file, path, ...extractExercises(readFileSync(join(content, name), 'utf8'), file) };
    });
  const cases = files.flatMap(({ path, exercises }) =>
    exercises.flatMap((exercise) => exercise.realms.map((realm) => ({ exercise, realm, path }))),
  );
  return { files, cases };
}

/** The localStorage entry the island saves for a reader's edit (src/client/progress/saved.ts). */
export function savedEdit(path: string, exercise: Exercise, code: string): [key: string, value: string] {
  return [
    `interleave:edit:/${path}#${exercise.id}`,
    JSON.stringify({ code, hash: exercise.hash, savedAt: Date.now() }),
  ];
}

export function exampleLocator(page: Page, id: string): Locator {
  return page.locator(SELECT.example(id));
}

export interface RunOutcome {
  readonly state: string;
  readonly status: string;
  /** The output panel's plain lines (what expected output is compared with). */
  readonly output: string;
}

/** Chooses the realm (when the example offers a choice) and waits for the island to be ready. */
export async function chooseRealm(example: Locator, realm: 'main' | 'worker'): Promise<void> {
  const radio = example.locator(SELECT.realmInput(realm));
  if (await radio.count()) {
    await radio.check();
    expect(await radio.isChecked()).toBe(true);
  }
}

/** Clicks Run (or calls `start`) and waits until that run has ended. */
export async function runAndWait(
  example: Locator,
  timeoutMs = 20_000,
  start?: () => Promise<void>,
): Promise<RunOutcome> {
  const before = Number((await example.getAttribute('data-runs')) ?? '0');
  if (start) await start();
  else await example.locator(SELECT.action('run')).click();
  const handle = await example.elementHandle();
  await example.page().waitForFunction(
    ([el, n]) => {
      const data = (el as HTMLElement).dataset;
      return Number(data['runs'] ?? 0) > n && data['state'] !== 'running';
    },
    [handle, before] as const,
    { timeout: timeoutMs },
  );
  return {
    state: (await example.getAttribute('data-state')) ?? '',
    status: (await example.locator(SELECT.status).textContent()) ?? '',
    output: (await example.locator(SELECT.outputText).allTextContents()).join('\n'),
  };
}

/** The playground link's fragment (`playground/#…`) for this code and realm, as Share makes it. */
export function shareFragment(code: string, realm?: 'main' | 'worker'): string {
  const params = new URLSearchParams({ code: deflateRawSync(Buffer.from(code)).toString('base64url') });
  if (realm) params.set('realm', realm);
  return params.toString();
}
