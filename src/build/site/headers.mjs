// The response headers that make a page cross-origin isolated, so that
// SharedArrayBuffer and Atomics.wait in workers are available. One source for
// astro dev/preview, vitest browser mode and the end-to-end server; public/_headers
// carries the same pair for Netlify and Cloudflare Pages (a unit test keeps them equal).

/** @type {Record<string, string>} */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
