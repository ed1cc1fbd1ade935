/**
 * The reader's progress on the page, loaded on every page by src/chrome/Progress.astro.
 *
 * - A page counts as **read** once the end of its text has been on screen (the reader scrolled to
 *   the end, or the page is short enough to show it whole). The guide says so.
 * - The sidebar marks each chapter read (a ✓ and the words "read") and its exercises passed
 *   ("2/3 exercises"), in text that screen readers announce as part of the link — never colour alone.
 * - On the landing page it fills "Your progress" (BookContents.astro): the counts, where to go
 *   next, and Reset progress, which can be undone.
 *
 * It keeps no state of its own: everything is drawn again from store.ts whenever progress changes.
 */
import { pageKey } from './saved.ts';
import {
  EMPTY_PROGRESS,
  markRead,
  onProgressChange,
  PROGRESS_KEY,
  readProgress,
  writeProgress,
  type Progress,
} from './store.ts';
import {
  isRead,
  nextText,
  OUTLINE_ID,
  passedIn,
  summarize,
  summaryText,
  type OutlineChapter,
} from './summary.ts';
import { snapshot } from './transfer.ts';

const MARK_CLASS = 'progress-mark';

function outline(): OutlineChapter[] {
  try {
    return JSON.parse(document.getElementById(OUTLINE_ID)?.textContent ?? '[]') as OutlineChapter[];
  } catch {
    return [];
  }
}

/** The words a chapter's mark says, or '' for no mark. */
function markText(chapter: OutlineChapter, progress: Progress): string {
  const parts: string[] = [];
  if (isRead(chapter, progress)) parts.push('✓ read');
  const passed = passedIn(chapter, progress);
  if (passed > 0) parts.push(`${passed}/${chapter.exercises.length} exercises`);
  return parts.join(', ');
}

/** Sets (or removes) the mark inside `host`, so that it is part of the host's accessible name. */
function setMark(host: Element, text: string): void {
  let mark = host.querySelector(`:scope > .${MARK_CLASS}`);
  if (!text) return mark?.remove();
  if (!mark) {
    mark = document.createElement('span');
    mark.className = MARK_CLASS;
    host.append(mark);
  }
  mark.textContent = ` (${text})`;
}

function markSidebar(chapters: readonly OutlineChapter[], progress: Progress): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>('#starlight__sidebar a[href]')) {
    const chapter = chapters.find((candidate) => candidate.href === pageKey(new URL(link.href).pathname));
    if (chapter) setMark(link, markText(chapter, progress));
  }
}

function markContents(chapters: readonly OutlineChapter[], progress: Progress): void {
  for (const item of document.querySelectorAll<HTMLElement>('[data-chapter]')) {
    const chapter = chapters.find((candidate) => candidate.href === item.dataset['chapter']);
    const number = item.querySelector('.book-number');
    if (chapter && number) setMark(number, markText(chapter, progress));
  }
}

/** The landing page's "Your progress" panel, if this page has one. */
function fillPanel(chapters: readonly OutlineChapter[], progress: Progress): void {
  const panel = document.querySelector<HTMLElement>('[data-book-progress]');
  if (!panel || chapters.length === 0) return;
  const summary = summarize(chapters, progress);
  panel.querySelector('[data-progress-summary]')!.textContent = `${summaryText(summary)}.`;
  const next = panel.querySelector('[data-progress-next]')!;
  next.textContent = `${nextText(summary.next)} `;
  if (summary.next) {
    const link = document.createElement('a');
    link.href = summary.next.chapter.href;
    link.textContent = `Chapter ${summary.next.chapter.number}: ${summary.next.chapter.title}`;
    next.append(link);
  }
  const reset = panel.querySelector<HTMLButtonElement>('[data-progress-reset]')!;
  reset.hidden = Object.keys(progress.read).length + Object.keys(progress.passed).length === 0;
  panel.hidden = false;
}

/** Reset progress, then offer to undo it until the next change. */
function wireReset(): void {
  const panel = document.querySelector<HTMLElement>('[data-book-progress]');
  const reset = panel?.querySelector<HTMLButtonElement>('[data-progress-reset]');
  const status = panel?.querySelector<HTMLElement>('[data-progress-status]');
  if (!reset || !status) return;
  reset.addEventListener('click', () => {
    const undo = snapshot([PROGRESS_KEY]);
    writeProgress(EMPTY_PROGRESS);
    status.textContent = 'Progress reset. ';
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Undo';
    button.addEventListener('click', () => {
      undo();
      status.textContent = 'Progress restored.';
      reset.focus();
    });
    status.append(button);
    button.focus();
  });
}

/** Records the page as read once the end of its text has been on screen. */
function watchForEnd(): void {
  const content = document.querySelector('main .sl-markdown-content');
  if (!content || document.querySelector('[data-book-progress]')) return; // not on the landing page
  const end = document.createElement('div');
  end.setAttribute('aria-hidden', 'true');
  end.className = 'progress-end';
  content.append(end);
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    markRead(pageKey());
  });
  observer.observe(end);
}

function render(): void {
  const chapters = outline();
  const progress = readProgress();
  markSidebar(chapters, progress);
  markContents(chapters, progress);
  fillPanel(chapters, progress);
}

render();
wireReset();
watchForEnd();
onProgressChange(render);
