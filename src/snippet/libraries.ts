/**
 * The book's teaching libraries as snippets import them: `import { Mutex } from 'interleave/sync'`.
 * The transform turns such imports into `await __interleave_import('sync')`, which loads the
 * bundled module through this table. Loaders are dynamic imports, so a page only downloads the
 * libraries its snippets use.
 */
import type * as PoolModule from '../concurrency/pool.ts';

export const libraries = {
  sync: () => import('../concurrency/sync.ts'),
  csp: () => import('../concurrency/csp.ts'),
  pool: () => import('../concurrency/pool.ts'),
  gil: () => import('../concurrency/gil.ts'),
  model: () => import('../concurrency/model/index.ts'),
} satisfies Record<string, () => Promise<unknown>>;

export const libraryNames: readonly string[] = Object.keys(libraries);

export function importLibrary(name: string): Promise<unknown> {
  const load = (libraries as Record<string, (() => Promise<unknown>) | undefined>)[name];
  if (!load) return Promise.reject(new Error(`There is no module 'interleave/${name}'`));
  return load();
}

/**
 * A library as one thread's global sees it. The pool starts its workers with that global's `Worker`
 * (the runner's wrapped one), so that on the main thread — where the bundled libraries live in
 * the page, not in the run's iframe — pool workers still get the loop guard, console capture,
 * and are stopped with the run.
 */
export function libraryInGlobal(name: string, module: unknown, scope: object): unknown {
  if (name !== 'pool') return module;
  const pool = module as typeof PoolModule;
  const spawn = pool.blobSpawnIn(scope);
  return {
    ...pool,
    blobSpawn: spawn,
    createPool: (options: Parameters<typeof pool.createPool>[0] = {}) =>
      pool.createPool({ spawn, ...options }),
  };
}
