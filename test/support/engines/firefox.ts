/**
 * The engine layer's Firefox: Firefox ESR driven headless by puppeteer-core over WebDriver BiDi
 * (Playwright cannot drive a stock Firefox). One browser per test file, one browser context
 * (its own storage) per opened page. `$FIREFOX_PATH` overrides where Firefox is looked for.
 *
 * Page errors are puppeteer's `pageerror`s (Firefox's console errors, through BiDi), less the
 * unhandled rejections the page handled: Firefox writes every unhandled rejection to its console
 * even when an `unhandledrejection` listener cancelled the event (Firefox bug 1642147; MDN's
 * compatibility table says so), which Chromium does not. A preload script, which Firefox runs in
 * every document including the runner's about:blank iframes, notes the reasons of cancelled
 * rejection events in the top window; `errors()` leaves one matching report out for each.
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';
import { NoBrowserError } from '../chromium.ts';
import { scrollToMiddle, storageFor, type Engine, type EnginePage, type OpenOptions } from './engine.ts';
import { ensureInstalled, type Requirement } from './provision.ts';

const SYSTEM_PATHS = ['/usr/bin/firefox-esr', '/usr/bin/firefox'];

export const FIREFOX: Requirement<string> = {
  what: 'Firefox (ESR)',
  aptPackages: ['firefox-esr'],
  elsewhere: 'Install Firefox (https://www.mozilla.org/firefox/) and set FIREFOX_PATH to its binary.',
  find: () => {
    const fromEnv = process.env['FIREFOX_PATH'];
    if (fromEnv) {
      if (existsSync(fromEnv)) return fromEnv;
      throw new NoBrowserError(`FIREFOX_PATH is set to ${fromEnv}, but there is no file there.`);
    }
    return SYSTEM_PATHS.find((path) => existsSync(path)) ?? null;
  },
};

/** In every document: notes the reasons of unhandled rejections whose event was cancelled. */
function noteCancelledRejections(): void {
  const top = window.top as (Window & { __interleaveCancelled?: string[] }) | null;
  if (!top) return;
  addEventListener(
    'unhandledrejection',
    (event) => {
      // Read once every listener has run; the top window's timer, as an iframe may be removed.
      top.setTimeout(() => {
        if (event.defaultPrevented) (top.__interleaveCancelled ??= []).push(String(event.reason));
      }, 0);
    },
    true,
  );
}

/** `pageerror`s less one report for each cancelled rejection (see the header). */
function withoutCancelled(reports: readonly string[], cancelled: readonly string[]): string[] {
  const left = [...cancelled];
  return reports.filter((report) => {
    const index = left.findIndex((reason) => report === reason || report.endsWith(`: ${reason}`));
    if (index === -1) return true;
    left.splice(index, 1);
    return false;
  });
}

export async function launchFirefoxEngine(log?: (line: string) => void): Promise<Engine> {
  const executablePath = ensureInstalled(FIREFOX, log);
  const browser: Browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    defaultViewport: { width: 1280, height: 900 },
  });
  return {
    name: 'firefox',
    async open(url: string, options: OpenOptions = {}): Promise<EnginePage> {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      page.setDefaultTimeout(60_000);
      const reports: string[] = [];
      const cancelled: string[] = [];
      page.on('pageerror', (error) => reports.push(error instanceof Error ? error.message : String(error)));
      await page.evaluateOnNewDocument(noteCancelledRejections);
      /** Moves the current document's notes into `cancelled` (before it is navigated away). */
      const harvest = async () => {
        const notes = await page
          .evaluate(() => {
            const list =
              (window as Window & { __interleaveCancelled?: string[] }).__interleaveCancelled ?? [];
            return list.splice(0, list.length);
          })
          .catch(() => [] as string[]);
        cancelled.push(...notes);
      };
      const storage = storageFor(options);
      if (Object.keys(storage).length)
        // Preload scripts run in every document (frames, about:blank too): set the storage from the
        // site's top document only (elsewhere localStorage may throw a SecurityError).
        await page.evaluateOnNewDocument(
          (origin: string, entries: Record<string, string>) => {
            if (window !== window.top || location.origin !== origin) return;
            for (const [key, value] of Object.entries(entries)) localStorage.setItem(key, value);
          },
          new URL(url).origin,
          storage,
        );
      await page.goto(url, { waitUntil: 'load' });
      return {
        goto: async (next) => {
          await harvest();
          await page.goto(next, { waitUntil: 'load' });
        },
        evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
        waitFor: async (fn, arg, { timeoutMs, what, pollMs = 100 }) => {
          try {
            const handle = await page.waitForFunction(
              fn as (arg: unknown) => unknown,
              { timeout: timeoutMs, polling: pollMs },
              arg,
            );
            return (await handle.jsonValue()) as never;
          } catch (error) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: error });
          }
        },
        click: async (selector) => {
          await page.evaluate(scrollToMiddle, selector);
          await page.click(selector);
        },
        errors: async () => {
          await harvest();
          return withoutCancelled(reports, cancelled);
        },
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}
