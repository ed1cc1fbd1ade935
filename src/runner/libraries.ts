/**
 * The book's teaching libraries as snippets import them: `import { Mutex } from 'interleave/sync'`.
 * The transform turns such imports into `await __interleave_import('sync')`, which loads the
 * bundled module through this table. Loaders are dynamic imports, so a page only downloads the
 * libraries its snippets use.
 */
export const libraries = {
  sync: () => import('../concurrency/sync.ts'),
  csp: () => import('../concurrency/csp.ts'),
  pool: () => import('../concurrency/pool.ts'),
  gil: () => import('../concurrency/gil.ts'),
} satisfies Record<string, () => Promise<unknown>>;

export type LibraryName = keyof typeof libraries;

export const libraryNames: readonly string[] = Object.keys(libraries);

export function importLibrary(name: string): Promise<unknown> {
  const load = (libraries as Record<string, (() => Promise<unknown>) | undefined>)[name];
  if (!load) return Promise.reject(new Error(`There is no module 'interleave/${name}'`));
  return load();
}
