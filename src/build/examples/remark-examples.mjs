// @ts-check
/**
 * remark plugin: runnable examples and exercises. A ```js run fence and the ```output fence after
 * it become ([…] only where it applies)
 *
 *   <interleave-example id="ix-ID" data-id="ID" data-hash data-realms="main worker" data-timeout
 *       data-line [data-playground] [data-timeline] [data-step] role="group" aria-label="TITLE">
 *     <div class="ix-code"> the ```js block, highlighted by Expressive Code, without its Copy </div>
 *     <div class="ix-bar"> Run · Stop (hidden) · [Step] · the realm: a radio per realm
 *       (fieldset.ix-realm), or one (span.ix-realm-fixed "Runs in a worker") · span.ix-tools:
 *       Edit · Reset (hidden) · Copy · Share · Timeline · span.ix-status (role=status) </div>
 *     <div class="ix-after"> [<div class="ix-expected"><p class="ix-label">Expected output</p>
 *       <pre><samp>…</samp></pre></div>] (the output panel and the timeline go here) </div>
 *   </interleave-example>
 *
 * and a ```js exercise fence with its ```js solution and ```js check fences become
 *
 *   <interleave-example … data-exercise data-check="the check's source">
 *     <div class="ix-code"> the starter </div>
 *     <div class="ix-bar"> as above, with "Run and check" </div>
 *     <div class="ix-after"></div>
 *     <p class="ix-verdict" role="status">Edit the code, then press Run and check.</p>
 *     <details class="ix-fold ix-solution"><summary>Show a solution</summary> ```js block </details>
 *     <details class="ix-fold ix-check"><summary>How your code is checked</summary> ```js block </details>
 *   </interleave-example>
 *
 * and, once per page that has examples, `<ExampleBootstrap />` (src/client/example/) is added to
 * the MDX: its tiny script defines the custom element, and it brings the examples' styles; the
 * editor and the runner load when the reader shows an intent to use them. Pages without examples
 * get no script at all.
 *
 * Each fence is read once, by the Markdown parser Astro runs: this plugin takes the page's code
 * blocks from that tree (fences.mjs) and syntax.mjs reads the examples and exercises from them
 * (the tests read theirs with the same parser and the same code). The markup is built by
 * src/client/example/view.ts (the example's contract, which the page reads too). This plugin
 * wraps the blocks in that markup, and fails the build, with file:line and the fix, on any
 * authoring error.
 */
import { parse } from 'acorn';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import {
  examplesIn,
  exercisesIn,
  formatError,
  isExerciseMeta,
  isRunMeta,
  OUTPUT_LANG,
  RUN_LANGS,
} from './syntax.mjs';
import { recordExerciseIds } from './exercise-ids.mjs';
import { codeBlocks, fenceOf } from './fences.mjs';
import { EXAMPLE_BLOCK } from './example-code-blocks.mjs';
import {
  afterBox,
  codeBox,
  exampleBar,
  exampleElement,
  fold,
  verdictLine,
} from '../../client/example/view.ts';

/** @typedef {import('mdast').Root} Root */
/** @typedef {import('mdast').Code} Code */
/** @typedef {import('mdast').Parent} Parent */
/** @typedef {import('hast').Element} Element */
/** @typedef {import('./syntax.mjs').Example} Example */
/** @typedef {import('./syntax.mjs').Exercise} Exercise */
/** @typedef {import('./fences.mjs').Fence} Fence */
/** @typedef {{ node: Code, parent: Parent }} Block */

const BOOTSTRAP = fileURLToPath(new URL('../../client/example/ExampleBootstrap.astro', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** @returns {(tree: Root, file: import('vfile').VFile) => void} */
export default function remarkExamples() {
  return (tree, file) => {
    const path = file.path
      ? relative(ROOT, file.path).replace(/^src\/content\/docs\//, 'content/')
      : '(unknown file)';
    const source = String(file.value ?? '');
    // The page's fences as Astro's parser read them: the examples are read from these, not again.
    // (Diagrams' fences are figures by now, diagrams/remark-mermaid.mjs runs first; an example's
    // blocks are followed by blank lines only, so that changes nothing.)
    const blocks = codeBlocks(tree);
    const fences = blocks.map(({ node }) => fenceOf(node));
    if (!fences.some(isExampleSyntax)) {
      recordExerciseIds(source, []);
      return;
    }

    const { examples, errors: exampleErrors } = examplesIn(fences, source, path);
    const { exercises, errors: exerciseErrors } = exercisesIn(fences, source, path);
    const errors = [...exampleErrors, ...exerciseErrors];
    if (errors.length) {
      throw new Error(
        `Runnable examples: ${errors.length} problem${errors.length > 1 ? 's' : ''}\n${errors.map(formatError).join('\n')}\n(See CONTRIBUTING.md, "Runnable examples".)`,
      );
    }
    if (path.endsWith('.md')) {
      throw new Error(
        `${path}: runnable examples need an .mdx page (the page loads a small script). Rename the file to .mdx.`,
      );
    }
    recordExerciseIds(
      source,
      exercises.map((exercise) => exercise.id),
    );

    /** The block whose fence opens on `line` (each example and exercise names its fences' lines). */
    const blockAt = (/** @type {number} */ line) =>
      /** @type {Block} */ (blocks[fences.findIndex((fence) => fence.line === line)]);
    /** Puts `by` where the block was, or just removes the block. */
    const replace = (/** @type {Block} */ { node, parent }, /** @type {any} */ by) =>
      parent.children.splice(parent.children.indexOf(node), 1, ...(by ? [by] : []));

    for (const example of examples) {
      const block = blockAt(example.line);
      const code = /** @type {Code} */ ({ ...block.node, meta: blockMeta(example.meta) });
      replace(block, render(example, code));
      if (example.outputLine !== null) replace(blockAt(example.outputLine), null);
    }

    exercises.forEach((exercise, i) => {
      const starter = blockAt(exercise.line);
      const solution = blockAt(exercise.solutionLine);
      const check = blockAt(exercise.checkLine);
      const code = /** @type {Code} */ ({ ...starter.node, meta: blockMeta(exercise.meta) });
      replace(starter, renderExercise(exercise, examples.length + i + 1, code, solution.node, check.node));
      replace(solution, null);
      replace(check, null);
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
 * Whether a fence is part of the examples' syntax (an example, its output, an exercise's three
 * fences, or a misplaced one of them, which the parser reports).
 * @param {Fence} fence
 */
function isExampleSyntax({ lang, meta }) {
  return (
    isRunMeta(meta) ||
    lang === OUTPUT_LANG ||
    isExerciseMeta(meta) ||
    (RUN_LANGS.includes(lang) && /^(solution|check)$/.test(meta.trim()))
  );
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
  /** @type {import('../../client/example/view.ts').ExampleSpec} */
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
