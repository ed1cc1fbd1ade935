/**
 * Which executor runs what, decided here and nowhere else.
 *
 * - The page has one executor per realm (`createExecutor`); the worker one keeps a spare worker
 *   started ahead of the next run, so a run in it starts warm.
 * - Several parts of a page run code (each runnable example is one **owner**): `executorFor`
 *   gives an owner its executor for a realm. Main-thread runs: the owner's own executor (a cheap
 *   iframe per run). Worker runs: the page's warm worker executor, held by one owner at a time
 *   from a run until that owner's latest run on it ends, because an executor stops its current
 *   run when it starts another. An owner whose run finds it held runs in a worker executor of its
 *   own (cold: its worker starts after Run), so two examples' runs never stop each other.
 *
 * State: the page's executors, and which owner holds the page's worker executor with which run.
 */
import { MainThreadExecutor } from './main-thread.ts';
import type { Executor, RealmKind, RunHandle, RunOptions } from './types.ts';
import { WorkerExecutor } from './worker-host.ts';

/** One executor per realm kind, created on first use (the worker one keeps a warm worker). */
const pageExecutors = new Map<RealmKind, Executor>();

export function createExecutor(realm: RealmKind): Executor {
  let executor = pageExecutors.get(realm);
  if (!executor) {
    executor = realm === 'main' ? new MainThreadExecutor() : new WorkerExecutor();
    pageExecutors.set(realm, executor);
  }
  return executor;
}

/** Starts the page's worker executor (and its spare worker) ahead of a likely worker run. */
export function warmWorker(): void {
  createExecutor('worker');
}

/** The owner whose run holds the page's worker executor, and that run. */
let workerHolder: { readonly owner: object; readonly run: RunHandle } | undefined;

/** An owner's worker runs: in the page's warm executor when it is free (or already theirs). */
class OwnerWorkerExecutor implements Executor {
  readonly realm = 'worker' as const;
  readonly #owner: object;
  #own: WorkerExecutor | undefined;

  constructor(owner: object) {
    this.#owner = owner;
  }

  run(code: string, options?: RunOptions): RunHandle {
    if (workerHolder && workerHolder.owner !== this.#owner) {
      return (this.#own ??= new WorkerExecutor({ warm: false })).run(code, options);
    }
    const run = createExecutor('worker').run(code, options);
    workerHolder = { owner: this.#owner, run };
    void run.done.then(() => {
      if (workerHolder?.run === run) workerHolder = undefined;
    });
    return run;
  }

  dispose(): void {
    this.#own?.dispose();
    if (workerHolder?.owner === this.#owner) workerHolder.run.stop();
  }
}

const ownerExecutors = new WeakMap<object, Partial<Record<RealmKind, Executor>>>();

/** The executor that runs `owner`'s code in `realm` (the same object on every call). */
export function executorFor(realm: RealmKind, owner: object): Executor {
  let executors = ownerExecutors.get(owner);
  if (!executors) ownerExecutors.set(owner, (executors = {}));
  return (executors[realm] ??= realm === 'main' ? new MainThreadExecutor() : new OwnerWorkerExecutor(owner));
}
