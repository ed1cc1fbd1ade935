/**
 * Console formatting to TEXT, never HTML. Pure: no DOM, no globals beyond the language, so it
 * runs in the page, in the run's iframe, in workers and in Node tests alike.
 *
 * The text follows Node's `util.inspect` conventions (what a reader pastes into an issue and what
 * most books print): `{ a: 1, b: 'x' }`, `[ 1, <1 empty item> ]`, `Map(1) { 'k' => 1 }`,
 * `<ref *1> { self: [Circular *1] }`. Type checks use `Object.prototype.toString` tags rather than
 * `instanceof`, because values come from other globals (the run's iframe has its own `Map`).
 */

export interface InspectOptions {
  /** How deep to descend into nested objects before printing `[Object]`. Default 2. */
  readonly depth?: number;
  /** Wrap to several lines when one line would be longer than this. Default 80. */
  readonly breakLength?: number;
  /** Longest string kept in one value before it is cut. Default 10 000. */
  readonly maxStringLength?: number;
  /** Most array / map / set entries shown. Default 100. */
  readonly maxArrayLength?: number;
}

const defaults = { depth: 2, breakLength: 80, maxStringLength: 10_000, maxArrayLength: 100 };

type Opts = typeof defaults;

const toTag = (value: unknown): string => Object.prototype.toString.call(value).slice(8, -1);

const identifier = /^[A-Za-z_$][\w$]*$/;

