/** What each step shows, the limits, and the refusals of step mode (the engine side, in Node). */
import { describe, expect, it } from 'vitest';
import { formatArgs } from '../../../src/snippet/format.ts';
import { recordSnippet } from '../../../src/stepper/step-run.ts';
import { KEPT_STEPS, type Recording } from '../../../src/stepper/types.ts';
import { findUnsupported } from '../../../src/stepper/unsupported.ts';

function recording(code: string): Recording {
  const result = recordSnippet(code);
  if (!result.ok) throw new Error(result.message);
  return result.recording;
}

describe('each step', () => {
  const code = [
    'async function async1() {',
    "  console.log('async1 start');",
    '  await null;',
    "  console.log('async1 end');",
    '}',
    'async1();',
    "Promise.resolve().then(() => console.log('then'));",
    "queueMicrotask(() => console.log('micro'));",
    "setTimeout(() => console.log('timer'), 5);",
  ].join('\n');
  const { steps, output } = recording(code);

  it('describes each queued job by what it will do', () => {
    const queued = steps.find((step) => step.microtasks.length === 3 && step.tasks.length === 1);
    expect(queued?.microtasks.map((job) => job.text)).toEqual([
      'resume `async1` after the `await` on line 3',
      '`then` callback from line 7',
      '`queueMicrotask` callback from line 8',
    ]);
    expect(queued?.tasks).toEqual([
      { id: 1, text: '`setTimeout` callback from line 9', dueMs: expect.any(Number) },
    ]);
  });

  it('marks a resumed async function on the call stack', () => {
    const resumed = steps.find((step) => step.kind === 'resume');
    expect(resumed?.stack).toEqual([{ name: '`async1`', resumed: true }]);
    expect(resumed?.narration).toBe('`async1` resumes after its `await`.');
  });

  it('narrates the await, with its source range', () => {
    const suspend = steps.find((step) => step.kind === 'await');
    expect(suspend?.narration).toMatch(/^`await` suspends `async1`; its continuation is queued/);
    expect(code.slice(suspend!.range!.from, suspend!.range!.to)).toBe('await null');
  });

  it('keeps the output so far, and moves to a new turn for the timer task', () => {
    expect(output).toEqual(['async1 start', 'async1 end', 'then', 'micro', 'timer']);
    const last = steps.at(-1)!;
    expect(last.kind).toBe('end');
    expect(last.outputLength).toBe(5);
    const task = steps.find((step) => step.kind === 'task');
    expect(task?.turn).toBe(1);
    expect(task?.nowMs).toBeGreaterThanOrEqual(5);
    expect(steps.filter((step) => step.turn === 0).at(-1)?.outputLength).toBe(4);
  });
});

// Reaching a limit means running the engine to it: 2-5 s on this machine, more when it is loaded.
// The timeout only guards against a hang; it is not a speed test.
describe('limits', { timeout: 60_000 }, () => {
  it('stops an endless loop at the step limit and keeps the last steps', () => {
    const { steps, droppedSteps, stoppedEarly } = recording('let n = 0;\nwhile (true) { n++; }');
    expect(stoppedEarly).toMatch(/steps/);
    expect(steps.length).toBeLessThanOrEqual(KEPT_STEPS * 1.5);
    expect(droppedSteps).toBeGreaterThan(0);
    expect(steps.at(-1)?.narration).toMatch(/^Recording stopped/);
  });

  it('stops a loop that makes no steps at the evaluation limit', () => {
    expect(recording('while (true) {}').stoppedEarly).toMatch(/evaluations/);
  });

  it('reads the virtual clock in Date.now() and new Date(), as in performance.now()', () => {
    const { output } = recording(
      [
        'const start = Date.now();',
        'const started = new Date();',
        'while (Date.now() - start < 20) {} // a busy-wait ends on the virtual clock',
        'setTimeout(() => {',
        '  console.log(Date.now() - start >= 1000, new Date() - started >= 1000);',
        '  console.log(Math.abs(Date.now() - start - (performance.now() - 0)) < 25);',
        '}, 1000);',
      ].join('\n'),
    );
    expect(output).toEqual(['true true', 'true']);
  });

  it('prints values as Run does (the same formatter)', () => {
    const values =
      "[1, 'x', [2, [3]]], { a: 1, b: { c: 'd' } }, new Map([[1, 2]]), new Set(['s']), null, undefined, 10n, () => 1";
    const expected = formatArgs(new Function(`return [${values}]`)() as unknown[]);
    expect(recording(`console.log(${values});`).output).toEqual([expected]);
    expect(recording("console.log('%s is %d', 'n', 5);").output).toEqual(['n is 5']);
  });

  it("prints an error under its class's name, as Run does", () => {
    expect(recording("console.log(new TypeError('x'), [new RangeError('y')]);").output).toEqual([
      'TypeError: x [ [RangeError: y] ]',
    ]);
  });

  it('reports an uncaught error as its first output line', () => {
    expect(recording("console.log('a');\nthrow new TypeError('boom');").output).toEqual([
      'a',
      'Uncaught TypeError: boom',
    ]);
  });
});

