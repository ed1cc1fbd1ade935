// @ts-check
/**
 * remark plugin: runnable examples. A ```js run fence and the ```output fence after it become
 *
 *   <interleave-example data-id data-hash data-realms="main worker" data-timeout …>
 *     <div class="ix-code"> ```js code block (still highlighted by Expressive Code) </div>
 *     <div class="ix-bar"> Run · realm switch · Edit · Reset · Copy · Share · status · meter </div>
 *     <div class="ix-expected"><p>Expected output</p><pre><samp>…</samp></pre></div>
 *   </interleave-example>
 *
 * and, once per page that has examples, `<ExampleBootstrap />` (src/client/example/) is added to
 * the MDX: its tiny script defines the custom element, and it brings the examples' styles; the
 * editor and the runner load when the reader shows an intent to use them. Pages without examples
 * get no script at all.
 *
 * The syntax is parsed by examples.mjs (the same code the tests use); the markup is built by
 * src/client/example/view.ts (the example's contract, which the page reads too). This plugin only
 * finds the matching mdast nodes, wraps them in that markup, and fails the build, with file:line
 * and the fix, on any authoring error.
 */
import { parse } from 'acorn';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import {
  extractExamples,
  extractExercises,
  formatError,
  isExerciseMeta,
  isRunMeta,
  OUTPUT_LANG,
  RUN_LANGS,
} from './examples.mjs';
import { EXAMPLE_BLOCK } from './example-code-blocks.mjs';
import { afterBox, codeBox, exampleBar, exampleElement, fold, verdictLine } from '../client/example/view.ts';

/** @typedef {import('mdast').Root} Root */
/** @typedef {import('mdast').Code} Code */
/** @typedef {import('mdast').Parent} Parent */
/** @typedef {import('hast').Element} Element */
/** @typedef {import('./examples.mjs').Example} Example */
/** @typedef {import('./examples.mjs').Exercise} Exercise */

