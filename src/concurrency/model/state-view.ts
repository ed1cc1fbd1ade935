/** What the scheduler sees of a run now: its threads, variables, locks and channels. */
import { formatValue, plural } from './format-value.ts';
import { canRun, whyBlocked, type Kernel } from './kernel.ts';
import type { StateView } from './types.ts';

export function stateView(kernel: Kernel): StateView {
  const { threads, objects } = kernel;
  return {
    threads: threads.map((t) => {
      const status =
        t.status === 'done' || t.status === 'failed' ? t.status : canRun(t) ? 'ready' : 'blocked';
      const waits = status === 'blocked' ? whyBlocked(t) : undefined;
      return {
        id: t.id,
        name: t.name,
        status,
        ...(t.pending ? { next: t.pending.action } : {}),
        ...(t.pending?.site ? { site: t.pending.site } : {}),
        ...(waits ? { waits } : {}),
      };
    }),
    variables: objects.variables.map((v) => ({ name: v.name, value: formatValue(v.get()) })),
    locks: [
      ...objects.mutexes.map((m) => ({
        name: m.name,
        kind: 'mutex' as const,
        state: m.owner ? `held by ${m.owner.name}` : 'free',
      })),
      ...objects.semaphores.map((s) => ({
        name: s.name,
        kind: 'semaphore' as const,
        state: plural(s.permits, 'permit'),
      })),
      ...objects.conditions.map((c) => ({
        name: c.name,
        kind: 'condition' as const,
        state: c.waiters.length
          ? `waiting: ${c.waiters.map((w) => w.thread.name + (w.notified ? ' (notified)' : '')).join(', ')}`
          : 'no waiters',
      })),
    ],
    channels: objects.channels.map((c) => ({
      name: c.name,
      capacity: c.capacity,
      buffer: c.buffer.map(formatValue),
      closed: c.closed,
    })),
  };
}