describe('what step mode does not have', () => {
  it.each([
    ["document.body.append('x');", '`document` (the DOM) on line 1'],
    ["const r = await fetch('/x');", '`fetch` (the network) on line 1'],
    ["new Worker('w.js');", '`Worker` (Web Workers) on line 1'],
    ['const sab = new SharedArrayBuffer(8);', '`SharedArrayBuffer` (shared memory) on line 1'],
    ["import { Mutex } from 'interleave/sync';", "`import 'interleave/sync'` (modules) on line 1"],
    ["console.log(globalThis.document ? 'main' : 'worker');", '`globalThis.document` (the DOM) on line 1'],
  ])('names the first missing thing: %s', (code, named) => {
    const message = findUnsupported(code);
    expect(message).toContain(named);
    expect(message).toContain('use Run instead');
    expect(recordSnippet(code)).toEqual({ ok: false, message });
  });

  it('names the first of several, by line', () => {
    expect(findUnsupported("console.log(1);\nfetch('/a');\ndocument.title = 'x';")).toContain(
      '`fetch` (the network) on line 2',
    );
  });

  it('accepts plain code, property names and local names that look like globals', () => {
    expect(
      findUnsupported('const document = { title: 1 };\nconsole.log(document.title, { fetch: 1 }.fetch);'),
    ).toBeUndefined();
  });
});

