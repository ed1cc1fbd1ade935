/**
 * Starlight's "On this page" highlighter (`@astrojs/starlight` 0.42,
 * dist/components-internals/TableOfContents/starlight-toc.js, MIT), put in its place by an alias in
 * astro.config.mjs. One change: which elements it watches (its selectors come from toc-sections.ts).
 *
 * Starlight finds them with one `querySelectorAll` (`starlightObservedSelector`) whose four parts end in
 * `*:not(:has(<heading>))`. The browser tests that `:has()` on every element of `<main>`, each time
 * searching the element's whole subtree: on a chapter of ~12,000 elements it took ~250 ms (and
 * ~360 ms at Lighthouse's 4× CPU, a long task after every page load, twice with the phone's table
 * of contents). `observedSections` builds the same list, in the same order, testing only the
 * candidates — test/e2e/table-of-contents.test.ts checks that on every page against Starlight's own
 * selector, and that the current section is still marked as the reader scrolls; `npm run bench -- site`
 * times both ways of finding them.
 */
import { PAGE_TITLE_ID, observedSections, tocHeadingSelector } from './toc-sections.ts';

export class StarlightTOC extends HTMLElement {
  private _current = this.querySelector<HTMLAnchorElement>('a[aria-current="true"]');
  private minH = parseInt(this.dataset['minH'] || '2', 10);
  private maxH = parseInt(this.dataset['maxH'] || '3', 10);

  /** Matches only headings that can appear in the table of contents, like `h1#_top,:where(h2,h3)[id]`. */
  private tocHeadingSelector = tocHeadingSelector(this.minH, this.maxH);

  protected set current(link: HTMLAnchorElement) {
    if (link === this._current) return;
    if (this._current) this._current.removeAttribute('aria-current');
    link.setAttribute('aria-current', 'true');
    this._current = link;
  }

  private onIdle = (cb: IdleRequestCallback) =>
    (window.requestIdleCallback || ((callback: () => void) => setTimeout(callback, 1)))(cb);

  constructor() {
    super();
    this.onIdle(() => this.init());
  }

  private init = (): void => {
    /** All the links in the table of contents. */
    const links = [...this.querySelectorAll('a')];
    /** Test if an element is a table-of-contents heading. */
    const isHeading = (el: Element): el is HTMLHeadingElement => el.matches(this.tocHeadingSelector);
    /** Walk up the DOM to find the nearest heading. */
    const getElementHeading = (el: Element | null): HTMLHeadingElement | null => {
      while (el) {
        if (el.matches('.sl-markdown-content, main > *'))
          return document.getElementById(PAGE_TITLE_ID) as HTMLHeadingElement | null;
        if (isHeading(el)) return el;
        const childHeading = el.querySelector<HTMLHeadingElement>(this.tocHeadingSelector);
        if (childHeading) return childHeading;
        let prev = el.previousElementSibling;
        while (prev?.lastElementChild) prev = prev.lastElementChild;
        el = prev ?? el.parentElement;
      }
      return null;
    };
    /** Handle intersections and set the current link to the heading for the current intersection. */
    const setCurrent: IntersectionObserverCallback = (entries) => {
      for (const { isIntersecting, target } of entries) {
        if (!isIntersecting) continue;
        const heading = getElementHeading(target);
        if (!heading) continue;
        const link = links.find((candidate) => candidate.hash === '#' + encodeURIComponent(heading.id));
        if (link) {
          this.current = link;
          break;
        }
      }
    };
    const toObserve = observedSections(this.tocHeadingSelector);
    let observer: IntersectionObserver | undefined;
    const observe = () => {
      if (observer) return;
      observer = new IntersectionObserver(setCurrent, { rootMargin: this.getRootMargin() });
      toObserve.forEach((h) => observer!.observe(h));
    };
    observe();
    let timeout: ReturnType<typeof setTimeout>;
    window.addEventListener('resize', () => {
      if (observer) {
        observer.disconnect();
        observer = undefined;
      }
      clearTimeout(timeout);
      timeout = setTimeout(() => this.onIdle(observe), 200);
    });
  };

  private getRootMargin(): string {
    /** Start intersections at nav height + 2rem padding. */
    const top =
      (document.querySelector('header')?.getBoundingClientRect().height || 0) +
      (this.querySelector('summary')?.getBoundingClientRect().height || 0) +
      32;
    return `-${top}px 0% ${top + 53 - document.documentElement.clientHeight}px`;
  }
}

customElements.define('starlight-toc', StarlightTOC);
