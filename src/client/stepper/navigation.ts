/**
 * Where each of the stepper's moves goes, from the current step (pure: unit-tested in Node).
 * Coarse mode moves one event-loop turn at a time: a task, then the microtasks it leaves.
 */
import type { Step } from '../../stepper/types.ts';

/** Where the reader asks the stepper to go: its buttons and keys. */
export type StepperMove = 'start' | 'back' | 'next' | 'end' | 'nextOutput';

export function moveTo(steps: readonly Step[], at: number, move: StepperMove, coarse: boolean): number {
  const last = steps.length - 1;
  const turn = (i: number) => steps[i]?.turn ?? 0;
  switch (move) {
    case 'start':
      return 0;
    case 'end':
      return last;
    case 'next': {
      if (!coarse) return Math.min(at + 1, last);
      let i = at + 1;
      while (i < last && turn(i) === turn(at)) i++;
      return Math.min(i, last);
    }
    case 'back': {
      if (!coarse) return Math.max(at - 1, 0);
      // To the start of this turn, or from there to the start of the one before.
      let i = at;
      while (i > 0 && turn(i - 1) === turn(at)) i--;
      if (i < at) return i;
      i = at - 1;
      while (i > 0 && turn(i - 1) === turn(Math.max(at - 1, 0))) i--;
      return Math.max(i, 0);
    }
    case 'nextOutput': {
      const have = steps[at]?.outputLength ?? 0;
      const found = steps.findIndex((step, i) => i > at && step.outputLength > have);
      return found < 0 ? last : found;
    }
  }
}
