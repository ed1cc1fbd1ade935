import { describe, expect, it } from 'vitest';
import { assertSupportedNode, isSupportedNode } from '../../src/build/toolchain/node-version.mjs';

describe('Node version check', () => {
  it('accepts 22.12 and later, rejects earlier', () => {
    expect(isSupportedNode('22.12.0')).toBe(true);
    expect(isSupportedNode('24.21.0')).toBe(true);
    expect(isSupportedNode('23.0.0')).toBe(true);
    expect(isSupportedNode('22.11.9')).toBe(false);
    expect(isSupportedNode('20.20.2')).toBe(false);
  });

  it('tells the reader of a too-old Node what to run', () => {
    expect(() => assertSupportedNode('20.20.2')).toThrow(
      /needs Node\.js >= 22\.12\.0.*Node 20\.20\.2[\s\S]*npm ci/,
    );
  });

  it('runs this suite on a supported Node', () => {
    expect(isSupportedNode(process.versions.node)).toBe(true);
  });
});
