/**
 * Puts a runnable example on the test page with the markup the build renders for it (the
 * contract's, src/client/example/view.ts), so browser tests drive the island through the same
 * parts a reader's page has rather than a hand-written copy of them.
 */
import type { ElementContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import {
  afterBox,
  codeBox,
  exampleBar,
  exampleElement,
  verdictLine,
  type ExampleSpec,
} from '../../../src/client/example/view.ts';

let mounted = 0;

/** An example (an exercise when `check` is given) of `code`, appended to the body. */
export function mountExample(
  code: string,
  options: Partial<ExampleSpec> & { check?: string } = {},
): HTMLElement {
  const { check, ...overrides } = options;
  const spec: ExampleSpec = {
    id: `test-${++mounted}-${Math.random().toString(36).slice(2)}`,
    index: mounted,
    title: 'Test example',
    code,
    hash: 'test',
    realms: ['main'],
    timeoutMs: 10_000,
    line: 1,
    expected: null,
    playground: false,
    timeline: false,
    ...overrides,
  };
  const element = exampleElement(spec, check === undefined ? undefined : { check });
  const box = codeBox();
  box.children = [highlightedBlock(code)];
  element.children = [
    box,
    exampleBar(spec, check === undefined ? 'example' : 'exercise'),
    afterBox(spec.expected),
    ...(check === undefined ? [] : [verdictLine()]),
  ];
  const template = document.createElement('template');
  template.innerHTML = toHtml(element);
  const example = template.content.firstElementChild as HTMLElement;
  document.body.append(example);
  return example;
}

/**
 * A code block as Expressive Code writes it, as far as the island reads it (view.ts staticCode):
 * an element per line, an empty line as a line break.
 */
export function highlightedBlock(code: string): ElementContent {
  const line = (text: string): ElementContent => ({
    type: 'element',
    tagName: 'div',
    properties: { className: ['ec-line'] },
    children: [{ type: 'text', value: text || '\n' }],
  });
  return {
    type: 'element',
    tagName: 'pre',
    properties: {},
    children: [{ type: 'element', tagName: 'code', properties: {}, children: code.split('\n').map(line) }],
  };
}
