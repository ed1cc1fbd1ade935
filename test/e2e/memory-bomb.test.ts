/**
 * A worker snippet that allocates plain JavaScript objects without end. Chromium gives workers no
 * memory API and no per-worker heap limit, so the runner cannot always stop this in time: the
 * browser either ends the worker (the run is reported) or kills the page's renderer. Either way the
 * reader loses nothing: this test accepts only those two outcomes, and in the second one checks
 * that the reader's code is still there when the page is opened again.
 */
import { expect, it } from 'vitest';
import { exampleLocator, SELECT } from '../support/examples.ts';
import { servedSite } from './served-site.ts';

const BOMB = 'const keep = [];\nfor (;;) keep.push(new Array(1 << 20).fill(1.5));';

const site = servedSite();

it('is reported, or at worst crashes the tab without losing the reader’s code', async () => {
  const context = await site.browser.newContext();
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  await page.goto(`${site.server.url}playground/`);
  // The reader's edit, saved exactly as the island saves it (src/client/progress/saved.ts).
  await page.evaluate((code) => {
    localStorage.setItem(
      'interleave:edit:/playground/#playground',
      JSON.stringify({ code, hash: '', realm: 'worker', savedAt: Date.now() }),
    );
  }, BOMB);
  await page.reload();
  const example = exampleLocator(page, 'playground');
  await expect.poll(() => example.locator('.cm-content').textContent()).toBe(BOMB.replace(/\n/g, ''));
  await example.locator(SELECT.realmInput('worker')).check();

  const crashed = new Promise<'crashed'>((resolve) => page.once('crash', () => resolve('crashed')));
  const ended = example
    .elementHandle()
    .then((handle) =>
      page.waitForFunction(
        (el) =>
          (el as HTMLElement).dataset['state'] !== 'running' && (el as HTMLElement).dataset['runs'] === '1',
        handle,
        { timeout: 30_000 },
      ),
    )
    .then(() => 'ended' as const);
  await example.locator(SELECT.action('run')).click();
  const outcome = await Promise.race([crashed, ended]);

  if (outcome === 'ended') {
    const state = await example.getAttribute('data-state');
    expect(['failed', 'timed-out', 'stopped']).toContain(state);
    expect(await example.locator(SELECT.status).textContent()).toMatch(/memory|Timed out|Stopped/i);
  } else {
    const again = await context.newPage();
    await again.goto(`${site.server.url}playground/`);
    await expect
      .poll(() => exampleLocator(again, 'playground').locator('.cm-content').textContent())
      .toBe(BOMB.replace(/\n/g, ''));
  }
  await context.close();
}, 90_000);
