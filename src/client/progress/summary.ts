/**
 * What the reader's progress amounts to, against the book's outline: how many chapters read and
 * exercises passed, and where to go next. Pure (no DOM, no storage), so Node tests it directly;
 * page.ts shows it on the landing page and in the sidebar.
 */
import { exerciseKey, type Progress } from './store.ts';

/** One chapter as the build describes it (src/chrome/book-outline.ts; Progress.astro renders it). */
export interface OutlineChapter {
  /** The chapter's path, as progress keys it: `${base}chapters/<slug>/`. */
  readonly href: string;
  readonly number: number;
  readonly title: string;
  /** The ids of its exercises, in page order. */
  readonly exercises: readonly string[];
}

export interface Next {
  readonly chapter: OutlineChapter;
  /** start: nothing read yet; read: the first unread chapter; exercises: all read, some left. */
  readonly reason: 'start' | 'read' | 'exercises';
}

export interface Summary {
  readonly chaptersRead: number;
  readonly chaptersTotal: number;
  readonly exercisesPassed: number;
  readonly exercisesTotal: number;
  /** Undefined when every chapter is read and every exercise passed. */
  readonly next: Next | undefined;
}

export function passedIn(chapter: OutlineChapter, progress: Progress): number {
  return chapter.exercises.filter((id) => progress.passed[exerciseKey(chapter.href, id)] !== undefined)
    .length;
}

export function isRead(chapter: OutlineChapter, progress: Progress): boolean {
  return progress.read[chapter.href] !== undefined;
}

export function summarize(chapters: readonly OutlineChapter[], progress: Progress): Summary {
  const chaptersRead = chapters.filter((chapter) => isRead(chapter, progress)).length;
  const unread = chapters.find((chapter) => !isRead(chapter, progress));
  const unpassed = chapters.find((chapter) => passedIn(chapter, progress) < chapter.exercises.length);
  const next: Next | undefined = unread
    ? { chapter: unread, reason: chaptersRead === 0 ? 'start' : 'read' }
    : unpassed && { chapter: unpassed, reason: 'exercises' };
  return {
    chaptersRead,
    chaptersTotal: chapters.length,
    exercisesPassed: chapters.reduce((sum, chapter) => sum + passedIn(chapter, progress), 0),
    exercisesTotal: chapters.reduce((sum, chapter) => sum + chapter.exercises.length, 0),
    next,
  };
}

const count = (n: number, of: number, noun: string) => `${n} of ${of} ${noun}${of === 1 ? '' : 's'}`;

/** "3 of 9 chapters read, 7 of 16 exercises passed" */
export function summaryText(summary: Summary): string {
  return `${count(summary.chaptersRead, summary.chaptersTotal, 'chapter')} read, ${count(
    summary.exercisesPassed,
    summary.exercisesTotal,
    'exercise',
  )} passed`;
}

/** The words before the link to the next chapter. */
export function nextText(next: Next | undefined): string {
  if (!next) return 'You have read every chapter and passed every exercise.';
  return { start: 'Start with', read: 'Next:', exercises: 'Exercises left in' }[next.reason];
}

/** The id of the page's JSON outline (src/chrome/Progress.astro renders it). */
export const OUTLINE_ID = 'interleave-outline';
