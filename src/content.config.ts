import { defineCollection } from 'astro:content';
import type { Loader } from 'astro/loaders';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import {
  bookFrontmatter,
  checkEntries,
  formatProblems,
  rejectUnknownKeys,
  type EntryInfo,
} from './build/content-schema.ts';

// src/content/docs is a committed symlink to the top-level content/ folder, so
// Starlight's stock loader, sidebar autogeneration and Markdown processing all
// see the chapters where authors keep them.

/**
 * Starlight's docs loader, followed by the checks a per-entry schema cannot
 * make (see src/build/content-schema.ts). A failed check fails the build (and
 * shows in `astro dev`) with one message naming every file, field and fix.
 */
function checkedDocsLoader(): Loader {
  const inner = docsLoader();
  return {
    name: 'interleave-docs-loader',
    async load(context) {
      await inner.load(context);
      const entries: EntryInfo[] = context.store
        .values()
        .map(({ id, filePath, data }) => ({ id, filePath, data }));
      const problems = checkEntries(entries);
      if (problems.length) throw new Error(formatProblems(problems));
    },
  };
}

export const collections = {
  docs: defineCollection({
    loader: checkedDocsLoader(),
    schema: (context) => rejectUnknownKeys(docsSchema({ extend: bookFrontmatter })(context)),
  }),
};
