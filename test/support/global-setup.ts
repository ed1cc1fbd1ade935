import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAPTER_ENV } from './chapter-check.ts';
import { BUILDS, buildSite } from './site.ts';

// Build once for the whole test run: the root build and the sub-path build (only the root one
// when `npm run check:chapter` checks one chapter). The e2e and the engines projects both name
// this setup; a marker with this vitest process's id lets the second reuse the builds of the
// first (a later run, another process, always builds afresh).
export default function setup(): void {
  const builds = process.env[CHAPTER_ENV] ? [BUILDS.root] : Object.values(BUILDS);
  for (const { outDir, base } of builds) {
    const marker = join(outDir, '.built-by');
    if (existsSync(marker) && readFileSync(marker, 'utf8') === String(process.pid)) continue;
    buildSite(outDir, base);
    writeFileSync(marker, String(process.pid));
  }
}
