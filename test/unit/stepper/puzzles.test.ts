/**
 * The stepper is exact: for each ordering puzzle, the output it records (engine262, our virtual
 * event loop) equals the output of the same code run by Node (V8 follows the spec), so the
 * expected order is never typed by hand. Puzzles avoid what legitimately differs between Node
 * and a browser (unhandled-rejection reports, process.nextTick, the timer clamp).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordSnippet } from '../../../src/stepper/step-run.ts';

const PUZZLES: Record<string, string> = {
  'async1/async2 (the classic)': `
async function async1() { console.log('async1 start'); await async2(); console.log('async1 end'); }
async function async2() { console.log('async2'); }
console.log('script start');
setTimeout(() => console.log('setTimeout'), 0);
async1();
new Promise((resolve) => { console.log('promise1'); resolve(); }).then(() => console.log('promise2'));
console.log('script end');`,

  'nested microtasks': `
queueMicrotask(() => {
  console.log('A');
  queueMicrotask(() => { console.log('A.1'); queueMicrotask(() => console.log('A.1.1')); });
  Promise.resolve().then(() => console.log('A.2'));
});
Promise.resolve().then(() => console.log('B')).then(() => console.log('B.then'));
setTimeout(() => { console.log('T'); queueMicrotask(() => console.log('T.micro')); }, 0);
setTimeout(() => console.log('T2'), 0);
console.log('sync');`,

  'an async function that returns a promise (two extra ticks)': `
async function returnsPromise() { return Promise.resolve('inner'); }
async function returnsValue() { return 'plain'; }
returnsPromise().then((v) => console.log('returnsPromise', v));
returnsValue().then((v) => console.log('returnsValue', v));
Promise.resolve().then(() => console.log('tick 1')).then(() => console.log('tick 2')).then(() => console.log('tick 3')).then(() => console.log('tick 4'));`,

  'awaiting a thenable': `
const thenable = { then(resolve) { console.log('then called'); resolve('from thenable'); } };
(async () => { console.log('before await'); console.log(await thenable); })();
Promise.resolve().then(() => console.log('p1')).then(() => console.log('p2')).then(() => console.log('p3'));
console.log('sync end');`,

  'Promise.resolve(p) returns p; new Promise(r => r(p)) does not': `
const p = Promise.resolve('p');
console.log('same object:', Promise.resolve(p) === p);
new Promise((resolve) => resolve(p)).then(() => console.log('wrapped (two extra ticks)'));
Promise.resolve(p).then(() => console.log('Promise.resolve(p)'));
p.then(() => console.log('p directly')).then(() => console.log('p + 1')).then(() => console.log('p + 2'));`,

  'await in a loop vs Promise.all': `
const sleep = (ms, label) => new Promise((resolve) => setTimeout(() => { console.log('done', label); resolve(label); }, ms));
async function inTurn() {
  for (const [ms, label] of [[30, 'a'], [10, 'b']]) { console.log('start', label); await sleep(ms, label); }
  console.log('in turn: b started only after a was done');
}
async function together() {
  const got = await Promise.all([sleep(30, 'c'), sleep(10, 'd')]);
  console.log('together, in the order asked:', got.join(','));
}
await inTurn();
await together();`,

  'race, any, allSettled': `
const after = (ms, value, fail = false) => new Promise((resolve, reject) => setTimeout(() => (fail ? reject(new Error(value)) : resolve(value)), ms));
Promise.race([after(20, 'slow'), after(5, 'fast')]).then((v) => console.log('race:', v));
Promise.any([after(5, 'no', true), after(15, 'yes')]).then((v) => console.log('any:', v));
Promise.allSettled([after(10, 'ok'), after(12, 'bad', true)]).then((results) =>
  console.log('allSettled:', results.map((r) => r.status + ':' + (r.value ?? r.reason.message)).join(' ')));
Promise.any([after(1, 'x', true)]).catch((e) => console.log('any rejects with', e.constructor.name, e.errors.length));`,

  'timers with equal delays run in the order they were set': `
for (const label of ['first', 'second', 'third']) setTimeout(() => console.log(label), 10);
setTimeout(() => console.log('zero'), 0);
setTimeout(() => console.log('five'), 5);
const id = setTimeout(() => console.log('cancelled'), 1);
clearTimeout(id);
let n = 0;
const every = setInterval(() => { console.log('tick', ++n); if (n === 3) clearInterval(every); }, 25);`,

  'errors through try / await / finally': `
async function fails() { await null; throw new Error('boom'); }
async function main() {
  try {
    console.log('try');
    await fails();
    console.log('not reached');
  } catch (error) {
    console.log('caught', error.message);
    return 'from catch';
  } finally {
    console.log('finally');
    await null;
    console.log('finally after await');
  }
}
main().then((v) => console.log('main resolved:', v));
Promise.reject(new Error('handled')).catch((e) => console.log('catch:', e.message)).finally(() => console.log('finally()'));
console.log('sync');`,

  'generators and async generators': `
function* count() { yield 1; yield 2; return 3; }
const g = count();
console.log(g.next().value, g.next().value, g.next().value, g.next().done);
async function* ticks() { yield 'a'; await null; yield 'b'; }
(async () => { for await (const t of ticks()) console.log('tick', t); })();
Promise.resolve().then(() => console.log('p1')).then(() => console.log('p2')).then(() => console.log('p3'));`,

  'top-level await and microtasks around it': `
console.log('start');
Promise.resolve().then(() => console.log('micro before await'));
await null;
console.log('after await 1');
setTimeout(() => console.log('timer'), 0);
await new Promise((resolve) => setTimeout(resolve, 0));
console.log('after timer await');`,
};

/** Runs the code in Node as a module and returns what it printed. */
function runInNode(code: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'stepper-puzzle-'));
  const file = join(dir, 'puzzle.mjs');
  writeFileSync(file, code);
  const out = execFileSync(process.execPath, [file], { encoding: 'utf8', timeout: 10_000 });
  return out.split('\n').filter((line, i, all) => i < all.length - 1 || line !== '');
}

describe('the stepper orders every puzzle as the language does', () => {
  for (const [name, code] of Object.entries(PUZZLES)) {
    it(name, () => {
      const result = recordSnippet(code);
      if (!result.ok) throw new Error(result.message);
      expect(result.recording.output).toEqual(runInNode(code));
      expect(result.recording.stoppedEarly).toBeUndefined();
    });
  }
});
