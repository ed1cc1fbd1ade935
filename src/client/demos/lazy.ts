/**
 * Lazy loading for the book's live demos. The page ships only this helper up front; a demo's
 * module is imported when its element comes within a viewport of being visible, when the reader
 * points at or focuses it, or when they press one of its buttons (the press is replayed once the
 * module has defined the element). Controls rendered `hidden` for readers without JavaScript are
 * revealed here, and notes meant for readers without it (`data-no-js`) hidden, because this script
 * running means JavaScript is on. A failed load (offline, or a new deploy) is not kept: the next
 * press tries again, and the demo's status line says so.
 */
import { couldNotLoad, loadOnce } from '../load-once.ts';

export function lazyDemo(tag: string, load: () => Promise<unknown>): void {
  const elements = [...document.querySelectorAll<HTMLElement>(tag)];
  if (elements.length === 0) return;
  const loadDemo = loadOnce(() => load().then(() => customElements.whenDefined(tag)));
  const start = (): Promise<unknown> => {
    observer?.disconnect();
    return loadDemo();
  };
  const warm = (): void => void start().catch(() => undefined); // a press tries again, and says so
  const observer =
    'IntersectionObserver' in window
      ? new IntersectionObserver(
          (entries) => {
            if (entries.some((entry) => entry.isIntersecting)) warm();
          },
          { rootMargin: '100% 0px' },
        )
      : undefined;
  for (const element of elements) {
    for (const hidden of element.querySelectorAll<HTMLElement>('[data-js-only]')) hidden.hidden = false;
    // Notes for readers without JavaScript go at the same moment, not when the module arrives:
    // one change of height, before the reader has reached for anything below.
    for (const note of element.querySelectorAll<HTMLElement>('[data-no-js]')) note.hidden = true;
    if (observer) observer.observe(element);
    element.addEventListener('pointerenter', warm);
    element.addEventListener('focusin', warm);
    // A press before the module is here: load it, then replay the press on the upgraded element.
    const onClick = (event: Event): void => {
      if (customElements.get(tag)) return;
      const button = (event.target as Element | null)?.closest('button');
      if (!button) return;
      event.preventDefault();
      event.stopPropagation();
      void start().then(
        () => button.click(),
        () => {
          const status = element.querySelector('[role="status"]');
          if (status) status.textContent = couldNotLoad('demo');
        },
      );
    };
    element.addEventListener('click', onClick, { capture: true });
    element.addEventListener('submit', (event) => {
      if (!customElements.get(tag)) event.preventDefault();
    });
  }
  if (!observer) warm();
}
