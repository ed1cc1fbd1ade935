/**
 * A run as a Mermaid sequence diagram, ready to paste into a chapter's ```mermaid fence:
 * participants are the run's threads (main first, workers in order of appearance), messages are
 * arrows, workers starting are dashed arrows from the thread that started them, console output
 * and library events (locks, channels, pool chunks, GIL runs) are notes, and a held Mutex is an
 * activation bar. Pure and deterministic: same events, same text.
 *
 * Text is made safe for Mermaid: one line, `;` and `#` as entity codes, cut to `maxText`.
 */
import type { RunEvent, ThreadRef } from '../../runner/index.ts';
import { describeEvent } from './layout.ts';

export interface MermaidOptions {
  /** Events turned into lines, at most (the rest is summed up in a last note). Default 150. */
  readonly maxEvents?: number;
  /** Longest text of one arrow or note. Default 60. */
  readonly maxText?: number;
  /** Include console output as notes. Default true. */
  readonly logs?: boolean;
}

function clean(text: string, max: number): string {
  let one = text.replace(/\s+/g, ' ').trim();
  if (one.length > max) one = `${one.slice(0, max - 1)}…`;
  // Mermaid entity codes, in one pass so the codes themselves are not escaped again.
  return one.replace(/[#;]/g, (c) => (c === '#' ? '#35;' : '#59;'));
}

export function toMermaidSequence(events: readonly RunEvent[], options: MermaidOptions = {}): string {
  const maxEvents = options.maxEvents ?? 150;
  const maxText = options.maxText ?? 60;
  const logs = options.logs ?? true;
  const text = (t: string) => clean(t, maxText);

  const participants = new Map<number, string>();
  const see = (thread: ThreadRef): string => {
    let id = participants.get(thread.id);
    if (id === undefined) {
      id = `T${thread.id}`;
      participants.set(thread.id, id);
      labels.push(
        `  participant ${id} as ${text(thread.name ? `${thread.label} (${thread.name})` : thread.label)}`,
      );
    }
    return id;
  };
  const labels: string[] = [];
  const body: string[] = [];
  const active = new Map<string, number>();
  see({ id: 0, label: 'main' });

  let used = 0;
  let left = 0;
  for (const e of events) {
    let lines: string[] = [];
    switch (e.kind) {
      case 'log':
        if (logs) lines = [`  Note over ${see(e.thread)}: ${text(e.text)}`];
        break;
      case 'error':
        lines = [`  Note over ${see(e.thread)}: ⚠ ${text(e.text.split('\n')[0] ?? '')}`];
        break;
      case 'message':
        lines = [`  ${see(e.from)}->>${see(e.to)}: ${text(e.summary)}`];
        break;
      case 'worker-started':
        lines = [
          `  ${see(e.thread)}-->>${see(e.worker)}: ${e.via === 'runner' ? 'runs the snippet' : `${e.via}()`.replace('new Worker()', 'new Worker')}`,
        ];
        break;
      case 'worker-stopped':
        lines = [`  Note over ${see(e.worker)}: ${e.reason}`];
        break;
      case 'lock': {
        const who = see(e.thread);
        if (e.op === 'acquire' && e.what === 'Mutex') {
          lines = [`  activate ${who}`, `  Note right of ${who}: holds ${text(e.lock)}`];
          active.set(who, (active.get(who) ?? 0) + 1);
        } else if (e.op === 'release' && e.what === 'Mutex' && (active.get(who) ?? 0) > 0) {
          lines = [`  deactivate ${who}`];
          active.set(who, (active.get(who) ?? 0) - 1);
        } else if (e.op === 'wait' || e.op === 'timeout') {
          lines = [`  Note right of ${who}: ${text(describeEvent(e))}`];
        }
        break;
      }
      case 'channel':
        if (e.op !== 'unblock' && e.op !== 'exit')
          lines = [`  Note over ${see(e.thread)}: ${text(describeEvent(e))}`];
        break;
      case 'pool-task':
      case 'gil':
        lines = [`  Note over ${see(e.thread)}: ${text(describeEvent(e))}`];
        break;
      default:
        break;
    }
    if (!lines.length) continue;
    if (used >= maxEvents) {
      left++;
      continue;
    }
    used++;
    body.push(...lines);
  }
  if (left > 0) body.push(`  Note over T0: … ${left} more event${left === 1 ? '' : 's'} left out`);
  // Close activations still open, so Mermaid accepts the diagram.
  for (const [who, count] of active) for (let i = 0; i < count; i++) body.push(`  deactivate ${who}`);
  return ['sequenceDiagram', ...labels, ...body].join('\n') + '\n';
}
