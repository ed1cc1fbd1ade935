/**
 * Finds a Chromium for the browser and end-to-end tests, and provisions one
 * where there is none. Order: $CHROME_PATH, a system Chromium/Chrome,
 * Playwright's own browser cache. With none: as root on Debian/Ubuntu it runs
 * apt-get (and says so); elsewhere it runs Playwright's install command; if
 * that is impossible it stops with the exact command to run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
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
  override name = 'NoBrowserError';
}

/** The path of a usable Chromium, or null. Never installs anything. */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  candidates: readonly string[] = SYSTEM_PATHS,
  playwrightCache: () => string = () => chromium.executablePath(),
): string | null {
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

/** What to tell a person who has no browser, on this platform. */
export function installAdvice(platform = process.platform, isRoot = process.getuid?.() === 0): string {
  if (platform === 'linux' && hasCommand('apt-get')) {
    return isRoot
      ? 'Run: apt-get update && apt-get install -y chromium'
      : 'Run: sudo apt-get update && sudo apt-get install -y chromium';
  }
  return 'Run: npx playwright install chromium   (or set CHROME_PATH to an installed Chrome/Chromium)';
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Returns a Chromium path, installing one when missing and allowed.
 * `log` receives a sentence for every step it takes on the machine.
 */
export function ensureChromium(log: (line: string) => void = console.log): string {
  const found = findChromium();
  if (found) return found;

  const isRoot = process.getuid?.() === 0;
  if (process.platform === 'linux' && isRoot && hasCommand('apt-get')) {
    log('No Chromium found: installing Debian/Ubuntu package "chromium" with apt-get (about 30 s)…');
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
      execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } catch (error) {
      throw new NoBrowserError(`apt-get could not install chromium (${String(error)}).\n${installAdvice()}`);
    }
  } else if (process.platform !== 'linux' || !hasCommand('apt-get')) {
    log('No Chromium found: installing Playwright\'s Chromium with "npx playwright install chromium"…');
    const result = spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit' });
    if (result.status !== 0)
      throw new NoBrowserError(`Playwright could not install Chromium.\n${installAdvice()}`);
  } else {
    throw new NoBrowserError(
      `The tests need Chromium and none was found.\n${installAdvice(process.platform, isRoot)}`,
    );
  }

  const installed = findChromium();
  if (!installed) throw new NoBrowserError(`Chromium was installed but cannot be found.\n${installAdvice()}`);
  log(`Using Chromium at ${installed}`);
  return installed;
}
