/**
 * The runner in a real browser (Chromium, cross-origin isolated). No wall-clock thresholds: where
 * time matters (loop guard, timeout) the test only checks what happened, not how fast.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  MainThreadExecutor,
  WorkerExecutor,
  outputText,
  type Executor,
  type RunOptions,
  type RunEvent,
} from '../../../src/runner/index.ts';
import { tracer } from '../../../src/concurrency/trace.ts';

const executors: Record<'main' | 'worker', Executor> = {
  main: new MainThreadExecutor(),
  worker: new WorkerExecutor(),
};
afterAll(() => Object.values(executors).forEach((e) => e.dispose()));

const run = (realm: 'main' | 'worker', code: string, options?: RunOptions) =>
  executors[realm].run(code, options).done;
const logs = (events: readonly RunEvent[]) => events.flatMap((e) => (e.kind === 'log' ? [e.text] : []));
const errors = (events: readonly RunEvent[]) => events.flatMap((e) => (e.kind === 'error' ? [e] : []));

/** After a failure, the next run in the same executor must work. */
async function nextRunWorks(realm: 'main' | 'worker') {
  const result = await run(realm, "console.log('still works')");
  expect(result.status).toBe('done');
  expect(logs(result.events)).toEqual(['still works']);
}

/** Runs code as a plain <script type=module> in a fresh iframe and collects console.log lines. */
function plainModule(code: string, lastLine: string): Promise<string[]> {
  return new Promise((resolve) => {
    const iframe = document.createElement('iframe');
    document.body.append(iframe);
    const win = iframe.contentWindow as Window & typeof globalThis;
    const lines: string[] = [];
    win.console.log = (...args: unknown[]) => {
      lines.push(args.join(' '));
      if (args.join(' ') === lastLine) {
        iframe.remove();
        resolve(lines);
      }
    };
    const script = win.document.createElement('script');
    script.type = 'module';
    script.textContent = code;
    win.document.body.append(script);
  });
}

const orderSnippet = `
console.log('sync 1');
setTimeout(() => console.log('timeout 0'), 0);
setTimeout(() => { console.log('timeout 1'); Promise.resolve().then(() => console.log('micro in timeout')); }, 1);
queueMicrotask(() => console.log('microtask'));
Promise.resolve().then(() => console.log('then 1')).then(() => console.log('then 2'));
(async () => { console.log('async body'); await null; console.log('after await'); })();
console.log('sync 2');
await new Promise((r) => setTimeout(r, 5));
console.log('after top-level await');
setTimeout(() => console.log('end'), 20);
`;

