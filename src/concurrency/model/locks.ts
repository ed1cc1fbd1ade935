/** Locks: `mutex(name)`, `semaphore(name, permits)` and `condition(name)`, used with a mutex. */
import { addModelModule } from './call-site.ts';
import { ModelError } from './errors.ts';
import type { ConditionState, Kernel, MutexState, SemaphoreState } from './kernel.ts';
import type { ModelCondition, ModelMutex, ModelSemaphore, ProgramApi } from './types.ts';

addModelModule(new Error().stack);

/** A mutex as handed to the program: it carries its state, for a condition's `wait(mutex)`. */
type MutexHandle = ModelMutex & { state: MutexState };

export function locks(kernel: Kernel): Pick<ProgramApi, 'mutex' | 'semaphore' | 'condition'> {
  /** A step that always can run and changes the lock's state. */
  const change = (action: string, objects: string[], perform: () => void): Promise<void> =>
    kernel.request<void>(
      {
        action,
        objects,
        blocked: () => null,
        perform: () => {
          perform();
          return { result: undefined };
        },
      },
      action,
    );

  const mutex = (name: string): ModelMutex => {
    kernel.declare('mutex', name);
    const state: MutexState = { name, owner: null };
    kernel.objects.mutexes.push(state);
    const handle: MutexHandle = {
      name,
      state,
      lock: () =>
        kernel.request<void>(
          {
            action: `lock(${name})`,
            objects: [name],
            blocked: () => (state.owner ? `waits for ${name}` : null),
            perform: () => {
              state.owner = kernel.performing!;
              kernel.countWrite();
              return { result: undefined };
            },
          },
          `lock(${name})`,
        ),
      unlock: () =>
        change(`unlock(${name})`, [name], () => {
          if (state.owner !== kernel.performing) {
            throw new Error(`unlock(${name}) by ${kernel.performing!.name}, which does not hold it`);
          }
          state.owner = null;
          kernel.countWrite();
        }),
    };
    return handle;
  };

  const semaphore = (name: string, permits: number): ModelSemaphore => {
    kernel.declare('semaphore', name);
    const state: SemaphoreState = { name, permits };
    kernel.objects.semaphores.push(state);
    return {
      name,
      acquire: () =>
        kernel.request<void>(
          {
            action: `acquire(${name})`,
            objects: [name],
            blocked: () => (state.permits > 0 ? null : `waits for ${name} (0 permits)`),
            perform: () => {
              state.permits--;
              kernel.countWrite();
              return { result: undefined };
            },
          },
          `acquire(${name})`,
        ),
      release: () =>
        change(`release(${name})`, [name], () => {
          state.permits++;
          kernel.countWrite();
        }),
    };
  };

  const condition = (name: string): ModelCondition => {
    kernel.declare('condition', name);
    const state: ConditionState = { name, waiters: [] };
    kernel.objects.conditions.push(state);
    const wake = (all: boolean): void => {
      for (const waiter of state.waiters) {
        if (waiter.notified) continue;
        waiter.notified = true;
        if (!all) break;
      }
      kernel.countWrite();
    };
    return {
      name,
      wait: async (m: ModelMutex) => {
        const me = kernel.running;
        const lock = (m as Partial<MutexHandle>).state;
        if (!lock) throw new ModelError(`${name}.wait() takes a mutex made by this program's mutex().`);
        await change(`${name}.wait(${lock.name})`, [name, lock.name], () => {
          const me = kernel.performing!;
          if (lock.owner !== me)
            throw new Error(`${name}.wait(${lock.name}) by ${me.name}, which does not hold ${lock.name}`);
          lock.owner = null;
          state.waiters.push({ thread: me, notified: false });
          kernel.countWrite();
        });
        await kernel.request<void>(
          {
            action: `wake from ${name}, lock(${lock.name})`,
            objects: [name, lock.name],
            blocked: () => {
              const waiter = state.waiters.find((w) => w.thread === me);
              if (!waiter?.notified) return `waits for a notify on ${name}`;
              return lock.owner ? `was notified and waits for ${lock.name}` : null;
            },
            perform: () => {
              state.waiters.splice(
                state.waiters.findIndex((w) => w.thread === me),
                1,
              );
              lock.owner = me;
              kernel.countWrite();
              return { result: undefined };
            },
          },
          `${name}.wait(${lock.name})`,
        );
      },
      notify: () => change(`${name}.notify()`, [name], () => wake(false)),
      notifyAll: () => change(`${name}.notifyAll()`, [name], () => wake(true)),
    };
  };

  return { mutex, semaphore, condition };
}
