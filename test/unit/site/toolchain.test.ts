/** What a contributor sees when the machine lacks the right Node or a browser. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isSupportedNode } from '../../../src/build/toolchain/node-version.mjs';
import { NoBrowserError, findChromium, installAdvice } from '../../support/chromium.ts';

const noCache = () => {
  throw new Error('no browser in the Playwright cache');
};

describe('finding Chromium', () => {
  it('prefers CHROME_PATH', () => {
    expect(findChromium({ CHROME_PATH: process.execPath }, [], noCache)).toBe(process.execPath);
  });

  it('names a CHROME_PATH that points nowhere, and says what to do', () => {
    expect(() => findChromium({ CHROME_PATH: '/no/such/chrome' }, [], noCache)).toThrow(NoBrowserError);
    expect(() => findChromium({ CHROME_PATH: '/no/such/chrome' }, [], noCache)).toThrow(
      /CHROME_PATH is set to \/no\/such\/chrome[\s\S]*unset it/,
    );
  });

  it('falls back to system paths, then to Playwright’s cache, then to nothing', () => {
    expect(findChromium({}, ['/no/such', process.execPath], noCache)).toBe(process.execPath);
    expect(findChromium({}, ['/no/such'], () => process.execPath)).toBe(process.execPath);
    expect(findChromium({}, ['/no/such'], noCache)).toBeNull();
  });

  it('tells someone without a browser exactly what to run', () => {
    expect(installAdvice('darwin', false)).toMatch(/npx playwright install chromium/);
    if (existsSync('/usr/bin/apt-get')) {
      expect(installAdvice('linux', true)).toBe('Run: apt-get update && apt-get install -y chromium');
      expect(installAdvice('linux', false)).toMatch(/^Run: sudo apt-get/);
    }
  });
});

// Only a machine that also has an older Node can show this for real (this kind of
// machine ships Node 20 at /usr/bin/node); elsewhere the test is reported as skipped.
const systemNode = '/usr/bin/node';
const oldNode =
  existsSync(systemNode) &&
  !isSupportedNode(
    spawnSync(systemNode, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim(),
  );

describe.runIf(oldNode)('npm test on a too-old Node', () => {
  it('stops with a message saying how to get a supported Node', () => {
    const result = spawnSync(systemNode, ['test/run.mjs'], {
      encoding: 'utf8',
      cwd: new URL('../../..', import.meta.url),
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Interleave needs Node\.js >= 22\.12\.0, but this is Node 20/);
    expect(result.stderr).toMatch(/npm ci/);
  });
});
