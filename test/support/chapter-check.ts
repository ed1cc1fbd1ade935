/**
 * `npm run check:chapter content/chapters/x.mdx`: the content checks for one chapter, with one
 * build (test/suite.ts runs them). The chapter's path reaches the tests as INTERLEAVE_CHAPTER
 * (and through vitest's `provide`, see test/support/chapter-filter.ts); each check then looks at
 * that file only.
 */

/** The environment variable that names the chapter being checked. */
export const CHAPTER_ENV = 'INTERLEAVE_CHAPTER';

/**
 * The checks that look at one chapter. The build (test/support/global-setup.ts, the root build only)
 * checks the frontmatter and the runnable blocks' syntax and draws every diagram, and fails first
 * if any is wrong.
 */
export const CHAPTER_CHECKS = [
  'test/unit/content/', // diagram titles, image alt text
  'test/unit/examples/', // examples and exercises well formed, three exercises a chapter
  'test/e2e/content-diagrams.test.ts', // each diagram drawn in both themes, as an accessible image
  'test/e2e/content-links.test.ts', // links, anchors, images, sidebar, captions on the built page
  'test/engines/examples.test.ts', // every example, in each realm it allows
  'test/engines/exercises.test.ts', // every exercise: the starter fails, the solution passes
] as const;

/** The projects those run in: the engine checks in Chromium (the other engines: `--project`). */
export const CHAPTER_PROJECTS = ['unit', 'e2e', 'chromium'] as const;

export type ChapterCheck =
  { ok: true; chapter: string; vitestArgs: string[] } | { ok: false; message: string };

/**
 * Reads `<file> [vitest options…]` (the arguments after `--chapter`). The file must be a page
 * under content/ that exists; the rest goes to vitest (e.g. `-t "exercise"`).
 */
export function chapterCheck(args: readonly string[], exists: (path: string) => boolean): ChapterCheck {
  const [given, ...rest] = args;
  const usage = 'Usage: npm run check:chapter content/chapters/<slug>.mdx [vitest options, e.g. -t "realm"]';
  if (!given || given.startsWith('-')) return { ok: false, message: `Name the chapter to check.\n${usage}` };
  const chapter = given.replace(/^\.\//, '');
  if (!/^content\/.+\.mdx?$/.test(chapter))
    return {
      ok: false,
      message: `"${given}" is not a page of the book: give its path from the project root, e.g. content/chapters/overview.mdx.\n${usage}`,
    };
  if (!exists(chapter)) return { ok: false, message: `${chapter} does not exist.\n${usage}` };
  const projects = rest.some((arg) => arg === '--project' || arg.startsWith('--project='))
    ? []
    : CHAPTER_PROJECTS.flatMap((project) => ['--project', project]);
  return { ok: true, chapter, vitestArgs: [...CHAPTER_CHECKS, ...projects, ...rest] };
}
