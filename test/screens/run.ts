/**
 * `npm run screens`: photographs of the whole site, for looking at it rather than testing it.
 *
 * Builds the site, serves it with its production headers, and with one headless Chromium takes,
 * for every page, in the light and the dark theme, at desktop (1280×800) and phone (390×844)
 * size: a full-page picture, and a picture of the page's first runnable example with its editor
 * open, after a run, with its output, run timeline and event table open. Pages are taken one after another in one
 * browser (the machines are shared). `npm run screens -- chapters/gil index` takes only the pages
 * whose path contains one of the words ("index" is the landing page).
 *
 * Pictures go to test-results/screens/ (git-ignored; emptied first), named
 * `<page>.<theme>.<size>.png` and `<page>.example-<id>.<theme>.<size>.png`; index.html there
 * shows them side by side.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { readSite } from '../support/content-crawl.ts';
import { runAndWait } from '../support/examples.ts';
import { launchChromium } from '../support/browser.ts';
import { ensureChromium } from '../support/chromium.ts';
import { ROOT, buildSite } from '../support/site.ts';
import { serveStatic } from '../support/static-server.ts';

const OUT = `${ROOT}test-results/screens`;
const SITE = `${ROOT}test-results/screens-site`;
const THEMES = ['light', 'dark'] as const;
const SIZES = {
  desktop: { width: 1280, height: 800, isMobile: false },
  phone: { width: 390, height: 844, isMobile: true },
} as const;

process.env['CHROME_PATH'] = ensureChromium((line) => console.log(`[screens] ${line}`));
const only = process.argv.slice(2);

console.log('[screens] building the site…');
buildSite(SITE, '/');
const routes = [...readSite(SITE, '/').keys()]
  .map((url) => url.replace(/^\//, ''))
  .filter((route) => only.length === 0 || only.some((word) => (route || 'index').includes(word)))
  .sort();
if (!routes.length) {
  console.error(`[screens] no page's path contains ${only.map((word) => `"${word}"`).join(' or ')}.`);
  process.exit(1);
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const server = await serveStatic(SITE, { headers: true });
const browser = await launchChromium();
const taken: string[] = [];
const problems: string[] = [];
try {
  for (const theme of THEMES) {
    for (const [size, { width, height, isMobile }] of Object.entries(SIZES)) {
      for (const route of routes) {
        const name = `${route.replace(/\/$/, '').replaceAll('/', '-') || 'index'}`;
        const started = performance.now();
        try {
          taken.push(...(await photograph(browser, route, name, theme, size, { width, height, isMobile })));
          console.log(
            `[screens] ${name}.${theme}.${size} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
          );
        } catch (error) {
          const problem = `${route} (${theme}, ${size}): ${(error as Error).message.split('\n')[0]}`;
          console.error(`[screens] could not take ${problem}`);
          problems.push(problem);
        }
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
writeFileSync(`${OUT}/index.html`, contactSheet(taken));
console.log(`[screens] ${taken.length} pictures of ${routes.length} pages in ${OUT}/`);
console.log(`[screens] open ${OUT}/index.html to see them side by side.`);
for (const problem of problems) console.error(`[screens] could not take ${problem}`);
process.exit(problems.length ? 1 : 0);

/** Takes one page's pictures in one theme and size; returns their file names. */
async function photograph(
  browser: Browser,
  route: string,
  name: string,
  theme: (typeof THEMES)[number],
  size: string,
  { width, height, isMobile }: { width: number; height: number; isMobile: boolean },
): Promise<string[]> {
  const context = await browser.newContext({
    colorScheme: theme,
    viewport: { width, height },
    isMobile,
    hasTouch: isMobile,
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(20_000);
  const files: string[] = [];
  try {
    const page = await context.newPage();
    await page.goto(server.url + route, { waitUntil: 'load' });
    const whole = `${name}.${theme}.${size}.png`;
    // A full-page picture takes what lies below the viewport without scrolling to it, where code
    // blocks are not drawn until the reader comes near (src/build/code-blocks/code-rendering.mjs): draw them.
    await page.addStyleTag({ content: 'pre { content-visibility: visible !important; }' });
    // Long chapters are tall pictures: give them time on a busy machine.
    await page.screenshot({ path: `${OUT}/${whole}`, fullPage: true, timeout: 120_000 });
    files.push(whole);

    const example = page.locator('interleave-example:has([data-action="run"])').first();
    if (await example.count()) {
      const id = (await example.getAttribute('data-id')) ?? 'first';
      // The playground opens its editor by itself (and then has no Edit button).
      const edit = example.locator('[data-action="edit"]');
      if (await edit.isVisible()) await edit.click();
      await example.locator('.cm-editor').waitFor();
      const timeline = example.locator('[data-action="timeline"]');
      if ((await timeline.count()) && (await timeline.getAttribute('aria-pressed')) !== 'true') {
        await timeline.click();
      }
      await runAndWait(example);
      const table = example.locator('run-timeline details.rt-table');
      if (await table.count()) {
        await example.locator('run-timeline canvas').waitFor();
        await table.locator('summary').click();
      }
      // Only what is on screen gets drawn: output lines are `content-visibility: auto`, and
      // CodeMirror renders the lines near the viewport. So the viewport grows to hold the whole
      // example, and the page's fixed and sticky parts (header, phone menus) are hidden.
      const box = await example.boundingBox();
      if (box) await page.setViewportSize({ width, height: Math.max(height, Math.ceil(box.height)) });
      await example.scrollIntoViewIfNeeded();
      await example.evaluate((island) => {
        for (const element of document.querySelectorAll<HTMLElement>('body *')) {
          const { position } = getComputedStyle(element);
          if ((position === 'fixed' || position === 'sticky') && !island.contains(element)) {
            element.style.visibility = 'hidden';
          }
        }
      });
      await page.evaluate(
        () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
      );
      const shot = `${name}.example-${id}.${theme}.${size}.png`;
      await example.screenshot({ path: `${OUT}/${shot}`, timeout: 60_000 });
      files.push(shot);
    }
  } finally {
    await context.close();
  }
  return files;
}

/** A page showing every picture, grouped by file name without theme and size. */
function contactSheet(files: string[]): string {
  const groups = Map.groupBy(files.toSorted(), (file) => file.replace(/\.(light|dark)\.\w+\.png$/, ''));
  const sections = [...groups].map(
    ([group, pictures]) =>
      `<h2>${group}</h2><div>${pictures
        .map((file) => `<a href="${file}"><img src="${file}" alt="${file}" loading="lazy"></a>`)
        .join('')}</div>`,
  );
  return `<!doctype html><meta charset="utf-8"><title>Interleave screens</title>
<style>body{font:14px system-ui;margin:1rem}div{display:flex;gap:1rem;align-items:flex-start;overflow-x:auto}img{width:320px;border:1px solid #ccc}</style>
${sections.join('\n')}\n`;
}
