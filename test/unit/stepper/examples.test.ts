/**
 * Every example of the book that offers Step (the `step` flag) records, in the stepper, exactly
 * the output its ```output block declares — the same check the e2e suite makes of Run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareOutput, extractExamples, extractExercises } from '../../../src/build/examples/syntax.mjs';
import { verdictOf, type Check } from '../../../src/client/example/view.ts';
import { recordSnippet } from '../../../src/stepper/step-run.ts';

const root = join(import.meta.dirname, '../../..');

function mdxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? mdxFiles(join(dir, entry.name))
      : entry.name.endsWith('.mdx')
        ? [join(dir, entry.name)]
        : [],
  );
}

const stepped = mdxFiles(join(root, 'content')).flatMap((path) => {
  const file = relative(root, path);
  return extractExamples(readFileSync(path, 'utf8'), file).examples.filter(
    (example) => example.step && !example.playground,
  );
});

const steppedExercises = mdxFiles(join(root, 'content')).flatMap((path) =>
  extractExercises(readFileSync(path, 'utf8'), relative(root, path)).exercises.filter(
    (exercise) => exercise.step,
  ),
);

/** The check's verdict on the stepper's run of `code`. */
async function checkStepped(code: string, checkSource: string) {
  const result = recordSnippet(code);
  if (!result.ok) throw new Error(result.message);
  const url = `data:text/javascript;base64,${Buffer.from(checkSource).toString('base64')}`;
  const check = ((await import(/* @vite-ignore */ url)) as { default: Check }).default;
  return verdictOf(await check({ lines: result.recording.output, status: 'done', durationMs: 0 }));
}

describe('exercises that offer Step', () => {
  it('include two "predict, then step" exercises', () => {
    expect(
      steppedExercises.filter((exercise) => exercise.id.startsWith('predict-then-step')).length,
    ).toBeGreaterThanOrEqual(2);
  });

  for (const exercise of steppedExercises) {
    it(`${exercise.file}:${exercise.line} (${exercise.id}): stepped, the starter fails and the solution passes`, async () => {
      expect((await checkStepped(exercise.starter, exercise.check)).pass).toBe(false);
      expect(await checkStepped(exercise.solution, exercise.check)).toEqual({ pass: true, reason: '' });
    });
  }
});

describe('examples that offer Step', () => {
  it('exist in the event loop chapter', () => {
    expect(stepped.some((example) => example.file.endsWith('async-event-loop.mdx'))).toBe(true);
  });

  for (const example of stepped) {
    it(`${example.file}:${example.line} (${example.id}) steps to its expected output`, () => {
      const result = recordSnippet(example.code);
      if (!result.ok) throw new Error(result.message);
      expect(result.recording.stoppedEarly).toBeUndefined();
      const { ok, message } = compareOutput(
        result.recording.output.join('\n'),
        example.expected ?? '',
        example.match,
      );
      expect(ok, `${example.file}:${example.line}: ${message}`).toBe(true);
    });
  }
});
