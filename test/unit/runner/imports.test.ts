/**
 * The runner's import graph (type-only imports included): no module imports itself through
 * others, and its folders depend one way — worker/ uses runtime/, never the reverse; both
 * share the protocol at the top.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src');
const RUNNER = join(SRC, 'runner');

function modules(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return modules(path);
    return /\.(ts|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Each module's imports of other modules under `root`, as paths relative to it. */
function importGraph(root = RUNNER): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const path of modules(root)) {
    const text = readFileSync(path, 'utf8');
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gm)].map(
      (match) => match[1] ?? '',
    );
    const targets = specifiers
      .map((specifier) => relative(root, resolve(dirname(path), specifier)))
      .filter((target) => !target.startsWith('..'));
    graph.set(relative(root, path), targets);
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
    const graph = importGraph(SRC);
    expect(graph.get('client/example/island.ts')).toContain('client/format-time.ts');
    expect(cycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });
});
