// @ts-check
/**
 * Offline reading: after the build, writes the precache manifest into the build's copy of the
 * service worker (public/isolation-sw.js, the one source of its code), so that one visit keeps the
 * whole book in the reader's browser.
 *
 * The manifest is every file a reader can need, as paths relative to the site's base ("" for the
 * landing page, "guide/using-this-book/" for a page, "_astro/island.abc.js"), and a version: a hash
 * of those files' contents, so a new build with any change is a new version and an unchanged one
 * is not.
 *
 * Left out on purpose:
 * - `_astro/` files no page can reach. Chunks are found by name from the pages outwards (HTML, CSS
 *   and JS name the chunks they load); what is left is Mermaid's in-browser renderer (about 4 MB,
 *   only the dev server without Chromium uses it: the build draws diagrams as SVG).
 * - `_headers` (host configuration) and the service worker itself (the browser fetches it).
 * Pagefind's files are all kept: the search loads its index and fragments by names written in
 * its own data, and the whole of it is under a megabyte.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVICE_WORKER = 'isolation-sw.js';
/** The line of public/isolation-sw.js the build replaces with the manifest. */
export const MANIFEST_PLACEHOLDER = 'const PRECACHE = null;';

const NOT_FOR_READERS = new Set(['_headers', SERVICE_WORKER, '.built-by']);
const TEXT = /\.(html|js|mjs|css|json)$/;

/**
 * Writes the manifest into the build's copy of the service worker (add to `integrations`).
 * @returns {import('astro').AstroIntegration}
 */
export function offlineIntegration() {
  return {
    name: 'interleave:offline',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        const { version, files, bytes } = writeServiceWorker(fileURLToPath(dir));
        logger.info(
          `offline: ${files.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB precached (version ${version})`,
        );
      },
    },
  };
}

/**
 * @typedef {{ version: string, files: string[] }} Precache
 * @param {string} outDir a finished build
 * @returns {Precache & { bytes: number }}
 */
export function writeServiceWorker(outDir) {
  const { version, files, bytes } = precacheManifest(outDir);
  const workerPath = join(outDir, SERVICE_WORKER);
  const source = readFileSync(workerPath, 'utf8');
  if (!source.includes(MANIFEST_PLACEHOLDER)) {
    throw new Error(
      `${workerPath} has no line "${MANIFEST_PLACEHOLDER}" to hold the precache manifest (public/${SERVICE_WORKER} must keep it)`,
    );
  }
  const manifest = JSON.stringify({ version, files });
  writeFileSync(workerPath, source.replace(MANIFEST_PLACEHOLDER, `const PRECACHE = ${manifest};`));
  return { version, files, bytes };
}

/**
 * The files a reader needs and the build's version.
 * @param {string} outDir
 * @returns {Precache & { bytes: number }}
 */
export function precacheManifest(outDir) {
  const all = listFiles(outDir).filter((path) => !NOT_FOR_READERS.has(path));
  const chunks = all.filter((path) => path.startsWith('_astro/'));
  const reachable = new Set(all.filter((path) => !path.startsWith('_astro/')));
  // From the pages outwards: a chunk is needed when a needed file names it.
  const pending = [...reachable];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (!TEXT.test(path)) continue;
    const text = readFileSync(join(outDir, path), 'utf8');
    for (const chunk of chunks) {
      if (!reachable.has(chunk) && text.includes(chunk.slice('_astro/'.length))) {
        reachable.add(chunk);
        pending.push(chunk);
      }
    }
  }
  const kept = [...reachable].sort();
  const hash = createHash('sha256');
  let bytes = 0;
  for (const path of kept) {
    const content = readFileSync(join(outDir, path));
    bytes += content.length;
    hash.update(`${path}\0${createHash('sha256').update(content).digest('hex')}\n`);
  }
  return { version: hash.digest('hex').slice(0, 16), files: kept.map(pageAddress).sort(), bytes };
}

/** A page's address as the reader requests it: "guide/x/index.html" is "guide/x/". @param {string} path */
function pageAddress(path) {
  return path === 'index.html' ? '' : path.replace(/(^|\/)index\.html$/, '$1');
}

/** Every file under dir, relative, with "/" separators. @param {string} dir @returns {string[]} */
function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
}
