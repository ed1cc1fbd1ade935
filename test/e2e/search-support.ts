/** The site's search (Starlight's Pagefind dialog), driven as a reader does, for e2e tests. */
import type { Page } from 'playwright-core';

/** Opens the search dialog, types `words`, and returns the result links' hrefs (the dialog stays open). */
export async function searchHrefs(page: Page, words: string): Promise<(string | null)[]> {
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator('dialog input').fill(words);
  const results = page.locator('dialog .pagefind-ui__result-link');
  await results.first().waitFor();
  return results.evaluateAll((links) => links.map((link) => link.getAttribute('href')));
}
