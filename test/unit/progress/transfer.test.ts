import { describe, expect, it } from 'vitest';
import { PROGRESS_KEY, readProgress } from '../../../src/client/progress/store.ts';
import {
  exportBundle,
  exportedText,
  importBundle,
  importedText,
  parseBundle,
  snapshot,
} from '../../../src/client/progress/transfer.ts';
import { MemoryStorage } from './memory-storage.ts';

const EDIT = 'interleave:edit:/chapters/a/#hello';
const edit = { code: 'console.log(1)', hash: 'h1', realm: 'worker', savedAt: 5 };

function browser(): MemoryStorage {
  const storage = new MemoryStorage();
  storage.setItem(
    PROGRESS_KEY,
    JSON.stringify({ read: { '/chapters/a/': 1 }, passed: { '/chapters/a/#x': 2 } }),
  );
  storage.setItem(EDIT, JSON.stringify(edit));
  storage.setItem('interleave:edit:/chapters/a/#broken', '{not json');
  storage.setItem('unrelated', 'keep');
  return storage;
}

describe('export', () => {
  it('holds all progress and every readable saved edit, in a versioned format', () => {
    const bundle = exportBundle(browser(), new Date(0));
    expect(bundle).toEqual({
      format: 'interleave-progress',
      version: 1,
      exportedAt: '1970-01-01T00:00:00.000Z',
      progress: { read: { '/chapters/a/': 1 }, passed: { '/chapters/a/#x': 2 } },
      edits: { [EDIT]: edit },
    });
  });

  it('round-trips: what one browser exports another imports whole', () => {
    const other = new MemoryStorage();
    const parsed = parseBundle(JSON.stringify(exportBundle(browser())));
    if (!parsed.ok) throw new Error(parsed.message);
    const imported = importBundle(parsed.bundle, other);
    expect(imported).toMatchObject({ read: 1, passed: 1, edits: 1 });
    expect(readProgress(other)).toEqual({ read: { '/chapters/a/': 1 }, passed: { '/chapters/a/#x': 2 } });
    expect(JSON.parse(other.getItem(EDIT)!)).toEqual(edit);
  });
});

describe('import', () => {
  const valid = () => JSON.parse(JSON.stringify(exportBundle(browser()))) as Record<string, unknown>;
  const cases: [string, string, RegExp][] = [
    ['not JSON', '{"format": "interleave-progress", ', /not valid JSON/],
    ['another program’s JSON', JSON.stringify({ name: 'package', version: 1 }), /not a progress file/],
    ['a newer format', JSON.stringify({ ...valid(), version: 2 }), /newer version of the book \(format 2\)/],
    ['no version', JSON.stringify({ ...valid(), version: undefined }), /format version \(undefined\)/],
    [
      'bad progress',
      JSON.stringify({ ...valid(), progress: { read: { '/a/': 'yesterday' }, passed: {} } }),
      /chapters read/,
    ],
    ['bad edits', JSON.stringify({ ...valid(), edits: [] }), /saved edits are unreadable/],
    [
      'an edit without code',
      JSON.stringify({ ...valid(), edits: { [EDIT]: { hash: 'h' } } }),
      /saved edit ".*#hello"/,
    ],
    [
      'a key that is not an edit',
      JSON.stringify({ ...valid(), edits: { theme: edit } }),
      /saved edit "theme"/,
    ],
  ];
  it.each(cases)('refuses %s with a clear message', (_name, text, message) => {
    const parsed = parseBundle(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  it('merges: keeps what this browser has, adds the file’s, and can be undone exactly', () => {
    const here = new MemoryStorage();
    here.setItem(PROGRESS_KEY, JSON.stringify({ read: { '/chapters/b/': 9 }, passed: {} }));
    here.setItem(EDIT, JSON.stringify({ ...edit, code: 'mine' }));
    const before = here.entries();
    const parsed = parseBundle(JSON.stringify(exportBundle(browser())));
    if (!parsed.ok) throw new Error(parsed.message);
    const imported = importBundle(parsed.bundle, here);
    expect(readProgress(here)).toEqual({
      read: { '/chapters/a/': 1, '/chapters/b/': 9 },
      passed: { '/chapters/a/#x': 2 },
    });
    expect(JSON.parse(here.getItem(EDIT)!).code).toBe(edit.code);
    imported.undo();
    expect(here.entries().sort()).toEqual(before.sort());
  });

  it('changes nothing when the storage refuses it part-way', () => {
    const here = new MemoryStorage();
    here.setItem(PROGRESS_KEY, JSON.stringify({ read: { '/chapters/b/': 9 }, passed: {} }));
    const before = here.entries();
    const parsed = parseBundle(JSON.stringify(exportBundle(browser())));
    if (!parsed.ok) throw new Error(parsed.message);
    here.writesLeft = 1; // the edit is written, then the storage is full
    expect(() => importBundle(parsed.bundle, here)).toThrow(/Nothing was imported/);
    expect(here.entries()).toEqual(before);
  });
});

describe('messages', () => {
  it('count in words, one or many', () => {
    expect(exportedText(exportBundle(browser()))).toBe(
      'Exported 1 page read, 1 exercise passed and 1 saved edit.',
    );
    expect(exportedText(exportBundle(new MemoryStorage()))).toBe(
      'Exported 0 pages read, 0 exercises passed and 0 saved edits.',
    );
    expect(importedText('a.json', { read: 2, passed: 1, edits: 3, undo: () => undefined })).toBe(
      'Imported from a.json: 2 more pages read, 1 more exercise passed, 3 saved edits.',
    );
  });
});

describe('snapshot', () => {
  it('puts back values and absences', () => {
    const storage = new MemoryStorage();
    storage.setItem('a', '1');
    const undo = snapshot(['a', 'b'], storage);
    storage.setItem('a', '2');
    storage.setItem('b', '3');
    undo();
    expect(storage.entries()).toEqual([['a', '1']]);
  });
});
