/** The service worker's precache manifest (src/build/site/offline.mjs), on a small made-up build. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MANIFEST_PLACEHOLDER,
  precacheManifest,
  writeServiceWorker,
} from '../../../src/build/site/offline.mjs';

let dir: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'interleave-offline-'));
  write('index.html', '<script type="module" src="/_astro/page.A1.js"></script>');
  write('guide/x/index.html', '<link rel="stylesheet" href="/_astro/style.C3.css">');
  write(
    '_astro/page.A1.js',
    'import("./editor.B2.js"); new URL("/_astro/runner.worker-D4.js", import.meta.url)',
  );
  write('_astro/editor.B2.js', 'export {}');
  write('_astro/runner.worker-D4.js', 'import "./shared.E5.js"');
  write('_astro/shared.E5.js', 'export {}');
  write('_astro/style.C3.css', '@font-face { src: url(/_astro/font.F6.woff2) }');
  write('_astro/font.F6.woff2', 'font');
  // Only the dev server's in-browser Mermaid loads these: no page names them.
  write('_astro/render.M1.js', 'import "./elk.M2.js"');
  write('_astro/elk.M2.js', 'export {}');
  write('pagefind/pagefind-entry.json', '{}');
  write('pagefind/fragment/en_1.pf_fragment', 'x');
  write('_headers', '/*\n  A: b\n');
  write('isolation-sw.js', `${MANIFEST_PLACEHOLDER}\nself.x = PRECACHE;\n`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('precache manifest', () => {
  it('lists pages by address, every chunk a page reaches, Pagefind, and nothing else', () => {
    expect(precacheManifest(dir).files).toEqual([
      '',
      '_astro/editor.B2.js',
      '_astro/font.F6.woff2',
      '_astro/page.A1.js',
      '_astro/runner.worker-D4.js',
      '_astro/shared.E5.js',
      '_astro/style.C3.css',
      'guide/x/',
      'pagefind/fragment/en_1.pf_fragment',
      'pagefind/pagefind-entry.json',
    ]);
  });

  it('has a version that follows the content: same build, same version; any change, a new one', () => {
    const first = precacheManifest(dir).version;
    expect(precacheManifest(dir).version).toBe(first);
    write('_astro/shared.E5.js', 'export const changed = 1');
    expect(precacheManifest(dir).version).not.toBe(first);
  });

  it('is written into the build copy of the service worker, whose code stays as it was', () => {
    const { version, files } = writeServiceWorker(dir);
    const worker = readFileSync(join(dir, 'isolation-sw.js'), 'utf8');
    expect(worker).toBe(`const PRECACHE = ${JSON.stringify({ version, files })};\nself.x = PRECACHE;\n`);
  });

  it('stops the build with a clear message when the worker has no place for the manifest', () => {
    write('isolation-sw.js', 'self.x = 1;');
    expect(() => writeServiceWorker(dir)).toThrow(/has no line "const PRECACHE = null;"/);
  });

  it('public/isolation-sw.js keeps the line the build replaces', () => {
    const source = readFileSync(new URL('../../../public/isolation-sw.js', import.meta.url), 'utf8');
    expect(source.split('\n')).toContain(MANIFEST_PLACEHOLDER);
  });
});
