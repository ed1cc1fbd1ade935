/**
 * One way to write a time in milliseconds for readers: two decimals under 10 ms (a microtask's
 * hundredths matter there), one under a second, seconds with three decimals above. Used everywhere
 * a reader sees a time: the run timeline (axis, details, event table, event descriptions), an
 * example's status line and the time of each output line.
 */
export function formatMs(t: number): string {
  // Decided on the rounded figure, so that 999.96 reads "1.000 s", never "1000.0 ms".
  if (Math.abs(Number(t.toFixed(2))) < 10) return `${t.toFixed(2)} ms`;
  if (Math.abs(Number(t.toFixed(1))) < 1000) return `${t.toFixed(1)} ms`;
  return `${(t / 1000).toFixed(3)} s`;
}
