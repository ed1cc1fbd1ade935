/**
 * The cross-engine suite's frame, shared by its files (examples, exercises, pages, panels): the
 * engine a project runs them in (vitest's `provide`, see test/vitest.config.ts: projects
 * chromium, firefox and webkit run the same files), one browser of it per file, the root build
 * served with its production headers, and `test`, which knows the known failures.
 *
 * Every case sits under a describe named for its engine, so that vitest's report (which does not
 * name projects) says which engine ran it: the coverage guard (test/support/coverage.ts) reads
 * it there.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchEngine, type Engine, type EngineName, type EnginePage } from '../support/engines/index.ts';
import { BUILDS } from '../support/site.ts';
import { serveStatic, type StaticServer } from '../support/static-server.ts';
import { KNOWN_FAILURES } from './known-failures.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** the engine a cross-engine project runs its files in */
    engine: EngineName;
  }
}

/** The groups of cases, the first part of a known-failures.ts key; each belongs to one file. */
export const ENGINE_GROUPS = [
  'examples',
  'exercises',
  'accessibility',
  'isolation',
  'chrome',
  'runner',
  'stepper',
  'scheduler',
] as const;
export type Group = (typeof ENGINE_GROUPS)[number];

/** `it`, or `it.fails` for a case listed in known-failures.ts. */
export type Test = (group: Group, title: string, body: () => Promise<void>, timeoutMs?: number) => void;

export interface EngineSuite {
  readonly name: EngineName;
  /** The engine's browser (set once `beforeAll` has run). */
  engine(): Engine;
  /** The root build, served with production headers. */
  site(): StaticServer;
  readonly test: Test;
}

/**
 * Declares the file's cases, inside a describe named for the engine, with `body`. `groups` are
 * the groups of known-failures.ts keys this file owns: a listed key of them that names no case
 * fails the file, so an entry cannot outlive its case.
 */
export function engineSuite(groups: readonly Group[], body: (suite: EngineSuite) => void): void {
  const name = inject('engine');
  const known = Object.entries(KNOWN_FAILURES[name]).filter(([key]) =>
    groups.some((group) => key.startsWith(`${group} > `)),
  );
  const named = new Set<string>();
  const test: Test = (group, title, caseBody, timeoutMs = 90_000) => {
    // Without the line number, which moves whenever text is added above the example.
    const key = `${group} > ${title.replace(/\.mdx:\d+ /, '.mdx ')}`;
    named.add(key);
    const reason = known.find(([listed]) => listed === key)?.[1];
    if (reason) it.fails(`${title} [known failure: ${reason}]`, caseBody, timeoutMs);
    else it(title, caseBody, timeoutMs);
  };

  let engine: Engine | undefined;
  let site: StaticServer | undefined;
  beforeAll(async () => {
    engine = await launchEngine(name, (line) => console.log(`[${name}] ${line}`));
    site = await serveStatic(BUILDS.root.outDir, { base: BUILDS.root.base, headers: true });
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    await engine?.close();
  });

  describe(name, () => {
    body({
      name,
      engine: () => engine ?? fail('the engine did not start'),
      site: () => site ?? fail('the site is not served'),
      test,
    });
    if (known.length)
      it('every known failure of this file names a case that exists', () => {
        expect(known.map(([key]) => key).filter((key) => !named.has(key))).toEqual([]);
      });
  });
}

/**
 * One load of a page for all the cases of the enclosing describe: `load` opens it (and may
 * prepare it) before the first case, and it is closed after the last. Read it inside the cases.
 */
export function onePageLoad(load: () => Promise<EnginePage>, timeoutMs = 60_000): () => EnginePage {
  let page: EnginePage | undefined;
  beforeAll(async () => {
    page = await load();
  }, timeoutMs);
  afterAll(async () => {
    await page?.close();
  });
  return () => page ?? fail('the page did not load');
}

function fail(message: string): never {
  throw new Error(message);
}