describe('a promise settling is a step of its own', () => {
  /** The settle steps' narrations, in order. */
  /** The narrations of a run's settle steps (of `code`, or of a recording already made). */
  const settled = (run: string | Recording) =>
    (typeof run === 'string' ? recording(run) : run).steps
      .filter((step) => step.kind === 'settle')
      .map((step) => step.narration);

  it('settles a `new Promise` inside its constructor, before the next statement', () => {
    const code = ['const p = new Promise((resolve) => resolve(1));', "console.log('next');"].join('\n');
    const { steps } = recording(code);
    const settle = steps.findIndex((step) => step.kind === 'settle');
    const next = steps.findIndex((step) => step.kind === 'statement' && step.range?.line === 2);
    expect(steps[settle]?.narration).toBe('The promise made by `new Promise` on line 1 is fulfilled with 1.');
    expect(settle).toBeGreaterThan(-1);
    expect(settle).toBeLessThan(next);
    // The executor is running: it called `resolve`.
    expect(steps[settle]?.stack.map((frame) => frame.name)).toEqual([
      'the module',
      'the anonymous function on line 1',
    ]);
  });

  it("names an async function's promise, settled when the function finishes", () => {
    const code = ['async function work() {', '  return 2;', '}', 'work().then((v) => console.log(v));'].join(
      '\n',
    );
    const { steps } = recording(code);
    const settle = steps.findIndex((step) => step.kind === 'settle');
    expect(steps[settle]?.narration).toBe("`work()`'s promise (called on line 4) is fulfilled with 2.");
    expect(steps[settle - 1]?.kind).toBe('return');
  });

  it('gives the line of the call only when code of the snippet made it', () => {
    const code = ['async function work() {', '  return 2;', '}', 'setTimeout(work, 0);', 'work();'].join(
      '\n',
    );
    expect(settled(code)).toEqual([
      "`work()`'s promise (called on line 5) is fulfilled with 2.",
      // Called by the timer's task: the last line that ran says nothing about it.
      "`work()`'s promise is fulfilled with 2.",
    ]);
  });

  it('comes before the jobs it queues', () => {
    const code = [
      'let resolve;',
      'const p = new Promise((r) => { resolve = r; });',
      "p.then(() => console.log('a'));",
      "p.then(() => console.log('b'));",
      "resolve('x');",
    ].join('\n');
    const { steps } = recording(code);
    const settle = steps.findIndex((step) => step.kind === 'settle');
    expect(steps[settle]?.narration).toBe(
      "The promise made by `new Promise` on line 2 is fulfilled with 'x'; the 2 jobs waiting on it join the microtask queue.",
    );
    expect(steps.slice(settle + 1, settle + 3).map((step) => [step.kind, step.narration])).toEqual([
      ['queue', 'A job joins the microtask queue: `then` callback from line 3.'],
      ['queue', 'A job joins the microtask queue: `then` callback from line 4.'],
    ]);
    expect(steps[settle]?.microtasks).toEqual([]);
  });

  it('follows a `.then` chain link by link', () => {
    expect(settled('Promise.resolve(1).then((v) => v + 1).then((v) => console.log(v));')).toEqual([
      'The promise made by `Promise.resolve` on line 1 is fulfilled with 1.',
      'The promise from `.then` on line 1 is fulfilled with 2; the job waiting on it joins the microtask queue.',
      'The promise from `.then` on line 1 is fulfilled with undefined.',
    ]);
  });

  it('says when a rejection is handled and when nothing handles it yet', () => {
    expect(settled("Promise.reject(new Error('boom')).catch((e) => console.log(e.message));")).toEqual([
      // `.catch` is attached after the rejection, in the same line.
      'The promise made by `Promise.reject` on line 1 is rejected with Error: boom; nothing handles it yet.',
      'The promise from `.catch` on line 1 is fulfilled with undefined.',
    ]);
    const unhandled = recording("async function fail() {\n  throw new Error('boom');\n}\nfail();");
    expect(settled(unhandled)).toEqual([
      "`fail()`'s promise (called on line 4) is rejected with Error: boom; nothing handles it yet.",
    ]);
    expect(unhandled.output).toEqual(['Uncaught (in promise) Error: boom']);
  });

  it("shows Promise.all's own promise, not the promises it makes for itself", () => {
    expect(settled('Promise.all([1, Promise.resolve(2)]).then((values) => console.log(values));')).toEqual([
      'The promise made by `Promise.resolve` on line 1 is fulfilled with 2.',
      'The promise made by `Promise.all` on line 1 is fulfilled with [ 1, 2 ]; the job waiting on it joins the microtask queue.',
      'The promise from `.then` on line 1 is fulfilled with undefined.',
    ]);
  });

  it('settles the promise `await` makes for a thenable when the thenable calls back', () => {
    const code = [
      "const thenable = { then(resolve) { resolve('t'); } };",
      '(async () => {',
      '  console.log(await thenable);',
      '})();',
    ].join('\n');
    const { steps } = recording(code);
    const settles = steps.filter((step) => step.kind === 'settle');
    expect(settles.map((step) => step.narration)).toEqual([
      "The promise `await` made on line 3 is fulfilled with 't'; the job waiting on it joins the microtask queue.",
      'The promise of the async function on line 2 is fulfilled with undefined.',
    ]);
    // The thenable's `then` runs in a job of its own, and calls `resolve`.
    expect(settles[0]?.stack.map((frame) => frame.name)).toEqual(['`then`']);
  });
});
