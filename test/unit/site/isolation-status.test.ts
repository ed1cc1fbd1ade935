import { describe, expect, it } from 'vitest';
import { readIsolationStatus } from '../../../src/client/isolation.ts';

const page = (
  crossOriginIsolated: boolean,
  recorded?: string,
  sharedArrayBuffer: unknown = SharedArrayBuffer,
) => ({
  crossOriginIsolated,
  SharedArrayBuffer: sharedArrayBuffer,
  document: { documentElement: { dataset: recorded ? { isolation: recorded } : {} } as HTMLElement },
});

describe('isolation status', () => {
  it('reports shared memory on when the page is isolated', () => {
    const status = readIsolationStatus(page(true));
    expect(status).toMatchObject({ state: 'isolated', sharedMemory: true, label: 'Shared memory: on' });
  });

  it.each([
    ['insecure', /HTTPS/],
    ['no-service-worker', /service worker/],
    ['no-storage', /site data/],
    ['failed', /did not take effect/],
  ])('explains "%s" and says what still works', (state, reason) => {
    const status = readIsolationStatus(page(false, state));
    expect(status.state).toBe(state);
    expect(status.sharedMemory).toBe(false);
    expect(status.label).toBe('Shared memory: off');
    expect(status.explanation).toMatch(reason);
    expect(status.explanation).toMatch(/only pass messages still run/);
  });

  it('says it is setting up while the service worker is being registered', () => {
    expect(readIsolationStatus(page(false, 'registering')).label).toBe('Shared memory: setting up…');
  });

  it('says shared memory is off, and why, when an isolated page has no SharedArrayBuffer', () => {
    // WebKit builds can leave SharedArrayBuffer out even on a cross-origin isolated page.
    const status = readIsolationStatus(page(true, 'isolated', null));
    expect(status).toMatchObject({
      state: 'no-shared-array-buffer',
      sharedMemory: false,
      label: 'Shared memory: off',
    });
    expect(status.explanation).toMatch(/does not provide SharedArrayBuffer/);
    expect(status.explanation).toMatch(/only pass messages still run/);
  });

  it('never claims shared memory when the recorded state is stale', () => {
    const status = readIsolationStatus(page(false, 'isolated'));
    expect(status).toMatchObject({ state: 'unknown', sharedMemory: false });
  });
});
