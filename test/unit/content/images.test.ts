/**
 * Content rule: every image in the book has alt text, checked in the source so
 * the message names the file and line (the built-HTML check in
 * test/e2e/content-links.test.ts catches images that chrome or components add).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { isChecked } from '../../support/chapter-filter.ts';
import { ROOT } from '../../support/site.ts';

function imagesWithoutAlt(path: string, text: string): string[] {
  return text.split(/\r?\n/).flatMap((line, index) => {
    const where = `${path}:${index + 1}`;
    const markdown = [...line.matchAll(/!\[([^\]]*)\]\(([^)]*)\)/g)]
      .filter((m) => !m[1]?.trim())
      .map((m) => `${where}: image ${m[2]} has no alt text: write ![what it shows](${m[2]})`);
    const tags = [...line.matchAll(/<(?:img|Image)\b[^>]*>/g)]
      .filter((m) => !/\salt=["{][^"}]/.test(m[0]))
      .map((m) => `${where}: ${m[0]} has no alt text: add alt="what it shows"`);
    return [...markdown, ...tags];
  });
}

it('reports an image without alt text by file and line', () => {
  expect(
    imagesWithoutAlt('content/x.mdx', 'a\n![](./loop.png)\n<img src="a.png" />\n![Event loop](./ok.png)'),
  ).toEqual([
    'content/x.mdx:2: image ./loop.png has no alt text: write ![what it shows](./loop.png)',
    'content/x.mdx:3: <img src="a.png" /> has no alt text: add alt="what it shows"',
  ]);
});

it('every image in the book has alt text', () => {
  const files = readdirSync(`${ROOT}content`, { recursive: true })
    .map(String)
    .filter((name) => /\.mdx?$/.test(name) && isChecked(`content/${name}`));
  const problems = files.flatMap((name) =>
    imagesWithoutAlt(`content/${name}`, readFileSync(`${ROOT}content/${name}`, 'utf8')),
  );
  expect(problems).toEqual([]);
});
