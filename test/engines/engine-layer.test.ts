/**
 * The engine layer (test/support/engines/) does what the cross-engine tests rely on, in the
 * project's engine: opens pages with their storage set (and nothing an earlier page left),
 * evaluates, waits, clicks like a user, and reports the page errors a reader's browser would
 * show — and only those.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchEngine, type Engine } from '../support/engines/index.ts';
import { serveStatic, type StaticServer } from '../support/static-server.ts';
import { KNOWN_FAILURES } from './known-failures.ts';
import { ENGINE_GROUPS } from './suite.ts';

const page = (script: string) => ({
  status: 200,
  type: 'text/html; charset=utf-8',
  body: `<!doctype html><html><head><title>engine check</title></head><body><main><button id="b">Go</button><p id="out"></p></main><script>${script}</script></body></html>`,
});

let server: StaticServer;
beforeAll(async () => {
  server = await serveStatic('/nonexistent', {
    headers: false,
    overrides: {
      '/click.html': page(
        `document.getElementById('b').addEventListener('click', () => { document.getElementById('out').textContent = 'clicked ' + localStorage.getItem('k'); setTimeout(() => { throw new Error('thrown after click'); }, 100); });`,
      ),
      '/rejections.html': page(
        // Unhandled but cancelled, in an iframe (as a main-thread run's): the page handled it.
        `const frame = document.createElement('iframe'); document.body.append(frame);
         frame.contentWindow.addEventListener('unhandledrejection', (event) => event.preventDefault());
         frame.contentWindow.eval("Promise.reject(new Error('handled by the page'))");
         // Unhandled and not cancelled: a page error everywhere.
         setTimeout(() => Promise.reject(new Error('nobody handled this')), 1000);
         setTimeout(() => (document.getElementById('out').textContent = 'done'), 1500);`,
      ),
      '/fresh.html': page(`document.getElementById('out').textContent = 'ready';`),
      '/sw.js': { status: 200, type: 'text/javascript', body: "addEventListener('fetch', () => {});" },
    },
  });
});
afterAll(async () => {
  await server?.close();
});

const name = inject('engine');

describe(name, () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await launchEngine(name, (line) => console.log(`[${name}] ${line}`));
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('opens a page with its storage, clicks, waits, evaluates, and reports a thrown error', async () => {
    const tab = await engine.open(`${server.origin}/click.html`, { localStorage: { k: 'v' }, theme: 'dark' });
    try {
      expect(await tab.evaluate(() => localStorage.getItem('starlight-theme'))).toBe('dark');
      await tab.click('#b');
      const text = await tab.waitFor(() => document.getElementById('out')?.textContent, undefined, {
        timeoutMs: 10_000,
        what: 'the click',
      });
      expect(text).toBe('clicked v');
      await tab.waitFor(() => new Promise((resolve) => setTimeout(() => resolve(true), 200)), undefined, {
        timeoutMs: 10_000,
        what: 'the error to be thrown',
      });
      expect(await tab.errors()).toEqual(['Error: thrown after click']);
      await expect(
        tab.waitFor(() => false, undefined, { timeoutMs: 300, what: 'something that never happens' }),
      ).rejects.toThrow(/waiting for something that never happens/);
    } finally {
      await tab.close();
    }
  });

  it('reports an unhandled rejection, but not one the page cancelled', async () => {
    const tab = await engine.open(`${server.origin}/rejections.html`);
    try {
      await tab.waitFor(() => document.getElementById('out')?.textContent === 'done', undefined, {
        timeoutMs: 10_000,
        what: 'the page script',
      });
      await tab.waitFor(() => new Promise((resolve) => setTimeout(() => resolve(true), 200)), undefined, {
        timeoutMs: 10_000,
        what: 'a moment',
      });
      expect(await tab.errors()).toEqual(['Error: nobody handled this']);
    } finally {
      await tab.close();
    }
  });

  it('opens each page with nothing an earlier page of the origin left: storage, service workers, caches, cookies', async () => {
    const leave = await engine.open(`${server.origin}/fresh.html`);
    try {
      await leave.evaluate(async () => {
        localStorage.setItem('left', 'behind');
        sessionStorage.setItem('left', 'behind');
        document.cookie = 'left=behind; path=/';
        await (await caches.open('left')).put('/left', new Response('behind'));
        await navigator.serviceWorker.register('/sw.js');
        await navigator.serviceWorker.ready;
      });
    } finally {
      await leave.close();
    }
    const tab = await engine.open(`${server.origin}/fresh.html`, { localStorage: { asked: 'yes' } });
    try {
      expect(
        await tab.evaluate(async () => ({
          local: { ...localStorage },
          session: sessionStorage.length,
          cookie: document.cookie,
          caches: await caches.keys(),
          workers: (await navigator.serviceWorker.getRegistrations()).length,
        })),
      ).toEqual({ local: { asked: 'yes' }, session: 0, cookie: '', caches: [], workers: 0 });
    } finally {
      await tab.close();
    }
  });
});

/** Kills this process's descendants whose command is `command` (the test's own browser only). */
function killDescendants(command: string): number {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,comm='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((row) => row.trim().split(/\s+/))
    .map(([pid, ppid, comm]) => ({ pid: Number(pid), ppid: Number(ppid), comm }));
  const ours = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const row of rows)
      if (ours.has(row.ppid) && !ours.has(row.pid)) {
        ours.add(row.pid);
        grew = true;
      }
  }
  const victims = rows.filter((row) => ours.has(row.pid) && row.comm === command);
  for (const { pid } of victims) process.kill(pid, 'SIGKILL');
  return victims.length;
}

// One MiniBrowser serves every page of a file (test/support/engines/webkit.ts): if it dies, the
// next page gets a new one, and the case that opened it says why in its output.
if (name === 'webkit')
  it('starts a new WebKit session when the browser died, and says so', async () => {
    const said: string[] = [];
    const webkit = await launchEngine('webkit', (line) => said.push(line));
    try {
      await (await webkit.open(`${server.origin}/fresh.html`)).close();
      expect(killDescendants('MiniBrowser')).toBe(1);
      const tab = await webkit.open(`${server.origin}/fresh.html`);
      expect(await tab.evaluate(() => document.getElementById('out')?.textContent)).toBe('ready');
      expect(said.filter((line) => line.includes('session'))).toEqual([
        expect.stringMatching(/^the WebKit session died \(.+\); starting a new one$/),
      ]);
    } finally {
      await webkit.close();
    }
  });

it('every known failure is of a group the suite has', () => {
  const groups: readonly string[] = ENGINE_GROUPS;
  expect(Object.keys(KNOWN_FAILURES[name]).filter((key) => !groups.includes(key.split(' > ')[0]!))).toEqual(
    [],
  );
});
