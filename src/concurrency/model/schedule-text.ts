/** Schedules as text: "1 2 2 1" — a select's case after a dot: "2.0", its default "2.d". */
import { ModelError } from './errors.ts';
import type { Choice } from './types.ts';

export function formatSchedule(schedule: readonly Choice[]): string {
  return schedule
    .map((c) => (c.branch === undefined ? `${c.thread}` : `${c.thread}.${c.branch < 0 ? 'd' : c.branch}`))
    .join(' ');
}

export function parseSchedule(text: string): Choice[] {
  const words = text
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  return words.map((word) => {
    const match = /^(\d+)(?:\.(\d+|d))?$/.exec(word);
    if (!match)
      throw new ModelError(
        `"${word}" is not a schedule step: write thread numbers, e.g. "1 2 2 1" (a select's case as "2.0").`,
      );
    const thread = Number(match[1]);
    const branch = match[2] === undefined ? undefined : match[2] === 'd' ? -1 : Number(match[2]);
    return branch === undefined ? { thread } : { thread, branch };
  });
}
