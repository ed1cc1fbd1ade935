/**
 * The runnable example's contract, in one place and with no DOM and no Node APIs, because it runs
 * on both sides: the build (src/build/examples/remark-examples.mjs) renders an example's markup with it,
 * and the page (bootstrap.ts, island.ts, output.ts) finds the same parts, reads the same `data-*`
 * attributes and writes the same words with it; the tests select with `SELECT`. What is not here
 * cannot drift: an action, a class or a label is spelled once. The styles of all of it are
 * example.css, beside this file. (The precedent: src/client/demos/speedup-view.ts.)
 *
 * The markup is returned as hast elements (plain objects), which the build wraps around the
 * Markdown code blocks it keeps for Expressive Code; the parts only the page adds later (the
 * saved-edit notice, Undo, the share link) are built here too and put in the page with dom.ts.
 * The names a page needs at once (the tag, the actions, the data attributes, the classes and
 * selectors of the parts the bootstrap finds) live in names.ts, so that the bootstrap loads them
 * without the rest of the contract; they are re-exported here, and `CLASS` and `SELECT` include
 * the bootstrap's.
 */
import type { Element, ElementContent, Properties } from 'hast';
import type { RealmKind, RunResult } from '../../runner/index.ts';
import { BOOTSTRAP_CLASS, BOOTSTRAP_SELECT, TAG, type Action } from './names.ts';

export {
  ACTIONS,
  exampleData,
  isAction,
  STARTING,
  TAG,
  type Action,
  type ExampleData,
  type ExampleState,
} from './names.ts';

/** The class of each part. */
export const CLASS = {
  ...BOOTSTRAP_CLASS, // code, realm, status
  bar: 'ix-bar',
  button: 'ix-button',
  quiet: 'ix-quiet',
  run: 'ix-run',
  stop: 'ix-stop',
  step: 'ix-step',
  icon: 'ix-icon',
  realmFixed: 'ix-realm-fixed',
  tools: 'ix-tools',
  after: 'ix-after',
  expected: 'ix-expected',
  label: 'ix-label',
  verdict: 'ix-verdict',
  fold: 'ix-fold',
  solution: 'ix-solution',
  check: 'ix-check',
  notice: 'ix-notice',
  shareLink: 'ix-share-link',
  outputWrap: 'ix-output-wrap',
  output: 'ix-output',
  line: 'ix-line',
  where: 'ix-where',
  time: 'ix-time',
  text: 'ix-text',
  detail: 'ix-detail',
} as const;

/** CSS selectors for the parts (within an example, but for `example` itself). */
export const SELECT = {
  ...BOOTSTRAP_SELECT, // anyAction, realmInput, staticCode, status
  example: (id: string) => `${TAG}[data-id="${id}"]`,
  action: (action: Action) => `[data-action="${action}"]`,
  checkedRealm: `.${CLASS.realm} input:checked`,
  /** Its lines: one element per line of code (Expressive Code's markup). */
  staticLine: `.${CLASS.code} pre .ec-line`,
  code: `.${CLASS.code}`,
  bar: `.${CLASS.bar}`,
  tools: `.${CLASS.tools}`,
  after: `.${CLASS.after}`,
  verdict: `.${CLASS.verdict}`,
  output: `.${CLASS.output}`,
  /** The text of each line of the run's plain output (what expected output is compared with). */
  outputText: `.${CLASS.line}[data-out] .${CLASS.text}`,
} as const;

// ── Words ──────────────────────────────────────────────────────────────────────────────────────

/** A plain runnable example, or an exercise (every run is followed by the exercise's check). */
export type ExampleKind = 'example' | 'exercise';

/** The Run button's label: what pressing it does, before a run and while one is running. */
export function runLabel(kind: ExampleKind, running = false): string {
  const verb = running ? 'Restart' : 'Run';
  return kind === 'exercise' ? `${verb} and check` : verb;
}

/** The Run button's tooltip (its keyboard shortcut). */
export function runTitle(kind: ExampleKind): string {
  return `${runLabel(kind)} (Ctrl+Enter)`;
}

/** An exercise's verdict line before its first run. */
export const EXERCISE_PROMPT = `Edit the code, then press ${runLabel('exercise')}.`;

export const REALM_LABEL: Record<RealmKind, string> = { main: 'Main thread', worker: 'Worker' };