/** Quotes a string the way Node does: single quotes unless the string contains them. */
export function quote(text: string): string {
  const q = !text.includes("'") ? "'" : !text.includes('"') ? '"' : !text.includes('`') ? '`' : "'";
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/\r/g, '\\r')
    .replace(
      /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g,
      (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
    );
  return q + (q === "'" ? escaped.replace(/'/g, "\\'") : escaped) + q;
}

function cut(text: string, opts: Opts): string {
  if (text.length <= opts.maxStringLength) return text;
  return `${text.slice(0, opts.maxStringLength)}... ${text.length - opts.maxStringLength} more characters`;
}

function formatNumber(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

function formatKey(key: string | symbol): string {
  if (typeof key === 'symbol') return key.toString();
  return identifier.test(key) ? key : quote(key);
}

/** Name of the constructor of `value`, or null for objects without a prototype. */
function className(value: object): string | null {
  try {
    const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
    if (proto === null) return null;
    const name = proto.constructor?.name;
    return typeof name === 'string' && name !== '' ? name : 'Object';
  } catch {
    return 'Object';
  }
}

/** Any callable: the formatter only reads its source text and name. */
type AnyFunction = (...args: never[]) => unknown;

function formatFunction(fn: AnyFunction): string {
  let source = '';
  try {
    source = Function.prototype.toString.call(fn);
  } catch {
    // some host functions refuse
  }
  const name = fn.name;
  if (source.startsWith('class')) return name ? `[class ${name}]` : '[class (anonymous)]';
  const kind =
    toTag(fn) === 'AsyncFunction'
      ? 'AsyncFunction'
      : toTag(fn) === 'GeneratorFunction'
        ? 'GeneratorFunction'
        : toTag(fn) === 'AsyncGeneratorFunction'
          ? 'AsyncGeneratorFunction'
          : 'Function';
  return name ? `[${kind}: ${name}]` : `[${kind} (anonymous)]`;
}

/** Error text: the stack when it already names the error (V8), else "Name: message" + stack. */
export function formatError(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown; stack?: unknown };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const message = typeof e.message === 'string' ? e.message : '';
  const head = message ? `${name}: ${message}` : name;
  const stack = typeof e.stack === 'string' ? e.stack : '';
  if (!stack) return head;
  if (stack.startsWith(head) || stack.startsWith(`${name}`))
    return stack.startsWith(head) ? stack : `${head}\n${stack.split('\n').slice(1).join('\n')}`;
  // Firefox and Safari: the stack is frames only.
  const frames = stack
    .trimEnd()
    .split('\n')
    .map((line) => `    at ${line}`)
    .join('\n');
  return `${head}\n${frames}`;
}

function isError(value: object): boolean {
  const tag = toTag(value);
  if (tag === 'Error' || tag === 'DOMException') return true;
  const v = value as { stack?: unknown; message?: unknown };
  return typeof v.message === 'string' && typeof v.stack === 'string';
}

interface Ctx {
  readonly opts: Opts;
  /** Objects on the current path, for cycle detection. */
  readonly seen: object[];
  /** Objects found to be the target of a cycle → their ref number. */
  readonly circular: Map<object, number>;
}

function inspectValue(value: unknown, depth: number, ctx: Ctx, nested: boolean): string {
  switch (typeof value) {
    case 'string':
      return nested ? quote(cut(value, ctx.opts)) : cut(value, ctx.opts);
    case 'number':
      return formatNumber(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
      return String(value);
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return value.toString();
    case 'function':
      return withProps(formatFunction(value as AnyFunction), value, depth, ctx, true);
    default:
      break;
  }
  if (value === null) return 'null';
  const object = value as object;
  if (ctx.seen.includes(object)) {
    let ref = ctx.circular.get(object);
    if (ref === undefined) {
      ref = ctx.circular.size + 1;
      ctx.circular.set(object, ref);
    }
    return `[Circular *${ref}]`;
  }
  const body = inspectObject(object, depth, ctx);
  const ref = ctx.circular.get(object);
  return ref === undefined ? body : `<ref *${ref}> ${body}`;
}

function wrap(open: string, entries: string[], close: string, ctx: Ctx, indentation: number): string {
  if (entries.length === 0) return `${open}${close}`.replace('  ', ' ');
  const oneLine = `${open} ${entries.join(', ')} ${close}`;
  if (oneLine.length + indentation <= ctx.opts.breakLength && !oneLine.includes('\n')) return oneLine;
  const pad = '  ';
  return `${open}\n${entries.map((e) => pad + e.replace(/\n/g, `\n${pad}`)).join(',\n')}\n${close}`;
}

function ownEntries(object: object, depth: number, ctx: Ctx, skipIndices: boolean): string[] {
  const out: string[] = [];
  let keys: (string | symbol)[];
  try {
    keys = Reflect.ownKeys(object);
  } catch {
    return out;
  }
  for (const key of keys) {
    if (skipIndices && typeof key === 'string' && /^(0|[1-9]\d*)$/.test(key)) continue;
    let descriptor: PropertyDescriptor | undefined;
    try {
      descriptor = Object.getOwnPropertyDescriptor(object, key);
    } catch {
      continue;
    }
    if (!descriptor || !descriptor.enumerable) continue;
    let shown: string;
    if ('value' in descriptor) shown = inspectValue(descriptor.value, depth + 1, ctx, true);
    else
      shown = descriptor.get && descriptor.set ? '[Getter/Setter]' : descriptor.get ? '[Getter]' : '[Setter]';
    out.push(`${formatKey(key)}: ${shown}`);
  }
  return out;
}

function withProps(head: string, object: object, depth: number, ctx: Ctx, skipIndices: boolean): string {
  if (depth > ctx.opts.depth) return head;
  ctx.seen.push(object);
  const props = ownEntries(object, depth, ctx, skipIndices).filter(
    (entry) => !/^(name|length|prototype): /.test(entry),
  );
  ctx.seen.pop();
  return props.length ? wrap(`${head} {`, props, '}', ctx, 0) : head;
}

function prefixFor(name: string | null, fallback: string): string {
  if (name === null) return `[${fallback}: null prototype] `;
  return name === fallback ? '' : `${name} `;
}

function inspectObject(object: object, depth: number, ctx: Ctx): string {
  const tag = toTag(object);
  const name = className(object);
  const { opts } = ctx;

  // Leaf-like objects first: no recursion needed.
  if (tag === 'Date') {
    const time = (object as Date).getTime();
    return Number.isNaN(time) ? 'Invalid Date' : new Date(time).toISOString();
  }
  if (tag === 'RegExp') return RegExp.prototype.toString.call(object);
  if (isError(object)) {
    const text = formatError(object);
    return depth > 0 ? `[${text.split('\n')[0]}]` : text;
  }
  if (tag === 'ArrayBuffer' || tag === 'SharedArrayBuffer') {
    const buffer = object as ArrayBuffer & { detached?: boolean };
    // A transferred buffer is detached: it has no bytes left, and viewing it would throw.
    if (buffer.detached === true) return `${tag} { (detached), byteLength: 0 }`;
    const bytes = new Uint8Array(buffer, 0, Math.min(buffer.byteLength, 50));
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const more = buffer.byteLength > 50 ? ` ... ${buffer.byteLength - 50} more bytes` : '';
    return `${tag} { [Uint8Contents]: <${hex}${more}>, byteLength: ${buffer.byteLength} }`;
  }
  if (tag === 'Symbol' || tag === 'Number' || tag === 'String' || tag === 'Boolean' || tag === 'BigInt') {
    const primitive = (object as { valueOf(): unknown }).valueOf();
    return `[${tag}: ${inspectValue(primitive, depth, ctx, true)}]`;
  }
  if (tag === 'Promise') return `Promise { <unknown> }`;
  if (tag === 'WeakMap' || tag === 'WeakSet' || tag === 'WeakRef') return `${tag} { <items unknown> }`;
  if (tag === 'Window' || tag === 'DedicatedWorkerGlobalScope' || object === globalThis) return `[${tag}]`;

  const label = (fallback: string) => (name === null ? `[${fallback}: null prototype]` : name);

  if (depth > opts.depth) {
    if (Array.isArray(object)) return '[Array]';
    return `[${name ?? 'Object: null prototype'}]`;
  }

  ctx.seen.push(object);
  try {
    if (Array.isArray(object)) {
      const entries: string[] = [];
      let holes = 0;
      const shown = Math.min(object.length, opts.maxArrayLength);
      for (let i = 0; i < shown; i++) {
        if (!Object.prototype.hasOwnProperty.call(object, i)) {
          holes++;
          continue;
        }
        if (holes) entries.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
        holes = 0;
        entries.push(inspectValue(object[i], depth + 1, ctx, true));
      }
      if (holes) entries.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
      if (object.length > shown)
        entries.push(`... ${object.length - shown} more item${object.length - shown > 1 ? 's' : ''}`);
      entries.push(...ownEntries(object, depth, ctx, true));
      const prefix =
        name === 'Array' ? '' : name === null ? '[Array: null prototype] ' : `${name}(${object.length}) `;
      return wrap(`${prefix}[`, entries, ']', ctx, 0);
    }
    if (ArrayBuffer.isView(object)) {
      if (tag === 'DataView') {
        const view = object as DataView;
        return `DataView { byteLength: ${view.byteLength}, byteOffset: ${view.byteOffset}, buffer: ${inspectValue(view.buffer, depth + 1, ctx, true)} }`;
      }
      const typed = object as unknown as ArrayLike<number | bigint>;
      const shown = Math.min(typed.length, opts.maxArrayLength);
      const entries: string[] = [];
      for (let i = 0; i < shown; i++) entries.push(inspectValue(typed[i], depth + 1, ctx, true));
      if (typed.length > shown) entries.push(`... ${typed.length - shown} more items`);
      return wrap(`${name ?? tag}(${typed.length}) [`, entries, ']', ctx, 0);
    }
    if (tag === 'Map') {
      const map = object as Map<unknown, unknown>;
      const entries: string[] = [];
      let i = 0;
      for (const [k, v] of Map.prototype.entries.call(map)) {
        if (i++ >= opts.maxArrayLength) {
          entries.push(`... ${map.size - opts.maxArrayLength} more items`);
          break;
        }
        entries.push(`${inspectValue(k, depth + 1, ctx, true)} => ${inspectValue(v, depth + 1, ctx, true)}`);
      }
      entries.push(...ownEntries(object, depth, ctx, false));
      return wrap(
        `${label('Map')}(${Reflect.get(Map.prototype, 'size', map) as number}) {`,
        entries,
        '}',
        ctx,
        0,
      );
    }
    if (tag === 'Set') {
      const set = object as Set<unknown>;
      const entries: string[] = [];
      let i = 0;
      const size = Reflect.get(Set.prototype, 'size', set) as number;
      for (const v of Set.prototype.values.call(set)) {
        if (i++ >= opts.maxArrayLength) {
          entries.push(`... ${size - opts.maxArrayLength} more items`);
          break;
        }
        entries.push(inspectValue(v, depth + 1, ctx, true));
      }
      entries.push(...ownEntries(object, depth, ctx, false));
      return wrap(`${label('Set')}(${size}) {`, entries, '}', ctx, 0);
    }
    const entries = ownEntries(object, depth, ctx, false);
    const prefix = prefixFor(name, 'Object');
    const tagged = tag !== 'Object' && tag !== name && name !== null ? `${prefix.trim()} [${tag}] ` : prefix;
    if (entries.length === 0) return `${tagged}{}`;
    return wrap(`${tagged}{`, entries, '}', ctx, 0);
  } finally {
    ctx.seen.pop();
  }
}

/** One value as the console shows it. Top-level strings are printed raw, nested ones quoted. */
export function inspect(value: unknown, options: InspectOptions = {}): string {
  const ctx: Ctx = { opts: { ...defaults, ...options }, seen: [], circular: new Map() };
  // Two passes when there is a cycle: the first finds cycle targets, the second labels them.
  const first = inspectValue(value, 0, ctx, false);
  if (ctx.circular.size === 0) return first;
  const again: Ctx = { opts: ctx.opts, seen: [], circular: ctx.circular };
  return inspectValue(value, 0, again, false);
}

/** Like `inspect`, but strings are quoted: how `%o`, `console.dir` and table cells show values. */
export function inspectNested(value: unknown, options: InspectOptions = {}): string {
  return typeof value === 'string' ? quote(cut(value, { ...defaults, ...options })) : inspect(value, options);
}

function specifierNumber(value: unknown, integer: boolean): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return 'NaN';
  if (typeof value === 'number') return formatNumber(integer ? Math.trunc(value) : value);
  const n = integer ? Number.parseInt(String(value), 10) : Number.parseFloat(String(value));
  if (typeof value === 'object' && value !== null) return 'NaN';
  return formatNumber(n);
}

/**
 * The text of a console.log call: `%s %d %i %f %o %O %c %%` in a leading string are replaced
 * (`%c` styles are dropped, this is text), then the remaining arguments follow, space separated.
 */
export function formatArgs(args: readonly unknown[], options: InspectOptions = {}): string {
  if (args.length === 0) return '';
  const parts: string[] = [];
  let rest = 0;
  const first = args[0];
  if (typeof first === 'string' && first.includes('%')) {
    let next = 1;
    const text = first.replace(/%([sdifoOcj%])/g, (match, spec: string) => {
      if (spec === '%') return '%';
      if (next >= args.length) return match;
      const arg = args[next++];
      switch (spec) {
        case 's':
          return typeof arg === 'string'
            ? arg
            : typeof arg === 'bigint'
              ? `${arg}n`
              : typeof arg === 'symbol'
                ? arg.toString()
                : typeof arg === 'object' && arg !== null
                  ? inspect(arg, { ...options, depth: 1 })
                  : inspect(arg, options);
        case 'd':
        case 'i':
          return specifierNumber(arg, true);
        case 'f':
          return specifierNumber(arg, false);
        case 'o':
          return inspectNested(arg, { ...options, depth: 4 });
        case 'O':
        case 'j':
          return inspectNested(arg, options);
        case 'c':
          return '';
        default:
          return match;
      }
    });
    parts.push(text);
    rest = next;
  } else {
    parts.push(inspect(first, options));
    rest = 1;
  }
  for (let i = rest; i < args.length; i++) parts.push(inspect(args[i], options));
  return parts.join(' ');
}

/**
 * console.table as a box-drawn text table. Rows are the own enumerable entries of `data`
 * (array indices, object keys, Map entries); columns are the union of row keys, plus `Values`
 * for primitive rows. `columns` restricts and orders the columns, as in the browser.
 */
export function formatTable(data: unknown, columns?: readonly string[]): string | null {
  if (typeof data !== 'object' || data === null) return null;
  const rows: [string, unknown][] = [];
  const tag = toTag(data);
  if (tag === 'Map') {
    let i = 0;
    for (const [k, v] of (data as Map<unknown, unknown>).entries())
      rows.push([String(i++), { Key: k, Values: v }]);
  } else if (tag === 'Set') {
    let i = 0;
    for (const v of (data as Set<unknown>).values()) rows.push([String(i++), v]);
  } else {
    for (const key of Object.keys(data)) rows.push([key, (data as Record<string, unknown>)[key]]);
  }
  const header = ['(index)'];
  const keyColumns: string[] = [];
  let hasValues = false;
  for (const [, row] of rows) {
    if (typeof row === 'object' && row !== null) {
      for (const k of Object.keys(row)) if (!keyColumns.includes(k)) keyColumns.push(k);
    } else hasValues = true;
  }
  const chosen = columns ? [...columns] : keyColumns;
  header.push(...chosen);
  if (hasValues) header.push('Values');
  const cell = (value: unknown) =>
    inspectNested(value, { depth: 0, maxStringLength: 200 }).replace(/\n\s*/g, ' ');
  const body = rows.map(([index, row]) => {
    const line = [index];
    for (const column of chosen) {
      const isObject = typeof row === 'object' && row !== null;
      line.push(
        isObject && Object.prototype.hasOwnProperty.call(row, column)
          ? cell((row as Record<string, unknown>)[column])
          : '',
      );
    }
    if (hasValues) line.push(typeof row === 'object' && row !== null ? '' : cell(row));
    return line;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => (line[i] ?? '').length)) + 2);
  const rule = (l: string, m: string, r: string) => l + widths.map((w) => '─'.repeat(w)).join(m) + r;
  const line = (cells: string[]) =>
    `│${cells.map((c, i) => ` ${c.padEnd((widths[i] ?? 2) - 2)} `).join('│')}│`;
  return [
    rule('┌', '┬', '┐'),
    line(header),
    rule('├', '┼', '┤'),
    ...body.map(line),
    rule('└', '┴', '┘'),
  ].join('\n');
}

/** Prefixes every line of `text` with two spaces per group level. */
export function indent(text: string, depth: number): string {
  if (depth <= 0) return text;
  const pad = '  '.repeat(depth);
  return pad + text.replace(/\n/g, `\n${pad}`);
}

/** A postMessage payload as one short line, for the run's `message` events. */
export function messageSummary(data: unknown): string {
  return inspectNested(data, { depth: 1, maxStringLength: 60, breakLength: Infinity });
}

/** A time limit the reader set or the runner applies ("300 ms", "5 s", "2.5 s"), for messages. */
export function formatLimit(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
}
