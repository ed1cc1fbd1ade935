/**
 * The dev server's fallback on a machine without Chromium draws diagrams in the
 * browser (src/client/mermaid/render.ts); the build draws them in Chromium from
 * Node (src/build/diagrams/mermaid-svg.mjs, tested by test/e2e/content-diagrams.test.ts).
 * Here every Mermaid diagram in the book (content/**) and in the chapter
 * template is parsed and drawn by that fallback. A broken diagram fails as
 * "content/chapters/x.mdx:45: <Mermaid's message>", at the file's line of the error: Mermaid counts
 * lines from the top of the diagram, which is rewritten into the file's line.
 */
import { describe, expect, it } from 'vitest';
import { findDiagrams } from '../../src/build/diagrams/content-diagrams.mjs';
import { isChecked, selectedChapter } from '../support/chapter-filter.ts';
import { parseDiagram, renderDiagram } from '../../src/client/mermaid/render.ts';

const files: Record<string, string> = {
  ...import.meta.glob<string>('/content/**/*.{md,mdx}', { query: '?raw', import: 'default', eager: true }),
  ...import.meta.glob<string>('/.github/chapter-template.mdx', {
    query: '?raw',
    import: 'default',
    eager: true,
  }),
};

interface Located {
  file: string;
  /** the file's line of the opening ```mermaid fence */
  line: number;
  source: string;
}

const diagrams: Located[] = Object.entries(files)
  .filter(([path]) => isChecked(path.slice(1)))
  .flatMap(([path, text]) =>
    findDiagrams(text).map(({ source, line }) => ({ file: path.slice(1), line, source })),
  );

/**
 * "file:line: message" for Mermaid's error, with its "on line N" (counted from the diagram's
 * first line, the one after the fence) turned into the file's line; the fence's line otherwise.
 */
function located({ file, line }: Located, message: string): string {
  const inDiagram = /\bon line (\d+)/.exec(message)?.[1];
  const fileLine = inDiagram === undefined ? line : line + Number(inDiagram);
  const text = message
    .replace(/\bon line \d+/, `on line ${fileLine}`)
    .split('\n')
    .slice(0, 4)
    .join(' ');
  return `${file}:${fileLine}: ${text}`;
}

/** Parses and draws each diagram; returns "file:line: message" for each failure. */
async function failures(list: readonly Located[]): Promise<string[]> {
  const found: string[] = [];
  for (const diagram of list) {
    try {
      await parseDiagram(diagram.source);
      const svg = await renderDiagram(diagram.source, 'light');
      if (!svg.includes('<svg')) throw new Error('Mermaid returned no SVG');
    } catch (error) {
      found.push(located(diagram, (error as Error).message));
    }
  }
  return found;
}

describe('Mermaid diagrams', () => {
  it.skipIf(selectedChapter())('finds the diagrams (the template has two)', () => {
    expect(diagrams.filter((d) => d.file.startsWith('.github/')).length).toBe(2);
  });

  it("reports a broken diagram with the file's line of the error", async () => {
    // The fence is on line 12 of the file; the error on the diagram's third line, file line 15.
    const source = 'flowchart LR\n  A --> B\n  B --> (((';
    const [message] = await failures([{ file: 'content/chapters/broken.mdx', line: 12, source }]);
    expect(message).toMatch(/^content\/chapters\/broken\.mdx:15: (Parse|Lexical) error on line 15\b/);
  });

  it('parses and draws every diagram in the book', async () => {
    expect(await failures(diagrams)).toEqual([]);
  }, 60_000);

  it.runIf(diagrams.length)('draws in the dark theme too', async () => {
    const [first] = diagrams;
    const svg = await renderDiagram(first!.source, 'dark');
    expect(svg).toContain('<svg');
  });
});
