/**
 * The runner where the engine lacks something the book can do without, simulated in Chromium:
 * each case is what another engine (WebKit, mostly) really does. A run must still start and end,
 * and say what is missing; it must never hang because its set-up failed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MainThreadExecutor, WorkerExecutor, outputText, type Executor } from '../../../src/runner/index.ts';

const created: Executor[] = [];
const executor = (realm: 'main' | 'worker'): Executor => {
  const made = realm === 'main' ? new MainThreadExecutor() : new WorkerExecutor({ warm: false });
  created.push(made);
  return made;
};

const page = globalThis as { SharedArrayBuffer?: unknown; Worker?: unknown };
const realSharedArrayBuffer = page.SharedArrayBuffer;
const realWorker = page.Worker;
afterEach(() => {
  page.SharedArrayBuffer = realSharedArrayBuffer;
  page.Worker = realWorker;
  created.splice(0).forEach((e) => e.dispose());
});

describe.each(['main', 'worker'] as const)('%s realm', (realm) => {
  it('runs, and starts workers, on an isolated page whose engine has no SharedArrayBuffer', async () => {
    // WebKitGTK without JSC_useSharedArrayBuffer: crossOriginIsolated is true, the global is missing.
    expect(crossOriginIsolated).toBe(true);
    delete page.SharedArrayBuffer;
    const result = await executor(realm).run(
      `console.log('hello');
       const worker = spawn(() => { onmessage = (e) => postMessage(e.data + 1); });
       worker.postMessage(41);
       console.log('reply', await new Promise((resolve) => (worker.onmessage = (e) => resolve(e.data))));
       worker.terminate();`,
      { timeoutMs: 20_000 },
    ).done;
    expect(result.status).toBe('done');
    expect(outputText(result.events)).toBe('hello\nreply 42');
  });
});

describe('a worker whose script cannot be loaded or run', () => {
  // WebKit fires a plain Event, without a message, at a module worker whose script failed to
  // load or to evaluate. The snippet's own errors never get there: the worker's realm reports
  // and cancels them. So an error event at a snippet worker means the worker itself is gone.
  const failingWorker = () => {
    const RealWorker = realWorker as typeof Worker;
    const FailingWorker = function Worker(_url: string | URL, options?: WorkerOptions) {
      return new RealWorker(new URL('/no-such-runner-worker.js', location.href), options);
    };
    FailingWorker.prototype = RealWorker.prototype;
    page.Worker = FailingWorker;
  };

  it('is reported as crashed, so the run does not wait for it', async () => {
    failingWorker();
    const run = executor('main').run("spawn(() => {}); console.log('started');", { timeoutMs: 5_000 });
    const result = await run.done;
    expect(result.status).toBe('done');
    expect(outputText(result.events)).toMatch(
      /^started\nworker 1 stopped unexpectedly: the browser could not load or start its script$/,
    );
    expect(result.events).toContainEqual(
      expect.objectContaining({ kind: 'worker-stopped', reason: 'crashed' }),
    );
  });

  it('rejects a pool map with a message that says so', async () => {
    failingWorker();
    const run = executor('main').run(
      `import { createPool } from 'interleave/pool';
       const pool = createPool({ size: 1 });
       await pool.map((n) => n, [1]).catch((error) => console.log(error.message));
       pool.terminate();`,
      { timeoutMs: 5_000 },
    );
    const result = await run.done;
    expect(result.status).toBe('done');
    expect(outputText(result.events)).toContain(
      'pool: worker 1 stopped unexpectedly: the browser could not load or start its script',
    );
  });
});

describe('a run whose set-up fails ends at once, saying why', () => {
  it('worker realm: the browser refuses to start the run’s worker', async () => {
    page.Worker = function Worker() {
      throw new DOMException('Workers are blocked here', 'SecurityError');
    };
    const result = await executor('worker').run("console.log('never')").done;
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/could not be set up.*SecurityError: Workers are blocked here/);
  });
});