describe.each(['main', 'worker'] as const)('%s realm', (realm) => {
  it('orders sync code, microtasks and timers exactly as a plain module script does', async () => {
    const expected = await plainModule(orderSnippet, 'end');
    const result = await run(realm, orderSnippet);
    expect(result.status).toBe('done');
    expect(logs(result.events)).toEqual(expected);
    expect(expected[0]).toBe('sync 1');
  });

  it('gives top-level code a module’s scope, `this` and strictness, with or without what only a module has', async () => {
    const scope = `
console.log(typeof this, (() => typeof this)());
var v = 1; let l = 2; function f() {}
console.log('v' in globalThis, 'l' in globalThis, 'f' in globalThis);
try { undeclared = 1; console.log('sloppy'); } catch (error) { console.log(error.name); }
await null;
console.log('end');`;
    // As a function body (the fast path), and as a real module (exports, import.meta, arguments).
    for (const code of [scope, `${scope}\nexport const x = typeof import.meta.url + typeof arguments;`]) {
      const expected = await plainModule(code, 'end');
      const result = await run(realm, code);
      expect(result.status).toBe('done');
      expect(logs(result.events)).toEqual(expected);
    }
    expect(await plainModule(scope, 'end')).toEqual([
      'undefined undefined',
      'false false false',
      'ReferenceError',
      'end',
    ]);
  });

  it('reports a thrown error with line and column in the reader’s code', async () => {
    const result = await run(
      realm,
      "const a = 1;\nfor (let i = 0; i < 2; i++) { if (i) { throw new RangeError('boom'); } }",
    );
    const [error] = errors(result.events);
    expect(error).toMatchObject({
      source: 'uncaught',
      name: 'RangeError',
      message: 'boom',
      line: 2,
      column: 46,
    });
    expect(error?.text.split('\n')[0]).toBe('Uncaught RangeError: boom');
    expect(error?.stack).toContain('snippet.js:2:46');
  });

  it('reports a syntax error with its place, and runs nothing', async () => {
    const result = await run(realm, "console.log('no');\nlet x = ;");
    expect(result.status).toBe('failed');
    expect(logs(result.events)).toEqual([]);
    expect(errors(result.events)[0]).toMatchObject({ source: 'syntax', line: 2, column: 9 });
    await nextRunWorks(realm);
  });

  it('reports an error thrown later, in a timer, with its place', async () => {
    const result = await run(realm, 'setTimeout(() => {\n  null.x;\n}, 0);');
    expect(errors(result.events)[0]).toMatchObject({
      source: 'uncaught',
      name: 'TypeError',
      line: 2,
      column: 8,
    });
  });

  it('reports an unhandled rejection', async () => {
    const result = await run(realm, "async function f() { throw new Error('later'); }\nf();");
    expect(errors(result.events)[0]).toMatchObject({
      source: 'unhandled-rejection',
      message: 'later',
      line: 1,
    });
    expect(errors(result.events)[0]?.text).toMatch(/^Uncaught \(in promise\) Error: later/);
  });

  it('caps a flood of 100,000 lines: first and last lines kept, the rest counted', async () => {
    const result = await run(realm, 'for (let i = 0; i < 100000; i++) console.log(i);', {
      cap: { head: 1000, tail: 200 },
    });
    expect(result.status).toBe('done');
    const lines = logs(result.events);
    expect(lines).toHaveLength(1200);
    expect(lines[0]).toBe('0');
    expect(lines[999]).toBe('999');
    expect(lines[1000]).toBe('99800');
    expect(lines.at(-1)).toBe('99999');
    expect(result.droppedLines).toBe(98_800);
    expect(outputText(result.events)).toContain('… 98,800 lines left out …');
    await nextRunWorks(realm);
  });

  it('keeps HTML-looking output as plain text', async () => {
    const result = await run(realm, "console.log('<img src=x onerror=\"alert(1)\">', { html: '<b>' })");
    expect(logs(result.events)).toEqual(['<img src=x onerror="alert(1)"> { html: \'<b>\' }']);
  });

  it('labels the first worker a snippet starts `worker N` and captures its output', async () => {
    const result = await run(
      realm,
      "const w = spawn(() => { console.log('hello from the worker'); postMessage('hi'); });\nw.onmessage = (e) => { console.log('got', e.data); w.terminate(); };",
    );
    expect(result.status).toBe('done');
    const line = result.events.find((e) => e.kind === 'log' && e.text === 'hello from the worker');
    expect(line?.thread.label).toBe(realm === 'main' ? 'worker 1' : 'worker 2');
    expect(logs(result.events)).toContain('got hi');
    expect(result.events.some((e) => e.kind === 'worker-stopped' && e.reason === 'terminated')).toBe(true);
    expect(
      result.events.filter((e) => e.kind === 'message').map((e) => e.kind === 'message' && e.summary),
    ).toEqual(["'hi'"]);
  });

  it('captures new Worker(blob URL) workers, classic and module', async () => {
    const result = await run(
      realm,
      `const classic = new Worker(URL.createObjectURL(new Blob(["console.log('classic', typeof this); onmessage = (e) => postMessage(e.data + 1);"])));
const module = new Worker(URL.createObjectURL(new Blob(["console.log('module', typeof this); close();"])), { type: 'module' });
classic.postMessage(41);
classic.onmessage = (e) => { console.log('answer', e.data); classic.terminate(); };`,
    );
    expect(result.status).toBe('done');
    expect(logs(result.events).sort()).toEqual(['answer 42', 'classic object', 'module undefined']);
    expect(result.events.some((e) => e.kind === 'worker-stopped' && e.reason === 'closed')).toBe(true);
  });

  it('starts many workers, and ends when all are done', async () => {
    const result = await run(
      realm,
      `const done = [];
for (let i = 0; i < 8; i++) {
  const w = spawn(\`postMessage(\${i} * \${i})\`);
  done.push(new Promise((resolve) => (w.onmessage = (e) => { resolve(e.data); w.terminate(); })));
}
console.log((await Promise.all(done)).join(','));`,
    );
    expect(result.status).toBe('done');
    expect(logs(result.events)).toEqual(['0,1,4,9,16,25,36,49']);
    expect(result.events.filter((e) => e.kind === 'worker-started' && e.via === 'spawn')).toHaveLength(8);
  });

  it('explains postMessage of something that cannot be cloned', async () => {
    const result = await run(
      realm,
      'const w = spawn(() => {});\ntry { w.postMessage({ f() {} }); } finally { w.terminate(); }',
    );
    const [error] = errors(result.events);
    expect(error).toMatchObject({ name: 'DataCloneError', line: 2 });
    expect(error?.message).toMatch(/could not be cloned/);
    await nextRunWorks(realm);
  });

  it('a worker calling close() mid-output still has its output reported', async () => {
    const result = await run(
      realm,
      "spawn(() => { console.log('before close'); close(); console.log('after close, same task'); });",
    );
    expect(result.status).toBe('done');
    expect(logs(result.events)).toContain('before close');
    expect(result.events.some((e) => e.kind === 'worker-stopped' && e.reason === 'closed')).toBe(true);
  });

  it('a snippet replacing console does not hide errors from the runner', async () => {
    const result = await run(
      realm,
      "globalThis.console = { log() {} };\nconsole.log('swallowed');\nthrow new Error('still reported');",
    );
    expect(errors(result.events)[0]).toMatchObject({ message: 'still reported', line: 3 });
    await nextRunWorks(realm);
  });

  it('shares memory between snippet workers with SharedArrayBuffer and Atomics', async () => {
    const result = await run(
      realm,
      `const cells = new Int32Array(new SharedArrayBuffer(8));
const add = () => { onmessage = (e) => { const c = new Int32Array(e.data); for (let i = 0; i < 10000; i++) Atomics.add(c, 0, 1); postMessage('added'); }; };
const waiter = spawn(() => { onmessage = (e) => { const c = new Int32Array(e.data); Atomics.wait(c, 1, 0); postMessage('woken: ' + Atomics.load(c, 1)); }; });
const a = spawn(add), b = spawn(add);
const reply = (w) => new Promise((r) => (w.onmessage = (e) => { w.terminate(); r(e.data); }));
const woken = reply(waiter);
waiter.postMessage(cells.buffer);
a.postMessage(cells.buffer); b.postMessage(cells.buffer);
await Promise.all([reply(a), reply(b)]);
console.log('sum', Atomics.load(cells, 0));
Atomics.store(cells, 1, 7); Atomics.notify(cells, 1);
console.log(await woken);`,
    );
    expect(logs(result.events)).toEqual(['sum 20000', 'woken: 7']);
  });

  it("imports the book's libraries with `interleave/…`", async () => {
    const result = await run(
      realm,
      "import { Mutex } from 'interleave/sync';\nconst csp = await import('interleave/csp');\nimport * as pool from 'interleave/pool';\nimport * as gil from 'interleave/gil';\nconsole.log(typeof Mutex, typeof csp, typeof pool, typeof gil);",
    );
    expect(errors(result.events)).toEqual([]);
    expect(logs(result.events)).toEqual(['function object object object']);
  });

  it('transfers a buffer to a snippet worker, and prints a detached buffer', async () => {
    const result = await run(
      realm,
      `const w = spawn(() => { onmessage = (e) => { console.log('got', e.data.byteLength); postMessage(0); }; });
const buffer = new ArrayBuffer(8);
w.postMessage(buffer, [buffer]);
console.log(buffer);
w.onmessage = () => w.terminate();`,
    );
    expect(errors(result.events)).toEqual([]);
    expect([...logs(result.events)].sort()).toEqual(['ArrayBuffer { (detached), byteLength: 0 }', 'got 8']);
    const sent = result.events.find((e) => e.kind === 'message');
    expect(sent).toMatchObject({ bytes: 8 });
  });

  it('runs pool tasks with loops, captures their console, and stops their workers with the run', async () => {
    const result = await run(
      realm,
      `import { createPool } from 'interleave/pool';
const pool = createPool({ size: 2 });
const squares = await pool.map((n) => { let s = 0; for (let i = 0; i < n; i++) s += n; console.log('task', n); return s; }, [1, 2, 3], { chunkSize: 1 });
console.log(squares.join(' '));
pool.terminate();`,
    );
    expect(errors(result.events)).toEqual([]);
    expect(result.status).toBe('done');
    const lines = logs(result.events);
    // Lines from different threads arrive in no guaranteed order: a worker's console line can
    // land after the result it posted.
    expect(lines.filter((line) => !line.startsWith('task'))).toEqual(['1 4 9']);
    expect(lines.filter((line) => line.startsWith('task')).sort()).toEqual(['task 1', 'task 2', 'task 3']);
    const taskThreads = result.events.flatMap((e) =>
      e.kind === 'log' && e.text.startsWith('task') ? [e.thread.label] : [],
    );
    expect(taskThreads.every((label) => label.startsWith('worker'))).toBe(true);
  });

  it('timestamps every event on one clock, from 0 up', async () => {
    const result = await run(
      realm,
      "const w = spawn(() => { console.log('w'); postMessage(0); }); w.onmessage = () => { console.log('m'); w.terminate(); };",
    );
    for (const event of result.events) {
      expect(event.t).toBeGreaterThanOrEqual(0);
      expect(event.t).toBeLessThanOrEqual(result.durationMs);
    }
    const w = result.events.find((e) => e.kind === 'log' && e.text === 'w');
    const m = result.events.find((e) => e.kind === 'log' && e.text === 'm');
    expect(w!.t).toBeLessThanOrEqual(m!.t);
  });

  it('stamps a traced run’s timers, tasks and channel events on the same clock, from 0 up', async () => {
    const code = `
      import { chan, go } from 'interleave/csp';
      const c = chan();
      go(async () => { await c.send(1); });
      go(async () => { console.log('got', (await c.recv()).value); });
      setTimeout(() => console.log('timer'), 1);`;
    // Twice: the first run's realm is made for it, the second's ahead of it (a spare).
    for (const attempt of [1, 2]) {
      const result = await run(realm, code, { trace: true });
      expect(logs(result.events), `run ${attempt}`).toEqual(['got 1', 'timer']);
      const kinds = new Set(result.events.map((e) => e.kind));
      expect([...kinds], `run ${attempt}`).toEqual(expect.arrayContaining(['timer', 'task', 'channel']));
      for (const event of result.events) {
        expect(event.t, `run ${attempt}: ${event.kind}`).toBeGreaterThanOrEqual(0);
        expect(event.t, `run ${attempt}: ${event.kind}`).toBeLessThanOrEqual(result.durationMs);
      }
    }
  });

  it('keeps cause before effect across threads: what a thread printed before it sent a message comes before what the receiver printed on receipt', async () => {
    // A token passed along main → first → second (first's own worker) → first → main → third →
    // main, each thread printing before it sends. Every line is caused by the one before it, so
    // the output has exactly one right order, whatever the engine does with ports.
    const code = `
      const relay = (name) => \`onmessage = (event) => {
        console.log('${'${name}'} got', event.data);
        postMessage(event.data + 1);
      };\`;
      const first = spawn(\`
        const second = spawn(\${JSON.stringify(relay('second'))}, { name: 'second' });
        second.onmessage = (event) => {
          console.log('first got', event.data, 'back');
          second.terminate();
          postMessage(event.data + 1);
        };
        onmessage = (event) => {
          console.log('first got', event.data);
          second.postMessage(event.data + 1);
        };\`, { name: 'first' });
      const third = spawn(relay('third'), { name: 'third' });
      first.onmessage = (event) => {
        console.log('main got', event.data, 'from first');
        third.postMessage(event.data + 1);
      };
      third.onmessage = (event) => {
        console.log('main got', event.data, 'from third');
        first.terminate();
        third.terminate();
      };
      console.log('main sends 1');
      first.postMessage(1);`;
    const expected = [
      'main sends 1',
      'first got 1',
      'second got 2',
      'first got 3 back',
      'main got 4 from first',
      'third got 5',
      'main got 6 from third',
    ];
    for (let attempt = 1; attempt <= 5; attempt++) {
      const result = await run(realm, code);
      expect(result.status, `run ${attempt}`).toBe('done');
      expect(outputText(result.events).split('\n'), `run ${attempt}`).toEqual(expected);
    }
  });

  it('stop() ends the run and every worker it started', async () => {
    const handle = executors[realm].run(
      "spawn(() => setInterval(() => console.log('tick'), 5));\nsetInterval(() => {}, 1000);",
    );
    await new Promise((r) => setTimeout(r, 100));
    handle.stop();
    const result = await handle.done;
    expect(result.status).toBe('stopped');
    await nextRunWorks(realm);
  });

  it('times out a run that never ends, saying why', async () => {
    const result = await run(realm, 'setInterval(() => {}, 50);', { timeoutMs: 300 });
    expect(result.status).toBe('timed-out');
    expect(result.reason).toMatch(/Timed out after 300 ms/);
    await nextRunWorks(realm);
  });
});

