/**
 * Starts an uninitialised runner worker from the page. The `new Worker(new URL(…), { type:
 * 'module' })` form is what Vite (dev, build, vitest browser mode) recognises and bundles, with
 * the site's `base` respected; keep it literal.
 */
export function newRunnerWorker(): Worker {
  return new Worker(new URL('./runner.worker.ts', import.meta.url), { type: 'module' });
}
