/**
 * Every Mermaid diagram in the book (content/**) and in the chapter template
 * is parsed and drawn by the real Mermaid, in Chromium, through the same module
 * the site uses (src/client/mermaid/render.ts). A broken diagram fails as
 * "content/chapters/x.mdx:42: <Mermaid's message>".
 */
import { describe, expect, it } from 'vitest';
import { findDiagrams } from '../../src/build/content-diagrams.mjs';
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
  where: string;
  source: string;
}

const diagrams: Located[] = Object.entries(files).flatMap(([path, text]) =>
  findDiagrams(text).map(({ source, line }) => ({ where: `${path.slice(1)}:${line}`, source })),
);

/** Parses and draws each diagram; returns "file:line: message" for each failure. */
async function failures(list: readonly Located[]): Promise<string[]> {
  const found: string[] = [];
  for (const { where, source } of list) {
    try {
      await parseDiagram(source);
      const svg = await renderDiagram(source, 'default');
      if (!svg.includes('<svg')) throw new Error('Mermaid returned no SVG');
    } catch (error) {
      found.push(`${where}: ${(error as Error).message.split('\n').slice(0, 4).join(' ')}`);
    }
  }
  return found;
}

describe('Mermaid diagrams', () => {
  it('finds the diagrams (the template has two)', () => {
    expect(diagrams.filter((d) => d.where.startsWith('.github/')).length).toBe(2);
  });

  it('reports a broken diagram with its file and line', async () => {
    const broken = [{ where: 'content/chapters/broken.mdx:12', source: 'flowchart LR\n  A --> (((' }];
    const [message] = await failures(broken);
    expect(message).toMatch(/^content\/chapters\/broken\.mdx:12: .*(Parse error|Expecting|Lexical)/);
  });

  it('parses and draws every diagram in the book', async () => {
    expect(await failures(diagrams)).toEqual([]);
  }, 60_000);

  it('draws in the dark theme too', async () => {
    const [first] = diagrams;
    const svg = await renderDiagram(first!.source, 'dark');
    expect(svg).toContain('<svg');
  });
});
