/**
 * <interleave-example>: the only script a page with examples loads up front. It stays tiny: it
 * listens for the reader's first intent (a pointer over the example, or focus in it) and then
 * loads the island (island.ts) and warms the runner; the editor loads on Edit. The highlighted
 * code, the buttons and the expected output are already in the server-rendered HTML (view.ts).
 * Added to a page by ExampleBootstrap.astro, beside it.
 *
 * State: `#island` holds the loaded controller once the reader has interacted (or at once when
 * the example has a saved edit, or is the playground opened by a share link: both need the editor
 * to show their code).
 */
import type * as IslandModule from './island.ts';
import type { Island } from './island.ts';
import { couldNotLoad, loadOnce } from '../load-once.ts';
import { readSaved } from '../progress/index.ts';
// The contract's names only (view.ts re-exports them): the rest of it loads with the island.
import { BOOTSTRAP_SELECT as SELECT, exampleData, holdsShare, isAction, STARTING, TAG } from './names.ts';

const loadIsland = loadOnce((): Promise<typeof IslandModule> => import('./island.ts'));

export class InterleaveExampleElement extends HTMLElement {
  #island: Promise<Island | undefined> | undefined;

  connectedCallback(): void {
    this.addEventListener('click', this.#onClick);
    this.addEventListener('keydown', this.#onKeyDown);
    this.addEventListener('change', this.#onChange);
    // Intent: start fetching the island (and warm a worker) before the click lands.
    this.addEventListener('pointerenter', this.#onIntent, { once: true });
    this.addEventListener('focusin', this.#onIntent, { once: true });
    const data = exampleData(this);
    // Code other than the page's own (a saved edit; in the playground, a share link) is shown in
    // the editor at once. Otherwise the editor loads when the reader starts editing, as on every
    // example: loading it with the page blocked the playground's main thread (issue #18).
    const shared = data.playground !== undefined && holdsShare(location.hash);
    if (shared || (data.id && readSaved(data.id))) void this.island();
    data.ready = '';
  }

  /**
   * The controller, loading it on first call. If it cannot be loaded, says so in the example's
   * status line and resolves to undefined; the next call tries again.
   */
  island(): Promise<Island | undefined> {
    return (this.#island ??= loadIsland().then(
      (module) => module.attach(this),
      () => {
        this.#island = undefined;
        const status = this.querySelector(SELECT.status);
        if (status) status.textContent = couldNotLoad('interactive example');
        return undefined;
      },
    ));
  }

  readonly #onIntent = (): void => {
    void this.island().then((island) => island?.warm());
  };

  readonly #onClick = (event: MouseEvent): void => {
    const target = event.target as Element;
    const button = target.closest<HTMLElement>(SELECT.anyAction);
    if (button && this.contains(button)) {
      const action = button.dataset['action'];
      if (!isAction(action)) return;
      if (action === 'run') return this.#run();
      void this.island().then((island) => island?.act(action));
      return;
    }
    // A click on the static, highlighted code starts editing (a button in it excepted).
    if (target.closest(SELECT.staticCode) && !target.closest('button')) {
      void this.island().then((island) => island?.act('edit'));
    }
  };

  readonly #onKeyDown = (event: KeyboardEvent): void => {
    // Handled already: the editor runs on its own Ctrl+Enter.
    if (event.defaultPrevented) return;
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.#run();
      return;
    }
    // Enter on the focused static code starts editing (Esc leaves the editor again).
    if (event.key === 'Enter' && !event.shiftKey && (event.target as Element).matches(SELECT.staticCode)) {
      event.preventDefault();
      void this.island().then((island) => island?.act('edit'));
    }
  };

  /** Run, acknowledged at once: loading the island and the runner can take a moment. */
  #run(): void {
    const status = this.querySelector(SELECT.status);
    if (status) status.textContent = STARTING;
    void this.island().then((island) => island?.act('run'));
  }

  readonly #onChange = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    if (input.matches(SELECT.realmInput()))
      void this.island().then((island) => island?.setRealm(input.value));
  };
}

if (!customElements.get(TAG)) customElements.define(TAG, InterleaveExampleElement);
