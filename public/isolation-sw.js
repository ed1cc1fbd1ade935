// The book's one service worker, registered by src/client/isolation-bootstrap.js on every page of
// a production build. Two jobs:
//
// 1. Cross-origin isolation on static hosts that cannot send headers (GitHub Pages): every
//    same-origin response it gives carries COOP/COEP/CORP. Cross-origin requests pass through
//    untouched (the site makes none).
// 2. Offline reading: it keeps every file of the build (the manifest the build writes into
//    PRECACHE below, see src/build/site/offline.mjs) in a cache named by the build's version.
//
// Files in the precache are served cache-first, from the cache of the version that served the
// page asking (a map of client id → version, kept in a cache so that it outlives this worker):
// a page and every chunk it loads later come from one build, online or off, and a page opened
// before an update keeps working with its own chunks after the update, which removes them from
// the server. Anything else goes to the network. New versions reach the reader through the
// update of this script (the manifest changes its bytes): the new worker installs and waits until
// the reader presses Reload (src/client/offline/page.ts posts 'skipWaiting'); only the very first
// worker of a scope takes over at once, as there is no page to break. A version's cache is
// deleted once no open page uses it. A failed precache leaves the site working online through the
// network; the next page asks again for what is missing.

// Replaced by the build with { version, files } (paths relative to the scope); null in `astro dev`,
// where the worker only adds headers.
const PRECACHE = null;

const HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const SCOPE = self.registration.scope;
// Cache names carry the scope's path: two books under one origin keep apart.
const CACHE_PREFIX = `interleave:${new URL(SCOPE).pathname}:`;
const CLIENTS_CACHE = `interleave-clients:${new URL(SCOPE).pathname}`;
const OWN_VERSION = PRECACHE ? PRECACHE.version : null;

// The first worker of a scope takes over at once, before precaching: on a host without headers
// the page's one isolation reload must not wait for the whole book. The page then asks for the
// precache ('precache' message). An update precaches during install, so that the version offered
// to the reader is complete before it is offered.
self.addEventListener('install', (event) => {
  event.waitUntil(self.registration.active ? precache() : self.skipWaiting());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(Promise.all([self.clients.claim(), deleteUnusedCaches()]));
});

self.addEventListener('message', (event) => {
  if (event.data === 'claim') self.clients.claim();
  if (event.data === 'skipWaiting') self.skipWaiting();
  // From src/client/offline/page.ts on every page: completes the precache, says how it went.
  if (event.data === 'precache') {
    event.waitUntil(
      precache().then((failures) =>
        event.source?.postMessage({ type: 'precached', version: OWN_VERSION, failures }),
      ),
    );
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (new URL(request.url).origin !== self.location.origin) return;
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(respond(event));
});

/** @param {FetchEvent} event */
async function respond(event) {
  const { request } = event;
  if (request.method !== 'GET' || !OWN_VERSION) return withIsolation(await fetch(request));
  // A navigation (or a worker's script) starts a new client: a page gets this worker's version,
  // a worker its page's, and every request the new client makes is served from that version.
  // A navigation never looks at clientId, which can be the page that started it: a reload into
  // a new version would get the old one.
  const navigation = request.mode === 'navigate';
  const version = (navigation ? undefined : await versionOf(event.clientId)) ?? OWN_VERSION;
  if (event.resultingClientId) {
    const id = event.resultingClientId;
    // After a navigation, old versions may have lost their last page. The new page is not yet
    // among the open clients: it counts as open, or its version would be forgotten.
    event.waitUntil(remember(id, version).then(() => navigation && deleteUnusedCaches(id)));
  }

  const cached = await fromCache(version, request.url, { otherVersions: !navigation });
  if (cached) return withIsolation(cached);
  try {
    return withIsolation(await fetch(request));
  } catch (error) {
    // Offline and not in the precache: the book's own "not found" page for a navigation.
    const notFound = navigation && (await fromCache(version, new URL('404.html', SCOPE).href));
    if (notFound) return withIsolation(notFound, 404);
    throw error;
  }
}

/** The response with the isolation headers (a cached one is stored as the server sent it). */
function withIsolation(response, status = response.status) {
  if (response.status === 0 || response.type === 'opaque') return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(HEADERS)) headers.set(name, value);
  return new Response(response.body, { status, statusText: response.statusText, headers });
}

