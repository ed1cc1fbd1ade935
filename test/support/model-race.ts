/**
 * The program of the example `model-race` (content/reference/model.mdx) as a model `Setup`, for
 * tests that compare the page's scheduler panel with the model library run in Node: two threads
 * each do `x = x + 1` as a read then a write.
 */
import type { Setup } from '../../src/concurrency/model/index.ts';

export const race: Setup = ({ shared, thread }) => {
  const x = shared('x', 0);
  for (let i = 0; i < 2; i++)
    thread(async () => {
      const tmp = await x.read();
      await x.write(tmp + 1);
    });
};