/** The other buttons' and parts' words. */
export const LABEL = {
  stop: 'Stop',
  edit: 'Edit',
  reset: 'Reset',
  copy: 'Copy',
  share: 'Share',
  timeline: 'Timeline',
  timelineTitle: 'Show the run as a timeline, one lane per thread',
  step: 'Step',
  stepTitle: 'Step through the run: the call stack, the microtask and task queues, the output',
  restore: 'Restore my edit',
  discard: 'Discard it',
  undo: 'Undo',
  shareLink: 'Share link',
  changedOriginal:
    'The original of this example changed since you edited it — your old edit is kept. Restore it?',
  runOn: 'Run on',
  expected: 'Expected output',
  noOutput: '(no output)',
  output: 'Output',
  solution: 'Show a solution',
  check: 'How your code is checked',
} as const;

// ── Exercises ──────────────────────────────────────────────────────────────────────────────────

/** What an exercise's check is given: the run's output lines, how it ended, how long it took. */
export interface CheckedRun {
  lines: string[];
  status: RunResult['status'];
  durationMs: number;
}

/** An exercise's check (the default export of its ```js check block): `true`, or what is wrong. */
export type Check = (run: CheckedRun) => unknown;

export interface Verdict {
  pass: boolean;
  reason: string;
}

/** What the verdict line says after a run of an exercise. */
export const VERDICT_TEXT = {
  stopped: 'Stopped before the end: run it again to check it.',
  pass: '✓ Passed: well done.',
  fail: (reason: string) => `✗ Not yet: ${reason}`,
  broken: (message: string) => `✗ The check itself failed (${message}). Please report this exercise.`,
} as const;

/** The verdict of a check's return value, as the island and the tests read it. */
export function verdictOf(value: unknown): Verdict {
  if (value === true) return { pass: true, reason: '' };
  if (typeof value === 'string' && value.trim()) return { pass: false, reason: value.trim() };
  return { pass: false, reason: 'Not yet: the check did not pass.' };
}

// ── Markup ─────────────────────────────────────────────────────────────────────────────────────

/** What the markup needs of an example (src/build/examples/syntax.mjs parses it from the fence). */
export interface ExampleSpec {
  id: string;
  /** 1-based position among the page's examples (names an untitled one). */
  index: number;
  title?: string | undefined;
  code: string;
  hash: string;
  realms: readonly RealmKind[];
  timeoutMs: number;
  line: number;
  /** Expected output, shown to readers without JavaScript; null for none. */
  expected: string | null;
  playground: boolean;
  timeline: boolean;
  /** Offers Step beside Run (the `step` flag; the playground always does). */
  step?: boolean;
}

const h = (tagName: string, properties: Properties, children: ElementContent[] = []): Element => ({
  type: 'element',
  tagName,
  properties,
  children,
});
const text = (value: string): ElementContent => ({ type: 'text', value });

/** The example's own element, without children; an exercise's `check` is its check's source. */
export function exampleElement(example: ExampleSpec, exercise?: { check: string }): Element {
  const properties: Properties = {
    id: `ix-${example.id}`,
    dataId: example.id,
    dataHash: example.hash,
    dataRealms: example.realms.join(' '),
    dataTimeout: example.timeoutMs,
    dataLine: example.line,
    ...(example.playground ? { dataPlayground: '' } : {}),
    ...(example.timeline ? { dataTimeline: '' } : {}),
    ...(example.step ? { dataStep: '' } : {}),
    role: 'group',
    ariaLabel: example.title ?? `Example ${example.index}`,
    ...(exercise ? { dataExercise: '', dataCheck: exercise.check } : {}),
  };
  return h(TAG, properties);
}

/**
 * The example's original code, read from its highlighted block (before the editor replaces it).
 * The build writes the code there only (issue #18: with a copy in an attribute and one in
 * Expressive Code's copy button, example-code-blocks.mjs, it was 3–10% more of a chapter's gzipped
 * HTML). Expressive Code writes one element per line, an empty one as a line break; the e2e
 * examples test checks that every example reads back exactly as its fence.
 */
export function staticCode(example: ParentNode): string | undefined {
  const lines = example.querySelectorAll(SELECT.staticLine);
  if (lines.length === 0) return undefined;
  return Array.from(lines, (line) => (line.textContent ?? '').replace(/\n$/, '')).join('\n');
}

/** The box the highlighted code block goes in (the build puts it there; the editor replaces it). */
export function codeBox(): Element {
  return h('div', { className: [CLASS.code] });
}

/** A quiet button in the bar's tools. */
const toolButton = (action: Action, label: string, properties: Properties = {}): Element =>
  h('button', { type: 'button', className: [CLASS.button, CLASS.quiet], dataAction: action, ...properties }, [
    text(label),
  ]);