describe('runaway code', () => {
  it('main thread: an endless loop is stopped by the loop guard, and the page runs timers afterwards', async () => {
    const result = await run('main', 'let n = 0;\nwhile (true) { n++; }');
    expect(result.status).toBe('stopped');
    expect(result.reason).toMatch(
      /^Stopped: this loop ran for more than 2 s without a break; the page was frozen meanwhile/,
    );
    expect(result.events.some((e) => e.kind === 'limit' && e.what === 'loop')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10)); // the page's own timers run again
    await nextRunWorks('main');
  });

  it('main thread: a loop inside try/catch cannot swallow the guard', async () => {
    const result = await run('main', 'for (;;) { try { for (;;) {} } catch {} }', { loopBudgetMs: 200 });
    expect(result.status).toBe('stopped');
    await nextRunWorks('main');
  });

  it('main thread: an endless chain of awaits in a loop is stopped too', async () => {
    const result = await run('main', 'while (true) await null;', { loopBudgetMs: 200 });
    expect(result.status).toBe('stopped');
    await nextRunWorks('main');
  });

  it('worker: an endless loop is ended by the timeout, which terminates the worker', async () => {
    const result = await run('worker', 'spawn(() => { for (;;) {} });\nfor (;;) {}', { timeoutMs: 500 });
    expect(result.status).toBe('timed-out');
    await nextRunWorks('worker');
  });

  // Plain-array allocation bombs can crash Chromium's whole renderer (the page with it), which
  // would take every later browser test down: that case runs in its own page, in
  // test/e2e/memory-bomb.test.ts.
  it.each([['typed arrays', 'const keep = [];\nfor (;;) keep.push(new Float64Array(1 << 24));']])(
    'worker: a snippet that allocates without end (%s) is stopped and reported',
    async (_kind, code) => {
      const result = await run('worker', code, { timeoutMs: 8000 });
      console.info(
        `allocation bomb (${_kind}) ended as ${result.status}: ${result.reason ?? ''} ${errors(result.events)
          .map((e) => e.message)
          .join('; ')}`,
      );
      expect(result.status).not.toBe('running');
      const memory = result.events.find((e) => e.kind === 'limit' && e.what === 'memory');
      if (result.status !== 'timed-out')
        expect(memory ?? errors(result.events).find((e) => e.name === 'OutOfMemory')).toBeDefined();
      await nextRunWorks('worker');
    },
  );
});

