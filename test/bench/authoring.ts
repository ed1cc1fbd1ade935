/**
 * Authoring benchmarks (issue "Authoring pipeline"):
 *  - JavaScript (gzip) that diagrams add to a page: a page with one diagram vs
 *    the same page without it (0 since diagrams are drawn at build time, #18);
 *    the diagram code a page without diagrams loads (must be 0); and the HTML
 *    bytes the diagram adds.
 *  - build time of the book, and with 10 and 100 generated chapters added.
 * Everything runs in sandbox copies of the project (test/support/content-sandbox.ts):
 * the working tree's content/ is never touched.
 */
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { createSandbox } from '../support/content-sandbox.ts';
import { launchChromium } from '../support/browser.ts';
import { serveStatic } from '../support/static-server.ts';
import type { BenchRow } from './concurrency.ts';

const PROSE = 'A paragraph of prose about tasks, threads and what runs when. '.repeat(6);
const DIAGRAM = [
  '```mermaid',
  'flowchart LR',
  '  accTitle: One task, then every microtask',
  '  accDescr: The loop runs one task, then all microtasks, then may render.',
  '  task[Run one task] --> micro[Run all microtasks] --> render[Render if needed] --> task',
  '```',
].join('\n');

function page(title: string, order: number, withDiagram: boolean, extra = '', imports = ''): string {
  return `---\ntitle: ${JSON.stringify(title)}\ndescription: A generated page for the authoring benchmark.\nsidebar:\n  order: ${order}\n---\n\n${imports}\n\n${PROSE}\n\n${withDiagram ? DIAGRAM : ''}\n\n${PROSE}\n${extra}`;
}

/** A chapter like a real one: prose, an aside, two diagrams, tabs with code. */
function chapter(index: number): string {
  const extra = [
    `## Section ${index}`,
    `:::note\n${PROSE}\n:::`,
    DIAGRAM.replace('flowchart LR', 'flowchart TB'),
    `<Tabs syncKey="lang">\n  <TabItem label="Python">\n    \`\`\`python\n    print(${index})\n    \`\`\`\n  </TabItem>\n  <TabItem label="Go">\n    \`\`\`go\n    fmt.Println(${index})\n    \`\`\`\n  </TabItem>\n</Tabs>`,
    `## More\n\n${PROSE}`,
  ].join('\n\n');
  return page(
    `Generated chapter ${index}`,
    1000 + index,
    true,
    extra,
    `import { Tabs, TabItem } from '@astrojs/starlight/components';`,
  );
}

interface Load {
  gzip: number;
  diagramGzip: number;
  scripts: string[];
}

const isDiagramCode = (path: string) =>
  /DiagramScript|\/render\.[\w-]+\.js|mermaid|Diagram-|dagre|chunk-/.test(path);

/** JS the page fetched (gzip), after scrolling through it and drawing every diagram. */
async function scriptsLoaded(browser: Browser, url: string): Promise<Load> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies: Promise<{ path: string; gzip: number }>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    const path = new URL(response.url()).pathname;
    bodies.push(
      response.body().then(
        (body) => ({ path, gzip: gzipSync(body).length }),
        () => ({ path, gzip: 0 }),
      ),
    );
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.mouse.wheel(0, 20_000);
  await page.evaluate(async () => {
    const diagrams = [...document.querySelectorAll('mermaid-diagram')] as (Element & {
      draw?: () => Promise<void>;
    })[];
    if (diagrams.length) await customElements.whenDefined('mermaid-diagram');
    await Promise.all(diagrams.map((diagram) => diagram.draw?.()));
  });
  await page.waitForLoadState('networkidle');
  const loaded = await Promise.all(bodies);
  await context.close();
  return {
    gzip: loaded.reduce((sum, { gzip }) => sum + gzip, 0),
    diagramGzip: loaded.filter(({ path }) => isDiagramCode(path)).reduce((sum, { gzip }) => sum + gzip, 0),
    scripts: loaded.map(({ path }) => path),
  };
}

function buildWithChapters(count: number): number {
  const sandbox = createSandbox();
  try {
    for (let i = 0; i < count; i++)
      sandbox.write(`content/chapters/zz-generated-${String(i).padStart(3, '0')}.mdx`, chapter(i));
    const result = sandbox.build();
    if (!result.ok)
      throw new Error(`build with ${count} generated chapters failed:\n${result.output.slice(-3000)}`);
    return Math.round(result.milliseconds);
  } finally {
    sandbox.dispose();
  }
}

export default async function benchAuthoring(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const sandbox = createSandbox();
  try {
    sandbox.write('content/guide/zz-bench-diagram.mdx', page('Bench: with a diagram', 900, true));
    sandbox.write('content/guide/zz-bench-plain.mdx', page('Bench: without a diagram', 901, false));
    const build = sandbox.build();
    if (!build.ok) throw new Error(`benchmark build failed:\n${build.output.slice(-3000)}`);
    rows.push({
      name: 'authoring: build, the book as it is (+2 pages)',
      value: Math.round(build.milliseconds),
      unit: 'ms',
    });

    const server = await serveStatic(`${sandbox.root}/dist`);
    const browser = await launchChromium();
    try {
      const withDiagram = await scriptsLoaded(browser, `${server.url}guide/zz-bench-diagram/`);
      const plain = await scriptsLoaded(browser, `${server.url}guide/zz-bench-plain/`);
      rows.push({
        name: 'diagram JS on a page with one diagram (gzip)',
        value: withDiagram.gzip - plain.gzip,
        unit: 'bytes',
        note: `${withDiagram.scripts.length - plain.scripts.length} more scripts than the same page without it; must be 0`,
      });
      rows.push({
        name: 'diagram JS on a page without diagrams (gzip)',
        value: plain.diagramGzip,
        unit: 'bytes',
        note: 'must be 0',
      });
      const bytes = async (path: string) => (await fetch(`${server.url}${path}`)).arrayBuffer();
      const [withHtml, plainHtml] = await Promise.all([
        bytes('guide/zz-bench-diagram/'),
        bytes('guide/zz-bench-plain/'),
      ]);
      rows.push({
        name: 'HTML one diagram adds to a page',
        value: withHtml.byteLength - plainHtml.byteLength,
        unit: 'bytes',
        note: `${gzipSync(Buffer.from(withHtml)).length - gzipSync(Buffer.from(plainHtml)).length} bytes gzip`,
      });
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    sandbox.dispose();
  }

  const ten = buildWithChapters(10);
  const hundred = buildWithChapters(100);
  rows.push({ name: 'authoring: build with 10 generated chapters', value: ten, unit: 'ms' });
  rows.push({ name: 'authoring: build with 100 generated chapters', value: hundred, unit: 'ms' });
  rows.push({
    name: 'authoring: build time ratio 100 / 10 chapters',
    value: Number((hundred / ten).toFixed(2)),
    unit: '×',
  });
  return rows;
}
