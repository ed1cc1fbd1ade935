/**
 * The runnable example's contract (src/client/example/view.ts): the markup the build renders has
 * every part the page and the tests look for, through the same selectors, and only actions the
 * page knows.
 */
import type { Element, Root } from 'hast';
import { select, selectAll } from 'hast-util-select';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  afterBox,
  codeBox,
  exampleBar,
  exampleElement,
  EXERCISE_PROMPT,
  isAction,
  SELECT,
  verdictLine,
  verdictOf,
  type ExampleKind,
  type ExampleSpec,
} from '../../../src/client/example/view.ts';

const spec: ExampleSpec = {
  id: 'ping',
  index: 1,
  title: undefined,
  code: "console.log('ping');",
  hash: 'abc',
  realms: ['main', 'worker'],
  timeoutMs: 5000,
  line: 12,
  expected: 'ping',
  playground: false,
  timeline: false,
  step: true,
};

/** One example's markup as the build assembles it (the code box left empty). */
function markup(kind: ExampleKind, example = spec): Root {
  const root = exampleElement(
    example,
    kind === 'exercise' ? { check: 'export default () => true;' } : undefined,
  );
  root.children = [
    codeBox(),
    exampleBar(example, kind),
    afterBox(kind === 'exercise' ? null : example.expected),
    ...(kind === 'exercise' ? [verdictLine()] : []),
  ];
  return { type: 'root', children: [root] };
}

const actionsOf = (tree: Root) =>
  selectAll(SELECT.anyAction, tree).map((button: Element) => String(button.properties['dataAction']));

describe('the example contract', () => {
  it('renders only actions the page acts on, each once', () => {
    const actions = actionsOf(markup('example'));
    expect(actions.every(isAction)).toBe(true);
    expect(new Set(actions).size).toBe(actions.length);
    // Restore and Discard are the island's own, in the notice about an old edit; Undo too, in
    // the status line after a Reset or Discard.
    expect(ACTIONS.filter((action) => !actions.includes(action))).toEqual(['restore', 'discard', 'undo']);
    expect(isAction('launch')).toBe(false);
  });

  it('has every part the page and the tests select', () => {
    const tree = markup('example');
    const example = select(SELECT.example('ping'), tree);
    expect(example).toBeDefined();
    for (const selector of [
      SELECT.code,
      SELECT.bar,
      SELECT.tools,
      SELECT.status,
      SELECT.after,
      SELECT.realmInput('worker'),
      SELECT.checkedRealm,
      ...ACTIONS.filter((action) => !['restore', 'discard', 'undo'].includes(action)).map(SELECT.action),
    ])
      expect(select(selector, example), selector).toBeDefined();
    expect(String(select(SELECT.checkedRealm, example)?.properties['value'])).toBe('main');
    expect(select(SELECT.verdict, tree)).toBeUndefined();
    expect(select(SELECT.verdict, markup('exercise'))).toBeDefined();
  });

  it('offers Step only on examples that ask for it', () => {
    expect(actionsOf(markup('example'))).toContain('step');
    expect(actionsOf(markup('example', { ...spec, step: false }))).not.toContain('step');
    expect(select(SELECT.example('ping'), markup('example'))?.properties['dataStep']).toBe('');
  });

  it('labels Run by mode: an exercise checks every run', () => {
    const run = (kind: ExampleKind) => select(SELECT.action('run'), markup(kind))!;
    expect(toHtml(run('example'))).toContain('> Run</button>');
    expect(run('example').properties['title']).toBe('Run (Ctrl+Enter)');
    expect(toHtml(run('exercise'))).toContain('> Run and check</button>');
    expect(toHtml(select(SELECT.verdict, markup('exercise'))!)).toContain(EXERCISE_PROMPT);
  });

  it('names a single realm instead of offering a choice', () => {
    const tree = markup('example', { ...spec, realms: ['worker'] });
    expect(select(SELECT.realmInput(), tree)).toBeUndefined();
    expect(toHtml(tree)).toContain('<span class="ix-realm-fixed">Runs in a worker</span>');
  });

  it('reads a check’s verdict: true passes, a sentence explains, anything else fails', () => {
    expect(verdictOf(true)).toEqual({ pass: true, reason: '' });
    expect(verdictOf('print ok')).toEqual({ pass: false, reason: 'print ok' });
    expect(verdictOf(undefined).pass).toBe(false);
    expect(verdictOf(1).pass).toBe(false);
  });
});
