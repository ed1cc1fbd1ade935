// @ts-check
/**
 * Runnable examples in MDX: the one parser of the authoring syntax, shared by the remark plugin
 * (remark-examples.mjs, which renders them) and the tests (which run them).
 *
 *   ```js run realm=worker timeout=3000 id=first-worker title="A worker says hello"
 *   console.log('hello');
 *   ```
 *   ```output
 *   hello
 *   ```
 *
 * A fenced `js` block whose info string contains the word `run` is runnable; it must be followed
 * (blank lines allowed) by an `output` block holding the expected output. Everything else in the
 * info string is either one of our flags (FLAGS below) or passed on to Expressive Code, which
 * highlights the block (`title="…"`, `{2-3}`, `ins={4}`, `showLineNumbers`, …).
 *
 * No file system, no Astro. The fences come from the book's Markdown parser (fences.mjs), read
 * once: `examplesIn(fences, source, file)` and `exercisesIn(…)` take a page's fences (the build
 * passes those of the page Astro has parsed), `extractExamples(source, file)` and
 * `extractExercises(…)` parse a file's text first (the tests, with the same parser). Each returns
 * every example or exercise plus every authoring error, each error naming file:line and the fix.
 */
import { scanFences } from './fences.mjs';

export { scanFences };

/** @typedef {import('./fences.mjs').Fence} Fence */

/** Info-string languages that may carry `run`. The runner runs JavaScript modules. */
export const RUN_LANGS = ['js', 'javascript', 'mjs'];

/** The language of the expected-output block. */
export const OUTPUT_LANG = 'output';

export const REALMS = /** @type {const} */ (['main', 'worker', 'both']);
export const MATCHES = /** @type {const} */ (['exact', 'unordered']);
export const STATUSES = /** @type {const} */ (['done', 'failed', 'stopped', 'timed-out']);
export const DEFAULT_TIMEOUT_MS = 10_000;
export const MIN_TIMEOUT_MS = 100;
export const MAX_TIMEOUT_MS = 60_000;

/** Our flags, with what they mean (used for error messages and the reference page). */
export const FLAGS = {
  run: 'makes the block runnable (required)',
  realm: 'where it runs: main | worker | both (the reader chooses; main first). Default both',
  timeout: `whole-run limit in ms, ${MIN_TIMEOUT_MS}–${MAX_TIMEOUT_MS}. Default ${DEFAULT_TIMEOUT_MS}`,
  id: 'stable name on the page (a-z, 0-9, -), keeps readers’ saved edits when examples move',
  match: 'how output is compared: exact (default) | unordered (same lines, any order)',
  status: 'how the run must end: done (default) | failed | stopped | timed-out',
  playground: 'a blank editor that opens share links; needs no output block and is not tested',
  timeline: 'record a trace and show the run timeline (one lane per thread) under the output',
  step: 'offer Step: record the run in a spec-exact engine and step through its call stack and queues (main-thread examples only)',
};

/** Expressive Code options that may appear in a runnable block's info string and pass through. */
const EC_KEYS = new Set([
  'title',
  'frame',
  'ins',
  'del',
  'mark',
  'collapse',
  'collapseStyle',
  'showLineNumbers',
  'startLineNumber',
  'wrap',
  'preserveIndent',
  'hangingIndent',
]);
const EC_BARE = new Set(['showLineNumbers', 'wrap', 'preserveIndent']);

/**
 * @typedef {'main' | 'worker'} Realm
 * @typedef {object} Example
 * @property {string} file            path as given to extractExamples
 * @property {number} line            1-based line of the opening fence
 * @property {number} index           1-based position among the file's runnable examples
 * @property {string} id              the `id` flag, or `example-<index>`
 * @property {string} code            the code, exactly as written (fence indentation removed)
 * @property {Realm[]} realms         allowed realms, the default first
 * @property {number} timeoutMs
 * @property {'exact' | 'unordered'} match
 * @property {'done' | 'failed' | 'stopped' | 'timed-out'} status
 * @property {boolean} playground
 * @property {boolean} timeline        show the run timeline (and trace the run) from the start
 * @property {boolean} step            offer Step (the stepper) beside Run
 * @property {string | undefined} title
 * @property {string | null} expected  expected output (null only for playground blocks)
 * @property {number | null} outputLine 1-based line of the output fence
 * @property {string} hash            hash of the original code (edits saved against it)
 * @property {string} meta            the info string minus our flags (for Expressive Code)
 *
 * @typedef {{ file: string, line: number, message: string }} ExampleError
 */

