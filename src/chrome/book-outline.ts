/**
 * The book's chapters in reading order, from the pages' frontmatter, at build time: the landing
 * page's contents (src/components/BookContents.astro) lists them, and every page carries them as
 * the outline the reader's progress is counted against (src/chrome/Progress.astro).
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

export async function bookOutline(): Promise<OutlineChapter[]> {
  return inFolder(await pages(), 'chapters').map((chapter, index) => ({
    href: href(chapter),
    number: index + 1,
    title: chapter.data.title,
    exercises: exerciseIds(chapter.body ?? '', chapter.filePath ?? chapter.id),
  }));
}
