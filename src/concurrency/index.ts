/**
 * The teaching libraries in one import, as namespaces (both `sync` and `csp` have a WaitGroup:
 * one for threads, one for goroutines on an event loop). Each module is importable on its own;
 * snippets use `interleave/sync`, `interleave/csp`, `interleave/pool`, `interleave/gil` and
 * `interleave/model`.
 * `./node.ts` (Node adapters) is deliberately not re-exported: it imports `node:worker_threads`.
 */
export * as sync from './sync.ts';
export * as csp from './csp.ts';
export * as pool from './pool.ts';
export * as gil from './gil.ts';
export * as model from './model/index.ts';
