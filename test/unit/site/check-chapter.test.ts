/**
 * `npm run check:chapter <file>`: which arguments it accepts, what it tells a contributor who
 * gives a wrong one, and which checks it runs.
 */
import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { CHAPTER_CHECKS, chapterCheck } from '../../support/chapter-check.ts';
import { ROOT } from '../../support/site.ts';

const exists = (path: string) => path === 'content/chapters/x.mdx';

const inChromium = ['--project', 'unit', '--project', 'e2e', '--project', 'chromium'];

it('runs the chapter checks for a page of the book, passing other options to vitest', () => {
  expect(chapterCheck(['content/chapters/x.mdx'], exists)).toEqual({
    ok: true,
    chapter: 'content/chapters/x.mdx',
    vitestArgs: [...CHAPTER_CHECKS, ...inChromium],
  });
  expect(chapterCheck(['./content/chapters/x.mdx', '-t', 'worker'], exists)).toEqual({
    ok: true,
    chapter: 'content/chapters/x.mdx',
    vitestArgs: [...CHAPTER_CHECKS, ...inChromium, '-t', 'worker'],
  });
});

it('runs the engine checks in Chromium, or in the engines named', () => {
  expect(chapterCheck(['content/chapters/x.mdx', '--project', 'firefox'], exists)).toEqual({
    ok: true,
    chapter: 'content/chapters/x.mdx',
    vitestArgs: [...CHAPTER_CHECKS, '--project', 'firefox'],
  });
});

it('says what is wrong with the argument, and how to call it', () => {
  const message = (args: string[]) => {
    const check = chapterCheck(args, exists);
    return check.ok ? 'accepted' : check.message;
  };
  expect(message([])).toMatch(/^Name the chapter to check\.\nUsage: npm run check:chapter /);
  expect(message(['chapters/x.mdx'])).toMatch(/^"chapters\/x\.mdx" is not a page of the book: give its path/);
  expect(message(['content/chapters/y.mdx'])).toMatch(/^content\/chapters\/y\.mdx does not exist\./);
});

it('names test files that exist', () => {
  for (const path of CHAPTER_CHECKS) expect(existsSync(`${ROOT}${path}`), path).toBe(true);
});
