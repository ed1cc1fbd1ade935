/**
 * Channels as in `interleave/csp`: `channel(name, capacity)` and `select(cases)`. An unbuffered
 * send is a rendezvous, one step that hands the value to a waiting receiver.
 */
import { addModelModule } from './call-site.ts';
import { ModelError, ModelPanic } from './errors.ts';
import { formatValue } from './format-value.ts';
import type { ChannelState, Kernel, Performed, ThreadState } from './kernel.ts';
import type { ModelChannel, ProgramApi, Received, SelectCase, Selected } from './types.ts';

addModelModule(new Error().stack);

/** A channel as handed to the program: it carries its state, for `select`'s cases. */
type ChannelHandle<T> = ModelChannel<T> & { state: ChannelState };

export function channels(kernel: Kernel): Pick<ProgramApi, 'channel' | 'select'> {
  const channel = <T>(name: string, capacity = 0): ModelChannel<T> => {
    kernel.declare('channel', name);
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new ModelError(`channel('${name}', ${capacity}): the capacity is a whole number ≥ 0.`);
    const state: ChannelState = { name, capacity, buffer: [], closed: false };
    kernel.objects.channels.push(state);
    const handle: ChannelHandle<T> = {
      name,
      state,
      send: (value: T) => {
        const c = sendCase(state, value);
        return kernel.request<void>(
          {
            action: c.action,
            objects: [name],
            blocked: () => (c.ready() ? null : c.waits),
            perform: () => c.perform(),
          },
          c.action,
        );
      },
      recv: () => {
        const c = recvCase(state);
        return kernel.request<Received<T>>(
          {
            action: c.action,
            objects: [name],
            blocked: () => (c.ready() ? null : c.waits),
            perform: () => ({ result: c.take() }),
            receives: [state],
          },
          c.action,
        );
      },
      close: () =>
        kernel.request<void>(
          {
            action: `close(${name})`,
            objects: [name],
            blocked: () => null,
            perform: () => {
              if (state.closed) throw new ModelPanic(`close of closed channel ${name}`);
              state.closed = true;
              kernel.countWrite();
              return { result: undefined };
            },
          },
          `close(${name})`,
        ),
    };
    return handle;
  };

  /** A send as a case: ready, and what performing it does (for a plain send and for select). */
  const sendCase = (state: ChannelState, value: unknown) => {
    const sender = kernel.running;
    const receiver = (): ThreadState | undefined =>
      kernel.threads
        .filter((t) => t !== sender && t.status === 'parked' && t.pending?.receives?.includes(state))
        .sort((a, b) => a.parkedAt - b.parkedAt)[0];
    return {
      action: `${state.name}.send(${formatValue(value)})`,
      waits:
        state.capacity === 0
          ? `waits for a receiver on ${state.name}`
          : `waits for room in ${state.name} (full)`,
      ready: (): boolean =>
        state.closed ||
        (state.capacity === 0 ? receiver() !== undefined : state.buffer.length < state.capacity),
      perform: (): Performed => {
        if (state.closed) throw new ModelPanic(`send on closed channel ${state.name}`);
        kernel.countWrite();
        if (state.capacity > 0) {
          state.buffer.push(value);
          return { result: undefined };
        }
        const partner = receiver()!;
        const got = { value, ok: true };
        // A select that receives learns which of its cases took the value.
        const partnerResult = partner.pending!.branches
          ? { index: partner.pending!.receives!.indexOf(state), ...got }
          : got;
        return { result: undefined, partner, partnerResult };
      },
    };
  };

  const recvCase = (state: ChannelState) => ({
    action: `${state.name}.recv()`,
    waits: `waits for a value on ${state.name}`,
    ready: (): boolean => state.buffer.length > 0 || state.closed,
    take: (): Received<unknown> => {
      kernel.countWrite();
      if (state.buffer.length > 0) return { value: state.buffer.shift(), ok: true };
      return { value: undefined, ok: false };
    },
  });

  const select = (cases: readonly SelectCase[], options: { default?: boolean } = {}): Promise<Selected> => {
    const parts = cases.map((c) => {
      const state = (('recv' in c ? c.recv : c.send) as Partial<ChannelHandle<unknown>>).state;
      if (!state)
        throw new ModelError(
          'select() takes cases on channels made by this program: { recv: ch } or { send: ch, value }.',
        );
      return 'recv' in c
        ? { kind: 'recv' as const, state, c: recvCase(state) }
        : { kind: 'send' as const, state, c: sendCase(state, c.value) };
    });
    const action = `select(${parts.map((p) => p.c.action).join(', ')}${options.default ? ', default' : ''})`;
    const ready = (): number[] => parts.flatMap((p, i) => (p.c.ready() ? [i] : []));
    return kernel.request<Selected>(
      {
        action,
        objects: parts.map((p) => p.state.name),
        blocked: () => (ready().length > 0 || options.default ? null : `waits in ${action}`),
        branches: () => {
          const indices = ready();
          return indices.length > 0 ? indices : options.default ? [-1] : [];
        },
        receives: parts.filter((p) => p.kind === 'recv').map((p) => p.state),
        perform: (branch) => {
          if (branch === undefined || branch === -1) return { result: { index: -1 } };
          const part = parts[branch]!;
          if (part.kind === 'recv') return { result: { index: branch, ...part.c.take() } };
          const done = part.c.perform();
          return { ...done, result: { index: branch } };
        },
      },
      'select()',
    );
  };

  return { channel, select };
}
