import { describe, expect, it } from 'vitest';
import { createLoopGuard, RunawayLoopError } from '../../../src/runner/runtime/guard.ts';
import { transform, warmUpTransform } from '../../../src/snippet/transform.ts';

function ok(source: string, options = {}) {
  const result = transform(source, options);
  if (!result.ok) throw new Error(`unexpected: ${result.error.message}`);
  return result;
}

describe('transform', () => {
  it('reports syntax errors with the line and column of the reader', () => {
    const result = transform('const a = 1;\nconst b = ;\n');
    expect(result).toMatchObject({
      ok: false,
      error: { name: 'SyntaxError', line: 2, column: 11, message: 'Unexpected token' },
    });
  });

  it('parses as a module: top-level await is fine, `with` is not (strict)', () => {
    expect(transform('await 1;').ok).toBe(true);
    expect(transform('with (a) {}').ok).toBe(false);
  });

  it('guards every kind of loop and keeps every line where it was', () => {
    const source = [
      'for (let i = 0; i < 3; i++) {',
      '  while (x) y();',
      '}',
      'do z(); while (w);',
      'for (const k in o) {}',
      'for (const v of o) f(v);',
      'for await (const v of o) {}',
      'outer: for (;;) { for (;;) continue outer; }',
    ].join('\n');
    const result = ok(source);
    expect(result.loops).toBe(8);
    const lines = result.code.split('\n');
    expect(lines).toHaveLength(source.split('\n').length + 1);
    expect(lines.at(-1)).toBe('//# sourceURL=snippet.js');
    expect(lines[1]).toBe('  while (x) {if(--__interleave_loop.n<0)__interleave_loop.c();y();}');
    expect(transform(result.code.replace(/\/\/#.*$/, '')).ok).toBe(true);
  });

  it('maps generated columns back to the original', () => {
    const result = ok('for (;;) { throw new Error("x"); }');
    const generatedColumn = result.code.indexOf('throw') + 1;
    expect(result.toOriginal(1, generatedColumn)).toEqual({ line: 1, column: 'for (;;) { '.length + 1 });
    expect(result.toOriginal(1, 1)).toEqual({ line: 1, column: 1 });
  });

  it('rewrites interleave/ imports to the import hook, on the same lines', () => {
    const source =
      "import { Mutex, WaitGroup as WG } from 'interleave/sync';\nimport * as csp from 'interleave/csp';\nimport def from 'interleave/pool';\nimport {\n  a\n} from 'interleave/gil';\nconst m = await import('interleave/sync');";
    const result = ok(source);
    const lines = result.code.split('\n');
    expect(lines[0]).toBe('const { Mutex, WaitGroup: WG } = await __interleave_import("sync");');
    expect(lines[1]).toBe('const csp = await __interleave_import("csp");');
    expect(lines[2]).toBe('const { default: def } = await __interleave_import("pool");');
    expect(lines[6]).toBe('const m = await __interleave_import("sync");');
    expect(result.imports).toEqual(['sync', 'csp', 'pool', 'gil']);
    expect(lines).toHaveLength(8);
  });

  it('names unknown library modules as an error at their place', () => {
    const result = transform("\nimport { x } from 'interleave/nope';", { libraries: ['sync'] });
    expect(result).toMatchObject({ ok: false, error: { line: 2, column: 1 } });
    if (!result.ok) expect(result.error.message).toContain('interleave/sync');
  });

  it('leaves other imports alone', () => {
    expect(ok("import x from 'https://example.com/x.js';").code).toContain(
      "import x from 'https://example.com/x.js';",
    );
  });

  it('script mode parses classic worker code (sloppy, no imports)', () => {
    expect(transform('var x = 1; with (o) {}', { sourceType: 'script' }).ok).toBe(true);
  });
});

describe('transform asFunction', () => {
  const evaluate = (source: string) => {
    const result = transform(source, { asFunction: true });
    if (!result.ok) throw new Error(result.error.message);
    return result.evaluate;
  };

  it('makes a strict async function of code a function body can hold, with lines and columns kept', () => {
    const result = transform("await null;\nthrow new Error('x');", { asFunction: true });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.evaluate).toBe('function');
    const lines = result.code.split('\n');
    expect(lines[0]).toBe("(async function () {'use strict';await null;");
    expect(lines[1]).toBe("throw new Error('x');");
    expect(lines.slice(2)).toEqual(['})', '//# sourceURL=snippet.js']);
    // `await` on line 1 is at column 34 of the generated code, column 1 of the reader's.
    expect(result.toOriginal(1, lines[0]!.indexOf('await') + 1)).toEqual({ line: 1, column: 1 });
    expect(result.toOriginal(2, 1)).toEqual({ line: 2, column: 1 });
    expect(evaluate("import { Mutex } from 'interleave/sync';\nnew Mutex();")).toBe('function');
  });

  it('keeps a module for what only a module has', () => {
    expect(evaluate('export const a = 1;')).toBe('module');
    expect(evaluate('export default 1;')).toBe('module');
    expect(evaluate("export * from 'https://example.com/x.js';")).toBe('module');
    expect(evaluate('console.log(import.meta.url);')).toBe('module');
    expect(evaluate("import x from 'https://example.com/x.js';")).toBe('module');
    expect(evaluate('console.log(typeof arguments);')).toBe('module');
    expect(evaluate('#!/usr/bin/env node\nconsole.log(1);')).toBe('module');
    const plain = transform('console.log(1);');
    expect(plain.ok && plain.evaluate).toBe('module');
    const script = transform('console.log(1);', { sourceType: 'script', asFunction: true });
    expect(script.ok && script.evaluate).toBe('script');
  });
});

describe('warmUpTransform', () => {
  it('transforms its sample snippet (a broken sample would warm only the error path)', () => {
    expect(warmUpTransform()).toBe(true);
  });
});

describe('loop guard', () => {
  it('throws RunawayLoopError once the budget is used in one go, and keeps throwing', () => {
    let now = 0;
    let trips = 0;
    const guard = createLoopGuard({
      budgetMs: 2000,
      mainThread: true,
      now: () => now,
      later: () => undefined,
      onTrip: () => trips++,
    });
    const step = () => {
      if (--guard.n < 0) guard.c();
    };
    for (let i = 0; i < 5000; i++) step();
    now = 2001;
    expect(() => {
      for (let i = 0; i < 5000; i++) step();
    }).toThrow(RunawayLoopError);
    expect(() => step()).toThrow(/the page was frozen meanwhile/);
    expect(trips).toBe(1);
  });

  it('forgets the start time in the next task, so short bursts never trip it', () => {
    let now = 0;
    const tasks: (() => void)[] = [];
    const guard = createLoopGuard({
      budgetMs: 100,
      mainThread: false,
      now: () => now,
      later: (fn) => tasks.push(fn),
      onTrip: () => undefined,
    });
    for (let task = 0; task < 10; task++) {
      for (let i = 0; i < 3000; i++) if (--guard.n < 0) guard.c();
      now += 50;
      tasks.splice(0).forEach((fn) => fn());
    }
    expect(guard.n).toBeGreaterThan(0);
  });

  it('report() sends the loop time so far at once, and the end of the task sends only the rest', () => {
    let now = 0;
    const tasks: (() => void)[] = [];
    const spans: [number, number][] = [];
    const guard = createLoopGuard({
      budgetMs: Infinity,
      mainThread: false,
      now: () => now,
      later: (fn) => tasks.push(fn),
      onTrip: () => undefined,
      onLoop: (start, end) => spans.push([start, end]),
    });
    const spin = (until: number) => {
      for (; now < until; now++) for (let i = 0; i < 1000; i++) if (--guard.n < 0) guard.c();
    };
    spin(10);
    guard.report(); // a message leaves the thread here
    expect(spans).toHaveLength(1);
    const [[start, end]] = spans as [[number, number]];
    expect(start).toBeLessThan(end);
    expect(end).toBe(9);
    guard.report(); // nothing new: nothing sent
    spin(20);
    tasks.splice(0).forEach((fn) => fn()); // the task ends
    expect(spans).toEqual([
      [start, 9],
      [9, 19],
    ]);
    guard.report(); // a later task without loops: nothing
    expect(spans).toHaveLength(2);
  });

  it('transformed code runs with the guard (Node)', async () => {
    const result = ok('let n = 0; while (true) { n++; }');
    let now = 0;
    const guard = createLoopGuard({
      budgetMs: 10,
      mainThread: false,
      now: () => (now += 0.01),
      later: () => undefined,
      onTrip: () => undefined,
    });
    const run = new Function('__interleave_loop', result.code.replace('//#', '//'));
    expect(() => run(guard)).toThrow(/ran for more than 10 ms without a break/);
  });
});
