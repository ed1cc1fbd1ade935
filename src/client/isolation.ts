/**
 * Can shared-memory examples run on this page, and if not, why — in words a
 * reader can act on. Reads what isolation-bootstrap.js recorded on <html>.
 */
import { canShareMemory } from '../runner/shared-memory.ts';

export type IsolationState =
  | 'isolated'
  | 'no-shared-array-buffer'
  | 'insecure'
  | 'no-service-worker'
  | 'no-storage'
  | 'registering'
  | 'reloading'
  | 'failed'
  | 'unknown';

export interface IsolationStatus {
  readonly state: IsolationState;
  /** True when SharedArrayBuffer and Atomics.wait in workers are available. */
  readonly sharedMemory: boolean;
  /** One short line for a badge. */
  readonly label: string;
  /** What happened and what the reader can do. */
  readonly explanation: string;
}

const EXPLANATIONS: Record<Exclude<IsolationState, 'isolated'>, string> = {
  'no-shared-array-buffer':
    'This page is cross-origin isolated, but this browser does not provide SharedArrayBuffer (some WebKit builds leave it out), so threads cannot share memory here.',
  insecure:
    'This page is not served over HTTPS (or from localhost), and browsers only allow shared memory on secure pages. Open the HTTPS address of the site.',
  'no-service-worker':
    'This host does not send the cross-origin isolation headers, and this browser (or a private window) does not allow the service worker that adds them. Try a normal window of a current Chrome, Edge, Firefox or Safari.',
  'no-storage':
    'This host does not send the cross-origin isolation headers, and with site storage blocked the page cannot safely reload itself to add them. Allow site data for this site, then reload.',
  registering: 'Setting up shared memory: the page will reload once.',
  reloading: 'Setting up shared memory: the page is reloading once.',
  failed:
    'This host does not send the cross-origin isolation headers, and the service worker that should add them did not take effect. Reload the page once; if that does not help, your browser or an extension is blocking it.',
  unknown: 'Shared memory is not available on this page.',
};

export function readIsolationStatus(
  win: Pick<Window, 'crossOriginIsolated'> & {
    document: Pick<Document, 'documentElement'>;
    SharedArrayBuffer?: unknown;
  } = window,
): IsolationStatus {
  // Isolation only makes shared memory possible: the engine must provide SharedArrayBuffer too.
  if (win.crossOriginIsolated && !canShareMemory(win)) {
    return {
      state: 'no-shared-array-buffer',
      sharedMemory: false,
      label: 'Shared memory: off',
      explanation: `${EXPLANATIONS['no-shared-array-buffer']} Examples that only pass messages still run.`,
    };
  }
  if (win.crossOriginIsolated) {
    return {
      state: 'isolated',
      sharedMemory: true,
      label: 'Shared memory: on',
      explanation:
        'This page is cross-origin isolated: examples can use SharedArrayBuffer and Atomics across workers.',
    };
  }
  const recorded = win.document.documentElement.dataset['isolation'] as IsolationState | undefined;
  const state: Exclude<IsolationState, 'isolated'> =
    recorded && recorded !== 'isolated' && recorded in EXPLANATIONS ? recorded : 'unknown';
  const pending = state === 'registering' || state === 'reloading';
  return {
    state,
    sharedMemory: false,
    label: pending ? 'Shared memory: setting up…' : 'Shared memory: off',
    explanation: `${EXPLANATIONS[state]} Examples that only pass messages still run.`,
  };
}
