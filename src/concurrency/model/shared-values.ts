/** Shared variables: `shared(name, initial)`, whose reads, writes and atomic operations are steps. */
import { addModelModule } from './call-site.ts';
import { ModelError } from './errors.ts';
import { formatValue } from './format-value.ts';
import type { Kernel, VariableState } from './kernel.ts';
import type { ProgramApi, Shared } from './types.ts';

addModelModule(new Error().stack);

export function sharedValues(kernel: Kernel): Pick<ProgramApi, 'shared'> {
  const shared = <T>(name: string, initial: T): Shared<T> => {
    kernel.declare('shared', name);
    let value = initial;
    const variable: VariableState = { name, version: 0 };
    kernel.objects.variables.push({ name, get: () => value });
    const op = <R>(label: string, perform: () => R, writes: boolean): Promise<R> =>
      kernel.request<R>(
        {
          action: label,
          blocked: () => null,
          objects: [name],
          readOnly: !writes,
          variable,
          perform: () => {
            const before = value;
            const result = perform();
            if (!Object.is(before, value)) {
              variable.version++;
              kernel.countWrite();
            }
            // A plain write gives the thread nothing: only what it read decides its next turn.
            if (!label.startsWith(`${name}.write(`))
              kernel.performing!.readSinceSpin.push({ variable, version: variable.version });
            return { result };
          },
        },
        label,
      );
    return {
      name,
      read: () => op(`${name}.read()`, () => value, false),
      write: (next: T) =>
        op(
          `${name}.write(${formatValue(next)})`,
          () => {
            value = next;
            return undefined;
          },
          true,
        ),
      add(delta: number) {
        return op(
          `${name}.add(${delta})`,
          () => {
            const before = value as number;
            value = (before + delta) as T;
            return before;
          },
          true,
        ) as Promise<number>;
      },
      exchange: (next: T) =>
        op(
          `${name}.exchange(${formatValue(next)})`,
          () => {
            const before = value;
            value = next;
            return before;
          },
          true,
        ),
      compareExchange: (expected: T, replacement: T) =>
        op(
          `${name}.compareExchange(${formatValue(expected)}, ${formatValue(replacement)})`,
          () => {
            const before = value;
            if (Object.is(before, expected)) value = replacement;
            return before;
          },
          true,
        ),
      get value(): T {
        if (kernel.threadsLive()) {
          throw new ModelError(
            `${name}.value was read while threads run: inside a thread, use await ${name}.read().`,
          );
        }
        return value;
      },
    };
  };
  return { shared };
}
