/**
 * Content rule: every Mermaid diagram has an accessible title and description
 * (`accTitle:` and `accDescr:`), which become its caption and the SVG's
 * <title>/<desc>. (Mermaid itself parses every diagram in
 * test/browser/diagrams.test.ts.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagramAccessibility, findDiagrams } from '../../../src/build/diagrams/content-diagrams.mjs';
import { isChecked } from '../../support/chapter-filter.ts';
import { ROOT } from '../../support/site.ts';

function bookFiles(): string[] {
  const files = readdirSync(`${ROOT}content`, { recursive: true })
    .map(String)
    .filter((name) => /\.mdx?$/.test(name))
    .map((name) => `content/${name}`);
  return [...files, '.github/chapter-template.mdx'].filter(isChecked);
}

/** "file:line: what is missing and how to add it" for each diagram lacking a title or description. */
function missingAccessibility(path: string, text: string): string[] {
  return findDiagrams(text).flatMap(({ source, line }) => {
    const { title, description } = diagramAccessibility(source);
    const missing = [
      !title && 'accTitle: <short title>',
      !description && 'accDescr: <what the diagram shows>',
    ].filter(Boolean);
    return missing.length
      ? [`${path}:${line}: diagram needs ${missing.join(' and ')} (lines inside the mermaid block)`]
      : [];
  });
}

describe('diagram accessibility', () => {
  it('reads accTitle and both forms of accDescr', () => {
    expect(diagramAccessibility('flowchart LR\n  accTitle: Loop\n  accDescr: One task.\n  A-->B')).toEqual({
      title: 'Loop',
      description: 'One task.',
    });
    expect(diagramAccessibility('flowchart LR\naccDescr {\n  Two\n  lines\n}\nA-->B').description).toBe(
      'Two lines',
    );
  });

  it('finds fences, including indented and tilde ones, with their line', () => {
    const text =
      'a\n\n```mermaid\nflowchart LR\n```\n\n  ~~~~mermaid\n  flowchart TB\n  ~~~~\n```js\nx\n```\n';
    expect(findDiagrams(text)).toEqual([
      { source: 'flowchart LR', line: 3 },
      { source: 'flowchart TB', line: 7 },
    ]);
  });

  it('reports a diagram without a title or description by file and line', () => {
    expect(
      missingAccessibility('content/chapters/x.mdx', 'Intro\n\n```mermaid\nflowchart LR\n  A-->B\n```\n'),
    ).toEqual([
      'content/chapters/x.mdx:3: diagram needs accTitle: <short title> and accDescr: <what the diagram shows> (lines inside the mermaid block)',
    ]);
  });

  it('every diagram in the book has accTitle and accDescr', () => {
    const problems = bookFiles().flatMap((file) =>
      missingAccessibility(file, readFileSync(`${ROOT}${file}`, 'utf8')),
    );
    expect(problems).toEqual([]);
  });
});
