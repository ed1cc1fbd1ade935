/** session.ts: by-hand runs with undo, the panel's words, and a schedule as timeline events. */
import { describe, expect, it } from 'vitest';
import type { Setup } from '../../../src/concurrency/model/index.ts';
import {
  HandSession,
  SNIPPET_FILE,
  describeEnding,
  describeStep,
  moveLabel,
  parseRandomFragment,
  randomFragment,
  scheduleEvents,
} from '../../../src/client/scheduler/session.ts';
import { layoutTimeline } from '../../../src/client/timeline/layout.ts';
import { toMermaidSequence } from '../../../src/client/timeline/mermaid-export.ts';
import { race } from '../../support/model-race.ts';

const twoLocks: Setup = ({ mutex, thread }) => {
  const a = mutex('A');
  const b = mutex('B');
  thread(async () => {
    await a.lock();
    await b.lock();
    await b.unlock();
    await a.unlock();
  });
  thread(async () => {
    await b.lock();
    await a.lock();
    await a.unlock();
    await b.unlock();
  });
};

describe('a by-hand session', () => {
  it('steps, undoes by replay, and ends with the outcome', async () => {
    const session = await HandSession.open(race);
    expect(session.moves().map((m) => `${m.thread} ${m.action}`)).toEqual(['1 x.read()', '2 x.read()']);
    expect(await session.choose(1)).toBe(true);
    expect(await session.choose(2)).toBe(true);
    expect(session.run.state().threads.map((t) => t.next)).toEqual(['x.write(1)', 'x.write(1)']);
    await session.undo();
    expect(session.schedule).toEqual([{ thread: 1 }]);
    expect(session.run.state().threads.map((t) => t.next)).toEqual(['x.write(1)', 'x.read()']);
    for (const thread of [2, 1, 2]) await session.choose(thread);
    expect(describeEnding(session.run.ending)).toBe('Every thread finished: x = 1.');
    expect(session.moves()).toEqual([]);
    await session.restart();
    expect(session.canUndo).toBe(false);
  });

  it('a thread that cannot run is refused and nothing changes', async () => {
    const session = await HandSession.open(twoLocks, [{ thread: 1 }]);
    await session.choose(2);
    expect(await session.choose(1)).toBe(false);
    expect(describeEnding(session.run.ending)).toBe(
      'Deadlock: every thread waits: thread 1 holds A and waits for B; thread 2 holds B and waits for A.',
    );
    expect(session.run.state().threads.map((t) => t.waits)).toEqual(['waits for B', 'waits for A']);
  });
});

describe('words', () => {
  const lines = ['const x = 1;', '', '    await x.write(tmp + 1); // the write'];
  it('a button is named for what it would do, with the line of the code', () => {
    const site = { file: `http://localhost/${SNIPPET_FILE}`, line: 3 };
    expect(moveLabel({ thread: 2, action: 'x.write(1)', site }, 'thread 2', lines)).toBe(
      'Run thread 2: line 3, await x.write(tmp + 1)',
    );
    expect(moveLabel({ thread: 1, action: 'lock(A)' }, 'thread 1', lines)).toBe('Run thread 1: lock(A)');
    expect(moveLabel({ thread: 1, action: 'select(…)', branch: 1 }, 'thread 1', lines)).toBe(
      'Run thread 1: select(…) (case 2)',
    );
    expect(
      describeStep(
        { choice: { thread: 1 }, action: 'x.read()', result: '0', site },
        new Map([[1, 'thread 1']]),
      ),
    ).toBe('thread 1 ran line 3, x.read() → 0.');
  });

  it('a random run is shared as a fragment with the example and the seed', () => {
    expect(randomFragment('lost-update', 42)).toBe('#scheduler=lost-update:42');
    expect(parseRandomFragment('#scheduler=lost-update:42')).toEqual({ exampleId: 'lost-update', seed: 42 });
    expect(parseRandomFragment('#other')).toBeUndefined();
  });
});

describe('a schedule on the run timeline', () => {
  it('has a lane per thread, lock holds, and exports to Mermaid', async () => {
    const session = await HandSession.open(twoLocks, [
      { thread: 1 },
      { thread: 1 },
      { thread: 1 },
      { thread: 1 },
    ]);
    for (const thread of [2, 2, 2, 2]) await session.choose(thread);
    const names = new Map([
      [1, 'thread 1'],
      [2, 'thread 2'],
    ]);
    const events = scheduleEvents(session.run.steps, names, describeEnding(session.run.ending));
    const layout = layoutTimeline(events);
    // The timeline always has the page's lane (0); each model thread gets its own.
    expect(layout.lanes.map((l) => l.thread)).toEqual([0, 1, 2]);
    expect(layout.spans.filter((s) => s.kind === 'lock-held')).toHaveLength(4);
    const mermaid = toMermaidSequence(events);
    expect(mermaid).toContain('sequenceDiagram');
    expect(mermaid).toContain('lock(A)');
  });
});
