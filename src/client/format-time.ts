/**
 * A time or a duration in milliseconds, as the reader sees it everywhere (an example's status
 * line, the time of each output line): a tenth of a millisecond while that matters, whole
 * milliseconds up to a second, then seconds — "0.4 ms", "12 ms", "1.25 s".
 */
export function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  const whole = Math.round(ms);
  if (whole < 1000) return `${whole} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}
