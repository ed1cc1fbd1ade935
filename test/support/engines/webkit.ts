/**
 * The engine layer's WebKit: WebKitGTK's MiniBrowser (Safari's engine) driven through
 * WebKitWebDriver, in plain W3C WebDriver over HTTP with Node's `fetch`.
 *
 * State: `launchWebKitEngine` starts a private X server (Xvfb, on a display it picks itself).
 * The first `open` starts one WebKitWebDriver on a free port and one session on it (one
 * MiniBrowser, one window), which every later `open` of this engine reuses: starting them cost
 * seconds per page, with a cold cache each time. So one page is open at a time (opening another
 * closes the last), and `open` first gives the page's origin a fresh start — storage, service
 * workers, Cache Storage and cookies cleared — as a new browser would have (the HTTP cache is
 * kept, as a reader's is). If the session died since the last page, `open` says so in the
 * current case's output and starts a new one. `close` ends the session and stops Xvfb (every
 * process is also killed if the test process exits first). The driver needs
 * `JSC_useSharedArrayBuffer=true`, without which SharedArrayBuffer is undefined even on a
 * cross-origin isolated page.
 *
 * Page errors: WebDriver classic has no event for them, so `error` and `unhandledrejection`
 * listeners are installed on the page's window right after each navigation and read back by
 * `errors()`. That misses what happens before the listeners are in (errors while the page loads
 * and runs its first scripts) and in documents the page navigated away from between two calls
 * (a reload, say), and it sees only the top window's own events, as `pageerror` does elsewhere.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from '../free-port.ts';
import {
  scrollToMiddle,
  storageFor,
  pollInPage,
  type Engine,
  type EnginePage,
  type OpenOptions,
} from './engine.ts';
import { ensureInstalled, type Requirement } from './provision.ts';

interface WebKitPrograms {
  readonly driver: string;
  readonly miniBrowser: string;
  readonly xvfb: string;
}

const MINIBROWSER_PATHS = ['x86_64-linux-gnu', 'aarch64-linux-gnu'].flatMap((triplet) =>
  ['webkit2gtk-4.1', 'webkit2gtk-4.0', 'webkitgtk-6.0'].map(
    (dir) => `/usr/lib/${triplet}/${dir}/MiniBrowser`,
  ),
);

export const WEBKIT: Requirement<WebKitPrograms> = {
  what: "WebKit (WebKitGTK's MiniBrowser, WebKitWebDriver and Xvfb)",
  aptPackages: ['webkit2gtk-driver', 'xvfb'],
  elsewhere:
    'The WebKit tests need WebKitGTK (Linux): on Debian/Ubuntu install webkit2gtk-driver and xvfb; ' +
    'set WEBKIT_MINIBROWSER to a MiniBrowser binary if it lives elsewhere.',
  find: () => {
    const miniBrowser =
      process.env['WEBKIT_MINIBROWSER'] ?? MINIBROWSER_PATHS.find((path) => existsSync(path));
    const driver = ['/usr/bin/WebKitWebDriver'].find((path) => existsSync(path));
    const xvfb = ['/usr/bin/Xvfb'].find((path) => existsSync(path));
    return miniBrowser && existsSync(miniBrowser) && driver && xvfb ? { driver, miniBrowser, xvfb } : null;
  },
};

/** Collects the page's errors on `window.__interleaveErrors` (see the header for what it misses). */
const INSTALL_ERROR_LISTENERS = `
if (!window.__interleaveErrors) {
  const errors = (window.__interleaveErrors = []);
  const describe = (e) => (e instanceof Error ? e.name + ': ' + e.message : String(e));
  addEventListener('error', (event) => errors.push(describe(event.error ?? event.message)));
  addEventListener('unhandledrejection', (event) => errors.push(describe(event.reason)));
  // What the last click hit, for a test's message when a click seems to have done nothing.
  addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    window.__interleaveLastClick = (target ? target.outerHTML.slice(0, 120) : String(event.target)) +
      ' at ' + event.clientX + ',' + event.clientY;
  }, true);
}`;

const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

/** Starts Xvfb on a display it chooses (-displayfd), and returns the display number. */
async function startXvfb(xvfb: string): Promise<{ process: ChildProcess; display: string }> {
  const child = spawn(xvfb, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      out += String(chunk);
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) =>
      reject(new Error(`Xvfb exited (code ${code}) before it was ready: ${stderr}`)),
    );
    child.once('error', reject);
  });
  return { process: child, display: `:${display}` };
}