describe('main-thread spares', () => {
  const idle = () => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 1000 }));
  const frames = (container: HTMLElement) => container.querySelectorAll('iframe').length;

  it('keeps a ready realm for plain runs and for the latest other kind of run, and each run gets the realm it asked for', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    const executor = new MainThreadExecutor(container);
    try {
      await idle();
      expect(frames(container)).toBe(1); // the plain spare
      const lock =
        "import { Mutex } from 'interleave/sync';\nconst m = new Mutex();\nawait m.lockAsync(); m.unlock();";
      const traced = await executor.run(lock, { trace: true }).done;
      expect(traced.events.filter((e) => e.kind === 'lock').map((e) => e.op)).toEqual(['acquire', 'release']);
      await idle();
      await idle();
      expect(frames(container)).toBe(2); // plain + traced
      // A waiting traced realm does not trace the page's libraries (which main-thread runs share).
      expect(tracer).toBe(null);
      // The traced spare traces; the plain one does not.
      const again = await executor.run(lock, { trace: true }).done;
      expect(again.events.some((e) => e.kind === 'lock')).toBe(true);
      const plain = await executor.run(lock).done;
      expect(plain.events.some((e) => e.kind === 'lock')).toBe(false);
      // A run of a third kind replaces the traced spare: never more than two wait.
      await executor.run('let i = 0; while (i < 10) i++;', { loopBudgetMs: 500 }).done;
      await idle();
      await idle();
      expect(frames(container)).toBe(2);
    } finally {
      executor.dispose();
      container.remove();
    }
    expect(frames(container)).toBe(0);
  });
});
