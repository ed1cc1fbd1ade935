import { describe, expect, it } from 'vitest';

describe('vitest browser mode', () => {
  it('is cross-origin isolated, so shared memory exists', () => {
    expect(globalThis.crossOriginIsolated).toBe(true);
    expect(typeof SharedArrayBuffer).toBe('function');
  });

  it('forbids Atomics.wait on the main thread (only a browser says so)', () => {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    expect(() => Atomics.wait(cell, 0, 0, 1)).toThrow(TypeError);
  });
});
