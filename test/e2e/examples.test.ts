/**
 * Examples are tests: every runnable example in content/ (found by src/build/examples.mjs, the
 * same parser the build uses) is run on the built site in Chromium, in each realm it allows,
 * through the real UI — realm switch, Run button, output panel — and its output is compared with
 * the example's ```output block. A mismatch names the file and line of the example.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareOutput, formatError } from '../../src/build/examples.mjs';
import { selectedChapter } from '../support/chapter-filter.ts';
import { chooseRealm, contentExamples, exampleLocator, runAndWait } from './examples-support.ts';
import { servedSite } from './served-site.ts';

const { pages, errors } = contentExamples();

const site = servedSite();

it('every runnable example in content/ is well formed', () => {
  expect(errors.map(formatError)).toEqual([]);
});

// (One chapter checked alone may have none.)
it.skipIf(selectedChapter())('the book has runnable examples to test', () => {
  expect(pages.length).toBeGreaterThan(0);
});

// Playground blocks are blank editors with nothing to check; a page of only those has no cases.
const testedPages = pages.filter(({ examples }) => examples.some((example) => !example.playground));

describe.each(testedPages)('$file', ({ file, path, examples }) => {
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    const context = await site.browser.newContext();
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
    await page.goto(site.server.url + path, { waitUntil: 'load' });
  });
  afterAll(async () => {
    await page?.context().close();
  });

  it(`${file}: every example reads its code back from the page exactly as its fence has it`, async () => {
    // The page carries the code once, in the highlighted block (view.ts staticCode).
    const onPage = await page.evaluate(
      (ids) =>
        Promise.all(
          ids.map(async (id) => {
            const element = document.querySelector<HTMLElement & { island(): Promise<{ original: string }> }>(
              `interleave-example[data-id="${CSS.escape(id)}"]`,
            );
            return element ? (await element.island()).original : `no example "${id}" on the page`;
          }),
        ),
      examples.map((example) => example.id),
    );
    expect(onPage).toEqual(examples.map((example) => example.code));
  });

  const cases = examples
    .filter((example) => !example.playground)
    .flatMap((example) => example.realms.map((realm) => ({ example, realm })));

  it.each(cases)(
    `${file}:$example.line ($example.id, $realm)`,
    async ({ example, realm }) => {
      const where = `${file}:${example.line} (id ${example.id}, ${realm})`;
      const island = exampleLocator(page, example.id);
      expect(await island.count(), `${where}: example not found on ${path || 'the home page'}`).toBe(1);
      await chooseRealm(island, realm);
      const outcome = await runAndWait(island, example.timeoutMs + 15_000);
      const comparison = compareOutput(outcome.output, example.expected ?? '', example.match);
      expect(
        comparison.ok,
        `${where}: output does not match the \`\`\`output block (line ${example.outputLine}): ${comparison.message}\n(status: ${outcome.state}, ${outcome.status})\n--- actual output ---\n${outcome.output}`,
      ).toBe(true);
      expect(
        outcome.state,
        `${where}: the run ended "${outcome.state}" (${outcome.status}), expected status=${example.status}`,
      ).toBe(example.status);
      expect(problems, `${where}: page errors`).toEqual([]);
    },
    90_000,
  );
});