/**
 * A file from the version's cache; else, for a page's subresource, from any version's cache of
 * this scope (content-hashed chunks are the same file whichever build holds them, and unhashed
 * files are in every complete version). A page itself only ever comes from its own version.
 */
async function fromCache(version, url, { otherVersions = false } = {}) {
  const key = cacheKey(url);
  const own = await caches.open(CACHE_PREFIX + version);
  const hit = await own.match(key);
  if (hit || !otherVersions) return hit;
  for (const name of await caches.keys()) {
    if (!name.startsWith(CACHE_PREFIX)) continue;
    const other = await (await caches.open(name)).match(key);
    if (other) return other;
  }
  return undefined;
}

/** The URL a file is stored under: no query or hash ("?code=…" share links open the page). */
function cacheKey(url) {
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  // trailingSlash 'ignore': "/guide/x" is the page "/guide/x/" (a last segment with no dot is a
  // page; files all have one: "x.js", "pagefind.en_1.pf_meta").
  if (/\/[^/.]+$/.test(parsed.pathname)) parsed.pathname += '/';
  return parsed.href;
}

let precaching = null;
/**
 * Adds whatever of the manifest the version's cache lacks; logs what failed, never throws.
 * Resolves to the number of files that could not be kept.
 */
function precache() {
  if (!PRECACHE) return Promise.resolve(0);
  precaching ??= (async () => {
    const cache = await caches.open(CACHE_PREFIX + OWN_VERSION);
    const stored = new Set((await cache.keys()).map((request) => request.url));
    const missing = PRECACHE.files.map((path) => new URL(path, SCOPE).href).filter((url) => !stored.has(url));
    const failures = [];
    let next = 0;
    const fetchNext = async () => {
      for (let url = missing[next++]; url !== undefined; url = missing[next++]) {
        try {
          // 'no-cache': never an older build's file from the HTTP cache.
          const response = await fetch(url, { cache: 'no-cache' });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          await cache.put(url, response);
        } catch (error) {
          failures.push(`${url} (${error instanceof Error ? error.message : String(error)})`);
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, fetchNext));
    if (failures.length) {
      console.error(
        `Interleave: ${failures.length} of ${PRECACHE.files.length} files could not be kept for offline reading; the book works online and tries again on the next page. ${failures.slice(0, 5).join(', ')}`,
      );
    }
    return failures.length;
  })().finally(() => {
    precaching = null;
  });
  return precaching;
}

// Client id → version, in memory and in a cache (a new worker inherits the pages of the old).
const clientVersions = new Map();
async function versionOf(clientId) {
  if (!clientId) return undefined;
  if (clientVersions.has(clientId)) return clientVersions.get(clientId);
  const stored = await (await caches.open(CLIENTS_CACHE)).match(clientKey(clientId));
  const version = stored ? await stored.text() : undefined;
  if (version) clientVersions.set(clientId, version);
  return version;
}
async function remember(clientId, version) {
  clientVersions.set(clientId, version);
  await (await caches.open(CLIENTS_CACHE)).put(clientKey(clientId), new Response(version));
}
function clientKey(clientId) {
  return new URL(`__interleave-client/${encodeURIComponent(clientId)}`, SCOPE).href;
}

/**
 * Deletes the caches of versions that neither this worker nor any open page uses. Never while a
 * newer worker is installing or waiting: its cache is in none of those lists yet.
 */
async function deleteUnusedCaches(openingClientId) {
  const updating = () => Boolean(self.registration.installing || self.registration.waiting);
  if (updating()) return;
  const open = new Set(
    (await self.clients.matchAll({ includeUncontrolled: true, type: 'all' })).map((c) => c.id),
  );
  if (openingClientId) open.add(openingClientId);
  const clientsCache = await caches.open(CLIENTS_CACHE);
  const inUse = new Set(OWN_VERSION ? [OWN_VERSION] : []);
  for (const request of await clientsCache.keys()) {
    const id = decodeURIComponent(request.url.slice(request.url.lastIndexOf('/') + 1));
    if (open.has(id)) {
      inUse.add(await (await clientsCache.match(request)).text());
    } else {
      clientVersions.delete(id);
      await clientsCache.delete(request);
    }
  }
  for (const name of await caches.keys()) {
    if (updating()) return;
    if (name.startsWith(CACHE_PREFIX) && !inUse.has(name.slice(CACHE_PREFIX.length)))
      await caches.delete(name);
  }
}
