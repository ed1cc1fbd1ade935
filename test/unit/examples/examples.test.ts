import { readFileSync } from 'node:fs';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import {
  compareOutput,
  extractExamples,
  formatError,
  hashCode,
  scanFences,
} from '../../../src/build/examples/syntax.mjs';
import remarkExamples from '../../../src/build/examples/remark-examples.mjs';

const FILE = 'content/chapters/demo.mdx';
const fence = '```';

function mdx(...blocks: string[]): string {
  return ['---', 'title: Demo', '---', '', ...blocks].join('\n');
}

describe('extractExamples', () => {
  it('reads a runnable block, its flags and the output block after it', () => {
    const source = mdx(
      'Intro.',
      '',
      `${fence}js run realm=worker timeout=3000 id=first title="A worker says hi" {2}`,
      "console.log('hi');",
      "console.log('there');",
      fence,
      '',
      `${fence}output`,
      'hi',
      'there',
      fence,
    );
    const { examples, errors } = extractExamples(source, FILE);
    expect(errors).toEqual([]);
    expect(examples).toHaveLength(1);
    expect(examples[0]).toMatchObject({
      file: FILE,
      line: 7,
      index: 1,
      id: 'first',
      code: "console.log('hi');\nconsole.log('there');",
      realms: ['worker'],
      timeoutMs: 3000,
      match: 'exact',
      status: 'done',
      title: 'A worker says hi',
      expected: 'hi\nthere',
      outputLine: 12,
      meta: 'title="A worker says hi" {2}',
    });
    expect(examples[0]?.hash).toBe(hashCode("console.log('hi');\nconsole.log('there');"));
  });

  it('defaults: both realms (main first), 10 s, exact, done, example-N ids', () => {
    const source = mdx(
      `${fence}js run`,
      '1',
      fence,
      `${fence}output`,
      fence,
      `${fence}js run`,
      '2',
      fence,
      `${fence}output`,
      fence,
    );
    const { examples, errors } = extractExamples(source, FILE);
    expect(errors).toEqual([]);
    expect(examples.map((e) => [e.id, e.realms, e.timeoutMs, e.match, e.status, e.expected])).toEqual([
      ['example-1', ['main', 'worker'], 10_000, 'exact', 'done', ''],
      ['example-2', ['main', 'worker'], 10_000, 'exact', 'done', ''],
    ]);
  });

  it('leaves ordinary fenced code alone', () => {
    const source = mdx(
      `${fence}js`,
      'static()',
      fence,
      '',
      `${fence}python`,
      'print(1)',
      fence,
      `${fence}text`,
      'x',
      fence,
    );
    expect(extractExamples(source, FILE)).toEqual({ examples: [], errors: [] });
  });

  it('finds fences indented inside JSX components, and removes the indentation', () => {
    const source = mdx(
      '<Tabs>',
      '  <TabItem label="JS">',
      `    ${fence}js run id=in-tabs`,
      '    if (true) {',
      '      console.log(1);',
      '    }',
      `    ${fence}`,
      `    ${fence}output`,
      '    1',
      `    ${fence}`,
      '  </TabItem>',
      '</Tabs>',
    );
    const { examples, errors } = extractExamples(source, FILE);
    expect(errors).toEqual([]);
    expect(examples[0]?.code).toBe('if (true) {\n  console.log(1);\n}');
    expect(examples[0]?.expected).toBe('1');
  });

  it('does not mistake fences inside a longer fence for examples', () => {
    const source = mdx('````md', `${fence}js run`, 'x', fence, '````');
    expect(scanFences(source)).toHaveLength(1);
    expect(extractExamples(source, FILE).examples).toEqual([]);
  });

  it.each([
    [
      `${fence}js run realm=workers`,
      'realm=workers is not a realm. Use realm=main, realm=worker or realm=both',
    ],
    [`${fence}js run timeout=3s`, 'timeout=3s is not a whole number of milliseconds'],
    [`${fence}js run timeout=10`, 'between 100 and 60000'],
    [`${fence}js run id=Bad_Id`, 'id=Bad_Id is not a valid id'],
    [`${fence}js run match=regex`, 'match=regex is not a comparison'],
    [`${fence}js run status=ok`, 'status=ok is not a run status'],
    [`${fence}js run realms=worker`, 'unknown flag "realms=worker"'],
    [`${fence}js run worker`, 'unknown word "worker"'],
    [`${fence}js run realm`, 'the flag "realm" needs a value, e.g. realm=worker'],
    [`${fence}js run realm=main realm=worker`, 'the flag "realm" is given twice'],
    [`${fence}python run`, '"run" is only for JavaScript blocks'],
  ])('fails %s with file:line and the fix', (opening, message) => {
    const { errors } = extractExamples(mdx('', opening, 'x', fence, `${fence}output`, fence), FILE);
    expect(errors.length).toBeGreaterThan(0);
    expect(formatError(errors[0]!)).toContain(`${FILE}:6: `);
    expect(errors[0]?.message).toContain(message);
  });

  it('requires an output block right after a runnable block', () => {
    const { errors } = extractExamples(
      mdx(`${fence}js run`, 'x', fence, '', 'Some prose.', '', `${fence}output`, fence),
      FILE,
    );
    expect(errors.map(formatError)).toEqual([
      `${FILE}:5: a runnable example needs its expected output right after it: add an \`\`\`output block (empty if it prints nothing). Without JavaScript, readers see it as "Expected output".`,
      `${FILE}:11: this \`\`\`output block does not follow a \`\`\`js run block. Put it right after the example it belongs to, or use \`\`\`text for static output.`,
    ]);
  });

  it('rejects duplicate ids, and output blocks on playground blocks', () => {
    const dup = extractExamples(
      mdx(
        `${fence}js run id=a`,
        fence,
        `${fence}output`,
        fence,
        `${fence}js run id=a`,
        fence,
        `${fence}output`,
        fence,
      ),
      FILE,
    );
    expect(dup.errors[0]?.message).toContain('id=a is already used by the example on line 5');
    const playground = extractExamples(mdx(`${fence}js run playground`, fence), FILE);
    expect(playground.errors).toEqual([]);
    expect(playground.examples[0]?.playground).toBe(true);
  });

  it('every page in content/ is well formed (the build would fail otherwise)', async () => {
    const { readdirSync } = await import('node:fs');
    const root = new URL('../../../content/', import.meta.url);
    const problems = readdirSync(root, { recursive: true })
      .map(String)
      .filter((name) => name.endsWith('.mdx'))
      .flatMap((name) =>
        extractExamples(readFileSync(new URL(name, root), 'utf8'), `content/${name}`).errors.map(formatError),
      );
    expect(problems).toEqual([]);
  });
});

