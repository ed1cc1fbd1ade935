/** The engine layer's Chromium: the suite's playwright-core Chromium (see ../browser.ts). */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../browser.ts';
import { describePageError, storageFor, type Engine, type EnginePage, type OpenOptions } from './engine.ts';

export async function launchChromiumEngine(): Promise<Engine> {
  const browser: Browser = await launchChromium();
  return {
    name: 'chromium',
    async open(url: string, options: OpenOptions = {}): Promise<EnginePage> {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const storage = storageFor(options);
      if (Object.keys(storage).length)
        await context.addInitScript((entries) => {
          for (const [key, value] of Object.entries(entries)) localStorage.setItem(key, value);
        }, storage);
      const page: Page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(describePageError(error)));
      await page.goto(url, { waitUntil: 'load' });
      return {
        goto: async (next) => void (await page.goto(next, { waitUntil: 'load' })),
        evaluate: (fn, arg) => page.evaluate(fn as never, arg),
        waitFor: async (fn, arg, { timeoutMs, what, pollMs = 100 }) => {
          try {
            const handle = await page.waitForFunction(fn as never, arg, {
              timeout: timeoutMs,
              polling: pollMs,
            });
            return (await handle.jsonValue()) as never;
          } catch (error) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: error });
          }
        },
        click: (selector) => page.locator(selector).first().click(),
        errors: async () => [...errors],
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}
