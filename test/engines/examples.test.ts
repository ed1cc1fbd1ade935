/**
 * Examples are tests, in every engine: each page of the book with runnable examples is loaded
 * once, its examples read back from the page exactly as their fences have them, and then each
 * example is run through the page's own UI (realm radio, Run, output panel) in each realm it
 * allows, one after another on that one load. The output must match the example's ```output
 * block (same parser as the build: src/build/examples/syntax.mjs), the run must end as the example says,
 * and the page must report no errors. A mismatch names the file and line of the example.
 */
import { describe, expect } from 'vitest';
import { compareOutput } from '../../src/build/examples/syntax.mjs';
import { contentExamples, SELECT } from '../support/examples.ts';
import { caseName } from './cases.ts';
import { chooseRealm, runAndWait } from './island.ts';
import { engineSuite, onePageLoad } from './suite.ts';

// Playground blocks are blank editors with nothing to check; a page of only those has no cases.
const pages = contentExamples()
  .pages.map((page) => ({ ...page, examples: page.examples.filter((example) => !example.playground) }))
  .filter(({ examples }) => examples.length > 0);

engineSuite(['examples'], ({ name, engine, site, test }) => {
  for (const { file, path, examples } of pages)
    describe(file, () => {
      const page = onePageLoad(() => engine().open(site().url + path));

      test('examples', caseName.readBack(file), async () => {
        // The page carries the code once, in the highlighted block (src/client/example/view.ts).
        const onPage = await page().evaluate(
          async (ids) => {
            // (WebKit may still be loading the element's module when the page has loaded.)
            await customElements.whenDefined('interleave-example');
            return Promise.all(
              ids.map(async (id) => {
                const element = document.querySelector<
                  HTMLElement & { island(): Promise<{ original: string }> }
                >(`interleave-example[data-id="${CSS.escape(id)}"]`);
                return element ? (await element.island()).original : `no example "${id}" on the page`;
              }),
            );
          },
          examples.map((example) => example.id),
        );
        expect(onPage).toEqual(examples.map((example) => example.code));
      });

      for (const example of examples)
        for (const realm of example.realms)
          test('examples', caseName.example(file, example, realm), async () => {
            const where = `${name}: ${file}:${example.line} (id ${example.id}, ${realm})`;
            const island = SELECT.example(example.id);
            const errorsBefore = (await page().errors()).length;
            await chooseRealm(page(), island, realm);
            const outcome = await runAndWait(page(), island, example.timeoutMs + 30_000);
            const comparison = compareOutput(outcome.output, example.expected ?? '', example.match);
            expect(
              comparison.ok,
              `${where}: output does not match the \`\`\`output block (line ${example.outputLine}): ${comparison.message}\n(status: ${outcome.state}, ${outcome.status})\n--- actual output ---\n${outcome.output}`,
            ).toBe(true);
            expect(outcome.state, `${where}: the run ended "${outcome.state}" (${outcome.status})`).toBe(
              example.status,
            );
            expect((await page().errors()).slice(errorsBefore), `${where}: page errors`).toEqual([]);
          });
    });
});
