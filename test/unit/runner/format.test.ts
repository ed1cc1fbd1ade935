import { inspect as nodeInspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createConsole } from '../../../src/runner/console.ts';
import { formatArgs, formatLimit, formatTable, inspect } from '../../../src/snippet/format.ts';

describe('inspect: matches Node util.inspect on short values', () => {
  class Point {
    x = 1;
    y = 2;
  }
  const cases: [string, unknown][] = [
    ['number', 42],
    ['-0', -0],
    ['NaN', Number.NaN],
    ['bigint', 12n],
    ['symbol', Symbol('s')],
    ['undefined', undefined],
    ['null', null],
    ['true', true],
    ['object', { a: 1, b: 'x', 'c-d': [1, 2] }],
    ['nested depth limit', { a: { b: { c: { d: 1 } } } }],
    ['array', [1, 'two', null, undefined]],
    ['array with holes', [1, , , 4]],
    ['empty object', {}],
    ['empty array', []],
    [
      'Map',
      new Map<unknown, unknown>([
        ['k', 1],
        [2, { v: true }],
      ]),
    ],
    ['Set', new Set([1, 'a'])],
    ['Uint8Array', new Uint8Array([1, 2, 3])],
    ['Float64Array', new Float64Array([0.5])],
    ['Date', new Date(0)],
    ['RegExp', /a+b/gi],
    ['class instance', new Point()],
    ['named function', function named() {}],
    ['class', Point],
    ['arrow', () => 1],
    ['null prototype', Object.assign(Object.create(null), { a: 1 })],
    ['symbol key', { [Symbol('k')]: 1 }],
    ['string in object', { s: "it's" }],
  ];
  for (const [name, value] of cases) {
    it(name, () => {
      expect(inspect(value)).toBe(typeof value === 'string' ? value : nodeInspect(value));
    });
  }
  it('circular references', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a['self'] = a;
    expect(inspect(a)).toBe(nodeInspect(a));
    expect(inspect(a)).toBe("<ref *1> { name: 'a', self: [Circular *1] }");
  });
  it('long objects break into lines', () => {
    const value = { alpha: 'a'.repeat(30), beta: 'b'.repeat(30), gamma: 'c'.repeat(30) };
    expect(inspect(value)).toBe(nodeInspect(value));
  });
});

describe('inspect: browser-only and text-only cases', () => {
  it('ArrayBuffer and SharedArrayBuffer show bytes and length', () => {
    expect(inspect(new Uint8Array([1, 255]).buffer)).toBe(
      'ArrayBuffer { [Uint8Contents]: <01 ff>, byteLength: 2 }',
    );
    expect(inspect(new SharedArrayBuffer(2))).toBe(
      'SharedArrayBuffer { [Uint8Contents]: <00 00>, byteLength: 2 }',
    );
  });
  it('errors print their stack at top level and a short form nested', () => {
    const error = new TypeError('bad');
    expect(inspect(error).split('\n')[0]).toBe('TypeError: bad');
    expect(inspect({ error })).toBe('{ error: [TypeError: bad] }');
  });
  it('errors whose stack lacks the message (Firefox style) get it added', () => {
    const error = Object.assign(new Error('m'), { stack: 'f@snippet.js:1:2\n' });
    expect(inspect(error)).toBe('Error: m\n    at f@snippet.js:1:2');
  });
  it('HTML stays text', () => {
    expect(formatArgs(['<img src=x onerror=alert(1)>'])).toBe('<img src=x onerror=alert(1)>');
    expect(inspect({ html: '<b>x</b>' })).toBe("{ html: '<b>x</b>' }");
  });
  it('undefined and null differ', () => {
    expect(formatArgs([undefined, null])).toBe('undefined null');
  });
  it('cuts very long strings', () => {
    expect(inspect('x'.repeat(10_005), { maxStringLength: 10_000 })).toBe(
      `${'x'.repeat(10_000)}... 5 more characters`,
    );
  });
  it('cross-realm-safe: objects without Object.prototype', () => {
    expect(inspect(Object.create(null))).toBe('[Object: null prototype] {}');
  });
});

