import { defineCollection } from 'astro:content';
import type { Loader, LoaderContext } from 'astro/loaders';
import { docsLoader, i18nLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import {
  bookFrontmatter,
  checkEntries,
  formatProblems,
  rejectUnknownKeys,
  type EntryInfo,
} from './build/site/content-schema.ts';

// src/content/docs is a committed symlink to the top-level content/ folder, so
// Starlight's stock loader, sidebar autogeneration and Markdown processing all
// see the chapters where authors keep them.

/**
 * Starlight's docs loader, followed by the checks a per-entry schema cannot
 * make (see src/build/site/content-schema.ts), with one message naming every file,
 * field and fix. A build fails on it. `astro dev` (the only caller with a
 * watcher) prints it instead of exiting, at start and again after every edit
 * of a page: Starlight's loader re-reads only the edited file, so without this
 * the rules would be checked only when the server starts.
 */
function checkedDocsLoader(): Loader {
  const inner = docsLoader();
  return {
    name: 'interleave-docs-loader',
    async load(context) {
      const problems = () => {
        const entries: EntryInfo[] = context.store
          .values()
          .map(({ id, filePath, data }) => ({ id, filePath, data }));
        const found = checkEntries(entries);
        return found.length ? formatProblems(found) : undefined;
      };
      const { watcher } = context;
      if (!watcher) {
        await inner.load(context);
        const message = problems();
        if (message) throw new Error(message);
        return;
      }
      const report = () => {
        const message = problems();
        if (message) context.logger.error(message);
      };
      await inner.load({ ...context, watcher: afterEachEvent(watcher, report) });
      report();
    },
  };
}

type Watcher = NonNullable<LoaderContext['watcher']>;

/**
 * The watcher as the inner loader sees it: each handler it adds is followed by
 * `after`, once the handler (which updates the store) has finished.
 */
function afterEachEvent(watcher: Watcher, after: () => void): Watcher {
  const wrapped: Watcher = new Proxy(watcher, {
    get(target, property) {
      if (property === 'on')
        return (event: string, handler: (...args: unknown[]) => unknown) => {
          target.on(event, async (...args: unknown[]) => {
            await handler(...args);
            after();
          });
          return wrapped;
        };
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return wrapped;
}

export const collections = {
  docs: defineCollection({
    loader: checkedDocsLoader(),
    schema: (context) => rejectUnknownKeys(docsSchema({ extend: bookFrontmatter })(context)),
  }),
  // Starlight reads this collection (its UI strings, per language) on every page; undeclared, it
  // is a warning on every page load. src/content/i18n/en.json is `{}`: no string is changed (an
  // empty folder would be a warning of its own).
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema() }),
};
