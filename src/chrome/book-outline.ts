/**
 * The book's chapters in reading order, from the pages' frontmatter, at build time — the one
 * source of every list of chapters: the landing page's contents (src/components/BookContents.astro),
 * the numbered list pages include (src/components/ChapterList.astro), and the outline every page
 * carries for counting the reader's progress (src/chrome/Progress.astro). A new chapter file
 * appears in all of them with no other edit.
 */
import { getCollection, type CollectionEntry } from 'astro:content';
import { exerciseIds } from '../build/examples/exercise-ids.mjs';
import type { OutlineChapter } from '../client/progress/index.ts';

export type Page = CollectionEntry<'docs'>;

export const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');

/** A page's address, which is also how the reader's progress keys it. */
export const href = (page: Page): string => `${base}${page.id}/`;

/** Every published page (drafts are left out of production builds, as from Starlight's sidebar). */
export const pages = (): Promise<Page[]> =>
  getCollection('docs', ({ data }) => import.meta.env.DEV || !data.draft);

/** The pages of one folder of content/, in `sidebar.order`, then by title. */
export function inFolder(all: Page[], folder: string): Page[] {
  return all
    .filter((page) => page.id.startsWith(`${folder}/`))
    .sort(
      (a, b) =>
        (a.data.sidebar.order ?? Infinity) - (b.data.sidebar.order ?? Infinity) ||
        a.data.title.localeCompare(b.data.title),
    );
}

/** What a reader gets from a page in a list: its summary, else its description. */
export const blurb = (page: Page): string | undefined => page.data.summary ?? page.data.description;

/** One chapter as the lists show it. */
export interface ChapterEntry {
  page: Page;
  href: string;
  /** Its place in the reading order, from 1: the chapter number. */
  number: number;
  title: string;
  blurb: string | undefined;
}

/** The chapters in reading order (`sidebar.order`, then title), numbered from 1. */
export async function chapters(): Promise<ChapterEntry[]> {
  return inFolder(await pages(), 'chapters').map((page, index) => ({
    page,
    href: href(page),
    number: index + 1,
    title: page.data.title,
    blurb: blurb(page),
  }));
}

export async function bookOutline(): Promise<OutlineChapter[]> {
  return (await chapters()).map(({ page, href, number, title }) => ({
    href,
    number,
    title,
    exercises: exerciseIds(page.body ?? '', page.filePath ?? page.id),
  }));
}
