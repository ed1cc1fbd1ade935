/**
 * Waiting in browser tests, one way everywhere: for the next animation frame, or until the page
 * has done something. A bound on waiting (vitest's expect.poll timeout, test/vitest.config.ts),
 * never a speed check.
 */
import { expect } from 'vitest';

/** Resolves at the next animation frame (after the page has had a chance to render). */
export function frame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

/** Resolves once `check()` is true; fails the test, naming nothing but the wait, if it never is. */
export async function until(check: () => boolean): Promise<void> {
  await expect.poll(check).toBe(true);
}
