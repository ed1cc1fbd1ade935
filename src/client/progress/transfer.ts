/**
 * Taking the reader's work to another browser: all progress and every saved edit in one JSON file,
 * and reading such a file back. The format is versioned (`format`, `version`); a file is checked
 * whole before anything is written, so a damaged or foreign file changes nothing and gets a
 * sentence saying what is wrong. Importing merges: pages read and exercises passed are added, and
 * the file's edits replace this browser's edits of the same examples — with an undo (a snapshot of
 * every entry the import touches). Works on any Storage, so Node tests it with a stand-in.
 */
import { isSavedEdit, type SavedEdit } from './saved.ts';
import {
  announceProgress,
  asProgress,
  PROGRESS_KEY,
  readProgress,
  writeProgress,
  type Progress,
} from './store.ts';

export const FORMAT = 'interleave-progress';
export const VERSION = 1;
const EDIT_PREFIX = 'interleave:edit:';

export interface Bundle {
  readonly format: typeof FORMAT;
  readonly version: typeof VERSION;
  readonly exportedAt: string;
  readonly progress: Progress;
  /** Saved edits by their storage key (saved.ts `storageKey`: `interleave:edit:<page>#<id>`). */
  readonly edits: Readonly<Record<string, SavedEdit>>;
}

/** Every key of `storage`, read safely. */
function keysOf(storage: Storage): string[] {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key !== null) keys.push(key);
  }
  return keys;
}

export function exportBundle(storage: Storage = localStorage, now = new Date()): Bundle {
  const edits: Record<string, SavedEdit> = {};
  for (const key of keysOf(storage)
    .filter((key) => key.startsWith(EDIT_PREFIX))
    .sort()) {
    try {
      const value: unknown = JSON.parse(storage.getItem(key) ?? '');
      if (isSavedEdit(value)) edits[key] = value;
    } catch {
      // A corrupt entry is not the reader's work: leave it out.
    }
  }
  return {
    format: FORMAT,
    version: VERSION,
    exportedAt: now.toISOString(),
    progress: readProgress(storage),
    edits,
  };
}

export type Parsed = { ok: true; bundle: Bundle } | { ok: false; message: string };

/** Reads an exported file's text; every way it can be wrong gets its own sentence. */
export function parseBundle(text: string): Parsed {
  const fail = (message: string): Parsed => ({ ok: false, message });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('This file is not a progress file from this book: it is not valid JSON (is it damaged?).');
  }
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== FORMAT) {
    return fail('This file is not a progress file from this book (export one with "Export progress").');
  }
  const { version, progress, edits } = value as Record<string, unknown>;
  if (typeof version === 'number' && version > VERSION) {
    return fail(
      `This file was made by a newer version of the book (format ${version}); this version reads format ${VERSION}. Reload the page to get the newest book, then import again.`,
    );
  }
  if (version !== VERSION)
    return fail(`This file's format version (${String(version)}) is not one this book reads.`);
  const checkedProgress = asProgress(progress);
  if (!checkedProgress)
    return fail('This file is damaged: its list of chapters read and exercises passed is unreadable.');
  if (typeof edits !== 'object' || edits === null || Array.isArray(edits)) {
    return fail('This file is damaged: its saved edits are unreadable.');
  }
  for (const [key, edit] of Object.entries(edits)) {
    if (!key.startsWith(EDIT_PREFIX) || !isSavedEdit(edit)) {
      return fail(`This file is damaged: the saved edit "${key}" is unreadable.`);
    }
  }
  return {
    ok: true,
    bundle: {
      format: FORMAT,
      version: VERSION,
      exportedAt: String((value as { exportedAt?: unknown }).exportedAt ?? ''),
      progress: checkedProgress,
      edits: edits as Record<string, SavedEdit>,
    },
  };
}

/** Puts back what a change replaced: each key's earlier value, or its absence. */
export type Undo = () => void;

/** Remembers the current values of `keys` in `storage`, to put them back later. */
export function snapshot(keys: readonly string[], storage: Storage = localStorage): Undo {
  const before = keys.map((key) => [key, storage.getItem(key)] as const);
  return () => {
    for (const [key, value] of before) {
      try {
        if (value === null) storage.removeItem(key);
        else storage.setItem(key, value);
      } catch {
        // Full or disabled storage: nothing more can be done.
      }
    }
    if (keys.includes(PROGRESS_KEY)) announceProgress();
  };
}

export interface Imported {
  readonly read: number;
  readonly passed: number;
  readonly edits: number;
  readonly undo: Undo;
}

/**
 * Merges a checked bundle into `storage`; returns what it added and how to take it back. Throws
 * (having changed nothing) if the storage refuses it.
 */
export function importBundle(bundle: Bundle, storage: Storage = localStorage): Imported {
  const undo = snapshot([PROGRESS_KEY, ...Object.keys(bundle.edits)], storage);
  const current = readProgress(storage);
  const merged: Progress = {
    read: { ...bundle.progress.read, ...current.read },
    passed: { ...bundle.progress.passed, ...current.passed },
  };
  try {
    for (const [key, edit] of Object.entries(bundle.edits)) storage.setItem(key, JSON.stringify(edit));
    storage.setItem(PROGRESS_KEY, JSON.stringify(merged));
  } catch {
    undo();
    throw new Error('Nothing was imported: this browser would not store it (storage full or disabled).');
  }
  writeProgress(merged, storage);
  return {
    read: Object.keys(bundle.progress.read).filter((page) => current.read[page] === undefined).length,
    passed: Object.keys(bundle.progress.passed).filter((key) => current.passed[key] === undefined).length,
    edits: Object.keys(bundle.edits).length,
    undo,
  };
}

/** "1 page", "2 pages" */
const counted = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** What an export holds, in words. */
export function exportedText(bundle: Bundle): string {
  return `Exported ${counted(Object.keys(bundle.progress.read).length, 'page')} read, ${counted(
    Object.keys(bundle.progress.passed).length,
    'exercise',
  )} passed and ${counted(Object.keys(bundle.edits).length, 'saved edit')}.`;
}

/** What an import added, in words. */
export function importedText(fileName: string, imported: Imported): string {
  return `Imported from ${fileName}: ${counted(imported.read, 'more page')} read, ${counted(
    imported.passed,
    'more exercise',
  )} passed, ${counted(imported.edits, 'saved edit')}.`;
}
