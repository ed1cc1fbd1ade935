/**
 * Content checks on the built HTML of both production builds (root and
 * /interleave/): every internal link and #anchor resolves, every image has
 * alt text, every book page is in the sidebar, every diagram has a caption.
 * A failure names the content file to edit and the link.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isChecked, selectedChapter } from '../support/chapter-filter.ts';
import { BUILDS, type BuildName } from '../support/site.ts';
import {
  brokenLinks,
  imagesWithoutAlt,
  pagesMissingFromSidebar,
  readSite,
} from '../support/content-crawl.ts';

// One chapter checked alone (`npm run check:chapter`) has the root build only, and reports the
// problems of its file (each starts with the source file) and of the site's chrome.
const builds: BuildName[] = selectedChapter() ? ['root'] : ['root', 'subPath'];
const ofCheckedFiles = (problems: string[]) =>
  problems.filter((problem) => !problem.startsWith('content/') || isChecked(problem.split(/[ :]/)[0]!));

describe.each(builds)('built site "%s"', (name) => {
  const { outDir, base } = BUILDS[name];
  const pages = readSite(outDir, base);

  it('has the book pages', () => {
    expect(pages.size).toBeGreaterThan(2);
    expect(pages.has(base)).toBe(true);
  });

  it('has no internal link or anchor that leads nowhere', () => {
    expect(ofCheckedFiles(brokenLinks(outDir, base, pages))).toEqual([]);
  });

  it('gives every image an alt attribute', () => {
    expect(ofCheckedFiles(imagesWithoutAlt(pages))).toEqual([]);
  });

  it('lists every book page in the sidebar', () => {
    expect(ofCheckedFiles(pagesMissingFromSidebar(pages, base))).toEqual([]);
  });

  it('gives every diagram a caption (accTitle)', () => {
    const uncaptioned = [...pages.values()].flatMap((page) =>
      [...page.html.matchAll(/<figure\b[^>]*data-diagram-line="(\d+)"[^>]*>([\s\S]*?)<\/figure>/g)]
        .filter((m) => !m[2]?.includes('class="diagram__title"'))
        .map((m) => `${page.source}:${m[1]}: diagram has no accTitle`),
    );
    expect(ofCheckedFiles(uncaptioned)).toEqual([]);
  });
});

describe('the link checker itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'interleave-crawl-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const page = (path: string, body: string) => {
    mkdirSync(join(dir, path), { recursive: true });
    writeFileSync(join(dir, path, 'index.html'), `<html><body><h2 id="real">Real</h2>${body}</body></html>`);
  };

  it('names the source file and the link for a missing page, a missing anchor and a link outside the base', () => {
    page('', '<a href="/book/chapters/a/#real">ok</a>');
    page(
      'chapters/a',
      '<a href="../b/">gone</a><a href="#nope">anchor</a><a href="/chapters/a/">no base</a><img src="x.png">',
    );
    const pages = readSite(dir, '/book/', join(dir, 'no-content/'));
    expect(brokenLinks(dir, '/book/', pages)).toEqual([
      'site chrome (/book/chapters/a/): href="../b/" → /book/chapters/b/ does not exist in the build',
      'site chrome (/book/chapters/a/): href="#nope" → no element with id "nope" on /book/chapters/a/ (site chrome)',
      'site chrome (/book/chapters/a/): href="/chapters/a/" → /chapters/a/ does not exist in the build (links must stay under the base "/book/"; write relative links)',
      'site chrome (/book/chapters/a/): src="x.png" → /book/chapters/a/x.png does not exist in the build',
    ]);
    expect(imagesWithoutAlt(pages)).toEqual([
      'site chrome (/book/chapters/a/): image without alt text: <img src="x.png">',
    ]);
  });
});
