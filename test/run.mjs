// `npm test` starts here. Plain JavaScript so that even a too-old Node (which
// cannot load TypeScript) gets a clear message instead of a syntax error.
import { assertSupportedNode } from '../src/build/toolchain/node-version.mjs';

try {
  assertSupportedNode();
} catch (error) {
  console.error(`\n${error.message}\n`);
  process.exit(1);
}
await import('./suite.ts');
