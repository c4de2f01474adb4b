/*
 * v8266 cross-origin isolation service worker.
 *
 * SharedArrayBuffer needs the page to be cross-origin isolated, i.e. served with
 *   Cross-Origin-Opener-Policy: same-origin
 *   Cross-Origin-Embedder-Policy: require-corp
 * Static hosts (GitHub Pages and the like) cannot set headers, so this worker re-serves every
 * same-origin response with them added. It only affects pages it controls, which is why
 * src/ui/isolation.ts registers it and reloads the page once. Cross-origin requests are left to
 * the browser untouched: under require-corp they must carry their own CORP/CORS headers anyway.
 */

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

self.addEventListener('install', () => {
  // Take over without waiting for old tabs to close: the page is about to reload anyway.
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (new URL(request.url).origin !== self.location.origin) return;
  // Chromium throws on this combination when it is re-fetched from a worker (devtools does it).
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(fetchWithIsolationHeaders(request));
});

async function fetchWithIsolationHeaders(request) {
  const response = await fetch(request);
  // Opaque and error responses cannot be rebuilt; pass them on as they are.
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) {
    return response;
  }
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