describe('compareOutput', () => {
  it('compares lines exactly, ignoring trailing whitespace and trailing blank lines', () => {
    expect(compareOutput('a  \nb\n\n', 'a\nb').ok).toBe(true);
    expect(compareOutput('a\nc', 'a\nb')).toEqual({
      ok: false,
      message: 'first difference at output line 2: expected "b", got "c"',
    });
    expect(compareOutput('a', 'a\nb').message).toContain('expected "b", got "(end of output)"');
  });

  it('lets … in an expected line match any text', () => {
    expect(compareOutput('took 12.5 ms', 'took … ms').ok).toBe(true);
    expect(compareOutput('took 12.5 s', 'took … ms').ok).toBe(false);
    expect(compareOutput('[1+2] (x)', '[1+2] (…)').ok).toBe(true);
  });

  it('match=unordered accepts any order of the same lines, and nothing more', () => {
    expect(compareOutput('b\na\nc', 'a\nb\nc', 'unordered').ok).toBe(true);
    expect(compareOutput('b\na\na', 'a\nb\nc', 'unordered').message).toBe(
      'missing lines: ["c"]; unexpected lines: ["a"]',
    );
  });
});

describe('remark-examples', () => {
  /** Runs the plugin; returns the mdast and the HTML of everything but the MDX nodes. */
  async function render(source: string, path = '/work/x/content/chapters/demo.mdx') {
    const file = new VFile({ value: source, path });
    const processor = unified().use(remarkParse).use(remarkMdx).use(remarkExamples);
    const mdast = (await processor.run(processor.parse(file), file)) as {
      type: 'root';
      children: { type: string; value?: string }[];
    };
    const plain = { ...mdast, children: mdast.children.filter((node) => !node.type.startsWith('mdx')) };
    const hast = await unified()
      .use(remarkRehype)
      .run(plain as never);
    return {
      mdast,
      html: unified()
        .use(rehypeStringify)
        .stringify(hast as never),
    };
  }

  it('wraps the code block (kept for Expressive Code) and the expected output in <interleave-example>', async () => {
    const { mdast, html } = await render(
      mdx(
        `${fence}js run realm=worker id=w title="t.js"`,
        "console.log('<b>hi</b>');",
        fence,
        `${fence}output`,
        '<b>hi</b>',
        fence,
      ),
    );
    expect(html).toContain('<interleave-example id="ix-w" data-id="w"');
    expect(html).toContain('data-realms="worker"');
    expect(html).toContain('<pre><code class="language-js">');
    expect(html).toContain(
      '<p class="ix-label">Expected output</p><pre tabindex="0"><samp>&#x3C;b>hi&#x3C;/b></samp></pre>',
    );
    expect(html).toContain('data-action="run"');
    expect(html).toContain('Runs in a worker');
    const esm = mdast.children.find((node) => node.type === 'mdxjsEsm');
    expect(esm?.value).toMatch(/import __InterleaveExampleBootstrap from ".*ExampleBootstrap\.astro"/);
  });

  it('fails the build with file:line and the fix', async () => {
    await expect(
      render(mdx(`${fence}js run realm=sideways`, 'x', fence, `${fence}output`, fence)),
    ).rejects.toThrow(/content\/chapters\/demo\.mdx:5: realm=sideways is not a realm/);
  });

  it('adds nothing to pages without examples', async () => {
    const { mdast } = await render(mdx(`${fence}js`, 'x', fence));
    expect(JSON.stringify(mdast)).not.toContain('ExampleBootstrap');
  });
});
