/**
 * Where a reader's edit of one example is kept: localStorage, one entry per page and example id,
 * remembering the hash of the original it was made from (so an edit is never silently applied
 * to an original that has since changed). The reader's data lives in this folder: saved edits
 * beside progress (store.ts), and transfer.ts moves both as one file. The example
 * (src/client/example/) reads and writes edits through index.ts. Tiny on purpose: every page with
 * examples loads it at once (the example's bootstrap asks whether an example has a saved edit).
 */
export interface SavedEdit {
  /** The edited code. */
  readonly code: string;
  /** Hash of the original the edit was made from (data-hash at the time). */
  readonly hash: string;
  readonly realm?: 'main' | 'worker';
  readonly savedAt: number;
}

/** Whether untrusted JSON (storage, an imported file) is a saved edit. */
export function isSavedEdit(value: unknown): value is SavedEdit {
  if (typeof value !== 'object' || value === null) return false;
  const { code, hash, realm, savedAt } = value as Record<string, unknown>;
  return (
    typeof code === 'string' &&
    typeof hash === 'string' &&
    (realm === undefined || realm === 'main' || realm === 'worker') &&
    (savedAt === undefined || typeof savedAt === 'number')
  );
}

/** The page's path without a trailing index.html, so /a/ and /a/index.html share edits. */
export function pageKey(pathname = location.pathname): string {
  return pathname.replace(/index\.html$/, '').replace(/\/?$/, '/');
}

export function storageKey(id: string, pathname?: string): string {
  return `interleave:edit:${pageKey(pathname)}#${id}`;
}

export function readSaved(id: string): SavedEdit | undefined {
  try {
    const raw = localStorage.getItem(storageKey(id));
    if (!raw) return undefined;
    const value: unknown = JSON.parse(raw);
    return isSavedEdit(value) ? value : undefined;
  } catch {
    return undefined; // storage disabled or corrupt: behave as if nothing was saved
  }
}

export function writeSaved(id: string, edit: SavedEdit | undefined): void {
  try {
    if (edit) localStorage.setItem(storageKey(id), JSON.stringify(edit));
    else localStorage.removeItem(storageKey(id));
  } catch {
    // Full or disabled storage: the edit lives until the page closes.
  }
}
