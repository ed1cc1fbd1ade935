/**
 * The reader's progress, kept in this browser only and never sent anywhere: which pages were read
 * (the reader reached the end of the page's text) and which exercises passed. One localStorage
 * entry, `interleave:progress`, so that a reset, an export or an undo handles it whole. Pages are
 * keyed as saved edits are (saved.ts `pageKey`: the path with a trailing slash), exercises as
 * `<page>#<id>`; each maps to when it happened (ms since the epoch).
 *
 * Every change is announced with a `interleave:progress` event on `window` (and other tabs hear
 * the `storage` event), so the sidebar marks and the landing page's summary follow at once.
 */
export const PROGRESS_KEY = 'interleave:progress';
export const PROGRESS_EVENT = 'interleave:progress';

export interface Progress {
  /** Pages read: page path → when. */
  readonly read: Readonly<Record<string, number>>;
  /** Exercises passed: `<page path>#<exercise id>` → when. */
  readonly passed: Readonly<Record<string, number>>;
}

export const EMPTY_PROGRESS: Progress = { read: {}, passed: {} };

/** Whether `value` is a map of strings to finite numbers (what both halves of Progress are). */
function isTimes(value: unknown): value is Record<string, number> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((time) => typeof time === 'number' && Number.isFinite(time))
  );
}

/** Progress from untrusted JSON (storage or an imported file), or undefined if it is not one. */
export function asProgress(value: unknown): Progress | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { read, passed } = value as Record<string, unknown>;
  return isTimes(read) && isTimes(passed) ? { read: { ...read }, passed: { ...passed } } : undefined;
}

export function exerciseKey(page: string, id: string): string {
  return `${page}#${id}`;
}

export function readProgress(storage: Storage = localStorage): Progress {
  try {
    const raw = storage.getItem(PROGRESS_KEY);
    return (raw && asProgress(JSON.parse(raw))) || EMPTY_PROGRESS;
  } catch {
    return EMPTY_PROGRESS; // storage disabled or corrupt: as if nothing was recorded yet
  }
}

/** Replaces the whole record (undefined clears it) and announces the change. */
export function writeProgress(progress: Progress | undefined, storage: Storage = localStorage): void {
  try {
    if (progress) storage.setItem(PROGRESS_KEY, JSON.stringify(progress));
    else storage.removeItem(PROGRESS_KEY);
  } catch {
    // Full or disabled storage: progress is simply not kept.
  }
  announceProgress();
}

/** Tells this tab's listeners (onProgressChange) that progress changed. */
export function announceProgress(): void {
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(PROGRESS_EVENT));
}

/** Records that the page at `page` was read (the first time counts; later visits change nothing). */
export function markRead(page: string): void {
  const progress = readProgress();
  if (progress.read[page] !== undefined) return;
  writeProgress({ ...progress, read: { ...progress.read, [page]: Date.now() } });
}

/** Records that the exercise `id` on `page` passed its check. */
export function markPassed(page: string, id: string): void {
  const progress = readProgress();
  const key = exerciseKey(page, id);
  if (progress.passed[key] !== undefined) return;
  writeProgress({ ...progress, passed: { ...progress.passed, [key]: Date.now() } });
}

/** Calls `listener` whenever progress changes, in this tab or another; returns the unsubscribe. */
export function onProgressChange(listener: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === PROGRESS_KEY || event.key === null) listener();
  };
  window.addEventListener(PROGRESS_EVENT, listener);
  window.addEventListener('storage', onStorage);
  return () => {
    window.removeEventListener(PROGRESS_EVENT, listener);
    window.removeEventListener('storage', onStorage);
  };
}
