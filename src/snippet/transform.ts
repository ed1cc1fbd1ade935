/**
 * Turns a reader's snippet into the code a thread's runtime runs. Guarantees:
 *
 * - The snippet is parsed as an ES module (strict, top-level await); a syntax error comes back as
 *   a value with the line and column in the reader's code, and nothing runs.
 * - Every loop (for, for-in, for-of, for-await, while, do-while) gets a guard at the start of its
 *   body: `if(--__interleave_loop.n<0)__interleave_loop.c();` — a countdown, so the runtime's
 *   guard object only looks at the clock every ~1000 iterations (see src/runner/runtime/guard.ts).
 * - `import … from 'interleave/<name>'` becomes `const … = await __interleave_import("<name>")`,
 *   and `import('interleave/<name>')` becomes `__interleave_import("<name>")`: the teaching
 *   libraries are bundled with the site, and a data: module cannot import a bundled module.
 * - Line numbers never change: every insertion stays on the line where it is made. Columns change
 *   only after an insertion on the same line; {@link TransformResult.toOriginal} undoes that.
 * - `//# sourceURL=<name>` is appended so stacks name the reader's file.
 * - With `asFunction`, a module that needs nothing only a module has (exports, `import.meta`,
 *   static imports of URLs, and — as a function has its own — `arguments`) comes back as the
 *   body of a strict async function,
 *   `(async function () {'use strict'; …\n})`: the runtime can evaluate that at once, where a module
 *   is fetched first, in a later task (`import()` of a data: URL, 2–6 ms before its first line).
 *   Inside, the code behaves as at a module's top level: strict, `this` undefined, top-level
 *   `await`, its declarations private to it.
 */
import { parse, type Node } from 'acorn';
import MagicString from 'magic-string';

/** The global the loop guard lives on, in every thread's global. */
export const LOOP_GUARD = '__interleave_loop';
/** The global that loads a teaching library, in every thread's global. */
export const IMPORT_HOOK = '__interleave_import';
/** Module specifiers with this prefix are the book's own libraries. */
export const LIBRARY_PREFIX = 'interleave/';

const guardText = `if(--${LOOP_GUARD}.n<0)${LOOP_GUARD}.c();`;

export interface TransformOptions {
  /** Name for stack traces; default `snippet.js`. */
  readonly sourceURL?: string;
  /** Known library names; an import of another `interleave/…` name is reported as an error. */
  readonly libraries?: readonly string[];
  /** Insert loop guards (default true). */
  readonly guardLoops?: boolean;
  /** `module` (default): strict, top-level await, imports. `script`: a classic worker script. */
  readonly sourceType?: 'module' | 'script';
  /** Modules: return the code as an async function body where it can be (see above). */
  readonly asFunction?: boolean;
}

export interface SourceProblem {
  readonly name: 'SyntaxError';
  readonly message: string;
  /** 1-based, in the reader's code. */
  readonly line: number;
  /** 1-based, in the reader's code. */
  readonly column: number;
}

export type TransformResult =
  | {
      readonly ok: true;
      readonly code: string;
      readonly sourceURL: string;
      /** How many loops got a guard. */
      readonly loops: number;
      /** Library names the snippet imports. */
      readonly imports: readonly string[];
      /** How the runtime evaluates `code`: as a module, or (asFunction) an async function expression. */
      readonly evaluate: 'module' | 'function' | 'script';
      /** Maps a 1-based position in the generated code back to the reader's code. */
      toOriginal(line: number, column: number): { line: number; column: number };
    }
  | { readonly ok: false; readonly error: SourceProblem };

interface Insertion {
  /** 0-based column in the original line. */
  readonly column: number;
  readonly length: number;
}

type AnyNode = Node & Record<string, unknown>;

function walk(node: AnyNode, visit: (node: AnyNode) => void): void {
  visit(node);
  for (const key of Object.keys(node)) {
    if (key === 'loc') continue;
    const child = node[key];
    if (Array.isArray(child)) {
      for (const item of child)
        if (item && typeof item === 'object' && typeof (item as AnyNode).type === 'string')
          walk(item as AnyNode, visit);
    } else if (child && typeof child === 'object' && typeof (child as AnyNode).type === 'string')
      walk(child as AnyNode, visit);
  }
}

const loopTypes = new Set([
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'WhileStatement',
  'DoWhileStatement',
]);

function lineStarts(code: string): number[] {
  const starts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') starts.push(i + 1);
  return starts;
}