const BOOTSTRAP = fileURLToPath(new URL('../client/example/ExampleBootstrap.astro', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** @returns {(tree: Root, file: import('vfile').VFile) => void} */
export default function remarkExamples() {
  return (tree, file) => {
    const path = file.path
      ? relative(ROOT, file.path).replace(/^src\/content\/docs\//, 'content/')
      : '(unknown file)';
    /** @type {{ node: Code, parent: Parent }[]} */
    const runnable = [];
    /** @type {{ node: Code, parent: Parent }[]} */
    const outputs = [];
    /** @type {{ node: Code, parent: Parent }[]} */
    const exerciseNodes = [];
    collect(tree, runnable, outputs, exerciseNodes);
    if (runnable.length === 0 && outputs.length === 0 && exerciseNodes.length === 0) return;

    const source = String(file.value ?? '');
    const found = extractExamples(source, path);
    const { examples } = found;
    const { exercises, errors: exerciseErrors } = extractExercises(source, path);
    const errors = [...found.errors, ...exerciseErrors];
    if (errors.length) {
      throw new Error(
        `Runnable examples: ${errors.length} problem${errors.length > 1 ? 's' : ''}\n${errors.map(formatError).join('\n')}\n(See CONTRIBUTING.md, "Runnable examples".)`,
      );
    }
    if (
      examples.length !== runnable.length ||
      examples.some((example, i) => example.code !== runnable[i]?.node.value)
    ) {
      throw new Error(
        `${path}: runnable examples were found differently by the Markdown parser (${runnable.length}) and by src/build/examples.mjs (${examples.length}). Keep each \`\`\`js run fence at the start of its line and close it with a matching fence.`,
      );
    }
    const starters = exerciseNodes.filter(({ node }) => isExerciseMeta(node.meta ?? ''));
    if (
      exercises.length !== starters.length ||
      exercises.some((exercise, i) => exercise.starter !== starters[i]?.node.value)
    ) {
      throw new Error(
        `${path}: exercises were found differently by the Markdown parser (${starters.length}) and by src/build/examples.mjs (${exercises.length}). Keep each \`\`\`js exercise, solution and check fence at the start of its line.`,
      );
    }
    if (path.endsWith('.md')) {
      throw new Error(
        `${path}: runnable examples need an .mdx page (the page loads a small script). Rename the file to .mdx.`,
      );
    }

    runnable.forEach(({ node, parent }, i) => {
      const example = /** @type {Example} */ (examples[i]);
      const at = parent.children.indexOf(node);
      const next = parent.children[at + 1];
      const hasOutput = next?.type === 'code' && next.lang === OUTPUT_LANG;
      const code = /** @type {Code} */ ({ ...node, meta: blockMeta(example.meta) });
      parent.children.splice(at, hasOutput ? 2 : 1, render(example, code));
    });

    starters.forEach(({ node, parent }, i) => {
      const exercise = /** @type {Exercise} */ (exercises[i]);
      const at = parent.children.indexOf(node);
      const [solution, check] = /** @type {Code[]} */ (parent.children.slice(at + 1, at + 3));
      const code = /** @type {Code} */ ({ ...node, meta: blockMeta(exercise.meta) });
      parent.children.splice(
        at,
        3,
        renderExercise(
          exercise,
          examples.length + i + 1,
          code,
          /** @type {Code} */ (solution),
          /** @type {Code} */ (check),
        ),
      );
    });

    tree.children.push(
      /** @type {any} */ ({
        type: 'mdxjsEsm',
        value: `import __InterleaveExampleBootstrap from ${JSON.stringify(BOOTSTRAP)};`,
        data: {
          estree: parse(`import __InterleaveExampleBootstrap from ${JSON.stringify(BOOTSTRAP)};`, {
            ecmaVersion: 'latest',
            sourceType: 'module',
          }),
        },
      }),
      /** @type {any} */ ({
        type: 'mdxJsxFlowElement',
        name: '__InterleaveExampleBootstrap',
        attributes: [],
        children: [],
      }),
    );
  };
}

/**
 * @param {Parent} parent
 * @param {{ node: Code, parent: Parent }[]} runnable
 * @param {{ node: Code, parent: Parent }[]} outputs
 * @param {{ node: Code, parent: Parent }[]} exercises  exercise, solution and check fences
 */
function collect(parent, runnable, outputs, exercises) {
  for (const child of parent.children) {
    if (child.type === 'code') {
      const meta = child.meta ?? '';
      if (
        isExerciseMeta(meta) ||
        (RUN_LANGS.includes(child.lang ?? '') && /^(solution|check)$/.test(meta.trim()))
      )
        exercises.push({ node: child, parent });
      else if (isRunMeta(meta) && RUN_LANGS.includes(child.lang ?? ''))
        runnable.push({ node: child, parent });
      else if (isRunMeta(meta) || child.lang === OUTPUT_LANG) outputs.push({ node: child, parent });
    } else if ('children' in child && Array.isArray(child.children)) {
      collect(/** @type {Parent} */ (child), runnable, outputs, exercises);
    }
  }
}

/**
 * An mdast node that becomes `element` (a part of the example's markup from view.ts): around
 * `children` (Markdown nodes, such as a code block Expressive Code still has to highlight), or,
 * without them, with the element's own children.
 * @param {Element} element
 * @param {import('mdast').RootContent[]} [children]
 * @returns {any}
 */
function fromView(element, children) {
  const data = { hName: element.tagName, hProperties: element.properties };
  return children
    ? { type: 'interleaveElement', data, children }
    : { type: 'interleaveElement', data: { ...data, hChildren: element.children }, children: [] };
}

/**
 * The meta Expressive Code gets for an example's block: the fence's own (its title, …) without our
 * flags, marked as an example's block (example-code-blocks.mjs).
 * @param {string} meta
 */
function blockMeta(meta) {
  return [meta, EXAMPLE_BLOCK].filter(Boolean).join(' ');
}

/**
 * A runnable example: the code block, the bar of controls and, when there is one, the expected
 * output, inside the example's element.
 * @param {Example} example
 * @param {Code} code
 */
function render(example, code) {
  return {
    ...fromView(exampleElement(example), [
      fromView(codeBox(), [code]),
      fromView(exampleBar(example, 'example')),
      ...(example.expected === null ? [] : [fromView(afterBox(example.expected))]),
    ]),
    position: code.position,
  };
}

/**
 * An exercise: the example's element around the starter code, in exercise mode (each run is
 * followed by the check), then the box for the output, the verdict line and, folded away, a
 * solution and how the code is checked — both readable without JavaScript.
 * @param {Exercise} exercise
 * @param {number} index
 * @param {Code} starter
 * @param {Code} solution
 * @param {Code} check
 */
function renderExercise(exercise, index, starter, solution, check) {
  /** @type {import('../client/example/view.ts').ExampleSpec} */
  const spec = {
    ...exercise,
    index,
    code: exercise.starter,
    title: exercise.title ?? `Exercise: ${exercise.id.replace(/-/g, ' ')}`,
    expected: null,
    playground: false,
    timeline: false,
  };
  const folded = (/** @type {'solution' | 'check'} */ part, /** @type {Code} */ code) => {
    const { details, summary } = fold(part);
    return fromView(details, [fromView(summary), { ...code, meta: null }]);
  };
  return {
    ...fromView(exampleElement(spec, exercise), [
      fromView(codeBox(), [starter]),
      fromView(exampleBar(spec, 'exercise')),
      fromView(afterBox(null)),
      fromView(verdictLine()),
      folded('solution', solution),
      folded('check', check),
    ]),
    position: starter.position,
  };
}
