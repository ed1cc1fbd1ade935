/**
 * One way to write a time in milliseconds for readers: two decimals under 10 ms (a microtask's
 * hundredths matter there), one under a second, seconds with three decimals above. Used by the
 * run timeline (axis, details line, event table, event descriptions).
 */
export function formatMs(t: number): string {
  const size = Math.abs(t);
  if (size < 10) return `${t.toFixed(2)} ms`;
  if (size < 1000) return `${t.toFixed(1)} ms`;
  return `${(t / 1000).toFixed(3)} s`;
}
