/**
 * The names of the example's contract that a page needs before the reader does anything: the tag,
 * the actions, the `data-*` attributes, the parts the bootstrap finds, and how a share link is
 * spelled. view.ts, the contract, re-exports all of it (its `CLASS` and `SELECT` include the
 * bootstrap's); import from there. Besides view.ts, only bootstrap.ts imports this module: every
 * page with examples loads the bootstrap at once, and the rest of the contract (markup, words,
 * every other class and selector) loads with the island instead (issue #28 item 7: the whole
 * contract in the first script cost 1.6 KB gzip).
 *
 * Like view.ts, no DOM and no Node APIs: the build imports it too.
 */
import type { RealmKind, RunResult } from '../../runner/index.ts';

/** The custom element every example is. */
export const TAG = 'interleave-example';

/** What the example's buttons do (`data-action`): the bootstrap and the island act on these. */
export const ACTIONS = [
  'run',
  'stop',
  'edit',
  'reset',
  'copy',
  'share',
  'timeline',
  'step',
  'restore',
  'discard',
  'undo',
] as const;
export type Action = (typeof ACTIONS)[number];

export function isAction(value: string | undefined): value is Action {
  return (ACTIONS as readonly (string | undefined)[]).includes(value);
}

/** How a run ended, or that none has yet (`data-state`). */
export type ExampleState = 'idle' | 'running' | RunResult['status'];

/**
 * The element's `data-*` attributes, as `dataset` keys. The build sets the first group, the
 * page the second; styling and the tests read both.
 */
export interface ExampleData {
  /** Stable name on the page; the reader's saved edits are keyed by it. */
  id?: string;
  /** Hash of the original code: a saved edit of another version is offered, not applied. */
  hash?: string;
  /** Realms the example may run in, space-separated, the default first. */
  realms?: string;
  /** Milliseconds before the run is stopped. */
  timeout?: string;
  /** Line of the fence in its .mdx file. */
  line?: string;
  /** The playground's blank editor. */
  playground?: '';
  /** Traced, with its timeline shown, from the first run. */
  timeline?: '';
  /** Offers Step (the event-loop stepper, src/client/stepper/). */
  step?: '';
  /** An exercise: every run is followed by `check`, a module's source. */
  exercise?: '';
  check?: string;

  /** The bootstrap has defined the element. */
  ready?: '';
  state?: ExampleState;
  /** Runs started so far. */
  runs?: string;
  realm?: RealmKind;
  /** The code differs from the original. */
  edited?: '';
  /** The editor has replaced the static code. */
  editor?: '';
  /** An exercise's last check. */
  verdict?: 'pass' | 'fail' | 'none';
}

/** The example element's dataset, typed. */
export function exampleData(element: { dataset: DOMStringMap }): ExampleData {
  return element.dataset as ExampleData;
}

/** The classes of the parts the bootstrap finds (view.ts's `CLASS` has these and all others). */
export const BOOTSTRAP_CLASS = {
  code: 'ix-code',
  realm: 'ix-realm',
  status: 'ix-status',
} as const;

/** Selectors for what the bootstrap finds (view.ts's `SELECT` has these and all the others). */
export const BOOTSTRAP_SELECT = {
  anyAction: '[data-action]',
  realmInput: (realm?: RealmKind) => `.${BOOTSTRAP_CLASS.realm} input${realm ? `[value="${realm}"]` : ''}`,
  /** The highlighted code before the editor replaces it. */
  staticCode: `.${BOOTSTRAP_CLASS.code} pre`,
  status: `.${BOOTSTRAP_CLASS.status}`,
} as const;

/**
 * The status line as soon as Run is pressed, before the island or the runner has loaded: a slow
 * load must never look like a button that does nothing.
 */
export const STARTING = 'Starting…';

/**
 * Whether a URL fragment (with or without "#") carries shared code (share.ts writes and reads
 * it: `#code=<deflated>` or `#raw=<plain>`), without decoding it.
 */
export function holdsShare(fragment: string): boolean {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  return params.has('code') || params.has('raw');
}
