/**
 * The reader's data, as the rest of the page uses it: the example (src/client/example/) keeps a
 * reader's edits here and records an exercise passed. The page scripts of this folder (page.ts,
 * transfer-ui.ts) are loaded by their components, not through here. Imports go one way: this
 * folder never imports from src/client/example/.
 */
export { pageKey, readSaved, writeSaved, type SavedEdit } from './saved.ts';
export { markPassed } from './store.ts';
export type { OutlineChapter } from './summary.ts';
