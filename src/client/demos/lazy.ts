/**
 * Lazy loading for the book's live demos. The page ships only this helper up front; a demo's
 * module is imported when its element comes within a viewport of being visible, when the reader
 * points at or focuses it, or when they press one of its buttons (the press is replayed once the
 * module has defined the element). Controls rendered `hidden` for readers without JavaScript are
 * revealed here, because this script running means JavaScript is on.
 */
export function lazyDemo(tag: string, load: () => Promise<unknown>): void {
  const elements = [...document.querySelectorAll<HTMLElement>(tag)];
  if (elements.length === 0) return;
  let loading: Promise<unknown> | undefined;
  const start = (): Promise<unknown> => {
    observer?.disconnect();
    return (loading ??= load().then(() => customElements.whenDefined(tag)));
  };
  const observer =
    'IntersectionObserver' in window
      ? new IntersectionObserver(
          (entries) => {
            if (entries.some((entry) => entry.isIntersecting)) void start();
          },
          { rootMargin: '100% 0px' },
        )
      : undefined;
  for (const element of elements) {
    for (const hidden of element.querySelectorAll<HTMLElement>('[data-js-only]')) hidden.hidden = false;
    if (observer) observer.observe(element);
    element.addEventListener('pointerenter', () => void start(), { once: true });
    element.addEventListener('focusin', () => void start(), { once: true });
    // A press before the module is here: load it, then replay the press on the upgraded element.
    const onClick = (event: Event): void => {
      if (customElements.get(tag)) return;
      const button = (event.target as Element | null)?.closest('button');
      if (!button) return;
      event.preventDefault();
      event.stopPropagation();
      void start().then(() => button.click());
    };
    element.addEventListener('click', onClick, { capture: true });
    element.addEventListener('submit', (event) => {
      if (!customElements.get(tag)) event.preventDefault();
    });
  }
  if (!observer) void start();
}
