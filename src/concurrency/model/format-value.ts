/** Values and counts as a reader would write them, in actions, outcomes and summaries. */

/** A value as a reader would write it: 1, "a", true, { value: 1, ok: true }, [1, 2]. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined || typeof value !== 'object' || value === null) return String(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  const entries = Object.entries(value).map(([k, v]) => `${k}: ${formatValue(v)}`);
  return entries.length ? `{ ${entries.join(', ')} }` : '{}';
}

/** "1 schedule", "2 schedules". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