/**
 * Splits an info string's meta into tokens: bare words, key=value, key="quoted value",
 * "quoted", {ranges}, /regex/.
 * @param {string} meta
 * @returns {{ raw: string, key: string | null, value: string | null }[]}
 */
export function tokenizeMeta(meta) {
  /** @type {{ raw: string, key: string | null, value: string | null }[]} */
  const tokens = [];
  const re =
    /([A-Za-z][\w-]*)=(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\{[^}]*\})|(\S+))|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\/(?:[^/\\]|\\.)+\/|\{[^}]*\}|\S+/g;
  for (const match of meta.matchAll(re)) {
    const raw = match[0];
    if (match[1]) {
      const value = match[2] ?? match[3] ?? match[4] ?? match[5] ?? '';
      tokens.push({
        raw,
        key: match[1],
        value: match[2] !== undefined || match[3] !== undefined ? value.replace(/\\(.)/g, '$1') : value,
      });
    } else {
      tokens.push({ raw, key: null, value: null });
    }
  }
  return tokens;
}

/** Whether an info string's meta marks a block as runnable. @param {string} meta */
export function isRunMeta(meta) {
  return tokenizeMeta(meta).some((token) => token.key === null && token.raw === 'run');
}

/**
 * A short, stable hash of a code string (cyrb53, base 36). Saved edits remember it, so an edit
 * is never silently applied to an original that has changed.
 * @param {string} text
 */