describe('formatArgs: format specifiers', () => {
  it.each([
    [['%s is %d years', 'Ada', 36.6], 'Ada is 36 years'],
    [['%i', '42.9px'], '42'],
    [['%f', '1.5'], '1.5'],
    [['%o', { a: [1] }], '{ a: [ 1 ] }'],
    [['%O', 'str'], "'str'"],
    [['%cstyled', 'color: red'], 'styled'],
    [['100%%'], '100%'],
    [['%s', 1n], '1n'],
    [['%d', -0], '-0'],
    [['%s and', 'a', 'rest', { b: 1 }], 'a and rest { b: 1 }'],
    [['missing %s'], 'missing %s'],
  ])('case %#', (args, expected) => {
    expect(formatArgs(args)).toBe(expected);
  });
});

describe('formatTable', () => {
  it('draws rows and columns', () => {
    expect(formatTable([{ a: 1, b: 'x' }, { a: 2 }])).toBe(
      [
        '┌─────────┬───┬─────┐',
        '│ (index) │ a │ b   │',
        '├─────────┼───┼─────┤',
        "│ 0       │ 1 │ 'x' │",
        '│ 1       │ 2 │     │',
        '└─────────┴───┴─────┘',
      ].join('\n'),
    );
  });
  it('primitive rows go in a Values column; columns filter', () => {
    expect(formatTable({ x: 1 })).toContain('│ Values │');
    expect(formatTable([{ a: 1, b: 2 }], ['b'])).not.toContain(' a ');
  });
  it('is null for primitives (console.table then logs the value)', () => {
    expect(formatTable(5)).toBeNull();
  });
});

describe('createConsole', () => {
  const capture = () => {
    const lines: string[] = [];
    let clock = 0;
    const console = createConsole(
      (level, text) => lines.push(`${level}|${text}`),
      () => clock,
      () => '    at snippet.js:3:1',
    );
    return { lines, console, tick: (ms: number) => (clock += ms) };
  };
  it('count, countReset', () => {
    const { lines, console } = capture();
    console.count();
    console.count();
    console.count('x');
    console.countReset();
    console.count();
    console.countReset('nope');
    expect(lines).toEqual([
      'count|default: 1',
      'count|default: 2',
      'count|x: 1',
      'count|default: 1',
      "warn|Count for 'nope' does not exist",
    ]);
  });
  it('time, timeLog, timeEnd', () => {
    const { lines, console, tick } = capture();
    console.time('t');
    tick(1.5);
    console.timeLog('t', 'half');
    tick(1);
    console.timeEnd('t');
    console.timeEnd('t');
    expect(lines).toEqual(['time|t: 1.5 ms half', 'time|t: 2.5 ms', "warn|Timer 't' does not exist"]);
  });
  it('group indents until groupEnd', () => {
    const { lines, console } = capture();
    console.group('outer');
    console.log('in\ntwo lines');
    console.groupEnd();
    console.groupEnd();
    console.log('out');
    expect(lines).toEqual(['group|outer', 'log|  in\n  two lines', 'log|out']);
  });
  it('assert, trace, table, dir', () => {
    const { lines, console } = capture();
    console.assert(true, 'never');
    console.assert(false, 'x is %d', 3);
    console.assert(0);
    console.trace('here');
    console.table(5);
    console.dir('s');
    expect(lines).toEqual([
      'assert|Assertion failed: x is 3',
      'assert|Assertion failed',
      'trace|Trace: here\n    at snippet.js:3:1',
      'log|5',
      "dir|'s'",
    ]);
  });
});

describe('inspect: buffers given away', () => {
  it('prints a transferred (detached) ArrayBuffer instead of throwing', () => {
    const buffer = new ArrayBuffer(8);
    structuredClone(buffer, { transfer: [buffer] });
    expect(inspect(buffer)).toBe('ArrayBuffer { (detached), byteLength: 0 }');
  });
});

describe('formatLimit: a time limit in a message', () => {
  it('writes milliseconds under a second, else seconds with at most one decimal', () => {
    expect(formatLimit(300)).toBe('300 ms');
    expect(formatLimit(1000)).toBe('1 s');
    expect(formatLimit(2500)).toBe('2.5 s');
    expect(formatLimit(10_000)).toBe('10 s');
  });
});
