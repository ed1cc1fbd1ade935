/**
 * Finds the programs an engine needs, and installs them where the suite may: as root on
 * Debian/Ubuntu with apt-get (saying so), as `npm test` does for Chromium (../chromium.ts).
 * Anywhere else it stops with the exact command to run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { NoBrowserError } from '../chromium.ts';

export interface Requirement<T> {
  /** What the tests need, for messages: "Firefox ESR". */
  readonly what: string;
  /** The programs found, or null. Never installs anything. */
  readonly find: () => T | null;
  /** Debian/Ubuntu packages that provide it. */
  readonly aptPackages: readonly string[];
  /** How to get it where apt-get is not the way (another OS). */
  readonly elsewhere: string;
}

const hasCommand = (name: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;

/** What to tell a person who lacks `requirement` on this machine. */
export function installAdviceFor(
  requirement: Requirement<unknown>,
  isRoot = process.getuid?.() === 0,
): string {
  const packages = requirement.aptPackages.join(' ');
  if (process.platform === 'linux' && hasCommand('apt-get'))
    return isRoot
      ? `Run: apt-get update && apt-get install -y ${packages}`
      : `Run: sudo apt-get update && sudo apt-get install -y ${packages}`;
  return requirement.elsewhere;
}

/** Returns what `requirement.find` finds, installing it with apt-get first when missing and allowed. */
export function ensureInstalled<T>(
  requirement: Requirement<T>,
  log: (line: string) => void = console.log,
): T {
  const found = requirement.find();
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  if (!(process.platform === 'linux' && isRoot && hasCommand('apt-get')))
    throw new NoBrowserError(
      `The cross-engine tests need ${requirement.what}, and it was not found.\n${installAdviceFor(requirement, isRoot)}`,
    );
  const packages = requirement.aptPackages.join(' ');
  log(`No ${requirement.what} found: installing Debian/Ubuntu packages "${packages}" with apt-get…`);
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', ...requirement.aptPackages], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch (error) {
    throw new NoBrowserError(
      `apt-get could not install ${packages} (${String(error)}).\n${installAdviceFor(requirement)}`,
    );
  }
  const installed = requirement.find();
  if (!installed)
    throw new NoBrowserError(
      `${packages} installed, but ${requirement.what} still cannot be found.\n${installAdviceFor(requirement)}`,
    );
  return installed;
}
