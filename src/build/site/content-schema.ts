/**
 * The book's frontmatter, on top of Starlight's own fields (title,
 * description, sidebar, …), and the rules that depend on where a page lives.
 *
 * Every message says what is wrong and how to fix it; Astro adds the file
 * name and field path. Rules that need the file's folder or the other pages
 * (chapters need `description` and `sidebar.order`; `prerequisites` must name
 * existing pages) cannot live in a zod schema, which sees one entry's data
 * only: `checkEntries()` runs them after loading, from `checkedDocsLoader()` in
 * src/content.config.ts, and throws one error listing every problem.
 */
import { z } from 'astro/zod';

/** Browser capabilities a page's examples can depend on. */
export const CAPABILITIES = [
  'web-workers',
  'module-workers',
  'cross-origin-isolation',
  'atomics-wait-async',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** A page id: its path under content/ without the extension, e.g. `chapters/async`. */
const PAGE_ID = /^[a-z0-9][a-z0-9-]*(?:\/[a-z0-9][a-z0-9-]*)*$/;

/** Fields Interleave adds to Starlight's frontmatter (`docsSchema({ extend })`). */
export const bookFrontmatter = z.object({
  /**
   * One line saying what the reader will be able to do after the page, shown
   * on the book's map and chapter lists. Plain text, at most 160 characters.
   */
  summary: z
    .string({ error: 'must be text: one line saying what the reader will learn.' })
    .trim()
    .min(1, { error: 'is empty: write one line saying what the reader will learn, or remove the field.' })
    .max(160, {
      error: 'is longer than 160 characters: keep it to one line; longer text belongs in the page.',
    })
    .refine((value) => !/[\r\n]/.test(value), {
      error: 'spans several lines: keep it to one line (no line breaks).',
    })
    .optional(),

  /**
   * Pages to read first, as page ids: the file's path under content/ without
   * the extension, e.g. `chapters/async-event-loop`. Each must exist (checked
   * after all pages load).
   */
  prerequisites: z
    .array(
      z.string().regex(PAGE_ID, {
        error: (issue) =>
          `"${String(issue.input)}" is not a page id. Use the file's path under content/ without extension, e.g. "chapters/async-event-loop" (lower case, no leading slash).`,
      }),
      { error: 'must be a list of page ids, e.g. ["chapters/synchronous-code"].' },
    )
    .default([]),

  /**
   * Browser capabilities the page's examples need, so the page can explain
   * itself where one is missing. `cross-origin-isolation` means the page uses
   * SharedArrayBuffer / Atomics across threads.
   */
  requires: z
    .array(
      z.enum(CAPABILITIES, {
        error: (issue) =>
          `"${String(issue.input)}" is not a known capability. Use one of: ${CAPABILITIES.join(', ')}.`,
      }),
      { error: `must be a list, e.g. ["cross-origin-isolation"]. Known: ${CAPABILITIES.join(', ')}.` },
    )
    .default([]),
});

export type BookFrontmatter = z.infer<typeof bookFrontmatter>;

/**
 * The page schema (Starlight's fields and the book's) with unknown keys rejected: zod would
 * drop a misspelled optional key (`sumary:`) silently. The message names the closest known key.
 */
export function rejectUnknownKeys<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
): z.ZodObject<Shape, z.core.$strict> {
  const known = Object.keys(schema.shape);
  return z.strictObject(schema.shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? unknownKeysMessage(issue.keys, known) : undefined,
  });
}

/** "`sumary` is not a frontmatter field: did you mean `summary`?" for each key, on one line. */
export function unknownKeysMessage(keys: readonly string[], known: readonly string[]): string {
  return keys
    .map((key) => {
      const near = closest(key, known);
      const hint = near ? `did you mean \`${near}\`?` : `known fields: ${known.join(', ')}.`;
      return `\`${key}\` is not a frontmatter field: ${hint}`;
    })
    .join(' ');
}

/** The known word within a third of the key's length in edits (at least 2), if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(key.length / 3));
  const [best] = known
    .map((word) => ({ word, distance: editDistance(key.toLowerCase(), word.toLowerCase()) }))
    .filter(({ distance }) => distance <= limit)
    .sort((a, b) => a.distance - b.distance);
  return best?.word;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** What checkEntries needs to know about one loaded page. */
export interface EntryInfo {
  id: string;
  /** path relative to the project root, as Astro reports it */
  filePath: string | undefined;
  data: Record<string, unknown>;
}

/** One problem found by checkEntries. */
export interface EntryProblem {
  file: string;
  field: string;
  message: string;
}

/**
 * Rules that depend on a page's folder or on other pages. Returns every
 * problem (empty when all is well).
 */
export function checkEntries(entries: readonly EntryInfo[]): EntryProblem[] {
  const ids = new Set(entries.map((entry) => entry.id));
  const problems: EntryProblem[] = [];
  for (const { id, filePath, data } of entries) {
    const file = displayPath(filePath ?? id);
    if (id.startsWith('chapters/')) {
      if (typeof data['description'] !== 'string' || !data['description'].trim()) {
        problems.push({
          file,
          field: 'description',
          message:
            'Chapters need a description (one or two sentences; search engines and link previews show it). Add `description: …` to the frontmatter.',
        });
      }
      const sidebar = data['sidebar'] as { order?: unknown } | undefined;
      if (typeof sidebar?.order !== 'number') {
        problems.push({
          file,
          field: 'sidebar.order',
          message:
            'Chapters need a place in the reading order. Add\n      sidebar:\n        order: <number>\n    (the chapter number: 1, 2, …; a decimal such as 4.5 puts it between two chapters).',
        });
      }
    }
    const prerequisites = Array.isArray(data['prerequisites']) ? (data['prerequisites'] as unknown[]) : [];
    for (const prerequisite of prerequisites) {
      if (typeof prerequisite === 'string' && !ids.has(prerequisite)) {
        const near = [...ids]
          .filter((other) => other.endsWith(prerequisite.split('/').pop() ?? ''))
          .slice(0, 3);
        problems.push({
          file,
          field: 'prerequisites',
          message: `"${prerequisite}" is not a page of the book.${near.length ? ` Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''} Use the file's path under content/ without extension.`,
        });
      }
    }
  }
  return problems;
}

/** One error message for a list of problems, grouped by file. */
export function formatProblems(problems: readonly EntryProblem[]): string {
  const lines = [`Frontmatter problems in ${new Set(problems.map((p) => p.file)).size} file(s):`];
  for (const { file, field, message } of problems) lines.push(`  ${file}: "${field}": ${message}`);
  return lines.join('\n');
}

/** Pages are loaded through the src/content/docs symlink; name the file authors edit. */
function displayPath(path: string): string {
  return path.replace(/^(?:\.\/)?src\/content\/docs\//, 'content/');
}
