import { describe, expect, it } from 'vitest';
import { MAIN_THREAD, type RunEvent } from '../../../src/runner/events.ts';
import { Recorder, outputText } from '../../../src/runner/recorder.ts';

const log = (text: string): RunEvent =>
  ({ kind: 'log', level: 'log', text, thread: MAIN_THREAD, t: 0 }) as RunEvent;
const message = (): RunEvent =>
  ({
    kind: 'message',
    from: MAIN_THREAD,
    to: MAIN_THREAD,
    summary: '1',
    thread: MAIN_THREAD,
    t: 0,
  }) as unknown as RunEvent;

describe('Recorder caps', () => {
  it('keeps the first and last output lines of a flood and says how many were left out', async () => {
    const recorder = new Recorder({ head: 3, tail: 2 });
    for (let i = 1; i <= 10; i++) recorder.push(log(`line ${i}`));
    recorder.finish('done');
    const result = await recorder.done;
    expect(outputText(result.events).split('\n')).toEqual([
      'line 1',
      'line 2',
      'line 3',
      '… 5 lines left out …',
      'line 9',
      'line 10',
    ]);
    expect(result.droppedLines).toBe(5);
  });

  it('does not let messages between threads crowd out console lines', async () => {
    const recorder = new Recorder({ head: 3, tail: 0, messageEvents: 4 });
    for (let i = 0; i < 100; i++) recorder.push(message());
    recorder.push(log('still here'));
    recorder.finish('done');
    const result = await recorder.done;
    expect(outputText(result.events)).toBe('still here');
    expect(result.events.filter((e) => e.kind === 'message')).toHaveLength(4);
    const limits = result.events.filter((e) => e.kind === 'limit');
    expect(limits).toHaveLength(1);
    expect(limits[0]).toMatchObject({ what: 'messages' });
  });
});
