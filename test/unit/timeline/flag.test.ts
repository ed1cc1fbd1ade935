/** The `timeline` flag of a runnable block: parsed, carried to the island as data-timeline. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLAGS, parseFlags } from '../../../src/build/examples/syntax.mjs';

describe('timeline flag', () => {
  it('is a documented bare flag', () => {
    expect(FLAGS).toHaveProperty('timeline');
    const problems: string[] = [];
    expect(parseFlags('run timeline realm=worker', (m: string) => problems.push(m))).toMatchObject({
      timeline: true,
      realm: 'worker',
    });
    expect(parseFlags('run', (m: string) => problems.push(m))).toMatchObject({ timeline: false });
    expect(problems).toEqual([]);
  });
});

describe('the reference page', () => {
  it('lists every authoring flag in its table', () => {
    const page = readFileSync(
      new URL('../../../content/reference/runnable-examples.mdx', import.meta.url),
      'utf8',
    );
    const listed = [...page.matchAll(/^\| `(\w+)(?:="…")?` \|/gm)].map((m) => m[1]);
    for (const flag of Object.keys(FLAGS)) expect(listed, `flag "${flag}"`).toContain(flag);
  });
});
