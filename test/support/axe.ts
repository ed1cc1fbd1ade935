/**
 * axe-core over one page in one theme, as readable lines. Shared by
 * accessibility.test.ts (what a run draws), chapter-template.test.ts and, for the page
 * preparation, the rules and the report, the cross-engine tests (engines/).
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { AxeResults } from 'axe-core';
import type { Browser, Page } from 'playwright-core';

/** WCAG 2.2 levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export type Theme = 'light' | 'dark';

// Code tokens are left out: Expressive Code already raises every token's colour to 5.5:1
// against its background at build time (minSyntaxHighlightingColorContrast), and checking
// thousands of spans makes axe take over half a minute per page.
export const AXE_EXCLUDE = '.expressive-code .ec-line';

/** In the page: draws every Mermaid diagram (they are drawn lazily, near the screen). */
export async function drawDiagrams(): Promise<void> {
  const diagrams = [...document.querySelectorAll('mermaid-diagram')] as (Element & {
    draw?: () => Promise<void>;
  })[];
  if (!diagrams.length) return;
  await customElements.whenDefined('mermaid-diagram');
  await Promise.all(diagrams.map((diagram) => diagram.draw?.()));
}

/**
 * In the page: scrolls each shown code block into view in turn, as a reader who reads the whole
 * page does, and returns the ids of those that scroll sideways and are still not focusable 2 s
 * after they are drawn. A block out of view is not drawn (content-visibility: auto,
 * src/build/code-blocks/code-rendering.mjs), is made focusable if it scrolls only when it is drawn, and loses
 * that again when it leaves the view (Expressive Code checks again on resize). axe measures
 * inside blocks out of view, which lays them out without drawing them: it would find blocks that
 * scroll and cannot be focused, which no reader meets. So each block, once checked, stays drawn
 * (content-visibility: visible, as on paper: src/chrome/print.css), and axe sees the page as the
 * reader left it, in either theme.
 */
export async function drawCodeBlocks(): Promise<string[]> {
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const unfocusable: string[] = [];
  for (const pre of document.querySelectorAll<HTMLElement>('.expressive-code pre')) {
    // Not shown at all (another tab, a folded solution): a reader meets it when it is opened.
    // (WebKit's checkVisibility() is true inside a closed <details>.)
    if (!pre.checkVisibility() || pre.closest('details:not([open])')) continue;
    pre.scrollIntoView({ block: 'center' });
    const line = pre.querySelector('.ec-line');
    const settled = () =>
      (!line || line.checkVisibility({ contentVisibilityAuto: true })) &&
      (pre.scrollWidth <= pre.clientWidth || pre.hasAttribute('tabindex'));
    for (const deadline = performance.now() + 2_000; !settled() && performance.now() < deadline;)
      await frame();
    if (!settled()) unfocusable.push(pre.closest('[id]')?.id ?? pre.textContent?.slice(0, 40) ?? '?');
    pre.style.contentVisibility = 'visible';
  }
  scrollTo(0, 0);
  return unfocusable;
}

/** In the page: Expressive Code makes overflowing code blocks focusable from an idle callback after load. */
export function codeBlocksFocusable(): boolean {
  return [...document.querySelectorAll('.expressive-code pre')].every(
    (pre) => pre.scrollWidth <= pre.clientWidth || pre.hasAttribute('tabindex'),
  );
}

/** axe's violations as "rule (impact): help — target: summary" lines. */
export function describeViolations(violations: AxeResults['violations']): string[] {
  return violations.flatMap((violation) =>
    violation.nodes.map(
      (node) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${node.target.join(' ')}: ${node.failureSummary?.split('\n').slice(1, 3).join(' ').trim()}`,
    ),
  );
}

/**
 * Opens `url` in a fresh context whose system colour scheme is `theme` (the
 * site's default "auto" theme follows it), draws every diagram, lets `options.prepare` act on the
 * page (run an example, say), and returns axe's violations — within `options.include` if given —
 * as "rule (impact): help — target: summary" lines.
 */
export async function axeViolations(
  browser: Browser,
  url: string,
  theme: Theme,
  options: { prepare?: (page: Page) => Promise<void>; include?: string } = {},
): Promise<string[]> {
  const context = await browser.newContext({ colorScheme: theme, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(20_000);
  try {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    const applied = await page.evaluate(() => document.documentElement.dataset['theme']);
    if (applied !== theme) return [`page is in theme "${String(applied)}", expected "${theme}"`];
    await page.evaluate(drawDiagrams);
    await page.waitForFunction(codeBlocksFocusable, undefined, { timeout: 5_000 }).catch(() => undefined);
    await options.prepare?.(page);
    let builder = new AxeBuilder({ page }).withTags(WCAG_TAGS).exclude(AXE_EXCLUDE);
    if (options.include) builder = builder.include(options.include);
    const results = await builder.analyze();
    return describeViolations(results.violations);
  } finally {
    await context.close();
  }
}
