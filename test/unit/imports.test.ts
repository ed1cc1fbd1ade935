/**
 * The import graph of src/ (type-only imports included). No module imports itself through others.
 * The runner's folders depend one way: worker/ uses runtime/, never the reverse; both share the
 * protocol at the top, which holds wire types only. A folder with an index.ts is entered through
 * it (the runner also through two page-light modules, see ALSO_PUBLIC). The snippet toolkit
 * (src/snippet/) depends on nothing of the runner, the stepper or the page, and the reader's data
 * (src/client/progress/) never imports the example.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/**
 * Each module's static imports (type-only ones included) of other modules under `root` (a folder
 * of src/, or '' for all of it), as paths relative to it. Astro components and `import()` are left
 * out: a component is not imported by modules, and a dynamic import closes no load-time cycle.
 */
function importGraph(root = 'runner'): Map<string, string[]> {
  const prefix = root ? `${root}/` : '';
  const graph = new Map<string, string[]>();
  for (const { from, to, dynamic } of importsInSrc()) {
    if (dynamic || !from.startsWith(prefix) || !/\.(ts|mjs)$/.test(from)) continue;
    const targets = graph.get(from.slice(prefix.length)) ?? [];
    if (to.startsWith(prefix)) targets.push(to.slice(prefix.length));
    graph.set(from.slice(prefix.length), targets);
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the path that closes it. */
function cycles(graph: Map<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const walk = (node: string, path: string[]) => {
    const at = path.indexOf(node);
    if (at >= 0) {
      found.push([...path.slice(at), node]);
      return;
    }
    if (done.has(node)) return;
    for (const next of graph.get(node) ?? []) walk(next, [...path, node]);
    done.add(node);
  };
  for (const node of graph.keys()) walk(node, []);
  return found;
}

describe('the runner’s imports', () => {
  const graph = importGraph();

  it('reads the runner’s modules and their imports', () => {
    expect(graph.get('index.ts')).toContain('main-thread.ts');
    expect(graph.get('worker/runner.worker.ts')).toContain('runtime/install.ts');
  });

  it('have no cycle between modules', () => {
    expect(cycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('have no cycle between folders', () => {
    const folders = new Map<string, string[]>();
    for (const [module, targets] of graph) {
      const from = dirname(module);
      if (from === '.') continue;
      const to = targets
        .map((target) => dirname(target))
        .filter((folder) => folder !== '.' && folder !== from);
      folders.set(from, [...new Set([...(folders.get(from) ?? []), ...to])]);
    }
    expect(cycles(folders).map((cycle) => cycle.join(' → '))).toEqual([]);
  });
});

describe('the imports of all of src/', () => {
  it('have no cycle between modules (build code, client code and runner alike)', () => {
    const graph = importGraph('');
    expect(graph.get('client/example/island.ts')).toContain('client/format-time.ts');
    expect(cycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });
});

/** One import: the importing module and the imported one (paths relative to src/). */
interface Import {
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
  /** `import('…')`: loaded when called, not with the importing module. */
  readonly dynamic: boolean;
}

/**
 * Every relative import in src/ (TypeScript, JavaScript modules and Astro components):
 * `import … from`, `export … from`, `import '…'` and `import('…')`, as paths relative to src/.
 */
function importsInSrc(): Import[] {
  const files = readdirSync(SRC, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs|astro)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
  return files.flatMap((path) => {
    const text = readFileSync(path, 'utf8');
    const from = relative(SRC, path);
    const to = (specifier: string) => relative(SRC, resolve(dirname(path), specifier));
    const statics = [
      ...text.matchAll(/^\s*(import|export)\b(\s+type\b)?([^'"]*?from\s+|\s*)'(\.[^']+)'/gm),
    ].map((match) => ({ from, to: to(match[4] ?? ''), typeOnly: match[2] !== undefined, dynamic: false }));
    const dynamics = [...text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g)].map((match) => ({
      from,
      to: to(match[1] ?? ''),
      typeOnly: false,
      dynamic: true,
    }));
    return [...statics, ...dynamics];
  });
}

/**
 * Besides index.ts, the modules of a folder that code outside it may import. Only small modules
 * that code loaded with every page (the isolation badge) or with an example's first click (the
 * output panel) needs: importing runner/index.ts statically would bring the executors and the
 * snippet toolkit into those scripts (measured: about 60 KB gzip each).
 */
const ALSO_PUBLIC: Record<string, readonly string[]> = {
  runner: ['events.ts', 'shared-memory.ts'],
  snippet: [],
};

describe('the folders’ public surfaces', () => {
  const all = importsInSrc();

  it('reads the imports of src/', () => {
    const users = (module: string) => all.filter(({ to }) => to === module).map(({ from }) => from);
    for (const folder of ['runner/', 'stepper/', 'client/scheduler/'])
      expect(
        users('snippet/index.ts').some((from) => from.startsWith(folder)),
        folder,
      ).toBe(true);
    expect(users('runner/index.ts').some((from) => from.startsWith('client/timeline/'))).toBe(true);
  });

  it('the runner and the snippet toolkit are imported through their index.ts by code outside them', () => {
    const reachingIn = all.filter(({ from, to }) =>
      Object.entries(ALSO_PUBLIC).some(
        ([folder, alsoPublic]) =>
          to.startsWith(`${folder}/`) &&
          !from.startsWith(`${folder}/`) &&
          to !== `${folder}/index.ts` &&
          !alsoPublic.includes(to.slice(folder.length + 1)),
      ),
    );
    expect(reachingIn.map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
  });

  it('no folder’s internals are imported from outside it: a folder with an index is entered through it', () => {
    const entered = [...new Set(all.map(({ to }) => to))]
      .filter((module) => /(^|\/)index\.(ts|mjs)$/.test(module))
      .map((index) => dirname(index))
      // Each module of src/concurrency/ is a teaching library of its own (`interleave/csp`, …);
      // its index.ts only gathers them for Node.
      .filter((folder) => folder !== 'concurrency');
    expect(entered).toEqual(expect.arrayContaining(['runner', 'snippet', 'client/progress']));
    const reachingIn = all.filter(({ from, to }) =>
      entered.some(
        (folder) =>
          to.startsWith(`${folder}/`) &&
          !from.startsWith(`${folder}/`) &&
          !/^index\.(ts|mjs)$/.test(to.slice(folder.length + 1)) &&
          !(ALSO_PUBLIC[folder] ?? []).includes(to.slice(folder.length + 1)) &&
          // A component loads a folder's page script or styles: an entry of its own.
          !from.endsWith('.astro'),
      ),
    );
    expect(reachingIn.map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
  });

  it('the reader’s data does not depend on the example: progress/ never imports example/', () => {
    const progressUses = all.filter(({ from }) => from.startsWith('client/progress/')).map(({ to }) => to);
    expect(progressUses.length).toBeGreaterThan(0);
    expect(progressUses.filter((to) => to.startsWith('client/example/'))).toEqual([]);
    const exampleUses = all.filter(
      ({ from, to }) => from.startsWith('client/example/') && to.startsWith('client/progress/'),
    );
    expect(exampleUses.map(({ to }) => to)).toContain('client/progress/index.ts');
  });

  it('the snippet toolkit depends on nothing but the teaching libraries', () => {
    const outside = all.filter(({ from, to }) => from.startsWith('snippet/') && !to.startsWith('snippet/'));
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.filter(({ to }) => !to.startsWith('concurrency/')).map(({ to }) => to)).toEqual([]);
  });

  it('the runner’s protocol holds wire types only: it imports nothing but the stream’s types', () => {
    const protocol = all.filter(({ from }) => from === 'runner/protocol.ts');
    expect(protocol.map(({ to, typeOnly }) => `${to}${typeOnly ? ' (types)' : ''}`)).toEqual([
      'runner/events.ts (types)',
    ]);
  });
});
