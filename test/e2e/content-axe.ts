/**
 * axe-core over one page in one theme, as readable lines. Shared by
 * accessibility.test.ts (every built page) and chapter-template.test.ts.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';

/** WCAG 2.2 levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export type Theme = 'light' | 'dark';

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
    await page.evaluate(async () => {
      const diagrams = [...document.querySelectorAll('mermaid-diagram')] as (Element & {
        draw?: () => Promise<void>;
      })[];
      if (!diagrams.length) return;
      await customElements.whenDefined('mermaid-diagram');
      await Promise.all(diagrams.map((diagram) => diagram.draw?.()));
    });
    // Expressive Code makes overflowing code blocks focusable from an idle callback after load.
    await page
      .waitForFunction(
        () =>
          [...document.querySelectorAll('.expressive-code pre')].every(
            (pre) => pre.scrollWidth <= pre.clientWidth || pre.hasAttribute('tabindex'),
          ),
        undefined,
        { timeout: 5_000 },
      )
      .catch(() => undefined);
    await options.prepare?.(page);
    // Code tokens are left out: Expressive Code already raises every token's colour to 5.5:1
    // against its background at build time (minSyntaxHighlightingColorContrast), and checking
    // thousands of spans makes axe take over half a minute per page.
    let builder = new AxeBuilder({ page }).withTags(WCAG_TAGS).exclude('.expressive-code .ec-line');
    if (options.include) builder = builder.include(options.include);
    const results = await builder.analyze();
    return results.violations.flatMap((violation) =>
      violation.nodes.map(
        (node) =>
          `${violation.id} (${violation.impact}): ${violation.help} — ${node.target.join(' ')}: ${node.failureSummary?.split('\n').slice(1, 3).join(' ').trim()}`,
      ),
    );
  } finally {
    await context.close();
  }
}
