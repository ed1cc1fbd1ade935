/**
 * A lazily imported module, loaded once and shared. A failed load (the reader went offline, or a
 * new deploy replaced the file) is forgotten, so the next call tries again instead of failing
 * for the rest of the page's life.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}

/** What to tell the reader when a part of the page could not be loaded. */
export function couldNotLoad(what: string): string {
  return `Could not load the ${what} (offline, or the site was just updated?). Try again, or reload the page.`;
}
