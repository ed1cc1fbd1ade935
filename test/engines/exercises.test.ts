/**
 * Exercises are tests too, in every engine: on each page with exercises, through the page's own
 * UI, in each realm an exercise allows, the starter as given must FAIL its check (so the check
 * can fail), and the reference solution, loaded the way a reader's saved edit is, must PASS it.
 * One load of the page runs every starter; one more, with every solution saved, runs them all.
 */
import { describe, expect } from 'vitest';
import type { Exercise } from '../../src/build/examples/syntax.mjs';
import { contentExercises, SELECT, savedEdit } from '../support/examples.ts';
import { caseName } from './cases.ts';
import { chooseRealm, editorReady, runAndWait } from './island.ts';
import { engineSuite, onePageLoad } from './suite.ts';

const pages = contentExercises().files.filter(({ exercises }) => exercises.length > 0);

engineSuite(['exercises'], ({ name, engine, site, test }) => {
  for (const { file, path, exercises } of pages)
    for (const variant of ['starter', 'solution'] as const)
      describe(`${file}: ${variant}s`, () => {
        const page = onePageLoad(async () => {
          const saved = (exercise: Exercise) => savedEdit(path, exercise, exercise.solution);
          const opened = await engine().open(site().url + path, {
            ...(variant === 'solution' ? { localStorage: Object.fromEntries(exercises.map(saved)) } : {}),
          });
          if (variant === 'solution')
            for (const { id } of exercises)
              await editorReady(opened, SELECT.example(id), `the saved solution of ${id}`);
          return opened;
        }, 90_000);

        for (const exercise of exercises)
          for (const realm of exercise.realms) {
            const where = `${name}: ${file}:${exercise.line} (exercise ${exercise.id}, ${realm})`;
            const run = async () => {
              const island = SELECT.example(exercise.id);
              const errorsBefore = (await page().errors()).length;
              await chooseRealm(page(), island, realm);
              const outcome = await runAndWait(page(), island, exercise.timeoutMs + 30_000, {
                exercise: true,
              });
              return { ...outcome, errors: (await page().errors()).slice(errorsBefore) };
            };
            if (variant === 'starter')
              test('exercises', caseName.exercise(file, exercise, realm, variant), async () => {
                const outcome = await run();
                expect(
                  outcome.verdict,
                  `${where}: the starter passed its check (${outcome.verdictText})`,
                ).toBe('fail');
                expect(outcome.verdictText).toMatch(/^✗ Not yet: /);
                expect(outcome.errors, `${where}: page errors`).toEqual([]);
              });
            else
              test('exercises', caseName.exercise(file, exercise, realm, variant), async () => {
                const outcome = await run();
                expect(
                  outcome.verdict,
                  `${where}: the solution (line ${exercise.solutionLine}) failed its check (line ${exercise.checkLine}): ${outcome.verdictText}`,
                ).toBe('pass');
                expect(outcome.errors, `${where}: page errors`).toEqual([]);
              });
          }
      });
});
