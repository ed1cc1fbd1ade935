import { describe, expect, it } from 'vitest';
import { formatMs } from '../../../src/client/format-time.ts';

describe('formatMs: one way to show a time', () => {
  it('gives tenths below 10 ms, whole milliseconds below a second, then seconds', () => {
    expect(formatMs(0)).toBe('0.0 ms');
    expect(formatMs(3.24)).toBe('3.2 ms');
    expect(formatMs(12.34)).toBe('12 ms');
    expect(formatMs(999.4)).toBe('999 ms');
    expect(formatMs(1234)).toBe('1.23 s');
  });

  it('never shows 1000 ms: a time that rounds to a second is shown in seconds', () => {
    expect(formatMs(999.6)).toBe('1.00 s');
  });
});
