/**
 * What step mode does not have, found before anything runs: step mode is plain JavaScript with
 * console, timers, `queueMicrotask` and `performance.now()`; a snippet that reaches for the DOM,
 * the network, workers, shared memory or the book's libraries gets a message naming the first
 * such thing (by line) and pointing to Run. Pure: runs in the worker and in Node.
 */
import { parse } from 'acorn';

/** Globals a browser has and step mode does not, with what they are. */
const MISSING: Record<string, string> = {
  document: 'the DOM',
  window: 'the browser window',
  self: 'the browser global',
  navigator: 'the browser navigator',
  location: 'the page location',
  alert: 'browser dialogs',
  fetch: 'the network',
  XMLHttpRequest: 'the network',
  WebSocket: 'the network',
  EventSource: 'the network',
  Worker: 'Web Workers',
  SharedWorker: 'Web Workers',
  spawn: 'Web Workers',
  SharedArrayBuffer: 'shared memory',
  Atomics: 'shared memory',
  MessageChannel: 'message channels',
  BroadcastChannel: 'message channels',
  postMessage: 'message passing',
  requestAnimationFrame: 'rendering frames',
  requestIdleCallback: 'idle callbacks',
  scheduler: 'the browser scheduler',
  localStorage: 'browser storage',
  sessionStorage: 'browser storage',
  indexedDB: 'browser storage',
  crypto: 'the Web Crypto API',
  structuredClone: 'structured cloning',
  setImmediate: 'Node.js timers',
  process: 'Node.js',
  require: 'Node.js modules',
  addEventListener: 'browser events',
};

interface Node {
  type: string;
  start: number;
  [key: string]: unknown;
}

/** The first thing the snippet uses that step mode lacks, as a message; undefined if none. */
export function findUnsupported(code: string): string | undefined {
  let program: Node;
  try {
    program = parse(code, { ecmaVersion: 'latest', sourceType: 'module', locations: false }) as never;
  } catch {
    return undefined; // the engine reports the syntax error as the run's output
  }
  const lineOf = (offset: number) => code.slice(0, offset).split('\n').length;
  const declared = new Set<string>();
  collectDeclared(program, declared);
  let found: { what: string; start: number } | undefined;
  const note = (what: string, start: number) => {
    if (!found || start < found.start) found = { what, start };
  };
  walk(program, undefined, (node, parent) => {
    if (node.type === 'ImportDeclaration' || node.type === 'ImportExpression') {
      const source = (node['source'] as { value?: unknown } | undefined)?.value;
      note(
        typeof source === 'string' ? `\`import '${source}'\` (modules)` : '`import()` (modules)',
        node.start,
      );
    } else if (node.type === 'Identifier') {
      const name = node['name'] as string;
      if (!(name in MISSING) || declared.has(name) || !isReference(node, parent)) return;
      note(`\`${name}\` (${MISSING[name]})`, node.start);
    } else if (node.type === 'MemberExpression' && !node['computed']) {
      // `globalThis.document` is as missing as `document`.
      const object = node['object'] as Node;
      const name = (node['property'] as { name?: string }).name ?? '';
      if (object.type === 'Identifier' && object['name'] === 'globalThis' && name in MISSING)
        note(`\`globalThis.${name}\` (${MISSING[name]})`, node.start);
    } else if (node.type === 'MetaProperty') {
      note('`import.meta` (modules)', node.start);
    }
  });
  if (!found) return undefined;
  return `Step mode runs plain JavaScript (console, timers, queueMicrotask, promises, async functions and generators). This code uses ${found.what} on line ${lineOf(found.start)}, which step mode does not have: use Run instead.`;
}

/** Every name the snippet declares anywhere (scopes are ignored: a shadowed global is not flagged). */
function collectDeclared(program: Node, declared: Set<string>): void {
  walk(program, undefined, (node) => {
    const addPattern = (pattern: unknown) =>
      walk(pattern as Node, undefined, (n, p) => {
        if (n.type === 'Identifier' && !(p?.type === 'Property' && p['key'] === n && !p['shorthand']))
          declared.add(n['name'] as string);
      });
    if (node.type === 'VariableDeclarator') addPattern(node['id']);
    if (
      (node.type === 'FunctionDeclaration' ||
        node.type === 'ClassDeclaration' ||
        node.type === 'FunctionExpression' ||
        node.type === 'ClassExpression') &&
      node['id']
    )
      declared.add((node['id'] as { name: string }).name);
    if (node.type.includes('Function')) for (const param of node['params'] as unknown[]) addPattern(param);
    if (node.type === 'CatchClause' && node['param']) addPattern(node['param']);
  });
}

/** An identifier that reads a variable (not a property name or a label). */
function isReference(node: Node, parent: Node | undefined): boolean {
  if (!parent) return true;
  if (parent.type === 'MemberExpression' && parent['property'] === node && !parent['computed']) return false;
  if (
    (parent.type === 'Property' ||
      parent.type === 'MethodDefinition' ||
      parent.type === 'PropertyDefinition') &&
    parent['key'] === node &&
    !parent['computed'] &&
    !parent['shorthand']
  )
    return false;
  if (
    parent.type === 'LabeledStatement' ||
    parent.type === 'BreakStatement' ||
    parent.type === 'ContinueStatement'
  )
    return false;
  return true;
}

function walk(
  node: Node,
  parent: Node | undefined,
  visit: (node: Node, parent: Node | undefined) => void,
): void {
  if (!node || typeof node.type !== 'string') return;
  visit(node, parent);
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (Array.isArray(value)) for (const child of value) walk(child as Node, node, visit);
    else if (value && typeof value === 'object' && typeof (value as Node).type === 'string')
      walk(value as Node, node, visit);
  }
}
