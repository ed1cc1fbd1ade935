/**
 * The <interleave-example> island on the built site, end to end in Chromium: what loads when,
 * keyboard use without a trap, saved edits, a changed original, share links into the
 * playground, Stop, runaway code, HTML-looking output, and the main-thread health meter.
 *
 * Arbitrary snippets run through the real UI by opening the playground with a share link
 * (encoded here exactly as share.ts does), which never runs anything until Run is pressed.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { BuildName } from '../support/site.ts';
import { servedSite } from './served-site.ts';
import { exampleLocator, runAndWait, SELECT, shareFragment } from '../support/examples.ts';

const REFERENCE = 'reference/runnable-examples/';

describe.each(['root', 'subPath'] as BuildName[])('runnable examples, build "%s"', (name) => {
  const site = servedSite(name);

  async function open(path: string): Promise<Page & { errors: string[]; scripts: string[] }> {
    const context = await site.browser.newContext();
    context.setDefaultTimeout(15_000);
    const page = Object.assign(await context.newPage(), { errors: [] as string[], scripts: [] as string[] });
    page.on('pageerror', (error) => page.errors.push(error.message));
    page.on('request', (request) => {
      if (request.resourceType() === 'script') page.scripts.push(new URL(request.url()).pathname);
    });
    await page.goto(site.server.url + path, { waitUntil: 'networkidle' });
    return page;
  }

  /** Opens the playground with `code` (never run until asked), returning its example. */
  async function playground(code: string, realm: 'main' | 'worker' = 'main') {
    const page = await open(`playground/#${shareFragment(code, realm)}`);
    const example = exampleLocator(page, 'playground');
    await page.locator('interleave-example[data-id="playground"][data-editor]').waitFor();
    expect(await example.locator('.cm-content').textContent()).toBe(code.replace(/\n/g, ''));
    return { page, example };
  }

  it('renders examples without JavaScript: highlighted code, a Run button, the expected output', async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(site.server.url + REFERENCE);
    const example = exampleLocator(page, 'event-loop-order');
    // Highlighted: tokens coloured by their class (src/build/code-blocks/code-token-classes.mjs).
    expect(await example.locator('.ix-code pre code span[class*="ix-c-"]').count()).toBeGreaterThan(3);
    expect(await example.getByRole('button', { name: 'Run' }).isVisible()).toBe(true);
    expect(await example.locator('.ix-expected').innerText()).toMatch(
      /Expected output\s+sync\nmicrotask\ntimer/i,
    );
    await context.close();
  });

  it('loads only the tiny bootstrap up front; the runner on Run, the editor on Edit', async () => {
    const plain = await open('guide/using-this-book/');
    expect(plain.scripts.filter((path) => /ExampleBootstrap|island|editor|runner/.test(path))).toEqual([]);
    await plain.context().close();

    const page = await open(REFERENCE);
    expect(page.scripts.some((path) => path.includes('ExampleBootstrap'))).toBe(true);
    expect(page.scripts.filter((path) => /editor|runner|island/.test(path))).toEqual([]);
    const example = exampleLocator(page, 'hello');
    const outcome = await runAndWait(example);
    expect(outcome.state).toBe('done');
    expect(page.scripts.some((path) => /\/runner\.[\w-]+\.js$/.test(path))).toBe(true);
    expect(page.scripts.some((path) => /\/editor\.[\w-]+\.js$/.test(path))).toBe(false);
    await example.getByRole('button', { name: 'Edit' }).click();
    await page.locator('interleave-example[data-id="hello"] .cm-content').waitFor();
    expect(page.scripts.some((path) => /\/editor\.[\w-]+\.js$/.test(path))).toBe(true);
    expect(page.errors).toEqual([]);
    await page.context().close();
  });

  it('the playground loads its editor when the reader edits, unless it opens other code', async () => {
    // Its own starter code is the static block, as on every example (issue #18: the editor loaded
    // with the page blocked the main thread).
    const page = await open('playground/');
    expect(page.scripts.filter((path) => /\/(editor|island)\.[\w-]+\.js$/.test(path))).toEqual([]);
    const example = exampleLocator(page, 'playground');
    await example.locator(SELECT.staticCode).click();
    await expect.poll(() => example.locator('.cm-content').textContent()).toContain('// Write code here');
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toContain('cm-content');
    expect(page.errors).toEqual([]);
    await page.context().close();
    // A share link (the helper waits for the editor to show the shared code) opens it at once.
    const shared = await playground("console.log('shared');");
    await shared.page.context().close();
  });

  it("an example's block has no copy button of its own: the bar's Copy copies the code as edited", async () => {
    const page = await open(REFERENCE);
    const example = exampleLocator(page, 'hello');
    expect(await example.locator('.expressive-code .copy').count()).toBe(0);
    expect(await example.getByRole('button', { name: /copy/i }).count()).toBe(1);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await example.getByRole('button', { name: 'Edit' }).click();
    await example.locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\n// edited');
    await example.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/\n\/\/ edited$/);
    await page.context().close();
  });

  it('keyboard: Enter edits, Esc leaves, Tab moves on (no trap), Ctrl+Enter runs', async () => {
    const page = await open(REFERENCE);
    const example = exampleLocator(page, 'hello');
    await example.getByRole('button', { name: 'Edit' }).focus();
    await page.keyboard.press('Enter');
    const content = example.locator('.cm-content');
    await page.locator('interleave-example[data-id="hello"][data-editor]').waitFor();
    expect(await content.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type("console.log('typed');");
    // Tab while editing indents: focus stays in the editor.
    await page.keyboard.press('Tab');
    expect(await content.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => example.getAttribute('data-state')).toBe('done');
    expect(await example.getAttribute('data-runs')).toBe('1'); // one press, one run
    expect(await example.locator(SELECT.outputText).allTextContents()).toContain('typed');
    // Esc leaves editing: focus on the editor's shell, then Tab leaves the editor entirely.
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('ix-editor'))).toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('.ix-editor'))).toBe(false);
    // Enter on the shell edits again.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    expect(await content.evaluate((el) => el === document.activeElement)).toBe(true);
    // Tabbing through the whole example from its editor reaches the next one: no trap.
    await page.keyboard.press('Escape');
    let left = false;
    for (let i = 0; i < 20 && !left; i++) {
      await page.keyboard.press('Tab');
      left = await page.evaluate(
        () => !document.activeElement?.closest('interleave-example[data-id="hello"]'),
      );
    }
    expect(left).toBe(true);
    await page.context().close();
  });

  it('keeps an edit across reloads; Reset restores the original', async () => {
    const page = await open(REFERENCE);
    const example = exampleLocator(page, 'event-loop-order');
    await example.getByRole('button', { name: 'Edit' }).click();
    await example.locator('.cm-content').waitFor();
    await page.keyboard.press('Control+End');
    await page.keyboard.type("\nconsole.log('kept');");
    await page.waitForTimeout(400); // saving is debounced
    await page.reload({ waitUntil: 'networkidle' });
    await expect.poll(() => example.locator('.cm-content').textContent()).toContain("console.log('kept');");
    expect(await example.getAttribute('data-edited')).toBe('');
    const outcome = await runAndWait(example);
    expect(outcome.output).toBe('sync\nkept\nmicrotask\ntimer');
    await example.getByRole('button', { name: 'Reset' }).click();
    expect(await example.locator('.cm-content').textContent()).not.toContain('kept');
    await page.reload({ waitUntil: 'networkidle' });
    expect(
      await page.evaluate(() =>
        Object.keys(localStorage).filter((key) => key.startsWith('interleave:edit:')),
      ),
    ).toEqual([]);
    expect(await example.getAttribute('data-editor')).toBeNull();
    await page.context().close();
  });

  it('an editor opened off-screen (a saved edit) keeps its height as it scrolls into view: Run stays put', async () => {
    const page = await open(REFERENCE);
    const example = exampleLocator(page, 'reference-exercise');
    // An exercise's worth of lines of every length (some wrap), saved as the island saves an edit.
    const code = Array.from({ length: 30 }, (_, i) => `console.log(${i}, '${'x'.repeat((i * 7) % 90)}');`);
    await page.evaluate(([key, value]) => localStorage.setItem(key, value), [
      `interleave:edit:${new URL(site.server.url + REFERENCE).pathname}#reference-exercise`,
      JSON.stringify({ code: code.join('\n'), hash: await example.getAttribute('data-hash'), savedAt: 1 }),
    ] as const);
    await page.reload({ waitUntil: 'networkidle' });
    await page.locator('interleave-example[data-id="reference-exercise"][data-editor]').waitFor();
    // The page's prose styles do not space the editor's lines apart from CodeMirror's model.
    expect(
      await example
        .locator('.cm-line')
        .nth(1)
        .evaluate((line) => getComputedStyle(line).marginTop),
    ).toBe('0px');
    /** Where Run is in the page, once CodeMirror has measured (the frame after it sees a scroll). */
    const runTop = () =>
      example.locator(SELECT.action('run')).evaluate(async (button) => {
        for (let i = 0; i < 3; i++) await new Promise(requestAnimationFrame);
        return button.getBoundingClientRect().top + scrollY;
      });
    expect(await example.evaluate((el) => el.getBoundingClientRect().top > innerHeight)).toBe(true);
    const offScreen = await runTop();
    for (const block of ['end', 'center', 'start'] as const) {
      await example.locator('.ix-editor').evaluate((el, at) => el.scrollIntoView({ block: at }), block);
      expect(await runTop(), `editor scrolled to the ${block}`).toBe(offScreen);
    }
    expect(page.errors).toEqual([]);
    await page.context().close();
  });

  it('does not apply an edit to an original that has changed, and offers to restore it', async () => {
    const page = await open(REFERENCE);
    await page.evaluate(
      (path) => {
        localStorage.setItem(
          `interleave:edit:${path}#event-loop-order`,
          JSON.stringify({ code: "console.log('old edit');", hash: 'an-older-original', savedAt: 1 }),
        );
      },
      new URL(site.server.url + REFERENCE).pathname,
    );
    await page.reload({ waitUntil: 'networkidle' });
    const example = exampleLocator(page, 'event-loop-order');
    const notice = example.locator('.ix-notice');
    await expect.poll(() => notice.textContent()).toContain('The original of this example changed');
    expect(await example.getAttribute('data-editor')).toBeNull(); // the original is shown
    expect((await runAndWait(example)).output).toBe('sync\nmicrotask\ntimer');
    await notice.getByRole('button', { name: 'Restore my edit' }).click();
    await expect.poll(() => example.locator('.cm-content').textContent()).toBe("console.log('old edit');");
    expect(await notice.count()).toBe(0);
    await page.context().close();
  });

  it('Reset and Discard can be undone: the edit comes back, saved as before', async () => {
    const page = await open(REFERENCE);
    const key = `interleave:edit:${new URL(site.server.url + REFERENCE).pathname}#event-loop-order`;
    const stored = () => page.evaluate((k) => localStorage.getItem(k), key);
    const example = exampleLocator(page, 'event-loop-order');
    await example.getByRole('button', { name: 'Edit' }).click();
    await example.locator('.cm-content').waitFor();
    await page.keyboard.press('Control+End');
    await page.keyboard.type("\nconsole.log('mine');");
    await expect.poll(stored).toContain('mine'); // saving is debounced

    await example.getByRole('button', { name: 'Reset' }).click();
    expect(await example.locator('.cm-content').textContent()).not.toContain('mine');
    expect(await stored()).toBeNull();
    const undo = example.locator(SELECT.status).getByRole('button', { name: 'Undo' });
    expect(await undo.evaluate((el) => el === document.activeElement)).toBe(true);
    await undo.click();
    expect(await example.locator('.cm-content').textContent()).toContain("console.log('mine');");
    expect(await example.getAttribute('data-edited')).toBe('');
    expect(JSON.parse((await stored()) ?? '{}').code).toContain("console.log('mine');");
    expect(await example.locator(SELECT.status).textContent()).toBe('Your edit is back.');

    // An old edit of a changed original, discarded, then taken back: offered again, still stored.
    const old = JSON.stringify({ code: "console.log('old edit');", hash: 'an-older-original', savedAt: 1 });
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [key, old] as const);
    // No save left pending after Undo to write over it (the editor's change event once scheduled
    // one 200 ms later, which made this test fail on a loaded machine).
    await page.waitForTimeout(400);
    expect(await stored()).toBe(old);
    await page.reload({ waitUntil: 'networkidle' });
    const notice = example.locator('.ix-notice');
    await notice.getByRole('button', { name: 'Discard it' }).click();
    expect(await stored()).toBeNull();
    await example.locator(SELECT.status).getByRole('button', { name: 'Undo' }).click();
    expect(await stored()).toBe(old);
    await notice.getByRole('button', { name: 'Restore my edit' }).click();
    await expect.poll(() => example.locator('.cm-content').textContent()).toBe("console.log('old edit');");
    expect(page.errors).toEqual([]);
    await page.context().close();
  });

  it('Share makes a link that opens the code and realm in the playground without running it', async () => {
    const page = await open(REFERENCE);
    const example = exampleLocator(page, 'hello');
    await example.locator(SELECT.realmInput('worker')).check();
    await example.getByRole('button', { name: 'Share' }).click();
    const link = example.locator('a.ix-share-link');
    const href = (await link.getAttribute('href')) ?? '';
    expect(href.startsWith(`${site.server.url}playground/#code=`)).toBe(true);
    expect(href).toContain('realm=worker');
    await page.goto(href, { waitUntil: 'networkidle' });
    const playground = exampleLocator(page, 'playground');
    await expect
      .poll(() => playground.locator('.cm-content').textContent())
      .toContain("console.log('hello');");
    expect(await playground.locator(SELECT.realmInput('worker')).isChecked()).toBe(true);
    expect(await playground.getAttribute('data-runs')).toBeNull();
    expect(await playground.locator(SELECT.output).count()).toBe(0);
    expect(await playground.locator(SELECT.status).textContent()).toContain('Nothing has run');
    await page.context().close();
  });

  it('Stop ends a run that would go on, and the next run works', async () => {
    const { page, example } = await playground("setInterval(() => console.log('tick'), 20);", 'worker');
    await example.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => example.locator('.ix-line[data-out]').count()).toBeGreaterThan(2);
    const outcome = await runAndWait(example, 10_000, async () => {
      await example.getByRole('button', { name: 'Stop' }).click();
      await example.getByRole('button', { name: 'Run' }).click();
      await example.getByRole('button', { name: 'Stop' }).click();
    });
    expect(outcome.state).toBe('stopped');
    expect(outcome.status).toMatch(/^Stopped in/);
    await page.context().close();
  });

  it('an endless loop on the main thread is stopped, the page stays alive, and the next run works', async () => {
    const { page, example } = await playground('while (true) {}', 'main');
    const outcome = await runAndWait(example, 20_000);
    expect(outcome.state).toBe('stopped');
    expect(outcome.status.toLowerCase()).toContain('loop');
    expect(
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve('alive')))),
    ).toBe('alive');
    // The next run works: switch to a worker and run the same endless loop, then stop it by timeout-free Stop.
    await example.locator(SELECT.realmInput('worker')).check();
    const worker = await runAndWait(example, 10_000, async () => {
      await example.getByRole('button', { name: 'Run' }).click();
      await page.waitForTimeout(300);
      await example.getByRole('button', { name: 'Stop' }).click();
    });
    expect(worker.state).toBe('stopped');
    expect(page.errors).toEqual([]);
    await page.context().close();
  });

  it('says so when a part cannot be loaded (offline), and works once it can', async () => {
    // No service worker: it would serve the chunks from its precache, past page.route.
    const context = await site.browser.newContext({ serviceWorkers: 'block' });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const blocked = new Set(['island', 'runner']);
    await page.route(/\/_astro\/(island|runner)\.[\w-]+\.js$/, (route) => {
      const chunk = /\/_astro\/(\w+)\./.exec(route.request().url())?.[1] ?? '';
      return blocked.has(chunk) ? route.abort('internetdisconnected') : route.continue();
    });
    await page.goto(site.server.url + REFERENCE, { waitUntil: 'networkidle' });
    const example = exampleLocator(page, 'event-loop-order');
    const status = example.locator(SELECT.status);
    const run = example.locator(SELECT.action('run'));
    await run.click();
    await expect
      .poll(() => status.textContent())
      .toMatch(/^Could not load the interactive example \(offline/);
    blocked.delete('island');
    await run.click();
    await expect.poll(() => status.textContent()).toMatch(/^Could not load the code runner \(offline/);
    blocked.delete('runner');
    const result = await runAndWait(example);
    expect(result.output).toBe('sync\nmicrotask\ntimer');
    await context.close();
  });

  it('says "Starting…" at once when Run is pressed, while the island and the runner load', async () => {
    // No service worker: it would serve the chunks from its precache, past page.route.
    const context = await site.browser.newContext({ serviceWorkers: 'block' });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    // Both chunks are held until released: a slow network, with no clock involved.
    const held = new Map<string, () => void>();
    const released = new Map<string, Promise<void>>();
    for (const chunk of ['island', 'runner'])
      released.set(chunk, new Promise((resolve) => held.set(chunk, resolve)));
    await page.route(/\/_astro\/(island|runner)\.[\w-]+\.js$/, async (route) => {
      const chunk = /\/_astro\/(\w+)\./.exec(route.request().url())?.[1] ?? '';
      await released.get(chunk);
      await route.continue();
    });
    await page.goto(site.server.url + REFERENCE, { waitUntil: 'load' });
    const example = exampleLocator(page, 'event-loop-order');
    const status = example.locator(SELECT.status);
    const selector = 'interleave-example[data-id="event-loop-order"]';
    await example.locator(SELECT.action('run')).click();
    expect(await status.textContent()).toBe('Starting…'); // the press is handled; nothing has loaded
    held.get('island')?.();
    await page.locator(`${selector}[data-state="idle"]`).waitFor();
    expect(await status.textContent()).toBe('Starting…'); // the island is here, the runner is not
    held.get('runner')?.();
    await page.locator(`${selector}[data-state="done"]`).waitFor();
    expect((await example.locator(SELECT.outputText).allTextContents()).join('\n')).toBe(
      'sync\nmicrotask\ntimer',
    );
    expect(await status.textContent()).toMatch(/^Done in /);
    await context.close();
  });

  it('labels Run the same before and after a run, for an example and for an exercise', async () => {
    const page = await open(REFERENCE);
    for (const [id, label] of [
      ['hello', 'Run'],
      ['reference-exercise', 'Run and check'],
    ] as const) {
      const example = exampleLocator(page, id);
      const run = example.locator(SELECT.action('run'));
      expect(await run.textContent(), id).toBe(`▶ ${label}`);
      await runAndWait(example);
      expect(await run.textContent(), id).toBe(`▶ ${label}`);
    }
    await page.context().close();
  });

  it('renders output that looks like HTML as text', async () => {
    const html = '<img src=x onerror="window.__pwned=1"><b>bold</b><script>window.__pwned=2</script>';
    const { page, example } = await playground(
      `console.log(${JSON.stringify(html)});\nthrow new Error('<i>boom</i>');`,
      'main',
    );
    const outcome = await runAndWait(example);
    expect(outcome.output).toBe(`${html}\nUncaught Error: <i>boom</i>`);
    expect(
      await example.locator('.ix-output img, .ix-output b, .ix-output script, .ix-output i').count(),
    ).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.context().close();
  });

  it('the health meter records a blocked main thread, and not a worker that computes', async () => {
    const code =
      'const end = performance.now() + 600;\nwhile (performance.now() < end) {}\nconsole.log("done");';
    const { page, example } = await playground(code, 'main');
    const meter = example.locator('.ix-meter');
    await runAndWait(example);
    const blocked = Number(await meter.getAttribute('data-longest-gap'));
    expect(blocked).toBeGreaterThanOrEqual(550); // the loop held the thread for 600 ms: no frame in between
    expect(await meter.textContent()).toContain(`longest frame gap: ${blocked} ms`);
    await example.locator(SELECT.realmInput('worker')).check();
    await runAndWait(example);
    const free = Number(await meter.getAttribute('data-longest-gap'));
    expect(free).toBeLessThan(blocked / 2);
    await page.context().close();
  });

  it('with prefers-reduced-motion the meter dot stays still, and the gap figure still shows', async () => {
    const context = await site.browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    const code = 'const end = performance.now() + 300;\nwhile (performance.now() < end) {}';
    await page.goto(`${site.server.url}playground/#${shareFragment(code, 'main')}`, {
      waitUntil: 'networkidle',
    });
    const example = exampleLocator(page, 'playground');
    await example.locator('.cm-content').waitFor();
    await runAndWait(example);
    const meter = example.locator('.ix-meter');
    expect(await meter.locator('.ix-meter-dot').evaluate((dot) => (dot as HTMLElement).style.transform)).toBe(
      '',
    );
    expect(Number(await meter.getAttribute('data-longest-gap'))).toBeGreaterThanOrEqual(250);
    expect(await meter.isVisible()).toBe(true);
    await context.close();
  });
});
