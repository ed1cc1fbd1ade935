/**
 * Finds a Chromium for the browser and end-to-end tests, and provisions one
 * where there is none. Finding is src/build/toolchain/chromium.mjs (the build uses it
 * too): $CHROME_PATH, a system Chromium/Chrome, Playwright's own browser
 * cache. With none: as root on Debian/Ubuntu it runs
 * apt-get (and says so); elsewhere it runs Playwright's install command; if
 * that is impossible it stops with the exact command to run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  CHROMIUM_ARGS,
  NoBrowserError,
  findChromium,
  hasCommand,
  installAdvice,
} from '../../src/build/toolchain/chromium.mjs';

export { CHROMIUM_ARGS, NoBrowserError, findChromium, installAdvice };

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
