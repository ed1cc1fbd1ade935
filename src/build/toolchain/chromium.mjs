// @ts-check
/**
 * Finding a Chromium on this machine, for the build (which draws the book's
 * Mermaid diagrams in it, src/build/diagrams/mermaid-svg.mjs) and the tests
 * (test/support/chromium.ts, which also installs one where it may). Order:
 * $CHROME_PATH, a system Chromium/Chrome, Playwright's own browser cache.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** Flags that work headless as root in a container with no network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export class NoBrowserError extends Error {
  /** @override */
  name = 'NoBrowserError';
}

/**
 * The path of a usable Chromium, or null. Never installs anything.
 * @param {NodeJS.ProcessEnv} [env]
 * @param {readonly string[]} [candidates]
 * @param {() => string} [playwrightCache]
 * @returns {string | null}
 */
export function findChromium(
  env = process.env,
  candidates = SYSTEM_PATHS,
  playwrightCache = () => chromium.executablePath(),
) {
  const fromEnv = env['CHROME_PATH'];
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new NoBrowserError(
      `CHROME_PATH is set to ${fromEnv}, but there is no file there.\n` +
        'Point CHROME_PATH at a Chromium or Chrome binary, or unset it to let the tests find one.',
    );
  }
  for (const candidate of candidates) if (existsSync(candidate)) return candidate;
  try {
    const cached = playwrightCache();
    if (cached && existsSync(cached)) return cached;
  } catch {
    // playwright-core throws when it has no browser for this platform
  }
  return null;
}

/**
 * What to tell a person who has no browser, on this platform.
 * @param {NodeJS.Platform} [platform]
 * @param {boolean} [isRoot]
 */
export function installAdvice(platform = process.platform, isRoot = process.getuid?.() === 0) {
  if (platform === 'linux' && hasCommand('apt-get')) {
    return isRoot
      ? 'Run: apt-get update && apt-get install -y chromium'
      : 'Run: sudo apt-get update && sudo apt-get install -y chromium';
  }
  return 'Run: npx playwright install chromium   (or set CHROME_PATH to an installed Chrome/Chromium)';
}

/** @param {string} name */
export function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}
