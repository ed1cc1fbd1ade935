/**
 * Inside a test: which content files to check. `npm run check:chapter` names one chapter (see
 * test/support/chapter-check.ts); otherwise every file is checked. Read through vitest's
 * `provide` (test/vitest.config.ts), so that it works in the browser project as in Node.
 */
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** the content file `npm run check:chapter` checks, or '' for the whole book */
    chapter: string;
  }
}

/** The chapter being checked alone, if any. */
export function selectedChapter(): string | undefined {
  return inject('chapter') || undefined;
}

/** Whether a content file (path from the project root, e.g. content/chapters/x.mdx) is checked. */
export function isChecked(file: string): boolean {
  const chapter = selectedChapter();
  return chapter === undefined || file === chapter;
}
