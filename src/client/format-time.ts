/**
 * The one way to write a time in milliseconds for readers, in two levels of detail:
 * - `fine` (the run timeline: axis, details, event table, event descriptions): hundredths under
 *   10 ms (a microtask's hundredths matter there), tenths under a second, then seconds to the
 *   millisecond — "3.14 ms", "999.9 ms", "1.234 s";
 * - `coarse` (an example's status line and the time of each output line): tenths under 10 ms,
 *   whole milliseconds under a second, then seconds — "3.1 ms", "12 ms", "1.23 s".
 * The unit is chosen on the rounded figure, so a time never reads "1000 ms" or "10.00 ms".
 */
const DIGITS = {
  fine: { underTen: 2, underASecond: 1, seconds: 3 },
  coarse: { underTen: 1, underASecond: 0, seconds: 2 },
} as const;

export function formatMs(t: number, detail: keyof typeof DIGITS = 'fine'): string {
  const digits = DIGITS[detail];
  const small = t.toFixed(digits.underTen);
  if (Math.abs(Number(small)) < 10) return `${small} ms`;
  const medium = t.toFixed(digits.underASecond);
  if (Math.abs(Number(medium)) < 1000) return `${medium} ms`;
  return `${(t / 1000).toFixed(digits.seconds)} s`;
}
