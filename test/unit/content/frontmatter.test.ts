/**
 * The book's frontmatter schema and the cross-page rules: each mistake is
 * reported with a message that says how to fix it.
 */
import { describe, expect, it } from 'vitest';
import { docsSchema } from '@astrojs/starlight/schema';
import { z } from 'astro/zod';
import {
  bookFrontmatter,
  checkEntries,
  formatProblems,
  rejectUnknownKeys,
} from '../../../src/build/site/content-schema.ts';

function issues(data: Record<string, unknown>): string[] {
  const result = bookFrontmatter.safeParse(data);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('bookFrontmatter', () => {
  it('accepts a complete chapter and fills defaults', () => {
    const result = bookFrontmatter.parse({
      summary: 'Tasks, microtasks and what await really does.',
      prerequisites: ['chapters/synchronous-code'],
      requires: ['cross-origin-isolation'],
    });
    expect(result).toEqual({
      summary: 'Tasks, microtasks and what await really does.',
      prerequisites: ['chapters/synchronous-code'],
      requires: ['cross-origin-isolation'],
    });
    expect(bookFrontmatter.parse({})).toEqual({ prerequisites: [], requires: [] });
  });

  it('explains a multi-line or overlong summary', () => {
    expect(issues({ summary: 'one\ntwo' })).toEqual([
      'summary: spans several lines: keep it to one line (no line breaks).',
    ]);
    expect(issues({ summary: 'x'.repeat(161) })[0]).toMatch(/^summary: is longer than 160 characters/);
    expect(issues({ summary: 3 })[0]).toMatch(/^summary: must be text/);
  });

  it('names the bad prerequisite and shows the expected form', () => {
    expect(issues({ prerequisites: ['/chapters/Async.mdx'] })).toEqual([
      'prerequisites.0: "/chapters/Async.mdx" is not a page id. Use the file\'s path under content/ without extension, e.g. "chapters/async-event-loop" (lower case, no leading slash).',
    ]);
    expect(issues({ prerequisites: 'chapters/a' })[0]).toMatch(/^prerequisites: must be a list of page ids/);
  });

  it('lists the known capabilities when requires has an unknown one', () => {
    expect(issues({ requires: ['shared-memory'] })).toEqual([
      'requires.0: "shared-memory" is not a known capability. Use one of: web-workers, module-workers, cross-origin-isolation, atomics-wait-async.',
    ]);
  });
});

describe('the page schema (Starlight and the book, unknown keys rejected)', () => {
  // The schema src/content.config.ts gives the docs collection; images are not used here.
  const pageSchema = rejectUnknownKeys(
    docsSchema({ extend: bookFrontmatter })({ image: () => z.string() } as never),
  );
  const pageIssues = (data: Record<string, unknown>) =>
    pageSchema.safeParse(data).error?.issues.map((issue) => issue.message) ?? [];

  it('rejects a misspelled key and names the field it resembles', () => {
    expect(pageIssues({ title: 'A', sumary: 'One line.' })).toEqual([
      '`sumary` is not a frontmatter field: did you mean `summary`?',
    ]);
    expect(pageIssues({ title: 'A', prerequisite: [], requires: [] })).toEqual([
      '`prerequisite` is not a frontmatter field: did you mean `prerequisites`?',
    ]);
  });

  it('lists the known fields when nothing is close', () => {
    const [message] = pageIssues({ title: 'A', colour: 'red' });
    expect(message).toMatch(/^`colour` is not a frontmatter field: known fields: /);
    for (const field of ['summary', 'requires', 'title', 'tableOfContents', 'sidebar'])
      expect(message).toContain(` ${field},`.replace(/,$/, ''));
  });

  it("keeps Starlight's own fields", () => {
    const page = {
      title: 'A',
      description: 'B.',
      tableOfContents: false,
      template: 'splash',
      draft: true,
      pagefind: false,
      editUrl: false,
      lastUpdated: false,
      banner: { content: 'News' },
      head: [],
      prev: false,
      next: false,
      sidebar: { order: 2, label: 'A', hidden: false, badge: 'New' },
      summary: 'One line.',
    };
    expect(pageIssues(page)).toEqual([]);
  });
});

describe('checkEntries', () => {
  const page = (id: string, data: Record<string, unknown>) => ({
    id,
    filePath: `src/content/docs/${id}.mdx`,
    data,
  });

  it('passes pages that follow the rules', () => {
    expect(
      checkEntries([
        page('guide/start', { title: 'Start' }),
        page('chapters/a', {
          title: 'A',
          description: 'A.',
          sidebar: { order: 10 },
          prerequisites: ['guide/start'],
        }),
      ]),
    ).toEqual([]);
  });

  it('requires a description and sidebar.order on chapters, naming the file people edit', () => {
    const problems = checkEntries([page('chapters/a', { title: 'A', sidebar: {} })]);
    expect(problems.map((p) => [p.file, p.field])).toEqual([
      ['content/chapters/a.mdx', 'description'],
      ['content/chapters/a.mdx', 'sidebar.order'],
    ]);
    expect(problems[1]?.message).toContain('order: <number>');
  });

  it('rejects prerequisites that are not pages and suggests the likely one', () => {
    const problems = checkEntries([
      page('guide/using-this-book', { title: 'Use' }),
      page('chapters/a', {
        title: 'A',
        description: 'A.',
        sidebar: { order: 1 },
        prerequisites: ['chapters/using-this-book'],
      }),
    ]);
    expect(problems).toHaveLength(1);
    expect(formatProblems(problems)).toBe(
      'Frontmatter problems in 1 file(s):\n  content/chapters/a.mdx: "prerequisites": "chapters/using-this-book" is not a page of the book. Did you mean "guide/using-this-book"? Use the file\'s path under content/ without extension.',
    );
  });
});

describe("a contributor's broken chapter, as the build reports it", () => {
  // What `npm run build` prints for these two chapters comes from the same schema and rules
  // (src/content.config.ts); test/e2e/content-dev.test.ts sees the dev server print it.
  const pageSchema = rejectUnknownKeys(
    docsSchema({ extend: bookFrontmatter })({ image: () => z.string() } as never),
  );

  it('reports schema errors with the field and the fix, all at once', () => {
    const result = pageSchema.safeParse({
      title: 'Broken',
      description: 'A chapter with bad fields.',
      sidebar: { order: 10 },
      requires: ['shared-memory'],
      summary: 'two\nlines\n',
      sumary: 'A misspelled key.',
    });
    expect(result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual(
      expect.arrayContaining([
        'requires.0: "shared-memory" is not a known capability. Use one of: web-workers, module-workers, cross-origin-isolation, atomics-wait-async.',
        'summary: spans several lines: keep it to one line (no line breaks).',
        ': `sumary` is not a frontmatter field: did you mean `summary`?',
      ]),
    );
  });

  it('reports chapter rules and unknown prerequisites against the file authors edit', () => {
    const message = formatProblems(
      checkEntries([
        { id: 'guide/using-this-book', filePath: 'src/content/docs/guide/using-this-book.mdx', data: {} },
        {
          id: 'chapters/broken-schema',
          filePath: 'src/content/docs/chapters/broken-schema.mdx',
          data: { title: 'Broken', prerequisites: ['chapters/nowhere'] },
        },
      ]),
    );
    expect(message).toContain(
      'content/chapters/broken-schema.mdx: "description": Chapters need a description',
    );
    expect(message).toContain(
      'content/chapters/broken-schema.mdx: "sidebar.order": Chapters need a place in the reading order',
    );
    expect(message).toContain(
      'content/chapters/broken-schema.mdx: "prerequisites": "chapters/nowhere" is not a page of the book.',
    );
  });
});
