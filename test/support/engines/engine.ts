/**
 * One small interface over three browser engines, for the cross-engine end-to-end tests:
 * Chromium (playwright-core), Firefox ESR (puppeteer-core over WebDriver BiDi) and WebKit
 * (WebKitGTK's MiniBrowser over plain W3C WebDriver). A test opens a page in a fresh
 * context or session, evaluates functions in it, waits for conditions by polling, clicks
 * elements and reads the page errors collected so far — nothing else, so that every engine
 * can offer all of it.
 *
 * Functions passed to `evaluate` and `waitFor` are sent as source text: they must not close
 * over anything from the test, and take their one argument as a JSON-serialisable value.
 */

export const ENGINE_NAMES = ['chromium', 'firefox', 'webkit'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export interface OpenOptions {
  /** localStorage entries of the page's origin, set before the page's own scripts run. */
  readonly localStorage?: Readonly<Record<string, string>>;
  /** The site's theme (Starlight's stored choice), 'light' or 'dark'. */
  readonly theme?: 'light' | 'dark';
}

export interface EnginePage {
  /** Navigates this page and waits for its load event. */
  goto(url: string): Promise<void>;
  /** Runs `fn(arg)` in the page and returns its (awaited, JSON-serialisable) result. */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  /**
   * Polls `fn(arg)` in the page until it returns a truthy value, and returns that value; after
   * `timeoutMs` throws an error naming `what` (and the last error, if evaluating kept failing,
   * as during a navigation).
   */
  waitFor<R, A = undefined>(
    fn: (arg: A) => R | Promise<R>,
    arg: A,
    options: { timeoutMs: number; what: string; pollMs?: number },
  ): Promise<R>;
  /** Clicks the first element matching a CSS selector, as a user would. */
  click(selector: string): Promise<void>;
  /** Uncaught errors and unhandled rejections the page reported so far, as readable lines. */
  errors(): Promise<string[]>;
  /** Closes the page and its context or session. */
  close(): Promise<void>;
}

export interface Engine {
  readonly name: EngineName;
  /** Opens `url` in a fresh context (its own storage) and waits for its load event. */
  open(url: string, options?: OpenOptions): Promise<EnginePage>;
  /** Stops the browser and every process the engine started. */
  close(): Promise<void>;
}

/** localStorage entries that stand for `options` (the theme is Starlight's stored choice). */
export function storageFor(options: OpenOptions = {}): Record<string, string> {
  return {
    ...options.localStorage,
    ...(options.theme ? { 'starlight-theme': options.theme } : {}),
  };
}

/**
 * In the page: scrolls an element to the middle of the viewport before a click, so that the
 * site's sticky header cannot cover it (puppeteer and WebDriver scroll it only just into view,
 * and click whatever is on top there), then waits until it stays put for two frames, as
 * Playwright's "stable" check does before a click. Scrolling draws the code blocks around it
 * (content-visibility: auto), and an engine without scroll anchoring (WebKit) then moves what is
 * in view by the difference; WebDriver clicks where the element was, which is then somewhere else.
 * Gives up waiting after 2 s (the click then says what it hit).
 */
export async function scrollToMiddle(selector: string): Promise<boolean> {
  const element = document.querySelector(selector);
  if (!element) return false;
  element.scrollIntoView({ block: 'center', inline: 'center' });
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const where = () => {
    const { top, left, width, height } = element.getBoundingClientRect();
    return `${top} ${left} ${width} ${height}`;
  };
  const deadline = performance.now() + 2_000;
  for (let last = where(), same = 0; same < 2 && performance.now() < deadline;) {
    await frame();
    const now = where();
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return true;
}

/** `waitFor` for engines whose evaluate is all they have: poll it from Node. */
export async function pollInPage<R, A>(
  evaluate: (fn: (arg: A) => R | Promise<R>, arg: A) => Promise<R>,
  fn: (arg: A) => R | Promise<R>,
  arg: A,
  { timeoutMs, what, pollMs = 100 }: { timeoutMs: number; what: string; pollMs?: number },
): Promise<R> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await evaluate(fn, arg);
      if (value) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error; // the page may be navigating; try again
    }
    if (Date.now() >= deadline) {
      const why = lastError ? ` (last error: ${(lastError as Error).message ?? String(lastError)})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** A page error as one line: the error's name and message, like Playwright's pageerror. */
export function describePageError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