export function transform(source: string, options: TransformOptions = {}): TransformResult {
  const sourceURL = options.sourceURL ?? 'snippet.js';
  let ast: AnyNode;
  try {
    ast = parse(source, {
      ecmaVersion: 'latest',
      sourceType: options.sourceType ?? 'module',
      locations: true,
    }) as unknown as AnyNode;
  } catch (error) {
    const e = error as SyntaxError & { loc?: { line: number; column: number } };
    return {
      ok: false,
      error: {
        name: 'SyntaxError',
        message: e.message.replace(/ \(\d+:\d+\)$/, ''),
        line: e.loc?.line ?? 1,
        column: (e.loc?.column ?? 0) + 1,
      },
    };
  }

  const starts = lineStarts(source);
  const position = (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) };
  };

  const out = new MagicString(source);
  const insertions = new Map<number, Insertion[]>();
  const note = (offset: number, length: number) => {
    const { line, column } = position(offset);
    const list = insertions.get(line) ?? [];
    list.push({ column, length });
    insertions.set(line, list);
  };
  const insert = (offset: number, text: string) => {
    out.appendLeft(offset, text);
    note(offset, text.length);
  };

  let loops = 0;
  const imports: string[] = [];
  /** Whether the code needs to be a real module (exports, import.meta, a URL import). */
  // A module has no `arguments`; a function does. Any mention (even in a comment) keeps a module,
  // as does a `#!` line (allowed only at the very start of a file).
  let moduleOnly = /\barguments\b/.test(source) || source.startsWith('#!');
  let problem: SourceProblem | undefined;
  const library = (specifier: unknown, at: AnyNode): string | undefined => {
    if (typeof specifier !== 'string' || !specifier.startsWith(LIBRARY_PREFIX)) return undefined;
    const name = specifier.slice(LIBRARY_PREFIX.length);
    if (options.libraries && !options.libraries.includes(name) && !problem) {
      const { line, column } = position(at.start);
      problem = {
        name: 'SyntaxError',
        message: `There is no module '${specifier}'. The book's modules are: ${options.libraries.map((n) => LIBRARY_PREFIX + n).join(', ')}`,
        line,
        column: column + 1,
      };
    }
    if (!imports.includes(name)) imports.push(name);
    return name;
  };

  walk(ast, (node) => {
    if (loopTypes.has(node.type) && options.guardLoops !== false) {
      const body = node['body'] as AnyNode;
      loops++;
      if (body.type === 'BlockStatement') insert(body.start + 1, guardText);
      else {
        insert(body.start, `{${guardText}`);
        insert(body.end, '}');
      }
      return;
    }
    if (
      node.type === 'ExportNamedDeclaration' ||
      node.type === 'ExportDefaultDeclaration' ||
      node.type === 'ExportAllDeclaration' ||
      (node.type === 'MetaProperty' && (node['meta'] as AnyNode)['name'] === 'import')
    ) {
      moduleOnly = true;
      return;
    }
    if (node.type === 'ImportDeclaration') {
      const name = library((node['source'] as AnyNode)['value'], node);
      if (name === undefined) {
        moduleOnly = true;
        return;
      }
      const specifiers = node['specifiers'] as AnyNode[];
      const named: string[] = [];
      let namespace: string | undefined;
      let fallback: string | undefined;
      for (const s of specifiers) {
        const local = (s['local'] as AnyNode)['name'] as string;
        if (s.type === 'ImportNamespaceSpecifier') namespace = local;
        else if (s.type === 'ImportDefaultSpecifier') fallback = local;
        else {
          const imported = s['imported'] as AnyNode;
          const importedName =
            imported.type === 'Identifier' ? (imported['name'] as string) : JSON.stringify(imported['value']);
          named.push(importedName === local ? local : `${importedName}: ${local}`);
        }
      }
      const load = `await ${IMPORT_HOOK}(${JSON.stringify(name)})`;
      let text: string;
      if (namespace)
        text = `const ${namespace} = ${load}${fallback ? `, ${fallback} = ${namespace}.default` : ''};`;
      else if (fallback || named.length)
        text = `const { ${[...(fallback ? [`default: ${fallback}`] : []), ...named].join(', ')} } = ${load};`;
      else text = `${load};`;
      // Keep the line count: the statement may have spanned several lines.
      const spanned = position(node.end).line - position(node.start).line;
      out.overwrite(node.start, node.end, text + '\n'.repeat(spanned));
      return;
    }
    if (node.type === 'ImportExpression') {
      const source = node['source'] as AnyNode;
      if (source.type !== 'Literal') return;
      const name = library(source['value'], node);
      if (name === undefined) return;
      if (position(node.start).line === position(node.end).line)
        out.overwrite(node.start, node.end, `${IMPORT_HOOK}(${JSON.stringify(name)})`);
    }
  });

  if (problem) return { ok: false, error: problem };

  const sourceType = options.sourceType ?? 'module';
  const evaluate =
    sourceType === 'script' ? 'script' : options.asFunction && !moduleOnly ? 'function' : 'module';
  if (evaluate === 'function') {
    // On the first line, so line numbers stay; toOriginal takes the columns back.
    const head = `(async function () {'use strict';`;
    out.prepend(head);
    note(0, head.length);
    out.append('\n})');
  }

  for (const list of insertions.values()) list.sort((a, b) => a.column - b.column);
  const toOriginal = (line: number, column: number) => {
    const list = insertions.get(line);
    if (!list) return { line, column };
    let shift = 0;
    const col0 = column - 1;
    for (const ins of list) {
      const at = ins.column + shift;
      if (col0 < at) break;
      if (col0 < at + ins.length) return { line, column: ins.column + 1 };
      shift += ins.length;
    }
    return { line, column: col0 - shift + 1 };
  };

  return {
    ok: true,
    code: `${out.toString()}\n//# sourceURL=${sourceURL}`,
    sourceURL,
    loops,
    imports,
    evaluate,
    toOriginal,
  };
}

/** Common syntax, for {@link warmUpTransform}. */
const WARM_UP_SNIPPET = `import { Mutex } from 'interleave/sync';
const items = [1, 2, { three: 3 }];
for (const item of items) console.log(\`item \${JSON.stringify(item)}\`);
for (let i = 0; i < 2; i++) while (false) do {} while (false);
async function main(...args) { await new Promise((resolve) => setTimeout(resolve, 0)); return args?.[0] ?? null; }
class Counter { #n = 0; static of() { return new Counter(); } inc() { return ++this.#n; } }
const { a = 1, ...rest } = { b: 2 };
await main(Counter.of().inc(), a, rest, new Mutex());
`;

let warm = false;

/**
 * Transforms a small snippet, the first time it is called in this thread: to be called while a
 * runtime waits for its first run, as the parser's code is compiled on first use, which would
 * otherwise cost the first Run several ms. Returns whether the snippet transformed (it should).
 */
export function warmUpTransform(): boolean {
  warm ||= transform(WARM_UP_SNIPPET, { libraries: ['sync'] }).ok;
  return warm;
}
