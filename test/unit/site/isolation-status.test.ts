import { describe, expect, it } from 'vitest';
import { readIsolationStatus } from '../../../src/client/isolation.ts';

const page = (crossOriginIsolated: boolean, recorded?: string) => ({
  crossOriginIsolated,
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

  it('never claims shared memory when the recorded state is stale', () => {
    const status = readIsolationStatus(page(false, 'isolated'));
    expect(status).toMatchObject({ state: 'unknown', sharedMemory: false });
  });
});
