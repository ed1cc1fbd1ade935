/**
 * Reads a built site from disk (no server, no browser) and checks what a
 * reader would trip over: internal links and #anchors that lead nowhere,
 * images without an alt attribute, book pages missing from the sidebar.
 * Every problem names the source file an author edits (content/….mdx) and the
 * link, so the fix is obvious. Used by content-links.test.ts on the root and
 * sub-path builds, and by chapter-template.test.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './site.ts';

export interface BuiltPage {
  /** URL path of the page, starting with the base, e.g. "/interleave/chapters/async/" */
  url: string;
  /** the file an author edits, e.g. "content/chapters/async.mdx", or "site chrome" */
  source: string;
  html: string;
  ids: Set<string>;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  '#x27': "'",
  '#x22': '"',
};
function decode(value: string): string {
  return value.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
    const known = ENTITIES[name.toLowerCase()];
    if (known) return known;
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return whole;
  });
}

/** The content file a built page came from, by its route (content root given for sandboxes). */
export function sourceOf(route: string, contentRoot = `${ROOT}content/`): string {
  const path = route.replace(/^\/+|\/+$/g, '');
  const candidates = path
    ? [`${path}.mdx`, `${path}.md`, `${path}/index.mdx`, `${path}/index.md`]
    : ['index.mdx', 'index.md'];
  const found = candidates.find((candidate) => existsSync(join(contentRoot, candidate)));
  return found ? `content/${found}` : 'site chrome';
}

/** Every HTML page of a build, keyed by URL path ("/base/route/"). */
export function readSite(outDir: string, base: string, contentRoot?: string): Map<string, BuiltPage> {
  const pages = new Map<string, BuiltPage>();
  for (const name of readdirSync(outDir, { recursive: true }).map(String)) {
    if (!name.endsWith('.html') || name.startsWith('pagefind')) continue;
    const html = readFileSync(join(outDir, name), 'utf8');
    const route = name
      .replace(/\\/g, '/')
      .replace(/(^|\/)index\.html$/, '$1')
      .replace(/\.html$/, '');
    const url = `${base}${route}`;
    const ids = new Set([...html.matchAll(/\s(?:id|name)="([^"]*)"/g)].map((m) => decode(m[1] ?? '')));
    pages.set(url, {
      url,
      source: route === '404' ? 'content/404.mdx' : sourceOf(route, contentRoot),
      html,
      ids,
    });
  }
  return pages;
}

/** Internal links (href) and image/script sources of a page, decoded. */
function references(html: string): { attribute: string; value: string }[] {
  return [...html.matchAll(/<(?:a|link|img|script|source)\b[^>]*?\s(href|src)="([^"]*)"/g)].map((m) => ({
    attribute: m[1] ?? '',
    value: decode(m[2] ?? ''),
  }));
}

/** Resolves a URL path against the build folder: the file it serves, or undefined. */
function servedFile(outDir: string, base: string, path: string): string | undefined {
  if (!path.startsWith(base)) return undefined;
  const rest = decodeURIComponent(path.slice(base.length));
  for (const candidate of [rest, join(rest, 'index.html'), `${rest}.html`]) {
    const file = join(outDir, candidate);
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

/** "source: link → why" for every internal link or anchor that leads nowhere. */
export function brokenLinks(outDir: string, base: string, pages: Map<string, BuiltPage>): string[] {
  const problems: string[] = [];
  const origin = 'http://book.invalid';
  for (const page of pages.values()) {
    for (const { attribute, value } of references(page.html)) {
      if (!value || /^(mailto|tel|data|javascript|blob):/i.test(value)) continue;
      const target = new URL(value, origin + page.url);
      if (target.origin !== origin) continue;
      const where = `${page.source} (${page.url}): ${attribute}="${value}"`;
      const file = servedFile(outDir, base, target.pathname);
      if (!file) {
        problems.push(
          `${where} → ${target.pathname} does not exist in the build${target.pathname.startsWith(base) ? '' : ` (links must stay under the base "${base}"; write relative links)`}`,
        );
        continue;
      }
      const fragment = decodeURIComponent(target.hash.slice(1));
      if (!fragment || attribute !== 'href' || !file.endsWith('.html')) continue;
      const targetPage = [...pages.values()].find((p) => servedFile(outDir, base, p.url) === file);
      if (targetPage && !targetPage.ids.has(fragment)) {
        problems.push(
          `${where} → no element with id "${fragment}" on ${targetPage.url} (${targetPage.source})`,
        );
      }
    }
  }
  return problems;
}

/** "source: <img …>" for every image without an alt attribute. */
export function imagesWithoutAlt(pages: Map<string, BuiltPage>): string[] {
  return [...pages.values()].flatMap((page) =>
    [...page.html.matchAll(/<img\b[^>]*>/g)]
      .filter((m) => !/\salt(?:=|\s|>)/.test(m[0]))
      .map((m) => `${page.source} (${page.url}): image without alt text: ${m[0].slice(0, 120)}`),
  );
}

/** Sidebar link targets as rendered on a page. */
export function sidebarLinks(page: BuiltPage): Set<string> {
  const start = page.html.indexOf('id="starlight__sidebar"');
  const end = page.html.indexOf('</nav>', start);
  const sidebar = start >= 0 ? page.html.slice(start, end) : '';
  return new Set([...sidebar.matchAll(/<a\b[^>]*?\shref="([^"]*)"/g)].map((m) => decode(m[1] ?? '')));
}

/**
 * Book pages that a reader cannot reach from the sidebar. Leaves out the
 * splash home page, the 404 page and pages that opt out with
 * `sidebar: { hidden: true }`.
 */
export function pagesMissingFromSidebar(
  pages: Map<string, BuiltPage>,
  base: string,
  contentRoot = `${ROOT}content/`,
): string[] {
  const doc = [...pages.values()].find((p) => p.html.includes('id="starlight__sidebar"') && p.url !== base);
  if (!doc) return ['no page of the build has a sidebar'];
  const listed = sidebarLinks(doc);
  return [...pages.values()]
    .filter((page) => page.source.startsWith('content/') && page.url !== base && !page.url.endsWith('/404'))
    .filter((page) => !isHidden(join(contentRoot, page.source.slice('content/'.length))))
    .filter((page) => !listed.has(page.url))
    .map(
      (page) =>
        `${page.source} (${page.url}) is not in the sidebar: put it in content/guide, content/chapters or content/reference, or set "sidebar: { hidden: true }" if that is intended.`,
    );
}

function isHidden(file: string): boolean {
  const frontmatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
  return /^\s+hidden:\s*true\s*$/m.test(frontmatter) || /^template:\s*splash\s*$/m.test(frontmatter);
}
