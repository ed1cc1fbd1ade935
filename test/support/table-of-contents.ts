/** "On this page", driven as a reader does, for the e2e and cross-engine tests. */

/**
 * Runs in the page (pass it to `evaluate` with a heading id): scrolls the heading into the band the
 * highlighter (src/chrome/starlight-toc.ts) watches — just below the header and the phone's
 * "On this page" bar, plus Starlight's 2rem root margin — so that its section becomes current.
 * Self-contained: engines send it as source text.
 */
export function scrollIntoHighlighterBand(id: string): void {
  const bars = ['header', 'mobile-starlight-toc summary']
    .map((selector) => document.querySelector(selector)?.getBoundingClientRect().height ?? 0)
    .reduce((sum, height) => sum + height, 0);
  const top = document.getElementById(id)!.getBoundingClientRect().top;
  window.scrollTo({ top: scrollY + top - (bars + 32 + 10), behavior: 'instant' });
}