/** The bar under the code: Run, Stop, the realm choice, the tools, the status line. */
export function exampleBar(example: ExampleSpec, kind: ExampleKind): Element {
  const icon = (symbol: string) => h('span', { className: [CLASS.icon], ariaHidden: 'true' }, [text(symbol)]);
  const realm =
    example.realms.length > 1
      ? h('fieldset', { className: [CLASS.realm] }, [
          h('legend', { className: ['sr-only'] }, [text(LABEL.runOn)]),
          ...example.realms.map((realm, i) =>
            h('label', {}, [
              h('input', { type: 'radio', name: `ix-realm-${example.id}`, value: realm, checked: i === 0 }),
              text(` ${REALM_LABEL[realm]}`),
            ]),
          ),
        ])
      : h('span', { className: [CLASS.realmFixed] }, [
          text(example.realms[0] === 'worker' ? 'Runs in a worker' : 'Runs on the main thread'),
        ]);
  return h('div', { className: [CLASS.bar] }, [
    h(
      'button',
      {
        type: 'button',
        className: [CLASS.button, CLASS.run],
        dataAction: 'run',
        ariaKeyShortcuts: 'Control+Enter Meta+Enter',
        title: runTitle(kind),
      },
      [icon('▶'), text(` ${runLabel(kind)}`)],
    ),
    h('button', { type: 'button', className: [CLASS.button, CLASS.stop], dataAction: 'stop', hidden: true }, [
      icon('■'),
      text(` ${LABEL.stop}`),
    ]),
    ...(example.step
      ? [
          h(
            'button',
            {
              type: 'button',
              className: [CLASS.button, CLASS.step],
              dataAction: 'step',
              title: LABEL.stepTitle,
            },
            [icon('⏭'), text(` ${LABEL.step}`)],
          ),
        ]
      : []),
    realm,
    h('span', { className: [CLASS.tools] }, [
      toolButton('edit', LABEL.edit),
      toolButton('reset', LABEL.reset, { hidden: true }),
      toolButton('copy', LABEL.copy),
      toolButton('share', LABEL.share),
      toolButton('timeline', LABEL.timeline, {
        ariaPressed: example.timeline ? 'true' : 'false',
        title: LABEL.timelineTitle,
      }),
    ]),
    h('span', { className: [CLASS.status], role: 'status', ariaLive: 'polite' }),
  ]);
}

/**
 * The box under the bar where the output panel and the timeline go, and for readers without
 * JavaScript the expected output (when there is one).
 */
export function afterBox(expected: string | null): Element {
  const children =
    expected === null
      ? []
      : [
          h('div', { className: [CLASS.expected] }, [
            h('p', { className: [CLASS.label] }, [text(LABEL.expected)]),
            h('pre', { tabindex: 0 }, [h('samp', {}, [text(expected || LABEL.noOutput)])]),
          ]),
        ];
  return h('div', { className: [CLASS.after] }, children);
}

/** An exercise's verdict line, before its first run. */
export function verdictLine(): Element {
  return h('p', { className: [CLASS.verdict], role: 'status', ariaLive: 'polite' }, [text(EXERCISE_PROMPT)]);
}

/** A folded part of an exercise (its solution or its check), readable without JavaScript. */
export function fold(part: 'solution' | 'check'): { details: Element; summary: Element } {
  return {
    details: h('details', { className: [CLASS.fold, CLASS[part]] }),
    summary: h('summary', {}, [text(LABEL[part])]),
  };
}

// ── Parts the page adds ────────────────────────────────────────────────────────────────────────

/** The Undo button the status line offers after Reset or Discard. */
export function undoButton(): Element {
  return toolButton('undo', LABEL.undo);
}

/** Above the bar when the reader's saved edit was made from an older original: restore it? */
export function savedEditNotice(): Element {
  return h('div', { className: [CLASS.notice], role: 'note' }, [
    h('span', {}, [text(LABEL.changedOriginal)]),
    text(' '),
    h('button', { type: 'button', className: [CLASS.button], dataAction: 'restore' }, [text(LABEL.restore)]),
    text(' '),
    toolButton('discard', LABEL.discard),
  ]);
}

/** The link Share leaves among the tools; the page sets its `href` to the share link. */
export function shareLinkElement(): Element {
  return h('a', { className: [CLASS.shareLink] }, [text(LABEL.shareLink)]);
}
