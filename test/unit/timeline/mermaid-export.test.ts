import { describe, expect, it } from 'vitest';
import { toMermaidSequence } from '../../../src/client/timeline/mermaid-export.ts';
import type { RunEvent } from '../../../src/runner/index.ts';

const main = { id: 0, label: 'main' } as const;
const w1 = { id: 1, label: 'worker 1', name: 'adder' } as const;

describe('toMermaidSequence', () => {
  it('makes participants of threads, arrows of messages, notes of logs, activations of held mutexes', () => {
    const events: RunEvent[] = [
      { kind: 'status', state: 'running', thread: main, t: 0 },
      { kind: 'worker-started', worker: w1, via: 'spawn', thread: main, t: 1 },
      { kind: 'message', from: main, to: w1, summary: '{ n: 1 }', thread: main, t: 2 },
      { kind: 'lock', what: 'Mutex', lock: 'Mutex 1a2b', op: 'acquire', thread: w1, t: 3 },
      { kind: 'log', level: 'log', text: 'n = 1; #1', depth: 0, thread: w1, t: 4 },
      { kind: 'lock', what: 'Mutex', lock: 'Mutex 1a2b', op: 'release', thread: w1, t: 5 },
      { kind: 'message', from: w1, to: main, summary: 'done', thread: w1, t: 6 },
      { kind: 'worker-stopped', worker: w1, reason: 'terminated', thread: main, t: 7 },
    ];
    expect(toMermaidSequence(events)).toBe(
      [
        'sequenceDiagram',
        '  participant T0 as main',
        '  participant T1 as worker 1 (adder)',
        '  T0-->>T1: spawn()',
        '  T0->>T1: { n: 1 }',
        '  activate T1',
        '  Note right of T1: holds Mutex 1a2b',
        '  Note over T1: n = 1#59; #35;1',
        '  deactivate T1',
        '  T1->>T0: done',
        '  Note over T1: terminated',
        '',
      ].join('\n'),
    );
  });

  it('cuts long runs with a note, long text with an ellipsis, and closes open activations', () => {
    const events: RunEvent[] = [
      { kind: 'lock', what: 'Mutex', lock: 'Mutex 1', op: 'acquire', thread: main, t: 0 },
      ...Array.from({ length: 10 }, (_, i): RunEvent => ({
        kind: 'log',
        level: 'log',
        text: `line ${i} ${'x'.repeat(100)}`,
        depth: 0,
        thread: main,
        t: i,
      })),
    ];
    const text = toMermaidSequence(events, { maxEvents: 3, maxText: 20 });
    const lines = text.trim().split('\n');
    expect(lines).toContain('  Note over T0: line 0 xxxxxxxxxxxx…');
    expect(lines).toContain('  Note over T0: … 8 more events left out');
    expect(lines.at(-1)).toBe('  deactivate T0');
  });

  it('shows channel hand-offs and blocks as notes, and can leave logs out', () => {
    const text = toMermaidSequence(
      [
        { kind: 'log', level: 'log', text: 'hi', depth: 0, thread: main, t: 0 },
        { kind: 'channel', op: 'block', wait: 'recv', opId: 1, channels: ['pings'], thread: main, t: 1 },
        {
          kind: 'channel',
          op: 'handoff',
          channels: ['pings'],
          value: "'ping'",
          via: 'direct',
          thread: main,
          t: 2,
        },
        { kind: 'channel', op: 'unblock', wait: 'recv', opId: 1, thread: main, t: 2 },
      ],
      { logs: false },
    );
    expect(text).toBe(
      [
        'sequenceDiagram',
        '  participant T0 as main',
        '  Note over T0: blocked on recv pings',
        "  Note over T0: hand-off on pings: 'ping' (direct)",
        '',
      ].join('\n'),
    );
  });
});
