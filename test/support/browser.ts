/** One headless Chromium for end-to-end tests, driven by playwright-core. */
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from './chromium.ts';

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath)
    throw new Error('No Chromium: run the tests with `npm test`, which finds or installs one.');
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}
