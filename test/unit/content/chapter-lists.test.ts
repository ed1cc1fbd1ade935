/**
 * Every list of chapters comes from one place, the chapters' frontmatter
 * (src/chrome/book-outline.ts, drawn by src/components/ChapterList.astro and BookContents.astro).
 * Two guards keep it so: no page writes a list of chapters by hand, and the overview's map of the
 * book — a drawing, which also says which chapter builds on which, so it stays hand-drawn — has
 * one node per chapter, numbered in reading order.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagramAccessibility, findDiagrams } from '../../../src/build/diagrams/content-diagrams.mjs';
import { isChecked } from '../../support/chapter-filter.ts';
import { ROOT } from '../../support/site.ts';

interface Chapter {
  slug: string;
  title: string;
  order: number;
}

const read = (path: string): string => readFileSync(`${ROOT}${path}`, 'utf8');

/** A frontmatter scalar as YAML writes the book's titles: bare, 'single' or "double" quoted. */
function scalar(raw: string): string {
  const value = raw.trim();
  if (value.startsWith("'")) return value.slice(1, -1).replaceAll("''", "'");
  if (value.startsWith('"')) return JSON.parse(value) as string;
  return value;
}

/** The chapters in reading order (sidebar.order, then title), as book-outline.ts orders them. */
function chapters(): Chapter[] {
  return readdirSync(`${ROOT}content/chapters`)
    .filter((name) => name.endsWith('.mdx'))
    .map((name) => {
      const frontmatter = /^---\n([\s\S]*?)\n---/.exec(read(`content/chapters/${name}`))?.[1] ?? '';
      const title = /^title:(.*)$/m.exec(frontmatter)?.[1];
      const order = /^sidebar:\n(?:[ \t]+.*\n)*?[ \t]+order:[ \t]*([\d.]+)/m.exec(`${frontmatter}\n`)?.[1];
      return {
        slug: name.replace(/\.mdx$/, ''),
        title: scalar(title ?? ''),
        order: order === undefined ? Infinity : Number(order),
      };
    })
    .sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
}

/** The first word of a title or label, for comparing "Cancellation, timeouts and …" with "Cancellation and …". */
const firstWord = (text: string): string => (/[\p{L}\p{N}-]+/u.exec(text)?.[0] ?? '').toLowerCase();

function bookFiles(): string[] {
  return readdirSync(`${ROOT}content`, { recursive: true })
    .map(String)
    .filter((name) => /\.mdx?$/.test(name))
    .map((name) => `content/${name}`)
    .filter(isChecked);
}

/**
 * "file:line: …" for each run of consecutive list items (`- …`, `1. …`) of which three or more
 * begin with a chapter's title in bold (`**Title**`, `**[Title](…)**`): a list of chapters. Items
 * that only link to chapters in passing are cross-references, not lists.
 */
function handWrittenLists(path: string, text: string, all: Chapter[]): string[] {
  const problems: string[] = [];
  const lines = text.split('\n');
  let start = -1;
  let named = new Set<string>();
  const flush = (end: number) => {
    if (start >= 0 && named.size >= 3) {
      problems.push(
        `${path}:${start + 1}-${end}: a list of ${named.size} chapters written by hand. ` +
          'Use <ChapterList /> (src/components/ChapterList.astro), which builds it from the frontmatter.',
      );
    }
    start = -1;
    named = new Set();
  };
  lines.forEach((line, index) => {
    const item = /^\s*(?:[-*+]|\d+\.)\s+(.*)$/.exec(line);
    const continuation = start >= 0 && /^\s{2,}\S/.test(line);
    if (!item && !continuation) return flush(index);
    if (start < 0) start = index;
    const text = item?.[1] ?? '';
    for (const chapter of all) {
      if (text.startsWith(`**${chapter.title}**`) || text.startsWith(`**[${chapter.title}](`)) {
        named.add(chapter.slug);
      }
    }
  });
  flush(lines.length);
  return problems;
}

describe('lists of chapters', () => {
  const all = chapters();

  it('reads the chapters from the frontmatter', () => {
    expect(all.length).toBeGreaterThanOrEqual(9);
    expect(all.every((chapter) => chapter.title && Number.isFinite(chapter.order))).toBe(true);
  });

  it('no page writes a list of chapters by hand', () => {
    const problems = bookFiles().flatMap((path) => handWrittenLists(path, read(path), all));
    expect(problems).toEqual([]);
  });

  it("the overview's map of the book has one node per chapter, numbered in reading order", () => {
    const path = 'content/chapters/overview.mdx';
    const map = findDiagrams(read(path)).find(
      ({ source }) => diagramAccessibility(source).title === 'A map of the book',
    );
    expect(map, `${path} has no diagram titled "A map of the book"`).toBeDefined();
    const labels = [...(map?.source ?? '').matchAll(/\w+\["(\d+) ([^"]+)"\]/g)]
      .map(([, number, label]) => ({ number: Number(number), label: label ?? '' }))
      .sort((a, b) => a.number - b.number);
    const expected = all.map((chapter, index) => `${index + 1} ${firstWord(chapter.title)}`);
    const drawn = labels.map(({ number, label }) => `${number} ${firstWord(label)}`);
    expect(
      drawn,
      `${path}:${map?.line}: the map's nodes ("N Title") should be the chapters in order`,
    ).toEqual(expected);
  });
});
