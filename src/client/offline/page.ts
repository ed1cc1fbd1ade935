/**
 * Offline reading, on the page's side (every page of a production build, src/chrome/Offline.astro).
 *
 * Keeps the book: once a service worker (public/isolation-sw.js) is active, the page asks it to
 * complete its precache and records the answer on <html> as `data-offline` ("ready", or
 * "partial" when some files could not be kept: the book then works online only for those).
 *
 * Tells the reader when a new version is ready, and switches to it only when they ask. A deploy
 * makes a new worker that installs and then waits, while this page goes on with the version it
 * was served from. When one is waiting, a small notice (a polite live region, not a dialog)
 * offers "Reload": that asks the waiting worker to take over, and the page reloads once it has.
 * Other open pages keep their version until the reader reloads them.
 *
 * The first worker of a browser (no controller yet) is not news: nothing is shown. The isolation
 * bootstrap's own one reload (src/client/isolation-bootstrap.js) happens only on an uncontrolled
 * page, and this one only after the reader's click on a controlled page, so the two never chain.
 */
import './offline.css';

export const NOTICE_CLASS = 'update-notice';

function watch(registration: ServiceWorkerRegistration): void {
  const offer = (worker: ServiceWorker) => {
    if (worker.state === 'installed') showNotice();
    else
      worker.addEventListener('statechange', () => {
        if (worker.state === 'installed') showNotice();
      });
  };
  if (registration.waiting) showNotice();
  else if (registration.installing) offer(registration.installing);
  registration.addEventListener('updatefound', () => {
    if (registration.installing) offer(registration.installing);
  });

  function showNotice(): void {
    if (document.querySelector(`.${NOTICE_CLASS}`)) return;
    const notice = document.createElement('div');
    notice.className = NOTICE_CLASS;
    notice.setAttribute('role', 'status');
    document.body.append(notice);
    // Filled after insertion, so that screen readers announce it as a change.
    requestAnimationFrame(() => {
      const text = document.createElement('span');
      text.textContent = 'A new version of the book is ready — ';
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Reload';
      button.addEventListener('click', () => reloadIntoNewVersion(registration, button));
      notice.append(text, button);
    });
  }
}

function reloadIntoNewVersion(registration: ServiceWorkerRegistration, button: HTMLButtonElement): void {
  button.disabled = true;
  const waiting = registration.waiting;
  // Another tab may have switched already: then a plain reload brings the new version.
  if (!waiting) return location.reload();
  navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
  waiting.postMessage('skipWaiting');
}

function keepOffline(registration: ServiceWorkerRegistration): void {
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as { type?: string; failures?: number } | null;
    if (data?.type === 'precached')
      document.documentElement.dataset['offline'] = data.failures ? 'partial' : 'ready';
  });
  // After the page has loaded and gone quiet: keeping the book must not slow this page down.
  const ask = () => whenIdle(() => registration.active?.postMessage('precache'));
  if (document.readyState === 'complete') ask();
  else addEventListener('load', ask, { once: true });
}

function whenIdle(callback: () => void): void {
  if ('requestIdleCallback' in window) requestIdleCallback(callback, { timeout: 3_000 });
  else setTimeout(callback, 500);
}

if ('serviceWorker' in navigator) {
  const controlled = Boolean(navigator.serviceWorker.controller);
  void navigator.serviceWorker.ready.then((registration) => {
    keepOffline(registration);
    if (controlled) watch(registration);
  });
}
