// Inlined into every page's <head> (see src/chrome/Head.astro). Plain ES2017,
// no imports: it runs before any bundle.
//
// Shared memory (SharedArrayBuffer) needs a cross-origin isolated page, which
// needs two response headers (COOP + COEP). Hosts that send them (Netlify,
// Cloudflare Pages, `astro dev`/`preview`) make this a no-op. On hosts that
// cannot (GitHub Pages) it registers isolation-sw.js, which adds the headers to
// every same-origin response, and reloads once so the page loads through it.
//
// The same worker keeps the book for offline reading (production builds only: __OFFLINE__), so
// an isolated page registers it too, with no reload: nothing on the page needs to change.
//
// Loop guard: at most one automatic reload per tab session. The attempt is kept
// in sessionStorage; if the page is still not isolated after that reload, we
// give up and record why, and the status badge explains it. Without
// sessionStorage we never reload, because we could not tell a loop from a try.
(function () {
  var base = __BASE__;
  var offline = __OFFLINE__;
  var register = function () {
    return navigator.serviceWorker.register(base + 'isolation-sw.js', { scope: base });
  };
  var KEY = 'interleave:isolation';
  var record = function (state) {
    try {
      sessionStorage.setItem(KEY, state);
    } catch (e) {}
    document.documentElement.dataset.isolation = state;
    document.dispatchEvent(new CustomEvent('interleave:isolation', { detail: state }));
  };
  var previous = null;
  try {
    previous = sessionStorage.getItem(KEY);
  } catch (e) {
    previous = 'no-storage';
  }

  if (window.crossOriginIsolated) {
    record('isolated');
    if (offline && 'serviceWorker' in navigator) {
      register().catch(function (error) {
        console.warn('Interleave: no offline reading, the service worker did not register:', error);
      });
    }
    return;
  }
  if (!window.isSecureContext) return record('insecure');
  if (!('serviceWorker' in navigator)) return record('no-service-worker');
  if (previous === 'no-storage') return record('no-storage');
  if (previous === 'reloading' || previous === 'failed') {
    // We already reloaded once in this tab and the headers did not take.
    return record('failed');
  }

  record('registering');
  register()
    .then(function (registration) {
      var reload = function () {
        record('reloading');
        location.reload();
      };
      if (navigator.serviceWorker.controller) return reload();
      navigator.serviceWorker.addEventListener('controllerchange', reload, { once: true });
      // The worker claims clients when it activates; if it was already active
      // (a hard reload bypasses it), ask it to claim us now.
      if (registration.active) registration.active.postMessage('claim');
    })
    .catch(function () {
      record('failed');
    });
})();
