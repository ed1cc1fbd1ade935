/**
 * A contributor's frontmatter mistake fails `npm run build` with a message that
 * names the file, the field and the fix. Built in a sandbox copy of the
 * project, so the broken chapter never touches the working tree.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSandbox, type BuildResult, type Sandbox } from './content-sandbox.ts';

let sandbox: Sandbox;
let schemaError: BuildResult;
let rulesError: BuildResult;

beforeAll(() => {
  sandbox = createSandbox();
  sandbox.write(
    'content/chapters/broken-schema.mdx',
    '---\ntitle: Broken\ndescription: A chapter with bad fields.\nsidebar:\n  order: 10\nrequires: [shared-memory]\nsummary: |\n  two\n  lines\nsumary: A misspelled key.\n---\n\nBody.\n',
  );
  schemaError = sandbox.build();
  sandbox.write(
    'content/chapters/broken-schema.mdx',
    '---\ntitle: Broken\nprerequisites: [chapters/nowhere]\n---\n\nBody.\n',
  );
  rulesError = sandbox.build();
}, 120_000);

afterAll(() => sandbox?.dispose());

it('reports schema errors with the entry, the field and the fix', () => {
  expect(schemaError.ok).toBe(false);
  expect(schemaError.output).toContain('docs → chapters/broken-schema data does not match collection schema');
  expect(schemaError.output).toContain('src/content/docs/chapters/broken-schema.mdx');
  expect(schemaError.output).toContain(
    'requires.0: "shared-memory" is not a known capability. Use one of: web-workers, module-workers, cross-origin-isolation, atomics-wait-async.',
  );
  expect(schemaError.output).toContain('summary: spans several lines: keep it to one line (no line breaks).');
  expect(schemaError.output).toContain('`sumary` is not a frontmatter field: did you mean `summary`?');
});

it('reports chapter rules and unknown prerequisites against the file authors edit', () => {
  expect(rulesError.ok).toBe(false);
  expect(rulesError.output).toContain(
    'content/chapters/broken-schema.mdx: "description": Chapters need a description',
  );
  expect(rulesError.output).toContain(
    'content/chapters/broken-schema.mdx: "sidebar.order": Chapters need a place in the reading order',
  );
  expect(rulesError.output).toContain(
    'content/chapters/broken-schema.mdx: "prerequisites": "chapters/nowhere" is not a page of the book.',
  );
});