export function hashCode(text) {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * Reads the flags of one runnable block.
 * @param {string} meta
 * @param {(message: string) => void} fail  called once per problem
 */
export function parseFlags(meta, fail) {
  /** @type {{ realm: 'main' | 'worker' | 'both', timeoutMs: number, id: string | undefined, match: 'exact' | 'unordered', status: 'done' | 'failed' | 'stopped' | 'timed-out', playground: boolean, timeline: boolean, step: boolean, title: string | undefined, rest: string[] }} */
  const flags = {
    realm: 'both',
    timeoutMs: DEFAULT_TIMEOUT_MS,
    id: undefined,
    match: 'exact',
    status: 'done',
    playground: false,
    timeline: false,
    step: false,
    title: undefined,
    rest: [],
  };
  const seen = new Set();
  for (const { raw, key, value } of tokenizeMeta(meta)) {
    if (key === null) {
      if (raw === 'run' || raw === 'exercise') continue;
      if (raw === 'playground') {
        flags.playground = true;
        continue;
      }
      if (raw === 'timeline') {
        flags.timeline = true;
        continue;
      }
      if (raw === 'step') {
        flags.step = true;
        continue;
      }
      if (EC_BARE.has(raw) || /^["'{/]/.test(raw)) {
        flags.rest.push(raw);
        continue;
      }
      if (raw in FLAGS) fail(`the flag "${raw}" needs a value, e.g. ${raw}=${example(raw)}.`);
      else fail(`unknown word "${raw}" in a runnable block's info string. Flags: ${flagList()}.`);
      continue;
    }
    if (seen.has(key)) fail(`the flag "${key}" is given twice; keep one.`);
    seen.add(key);
    const v = value ?? '';
    switch (key) {
      case 'realm':
        if (/** @type {readonly string[]} */ (REALMS).includes(v))
          flags.realm = /** @type {typeof flags.realm} */ (v);
        else
          fail(`realm=${v} is not a realm. Use realm=main, realm=worker or realm=both (the reader chooses).`);
        break;
      case 'timeout': {
        const n = Number(v);
        if (!/^\d+$/.test(v) || n < MIN_TIMEOUT_MS || n > MAX_TIMEOUT_MS) {
          fail(
            `timeout=${v} is not a whole number of milliseconds between ${MIN_TIMEOUT_MS} and ${MAX_TIMEOUT_MS}, e.g. timeout=3000 for 3 s.`,
          );
        } else flags.timeoutMs = n;
        break;
      }
      case 'id':
        if (/^[a-z0-9][a-z0-9-]{0,63}$/.test(v)) flags.id = v;
        else
          fail(`id=${v} is not a valid id. Use lower-case letters, digits and dashes, e.g. id=lost-updates.`);
        break;
      case 'match':
        if (/** @type {readonly string[]} */ (MATCHES).includes(v))
          flags.match = /** @type {typeof flags.match} */ (v);
        else
          fail(
            `match=${v} is not a comparison. Use match=exact (default) or match=unordered (same lines, any order).`,
          );
        break;
      case 'status':
        if (/** @type {readonly string[]} */ (STATUSES).includes(v))
          flags.status = /** @type {typeof flags.status} */ (v);
        else fail(`status=${v} is not a run status. Use one of ${STATUSES.join(', ')}.`);
        break;
      default:
        if (key === 'title') flags.title = v;
        if (EC_KEYS.has(key)) flags.rest.push(raw);
        else fail(`unknown flag "${key}=${v}". Flags: ${flagList()}.`);
    }
  }
  return flags;
}

/** @param {string} flag */
function example(flag) {
  return (
    { realm: 'worker', timeout: '3000', id: 'my-example', match: 'unordered', status: 'failed' }[flag] ?? '…'
  );
}

function flagList() {
  return 'run, realm=main|worker|both, timeout=<ms>, id=<name>, match=exact|unordered, status=done|failed|stopped|timed-out, playground, timeline, step, and Expressive Code’s title="…", {lines}, ins=/del=/mark=';
}

/**
 * Every runnable example of one MDX source, and every authoring error in it.
 * @param {string} source
 * @param {string} file  a path for messages, e.g. "content/chapters/async.mdx"
 * @returns {{ examples: Example[], errors: ExampleError[] }}
 */
export function extractExamples(source, file) {
  return examplesIn(scanFences(source), source, file);
}

/**
 * The runnable examples among a page's fences, and every authoring error in them.
 * @param {readonly Fence[]} fences  the page's fences, in order (fences.mjs)
 * @param {string} source  the page's text: only blank lines may come between an example and its output
 * @param {string} file
 * @returns {{ examples: Example[], errors: ExampleError[] }}
 */
export function examplesIn(fences, source, file) {
  const lines = source.split(/\r?\n/);
  /** @type {Example[]} */
  const examples = [];
  /** @type {ExampleError[]} */
  const errors = [];
  const ids = new Map();
  /** @type {Set<Fence>} */
  const claimed = new Set();
  for (let f = 0; f < fences.length; f++) {
    const fence = /** @type {Fence} */ (fences[f]);
    if (!isRunMeta(fence.meta)) continue;
    const fail = (/** @type {string} */ message, line = fence.line) => errors.push({ file, line, message });
    if (!RUN_LANGS.includes(fence.lang)) {
      fail(
        `"run" is only for JavaScript blocks (\`\`\`js run); this block is \`\`\`${fence.lang || '(no language)'}. Remove "run" to keep it static.`,
      );
      continue;
    }
    const flags = parseFlags(fence.meta, fail);
    const index = examples.length + 1;
    const id = flags.id ?? `example-${index}`;
    if (ids.has(id))
      fail(`id=${id} is already used by the example on line ${ids.get(id)}; ids must be unique on a page.`);
    ids.set(id, fence.line);

    let expected = null;
    let outputLine = null;
    const next = fences[f + 1];
    const between = next ? lines.slice(fence.end, next.line - 1) : [];
    if (next && next.lang === OUTPUT_LANG && between.every((line) => line.trim() === '')) {
      claimed.add(next);
      expected = next.value;
      outputLine = next.line;
      if (next.meta)
        fail(
          `the output block takes no flags ("${next.meta}"); put flags on the \`\`\`js run line.`,
          next.line,
        );
      if (flags.playground)
        fail('a playground block has no expected output; remove the ```output block after it.', next.line);
    } else if (!flags.playground) {
      fail(
        'a runnable example needs its expected output right after it: add an ```output block (empty if it prints nothing). Without JavaScript, readers see it as "Expected output".',
      );
    }
    const realms = /** @type {Realm[]} */ (flags.realm === 'both' ? ['main', 'worker'] : [flags.realm]);
    if (flags.step && flags.realm === 'worker')
      fail(
        '"step" is for examples that can run on the main thread; this one is realm=worker. Remove "step", or allow realm=both.',
      );
    examples.push({
      file,
      line: fence.line,
      index,
      id,
      code: fence.value,
      realms,
      timeoutMs: flags.timeoutMs,
      match: flags.match,
      status: flags.status,
      playground: flags.playground,
      timeline: flags.timeline,
      step: flags.step || flags.playground,
      title: flags.title,
      expected,
      outputLine,
      hash: hashCode(fence.value),
      meta: flags.rest.join(' '),
    });
  }
  for (const fence of fences) {
    if (fence.lang === OUTPUT_LANG && !claimed.has(fence)) {
      errors.push({
        file,
        line: fence.line,
        message:
          'this ```output block does not follow a ```js run block. Put it right after the example it belongs to, or use ```text for static output.',
      });
    }
  }
  return { examples, errors };
}

/**
 * An exercise: starter code the reader edits, a reference solution, and a check.
 *
 *   ```js exercise id=make-it-concurrent realm=both timeout=5000
 *   // starter: must FAIL the check as given
 *   ```
 *
 *   ```js solution
 *   // must PASS the check
 *   ```
 *
 *   ```js check
 *   export default function check({ lines, status, durationMs }) {
 *     return lines.includes('done') || 'say what is still wrong';
 *   }
 *   ```
 *
 * The three fences follow each other (blank lines only between them). The check is a module
 * evaluated on the page after the reader's run ends; its default export gets the output lines
 * (as compared with expected output), the end status and the duration, and returns `true` for
 * a pass or a sentence telling the reader what is still wrong. The tests run the starter (it
 * must fail) and the solution (it must pass) in every realm the exercise allows.
 *
 * @typedef {object} Exercise
 * @property {string} file
 * @property {number} line          1-based line of the exercise fence
 * @property {string} id
 * @property {string} starter
 * @property {string} solution
 * @property {number} solutionLine
 * @property {string} check
 * @property {number} checkLine
 * @property {Realm[]} realms
 * @property {boolean} step        offers Step beside Run and check
 * @property {number} timeoutMs
 * @property {string | undefined} title
 * @property {string} hash          hash of the starter (saved edits are kept against it)
 * @property {string} meta          the info string minus our flags (for Expressive Code)
 */

/** Flags that make sense on an exercise fence. */
const EXERCISE_FLAGS = new Set(['realm', 'timeout', 'id', 'title', 'step']);

/** Whether an info string's meta marks a block as an exercise. @param {string} meta */
export function isExerciseMeta(meta) {
  return tokenizeMeta(meta).some((token) => token.key === null && token.raw === 'exercise');
}

/**
 * Every exercise of one MDX source, and every authoring error in it.
 * @param {string} source
 * @param {string} file
 * @returns {{ exercises: Exercise[], errors: ExampleError[] }}
 */
export function extractExercises(source, file) {
  return exercisesIn(scanFences(source), source, file);
}

/**
 * The exercises among a page's fences, and every authoring error in them.
 * @param {readonly Fence[]} fences  the page's fences, in order (fences.mjs)
 * @param {string} source  the page's text: only blank lines may come between an exercise's fences
 * @param {string} file
 * @returns {{ exercises: Exercise[], errors: ExampleError[] }}
 */
export function exercisesIn(fences, source, file) {
  const lines = source.split(/\r?\n/);
  /** @type {Exercise[]} */
  const exercises = [];
  /** @type {ExampleError[]} */
  const errors = [];
  const adjacent = (/** @type {Fence} */ a, /** @type {Fence | undefined} */ b) =>
    b !== undefined && lines.slice(a.end, b.line - 1).every((line) => line.trim() === '');
  /** @type {Set<Fence>} */
  const claimed = new Set();
  for (let f = 0; f < fences.length; f++) {
    const fence = /** @type {Fence} */ (fences[f]);
    if (!isExerciseMeta(fence.meta)) continue;
    const fail = (/** @type {string} */ message, line = fence.line) => errors.push({ file, line, message });
    if (!RUN_LANGS.includes(fence.lang)) {
      fail(
        `"exercise" is only for JavaScript blocks (\`\`\`js exercise); this block is \`\`\`${fence.lang || '(no language)'}.`,
      );
      continue;
    }
    if (isRunMeta(fence.meta)) fail('a block is either "run" (an example) or "exercise", not both.');
    const flags = parseFlags(fence.meta, fail);
    for (const { key } of tokenizeMeta(fence.meta)) {
      if (key && !EXERCISE_FLAGS.has(key) && key in FLAGS)
        fail(
          `the flag "${key}" does not apply to an exercise; its check decides pass or fail. Exercise flags: realm, timeout, id, title.`,
        );
    }
    if (!flags.id)
      fail('an exercise needs an id (e.g. id=make-it-concurrent): readers’ work is saved under it.');
    const solution = fences[f + 1];
    const check = fences[f + 2];
    const isSolution = solution && RUN_LANGS.includes(solution.lang) && solution.meta.trim() === 'solution';
    const isCheck = check && RUN_LANGS.includes(check.lang) && check.meta.trim() === 'check';
    if (!isSolution || !adjacent(fence, solution)) {
      fail('an exercise must be followed by its ```js solution block (blank lines only in between).');
      continue;
    }
    if (!isCheck || !adjacent(solution, check)) {
      fail(
        'an exercise’s solution must be followed by its ```js check block (blank lines only in between).',
        solution.line,
      );
      continue;
    }
    if (!/export\s+default\b/.test(check.value)) {
      fail(
        'the check block must `export default function check({ lines, status, durationMs })` returning true or a reason.',
        check.line,
      );
    }
    claimed.add(solution).add(check);
    exercises.push({
      file,
      line: fence.line,
      id: flags.id ?? `exercise-${exercises.length + 1}`,
      starter: fence.value,
      solution: solution.value,
      solutionLine: solution.line,
      check: check.value,
      checkLine: check.line,
      realms: /** @type {Realm[]} */ (flags.realm === 'both' ? ['main', 'worker'] : [flags.realm]),
      timeoutMs: flags.timeoutMs,
      step: flags.step,
      title: flags.title,
      hash: hashCode(fence.value),
      meta: flags.rest.join(' '),
    });
  }
  for (const fence of fences) {
    const meta = fence.meta.trim();
    if (RUN_LANGS.includes(fence.lang) && (meta === 'solution' || meta === 'check') && !claimed.has(fence)) {
      errors.push({
        file,
        line: fence.line,
        message: `this \`\`\`js ${meta} block does not belong to an exercise: put it right after the \`\`\`js exercise block${meta === 'check' ? ' and its solution' : ''}.`,
      });
    }
  }
  return { exercises, errors };
}

/** "content/x.mdx:12: message" @param {ExampleError} error */
export function formatError(error) {
  return `${error.file}:${error.line}: ${error.message}`;
}

/** Lines, ignoring trailing whitespace and trailing blank lines. @param {string} text */
function outputLines(text) {
  const lines = text.split('\n').map((line) => line.replace(/\s+$/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** `…` in an expected line matches any text (a timing, a count that varies between runs). */
function lineMatches(/** @type {string} */ expected, /** @type {string} */ actual) {
  if (!expected.includes('…')) return expected === actual;
  const pattern = expected
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`, 's').test(actual);
}

/**
 * Compares a run's output (outputText of its events) with an example's expected output.
 * Trailing whitespace is ignored; `…` in an expected line matches any text.
 * @param {string} actual
 * @param {string} expected
 * @param {'exact' | 'unordered'} [match]
 * @returns {{ ok: boolean, message: string }}
 */
export function compareOutput(actual, expected, match = 'exact') {
  const got = outputLines(actual);
  const want = outputLines(expected);
  if (match === 'unordered') {
    const left = [...got];
    const missing = [];
    for (const line of want) {
      const at = left.findIndex((candidate) => lineMatches(line, candidate));
      if (at < 0) missing.push(line);
      else left.splice(at, 1);
    }
    const ok = missing.length === 0 && left.length === 0;
    return {
      ok,
      message: ok
        ? ''
        : `missing lines: ${JSON.stringify(missing)}; unexpected lines: ${JSON.stringify(left)}`,
    };
  }
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    if (got[i] === undefined || want[i] === undefined || !lineMatches(want[i] ?? '', got[i] ?? '')) {
      return {
        ok: false,
        message: `first difference at output line ${i + 1}: expected ${JSON.stringify(want[i] ?? '(end of output)')}, got ${JSON.stringify(got[i] ?? '(end of output)')}`,
      };
    }
  }
  return { ok: true, message: '' };
}
