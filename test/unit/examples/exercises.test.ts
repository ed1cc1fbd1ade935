import { describe, expect, it } from 'vitest';
import { extractExercises, formatError } from '../../../src/build/examples/syntax.mjs';
import { contentExercises } from '../../support/examples.ts';

const fence = (info: string, body: string) => '```' + info + '\n' + body + '\n```\n';
const check = "export default function check({ lines }) { return lines.includes('ok') || 'print ok'; }";
const exercise = (info = 'js exercise id=say-ok realm=worker timeout=2000') =>
  [
    fence(info, "console.log('not yet');"),
    fence('js solution', "console.log('ok');"),
    fence('js check', check),
  ].join('\n');

describe('exercises', () => {
  it('reads the starter, solution, check and flags', () => {
    const { exercises, errors } = extractExercises(`# Title\n\n${exercise()}`, 'content/x.mdx');
    expect(errors).toEqual([]);
    expect(exercises).toHaveLength(1);
    expect(exercises[0]).toMatchObject({
      id: 'say-ok',
      line: 3,
      starter: "console.log('not yet');",
      solution: "console.log('ok');",
      check,
      realms: ['worker'],
      timeoutMs: 2000,
    });
  });

  it.each([
    ['js exercise realm=worker', /needs an id/],
    ['js exercise id=x status=failed', /"status" does not apply to an exercise/],
    ['js exercise id=x realm=gpu', /realm=gpu is not a realm/],
  ])('rejects %s with a fix', (info, message) => {
    const { errors } = extractExercises(exercise(info), 'content/x.mdx');
    expect(errors.map(formatError).join('\n')).toMatch(message);
    expect(errors[0]?.file).toBe('content/x.mdx');
  });

  it('names a missing solution or check, and orphan blocks, with their lines', () => {
    const noCheck = extractExercises(
      fence('js exercise id=a', 'x') + '\n' + fence('js solution', 'y'),
      'content/x.mdx',
    );
    expect(noCheck.errors.map(formatError)).toEqual([
      expect.stringMatching(/^content\/x\.mdx:5: .*followed by its ```js check block/),
      expect.stringMatching(/^content\/x\.mdx:5: this ```js solution block does not belong to an exercise/),
    ]);
    const prose = extractExercises(
      fence('js exercise id=a', 'x') + '\nSome prose.\n\n' + fence('js solution', 'y'),
      'f.mdx',
    );
    expect(prose.errors[0]?.message).toMatch(/followed by its ```js solution block/);
  });

  it('requires the check to export a default function', () => {
    const { errors } = extractExercises(
      [
        fence('js exercise id=a', 'x'),
        fence('js solution', 'y'),
        fence('js check', 'function check() {}'),
      ].join('\n'),
      'f.mdx',
    );
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/must `export default function check/),
    ]);
  });
});

describe("the book's exercises", () => {
  // (The cross-engine suite, test/engines/exercises.test.ts, runs each one: starter and solution.)
  const { files } = contentExercises();

  it('are all well formed', () => {
    expect(files.flatMap(({ errors }) => errors).map(formatError)).toEqual([]);
  });

  /** Practice comes in several kinds (predict the output, fix the bug, make it faster or correct). */
  const EXERCISES_PER_CHAPTER = 3;

  it(`are at least ${EXERCISES_PER_CHAPTER} in every chapter`, () => {
    const chapters = files.filter(({ file }) => file.startsWith('content/chapters/'));
    expect(chapters.length).toBeGreaterThan(0);
    const short = chapters
      .filter(({ exercises }) => exercises.length < EXERCISES_PER_CHAPTER)
      .map(
        ({ file, exercises }) =>
          `${file} has ${exercises.length} exercise(s); add ${EXERCISES_PER_CHAPTER - exercises.length} more, of other kinds (predict the output, fix the bug, make it faster, make it correct)`,
      );
    expect(short).toEqual([]);
  });
});
