import { describe, expect, it } from 'vitest';
import {
  nextText,
  summarize,
  summaryText,
  type OutlineChapter,
} from '../../../src/client/progress/summary.ts';
import type { Progress } from '../../../src/client/progress/store.ts';

const chapters: OutlineChapter[] = [
  { href: '/chapters/a/', number: 1, title: 'A', exercises: ['a1'] },
  { href: '/chapters/b/', number: 2, title: 'B', exercises: [] },
  { href: '/chapters/c/', number: 3, title: 'C', exercises: ['c1', 'c2'] },
];
const progress = (read: string[], passed: string[] = []): Progress => ({
  read: Object.fromEntries(read.map((page) => [page, 1])),
  passed: Object.fromEntries(passed.map((key) => [key, 1])),
});

describe('summarize', () => {
  it('nothing yet: 0 of 3, start with chapter 1', () => {
    const summary = summarize(chapters, progress([]));
    expect(summaryText(summary)).toBe('0 of 3 chapters read, 0 of 3 exercises passed');
    expect(summary.next).toEqual({ chapter: chapters[0], reason: 'start' });
    expect(nextText(summary.next)).toBe('Start with');
  });

  it('counts only this book’s chapters and exercises, and goes on to the first unread chapter', () => {
    const summary = summarize(
      chapters,
      progress(['/chapters/a/', '/chapters/c/', '/guide/x/'], ['/chapters/c/#c2', '/chapters/a/#gone']),
    );
    expect(summaryText(summary)).toBe('2 of 3 chapters read, 1 of 3 exercises passed');
    expect(summary.next).toEqual({ chapter: chapters[1], reason: 'read' });
  });

  it('all read: the first chapter with exercises left; all done: no next', () => {
    const allRead = ['/chapters/a/', '/chapters/b/', '/chapters/c/'];
    expect(summarize(chapters, progress(allRead, ['/chapters/a/#a1'])).next).toEqual({
      chapter: chapters[2],
      reason: 'exercises',
    });
    const done = summarize(
      chapters,
      progress(allRead, ['/chapters/a/#a1', '/chapters/c/#c1', '/chapters/c/#c2']),
    );
    expect(done.next).toBeUndefined();
    expect(nextText(done.next)).toMatch(/every chapter/);
  });

  it('speaks in the singular for one', () => {
    expect(summaryText(summarize([chapters[0]!], progress([])))).toBe(
      '0 of 1 chapter read, 0 of 1 exercise passed',
    );
  });
});
