import { describe, expect, it } from 'vitest';
import { moveTo } from '../../../src/client/stepper/navigation.ts';
import type { Step } from '../../../src/stepper/types.ts';

const step = (turn: number, outputLength: number): Step => ({
  kind: 'statement',
  narration: '',
  stack: [],
  microtasks: [],
  tasks: [],
  nowMs: 0,
  outputLength,
  turn,
});
// Turns 0,0,0 | 1,1 | 2,2 ; output grows at steps 1 and 4.
const steps = [step(0, 0), step(0, 1), step(0, 1), step(1, 1), step(1, 2), step(2, 2), step(2, 2)];

describe('moveTo', () => {
  it('moves one step, staying within the recording', () => {
    expect(moveTo(steps, 0, 'next', false)).toBe(1);
    expect(moveTo(steps, 6, 'next', false)).toBe(6);
    expect(moveTo(steps, 0, 'back', false)).toBe(0);
    expect(moveTo(steps, 3, 'start', false)).toBe(0);
    expect(moveTo(steps, 3, 'end', false)).toBe(6);
  });

  it('in coarse mode, moves one event-loop turn', () => {
    expect(moveTo(steps, 1, 'next', true)).toBe(3);
    expect(moveTo(steps, 3, 'next', true)).toBe(5);
    expect(moveTo(steps, 4, 'back', true)).toBe(3);
    expect(moveTo(steps, 3, 'back', true)).toBe(0);
    expect(moveTo(steps, 5, 'back', true)).toBe(3);
  });

  it('goes to the next step that printed a line, or to the end', () => {
    expect(moveTo(steps, 0, 'nextOutput', false)).toBe(1);
    expect(moveTo(steps, 1, 'nextOutput', false)).toBe(4);
    expect(moveTo(steps, 4, 'nextOutput', false)).toBe(6);
  });
});
