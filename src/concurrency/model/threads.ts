/**
 * Threads and what they do besides touching shared objects: `thread(body)` declares one,
 * `step(label)` is a step that touches nothing, `spin()` marks a busy-wait loop's turn, and
 * `assert` (not a step) fails the schedule.
 */
import { addModelModule } from './call-site.ts';
import { AssertionFailure, ModelError } from './errors.ts';
import type { Kernel, ThreadState } from './kernel.ts';
import type { ProgramApi } from './types.ts';

addModelModule(new Error().stack);

export function threads(kernel: Kernel): Pick<ProgramApi, 'thread' | 'step' | 'spin' | 'assert'> {
  return {
    thread: (body, name) => {
      if (!kernel.settingUp) {
        throw new ModelError('Declare threads in the set-up function, not inside a thread.');
      }
      if (typeof body !== 'function')
        throw new ModelError('thread() takes an async function: thread(async () => { … }).');
      const id = kernel.threads.length + 1;
      kernel.threads.push({
        id,
        name: name ?? `thread ${id}`,
        status: 'parked',
        pending: null,
        resolve: null,
        reject: null,
        error: undefined,
        parkedAt: 0,
        spunAtWrites: 0,
        readSinceSpin: [],
        otherSinceSpin: false,
        body,
      });
    },
    step: (label = 'step') =>
      kernel.request<void>(
        {
          action: label,
          objects: [],
          readOnly: true,
          blocked: () => null,
          perform: () => ({ result: undefined }),
        },
        `step(${label})`,
      ),
    spin: () => {
      const me = kernel.running;
      return kernel.request<void>(
        {
          action: 'spin()',
          spin: true,
          blocked: () => (me ? spinWaits(kernel, me) : null),
          perform: () => {
            me!.spunAtWrites = kernel.writes;
            me!.readSinceSpin = [];
            me!.otherSinceSpin = false;
            return { result: undefined };
          },
        },
        'spin()',
      );
    },
    assert: (condition, message = 'assertion failed') => {
      if (!condition) throw new AssertionFailure(message);
    },
  };
}

/**
 * A busy-wait loop's next turn does what this one did unless something it read has changed
 * since, so its spin() waits for such a change (any write, when the loop did more than read
 * variables). Deferring a spin until then loses no outcome: a spin touches nothing.
 */
function spinWaits(kernel: Kernel, thread: ThreadState): string | null {
  if (thread.otherSinceSpin)
    return kernel.writes > thread.spunAtWrites ? null : 'spins until another thread writes shared state';
  if (thread.readSinceSpin.some((r) => r.variable.version !== r.version)) return null;
  const names = [...new Set(thread.readSinceSpin.map((r) => r.variable.name))];
  return names.length === 0
    ? 'spins without reading shared state'
    : `spins until another thread changes ${names.join(' or ')}`;
}
