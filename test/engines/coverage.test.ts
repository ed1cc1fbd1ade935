/**
 * The coverage guard: from the content, the cases each engine must run — every example in each
 * realm it allows (and each page's read-back check), every exercise's starter and solution in
 * each realm, every route of the build in both themes — and a failure for each one an engine
 * did not run (skipped, or missing), so that a faster suite cannot silently drop a case. It reads
 * what ran from the run's record (test/support/run-record.ts): the project `coverage` runs after
 * every other (test/vitest.config.ts), and checks the engines the run selected.
 */
import { describe, expect, it } from 'vitest';
import { readSite } from '../support/content-crawl.ts';
import { ENGINE_NAMES } from '../support/engines/engine.ts';
import { contentExamples, contentExercises } from '../support/examples.ts';
import { readRunRecord } from '../support/run-record.ts';
import { BUILDS } from '../support/site.ts';
import { caseName } from './cases.ts';

/** Every case the content asks of an engine, by area. */
function expectedCases(): Record<'examples' | 'exercises' | 'pages', string[]> {
  const examples = contentExamples().pages.flatMap(({ file, examples }) => {
    const run = examples.filter((example) => !example.playground);
    if (!run.length) return [];
    return [
      caseName.readBack(file),
      ...run.flatMap((example) => example.realms.map((realm) => caseName.example(file, example, realm))),
    ];
  });
  const exercises = contentExercises().cases.flatMap(({ exercise, realm }) =>
    (['starter', 'solution'] as const).map((variant) =>
      caseName.exercise(exercise.file, exercise, realm, variant),
    ),
  );
  const routes = [...readSite(BUILDS.root.outDir, BUILDS.root.base).keys()].filter(
    (route) => !route.endsWith('/404'),
  );
  const pages = routes.flatMap((route) =>
    (['light', 'dark'] as const).map((theme) => caseName.route(route, theme)),
  );
  return { examples, exercises, pages };
}

const record = readRunRecord();
const engines = ENGINE_NAMES.filter((engine) => record.projects.includes(engine));

describe.each(engines)('%s', (engine) => {
  it('ran every case the content asks for', () => {
    const ran = new Set(
      record.files
        .filter((file) => file.project === engine)
        .flatMap((file) => file.tests)
        .filter((test) => test.state === 'passed' || test.state === 'failed')
        .map((test) => test.path.at(-1)!.replace(/ \[known failure: .*\]$/s, '')),
    );
    const expected = expectedCases();
    const counts = Object.entries(expected).map(
      ([area, names]) => `${area} ${names.filter((name) => ran.has(name)).length} of ${names.length}`,
    );
    console.log(`[coverage] ${engine}: ${counts.join(', ')}`);
    expect(
      Object.values(expected)
        .flat()
        .filter((name) => !ran.has(name)),
    ).toEqual([]);
    expect(Object.values(expected).flat().length).toBeGreaterThan(0);
  });
});

// Selected without an engine project, the guard has nothing to check: it says so and fails.
if (!engines.length)
  it('has an engine project to check', () => {
    expect.fail('the run selected no engine project: add --project chromium (or firefox, webkit)');
  });
