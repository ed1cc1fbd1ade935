/**
 * The names of the cross-engine suite's cases that follow from the content, written once: the
 * suite's files name their cases with these, and the coverage guard (coverage.test.ts) looks
 * for them in what each engine ran.
 */
import type { Example, Exercise } from '../../src/build/examples/syntax.mjs';

export type Realm = 'main' | 'worker';
export type Variant = 'starter' | 'solution';
export type Theme = 'light' | 'dark';

export const caseName = {
  example: (file: string, example: Example, realm: Realm) =>
    `${file}:${example.line} (${example.id}, ${realm})`,
  readBack: (file: string) => `${file}: every example reads its code back exactly as its fence has it`,
  exercise: (file: string, exercise: Exercise, realm: Realm, variant: Variant) =>
    `${file}:${exercise.line} (${exercise.id}, ${realm}): ${
      variant === 'starter' ? 'the starter as given fails its check' : 'the solution passes its check'
    }`,
  route: (route: string, theme: Theme) => `${route}: ${theme} theme has no WCAG 2.2 A/AA violations`,
};
