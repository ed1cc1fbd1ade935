/** The words of the steps: names in backquotes, counts, values clipped to a line, times on the virtual clock. */
import type { Value } from '@engine262/engine262';
import { formatArgs } from '../../snippet/index.ts';
import { toHost } from '../host-values.ts';

export const quote = (name: string) => `\`${name}\``;
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A settled value, for narration: as the console prints it, strings quoted (no getter runs). */
export function describeValue(value: Value): string {
  const host = toHost(value);
  return clip(typeof host === 'string' ? `'${host}'` : formatArgs([host]).replace(/\s+/g, ' '), 60);
}

export function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A time on the virtual clock, for narration. */
export function formatVirtual(ms: number): string {
  return `${Math.round(ms * 100) / 100} ms`;
}
