/** The one millisecond formatter: the timeline, an example's status line, each output line's time. */
import { expect, it } from 'vitest';
import { formatMs } from '../../../src/client/format-time.ts';

it('writes hundredths under 10 ms, tenths under a second, seconds above', () => {
  expect(formatMs(0)).toBe('0.00 ms');
  expect(formatMs(3.14159)).toBe('3.14 ms');
  expect(formatMs(9.994)).toBe('9.99 ms');
  expect(formatMs(10)).toBe('10.0 ms');
  expect(formatMs(999.94)).toBe('999.9 ms');
  expect(formatMs(1000)).toBe('1.000 s');
  expect(formatMs(12_345.6)).toBe('12.346 s');
});

it('keeps the sign of a moment before the run started (the axis can show one)', () => {
  expect(formatMs(-2.5)).toBe('-2.50 ms');
  expect(formatMs(-1500)).toBe('-1.500 s');
});

it('never writes 1000.0 ms or 10.00 ms: a time that rounds up to the next unit is written in it', () => {
  expect(formatMs(999.96)).toBe('1.000 s');
  expect(formatMs(9.996)).toBe('10.0 ms');
  expect(formatMs(-999.96)).toBe('-1.000 s');
});