class WebDriverError extends Error {
  override name = 'WebDriverError';
}

/** What the driver and the browser last printed, for an error message (a session that died says why). */
function lastWords(driver: Driver): string[] {
  const said = driver.said();
  return said.length
    ? ['WebKitWebDriver and MiniBrowser last printed:', ...said.map((line) => `  ${line}`)]
    : [];
}

export async function launchWebKitEngine(log?: (line: string) => void): Promise<Engine> {
  const programs = ensureInstalled(WEBKIT, log);
  const children = new Set<ChildProcess>();
  const killAll = () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killAll);
  try {
    const xvfb = await startXvfb(programs.xvfb);
    children.add(xvfb.process);
    /** Starts a driver for one session; returns its endpoint and how to stop it. */
    const startDriver = async () => {
      const port = await freePort();
      const driver = spawn(programs.driver, [`--port=${port}`, '--host=127.0.0.1'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          DISPLAY: xvfb.display,
          JSC_useSharedArrayBuffer: 'true',
          // No accelerated compositing: under Xvfb it composites with Mesa's software OpenGL, which
          // once segfaulted in WebKit's ThreadedCompositor thread (swrast_dri.so, seen in dmesg) and
          // took the page down mid-run. The pages are tested, not WebKit's GPU path.
          WEBKIT_DISABLE_COMPOSITING_MODE: '1',
        },
      });
      children.add(driver);
      // The driver's and the browser's last words, for the message when a session dies.
      const said: string[] = [];
      const keep = (chunk: Buffer) => {
        said.push(
          ...chunk
            .toString()
            .split('\n')
            .filter((line) => line.trim()),
        );
        said.splice(0, Math.max(0, said.length - 20));
      };
      driver.stdout.on('data', keep);
      driver.stderr.on('data', keep);
      const endpoint = `http://127.0.0.1:${port}`;
      const stopDriver = async () => {
        await stop(driver);
        children.delete(driver);
      };
      try {
        await pollUntilReady(`${endpoint}/status`, driver);
      } catch (error) {
        await stopDriver();
        throw error;
      }
      return { endpoint, stop: stopDriver, said: () => [...said] };
    };
    return webKitEngine(
      startDriver,
      programs.miniBrowser,
      async () => {
        await stop(xvfb.process);
        children.delete(xvfb.process);
        process.removeListener('exit', killAll);
      },
      (line) => (log ?? console.log)(line),
    );
  } catch (error) {
    killAll();
    process.removeListener('exit', killAll);
    throw error;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function pollUntilReady(url: string, driver: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited with code ${driver.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('WebKitWebDriver did not answer within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Driver {
  readonly endpoint: string;
  stop(): Promise<void>;
  /** The last lines WebKitWebDriver and the browser printed. */
  said(): string[];
}

function webKitEngine(
  startDriver: () => Promise<Driver>,
  miniBrowser: string,
  stopXvfb: () => Promise<void>,
  log: (line: string) => void,
): Engine {
  /** The one driver and browser session, started by the first `open`. */
  let current: { driver: Driver; id: string } | undefined;
  /** The page `open` returned last: opening another closes it (one window). */
  let shown: { close(): Promise<void> } | undefined;

  async function command<T>(
    driver: Driver,
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const response = await fetch(driver.endpoint + path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const data = (await response.json()) as { value: T & { error?: string; message?: string } };
    if (!response.ok)
      throw new WebDriverError(
        [`${method} ${path}: ${data.value?.error}: ${data.value?.message}`, ...lastWords(driver)].join('\n'),
      );
    return data.value;
  }

  async function startSession(): Promise<{ driver: Driver; id: string }> {
    const driver = await startDriver();
    try {
      const { sessionId } = await command<{ sessionId: string }>(driver, 'POST', '/session', {
        capabilities: {
          alwaysMatch: { 'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation'] } },
        },
      });
      const path = `/session/${sessionId}`;
      // Shorter than a case's own timeout, so that a page that stops answering fails the command with
      // the driver's last words rather than the case with a bare timeout.
      await command(driver, 'POST', `${path}/timeouts`, { script: 45_000, pageLoad: 45_000 });
      await command(driver, 'POST', `${path}/window/rect`, { width: 1280, height: 900 }).catch(
        () => undefined,
      );
      return { driver, id: sessionId };
    } catch (error) {
      await driver.stop();
      throw error;
    }
  }

  async function endSession(): Promise<void> {
    const ending = current;
    current = undefined;
    if (!ending) return;
    await command(ending.driver, 'DELETE', `/session/${ending.id}`).catch(() => undefined);
    await ending.driver.stop();
  }

  /**
   * The live session: started on first use; if the browser or the driver died since the last
   * page, said in the current case's output and started again, once.
   */
  async function liveSession(): Promise<{ driver: Driver; id: string }> {
    if (current) {
      const alive = await command(current.driver, 'GET', `/session/${current.id}/url`).then(
        () => '',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      if (!alive) return current;
      log(`the WebKit session died (${alive.split('\n').join(' | ')}); starting a new one`);
      await endSession();
    }
    current = await startSession();
    return current;
  }

  return {
    name: 'webkit',
    async open(url: string, options: OpenOptions = {}): Promise<EnginePage> {
      await shown?.close();
      const { driver, id } = await liveSession();
      const session = (path: string) => `/session/${id}${path}`;
      const send = <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) =>
        command<T>(driver, method, path, body);
      const collected: string[] = [];
      let closed = false;
      const usable = () => {
        if (closed) throw new Error('this WebKit page was closed, or replaced by a later open()');
      };

      const evaluate = async <R, A>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R> => {
        usable();
        const script = `${INSTALL_ERROR_LISTENERS}
const done = arguments[arguments.length - 1];
const arg = arguments[0];
Promise.resolve()
  .then(() => (${fn.toString()})(arg))
  .then((value) => done({ value: value === undefined ? null : value }),
        (error) => done({ error: error instanceof Error ? error.name + ': ' + error.message : String(error) }));`;
        const result = await send<{ value?: R; error?: string }>('POST', session('/execute/async'), {
          script,
          args: [arg === undefined ? null : arg],
        });
        if (result.error !== undefined) throw new Error(`in the page: ${result.error}`);
        return result.value as R;
      };
      /** Moves the current document's errors into `collected` (before it is navigated away). */
      const harvest = async () => {
        const errors = await evaluate(() => {
          const list = (window as unknown as { __interleaveErrors: string[] }).__interleaveErrors;
          return list.splice(0, list.length);
        }).catch(() => [] as string[]);
        collected.push(...errors);
      };
      const goto = async (next: string) => {
        await harvest();
        await send('POST', session('/url'), { url: next });
        await evaluate(() => true); // installs the error listeners
      };

      const page: EnginePage = {
        goto,
        evaluate,
        waitFor: (fn, arg, options) => pollInPage(evaluate, fn, arg, options),
        async click(selector) {
          await evaluate(scrollToMiddle, selector);
          const element = await send<Record<string, string>>('POST', session('/element'), {
            using: 'css selector',
            value: selector,
          });
          await send('POST', session(`/element/${element[ELEMENT_KEY]}/click`), {});
        },
        async errors() {
          await harvest();
          return [...collected];
        },
        async close() {
          if (closed) return;
          closed = true;
          if (shown === page) shown = undefined;
          // Leaves the page, so that its workers and timers stop before the next one opens.
          await send('POST', session('/url'), { url: 'about:blank' }).catch(() => undefined);
        },
      };
      shown = page;
      try {
        // A fresh start on the page's origin, as a new browser would have: WebDriver classic cannot
        // run a script before a page's own, so on a small file of the site first clear what an
        // earlier page left (storage, service workers, Cache Storage, cookies), set the storage
        // asked for, then load the page.
        await send('POST', session('/url'), { url: new URL('/robots.txt', url).href });
        await send('DELETE', session('/cookie'));
        await evaluate(resetOrigin, storageFor(options));
        await goto(url);
      } catch (error) {
        await page.close();
        throw error;
      }
      return page;
    },
    async close() {
      await shown?.close();
      await endSession();
      await stopXvfb();
    },
  };
}

/** In the page: forgets what earlier pages of the origin left behind, then sets `entries`. */
async function resetOrigin(entries: Record<string, string>): Promise<void> {
  localStorage.clear();
  sessionStorage.clear();
  const registrations = (await navigator.serviceWorker?.getRegistrations()) ?? [];
  await Promise.all(registrations.map((registration) => registration.unregister()));
  if (typeof caches !== 'undefined')
    await Promise.all((await caches.keys()).map((key) => caches.delete(key)));
  for (const { name } of (await indexedDB.databases?.()) ?? []) if (name) indexedDB.deleteDatabase(name);
  for (const [key, value] of Object.entries(entries)) localStorage.setItem(key, value);
}
