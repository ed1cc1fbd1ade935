/** The one millisecond formatter, in its two levels of detail (src/client/format-time.ts). */
import { expect, it } from 'vitest';
import { formatMs } from '../../src/client/format-time.ts';

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

it('writes coarser times for status lines and output: tenths under 10 ms, whole ms, seconds', () => {
  expect(formatMs(0, 'coarse')).toBe('0.0 ms');
  expect(formatMs(3.24, 'coarse')).toBe('3.2 ms');
  expect(formatMs(12.34, 'coarse')).toBe('12 ms');
  expect(formatMs(999.4, 'coarse')).toBe('999 ms');
  expect(formatMs(999.6, 'coarse')).toBe('1.00 s');
  expect(formatMs(1234, 'coarse')).toBe('1.23 s');
});
