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
 * and, once per page that has examples, `<ExampleBootstrap />` (src/components/) is added to
 * the MDX: its tiny script defines the custom element; the editor and the runner load on first
 * interaction. Pages without examples get no script at all.
 *
 * The syntax is parsed by examples.mjs (the same code the tests use); this plugin only finds the
 * matching mdast nodes and fails the build, with file:line and the fix, on any authoring error.
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
import { EXERCISE_PROMPT, runLabel, runTitle } from '../client/example/labels.ts';

/** @typedef {import('mdast').Root} Root */
/** @typedef {import('mdast').Code} Code */
/** @typedef {import('mdast').Parent} Parent */
/** @typedef {import('hast').ElementContent} HastContent */
/** @typedef {import('./examples.mjs').Example} Example */
/** @typedef {import('./examples.mjs').Exercise} Exercise */

const BOOTSTRAP = fileURLToPath(new URL('../components/ExampleBootstrap.astro', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * @param {string} tagName
 * @param {Record<string, string | number | boolean | string[]>} properties
 * @param {HastContent[]} [children]
 * @returns {import('hast').Element}
 */
const h = (tagName, properties, children = []) => ({ type: 'element', tagName, properties, children });
/** @param {string} value @returns {import('hast').Text} */
const text = (value) => ({ type: 'text', value });

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
      const code = /** @type {Code} */ ({ ...node, meta: example.meta || null });
      const container = render(example, code);
      parent.children.splice(at, hasOutput ? 2 : 1, /** @type {any} */ (container));
    });

    starters.forEach(({ node, parent }, i) => {
      const exercise = /** @type {Exercise} */ (exercises[i]);
      const at = parent.children.indexOf(node);
      const [solution, check] = /** @type {Code[]} */ (parent.children.slice(at + 1, at + 3));
      const code = /** @type {Code} */ ({ ...node, meta: exercise.meta || null });
      const container = renderExercise(
        exercise,
        examples.length + i + 1,
        code,
        /** @type {Code} */ (solution),
        /** @type {Code} */ (check),
      );
      parent.children.splice(at, 3, /** @type {any} */ (container));
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
 * An exercise: the example island around the starter code, in exercise mode (each run is
 * followed by the check), plus the verdict line and, folded away, a solution and how the code
 * is checked — both readable without JavaScript.
 * @param {Exercise} exercise
 * @param {number} index
 * @param {Code} starter
 * @param {Code} solution
 * @param {Code} check
 */
function renderExercise(exercise, index, starter, solution, check) {
  const container = render(
    {
      ...exercise,
      index,
      code: exercise.starter,
      title: exercise.title ?? `Exercise: ${exercise.id.replace(/-/g, ' ')}`,
      expected: null,
      outputLine: null,
      match: 'exact',
      status: 'done',
      playground: false,
      timeline: false,
    },
    starter,
    'exercise',
  );
  Object.assign(container.data.hProperties, { dataExercise: '', dataCheck: exercise.check });
  const fold = (
    /** @type {string} */ summary,
    /** @type {Code} */ code,
    /** @type {string} */ className,
  ) => ({
    type: 'interleaveFold',
    data: { hName: 'details', hProperties: { className: ['ix-fold', className] } },
    children: [
      { type: 'interleaveSummary', data: { hName: 'summary' }, children: [{ type: 'text', value: summary }] },
      { ...code, meta: null },
    ],
  });
  container.children.push(
    // Where the output panel goes (island.ts), before the verdict.
    /** @type {any} */ ({
      type: 'interleaveAfter',
      data: { hName: 'div', hProperties: { className: ['ix-after'] }, hChildren: [] },
      children: [],
    }),
    /** @type {any} */ ({
      type: 'interleaveVerdict',
      data: {
        hName: 'p',
        hProperties: { className: ['ix-verdict'], role: 'status', ariaLive: 'polite' },
        hChildren: [text(EXERCISE_PROMPT)],
      },
      children: [],
    }),
    /** @type {any} */ (fold('Show a solution', solution, 'ix-solution')),
    /** @type {any} */ (fold('How your code is checked', check, 'ix-check')),
  );
  return container;
}

const REALM_LABEL = { main: 'Main thread', worker: 'Worker' };

/**
 * @param {Example} example
 * @param {Code} code
 * @param {import('../client/example/labels.ts').ExampleKind} [kind]
 */
function render(example, code, kind = 'example') {
  const label = example.title ?? `Example ${example.index}`;
  /** @type {HastContent[]} */
  const bar = [
    h(
      'button',
      {
        type: 'button',
        className: ['ix-button', 'ix-run'],
        dataAction: 'run',
        ariaKeyShortcuts: 'Control+Enter Meta+Enter',
        title: runTitle(kind),
      },
      [h('span', { className: ['ix-icon'], ariaHidden: 'true' }, [text('▶')]), text(` ${runLabel(kind)}`)],
    ),
    h('button', { type: 'button', className: ['ix-button', 'ix-stop'], dataAction: 'stop', hidden: true }, [
      h('span', { className: ['ix-icon'], ariaHidden: 'true' }, [text('■')]),
      text(' Stop'),
    ]),
  ];
  if (example.realms.length > 1) {
    bar.push(
      h('fieldset', { className: ['ix-realm'] }, [
        h('legend', { className: ['sr-only'] }, [text('Run on')]),
        ...example.realms.map((realm, i) =>
          h('label', {}, [
            h('input', { type: 'radio', name: `ix-realm-${example.id}`, value: realm, checked: i === 0 }),
            text(` ${REALM_LABEL[realm]}`),
          ]),
        ),
      ]),
    );
  } else {
    bar.push(
      h('span', { className: ['ix-realm-fixed'] }, [
        text(example.realms[0] === 'worker' ? 'Runs in a worker' : 'Runs on the main thread'),
      ]),
    );
  }
  bar.push(
    h('span', { className: ['ix-tools'] }, [
      h('button', { type: 'button', className: ['ix-button', 'ix-quiet'], dataAction: 'edit' }, [
        text('Edit'),
      ]),
      h(
        'button',
        { type: 'button', className: ['ix-button', 'ix-quiet'], dataAction: 'reset', hidden: true },
        [text('Reset')],
      ),
      h('button', { type: 'button', className: ['ix-button', 'ix-quiet'], dataAction: 'copy' }, [
        text('Copy'),
      ]),
      h('button', { type: 'button', className: ['ix-button', 'ix-quiet'], dataAction: 'share' }, [
        text('Share'),
      ]),
      h(
        'button',
        {
          type: 'button',
          className: ['ix-button', 'ix-quiet'],
          dataAction: 'timeline',
          ariaPressed: example.timeline ? 'true' : 'false',
          title: 'Show the run as a timeline, one lane per thread',
        },
        [text('Timeline')],
      ),
    ]),
    h('span', { className: ['ix-status'], role: 'status', ariaLive: 'polite' }, []),
  );

  /** @type {HastContent[]} */
  const after = [];
  if (example.expected !== null) {
    after.push(
      h('div', { className: ['ix-expected'] }, [
        h('p', { className: ['ix-label'] }, [text('Expected output')]),
        h('pre', { tabindex: 0 }, [h('samp', {}, [text(example.expected || '(no output)')])]),
      ]),
    );
  }

  return {
    type: 'interleaveExample',
    data: {
      hName: 'interleave-example',
      hProperties: {
        id: `ix-${example.id}`,
        dataId: example.id,
        dataHash: example.hash,
        dataRealms: example.realms.join(' '),
        dataTimeout: example.timeoutMs,
        dataLine: example.line,
        dataCode: example.code,
        ...(example.playground ? { dataPlayground: '' } : {}),
        ...(example.timeline ? { dataTimeline: '' } : {}),
        role: 'group',
        ariaLabel: label,
      },
    },
    children: [
      {
        type: 'interleaveCode',
        data: { hName: 'div', hProperties: { className: ['ix-code'] } },
        children: [code],
      },
      {
        type: 'interleaveBar',
        data: { hName: 'div', hProperties: { className: ['ix-bar'] }, hChildren: bar },
        children: [],
      },
      ...(after.length
        ? [
            {
              type: 'interleaveAfter',
              data: { hName: 'div', hProperties: { className: ['ix-after'] }, hChildren: after },
              children: [],
            },
          ]
        : []),
    ],
    position: code.position,
  };
}
