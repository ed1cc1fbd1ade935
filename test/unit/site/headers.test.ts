import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS } from '../../../src/build/site/headers.mjs';
import { parseHeadersFile } from '../../support/static-server.ts';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('cross-origin isolation headers', () => {
  it('public/_headers (Netlify, Cloudflare Pages) sends exactly the pair the dev server sends', () => {
    expect(parseHeadersFile(read('public/_headers'))).toEqual(ISOLATION_HEADERS);
  });

  it('the GitHub Pages service worker adds the same pair', () => {
    const worker = read('public/isolation-sw.js');
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) {
      expect(worker).toContain(`'${name}': '${value}'`);
    }
  });

  it('parses only the global section of a _headers file', () => {
    const text = '# comment\n/admin/*\n  X-Frame-Options: DENY\n/*\n  A: 1\n  B: two words\n';
    expect(parseHeadersFile(text)).toEqual({ A: '1', B: 'two words' });
  });
});
