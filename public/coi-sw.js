/*
 * v8266's service worker: cross-origin isolation, and the bridge to the boards' web servers.
 *
 * 1. Cross-origin isolation.
 *
 * SharedArrayBuffer needs the page to be cross-origin isolated, i.e. served with
 *   Cross-Origin-Opener-Policy: same-origin
 *   Cross-Origin-Embedder-Policy: require-corp
 * Static hosts (GitHub Pages and the like) cannot set headers, so this worker re-serves every
 * same-origin response with them added. It only affects pages it controls, which is why
 * src/ui/isolation.ts registers it and reloads the page once. Cross-origin requests are left to
 * the browser untouched: under require-corp they must carry their own CORP/CORS headers anyway.
 *
 * 2. The board's web server in the page (docs/network.md, "The board's web pages in the page").
 * A request for <scope>board-http/<host>/<path> never goes to the network: it is posted with a
 * MessagePort to the app's window, whose emulator worker carries it over a virtual TCP
 * connection to <host> (a board or virtual host) in simulated time (src/net/http/http-bridge.ts)
 * and answers on the port. A page served that way that asks for an absolute path of this origin
 * ("/style.css", a form posting to "/save") means its own server's path: it is redirected (307,
 * which keeps a POST's method and body) under the same host's prefix. Nothing here ever fetches
 * another origin for the bridge.
 */

const BRIDGE_PATH = 'board-http/';
/** Wall-clock seconds before a bridged request is given up (a paused board answers nothing). */
const BRIDGE_TIMEOUT_MS = 60_000;
/** Response headers that describe the board's connection, not the response we build. */
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding',
  'set-cookie', 'set-cookie2', 'referrer-policy', 'content-security-policy',
  'cross-origin-opener-policy', 'cross-origin-embedder-policy', 'cross-origin-resource-policy',
]);
/**
 * What a bridged page may load: only this origin (which is the bridge: the board and the virtual
 * hosts), inline script and style as boards' pages use them. So a board's page reaches nothing
 * outside the simulation, whatever its script tries. Its script still runs in the app's origin
 * (docs/network.md says what that means).
 */
const BRIDGED_PAGE_POLICY = [
  "default-src 'self' data: blob: 'unsafe-inline' 'unsafe-eval'",
  "form-action 'self'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
].join('; ');
/** Request headers that would tell the board about the app rather than about its own page. */
const DROPPED_REQUEST_HEADERS = new Set(['origin', 'referer']);

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
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const prefix = new URL(BRIDGE_PATH, self.registration.scope).pathname;
  if (url.pathname.startsWith(prefix)) {
    event.respondWith(bridge(request, url, prefix));
    return;
  }
  const from = bridgedPage(request.referrer, prefix);
  if (from) {
    event.respondWith(Response.redirect(`${prefix}${from}${url.pathname}${url.search}`, 307));
    return;
  }
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

/** The "<host>" of a referrer under the bridge ("…/board-http/<host>/page"), else null. */
function bridgedPage(referrer, prefix) {
  if (!referrer) return null;
  const r = new URL(referrer);
  if (r.origin !== self.location.origin || !r.pathname.startsWith(prefix)) return null;
  const host = r.pathname.slice(prefix.length).split('/')[0];
  return host || null;
}

async function bridge(request, url, prefix) {
  const rest = url.pathname.slice(prefix.length);
  const slash = rest.indexOf('/');
  if (rest === '') return bridgeError(400, 'No host', `Use ${prefix}<host>/<path>, e.g. ${prefix}board/.`);
  // "…/board-http/192.168.4.1" → "…/192.168.4.1/", so the page's relative links resolve under it.
  if (slash < 0) return Response.redirect(`${url.pathname}/${url.search}`, 301);
  const host = decodeURIComponent(rest.slice(0, slash));
  const target = rest.slice(slash) + url.search;
  const headers = [];
  for (const [name, value] of request.headers)
    if (!DROPPED_REQUEST_HEADERS.has(name.toLowerCase())) headers.push([name, value]);
  const body =
    request.method === 'GET' || request.method === 'HEAD' ? null : new Uint8Array(await request.arrayBuffer());
  const app = await appWindow(prefix);
  if (!app)
    return bridgeError(503, 'v8266 is not open', 'Open the v8266 app in a tab of this browser: the board runs there.');
  const channel = new MessageChannel();
  const answer = new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), BRIDGE_TIMEOUT_MS);
    channel.port1.onmessage = (e) => {
      clearTimeout(timer);
      resolve(e.data);
    };
  });
  app.postMessage(
    { type: 'v8266-http', request: { method: request.method, host, target, headers, body, prefix } },
    [channel.port2],
  );
  const r = await answer;
  channel.port1.close();
  if (!r)
    return bridgeError(504, 'No answer', `${host} did not answer within ${BRIDGE_TIMEOUT_MS / 1000} s. Is the board running?`);
  return bridgedResponse(r, request.method);
}

/** The v8266 window to ask: the focused one, else any that is not itself a bridged page. */
async function appWindow(prefix) {
  const all = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const apps = all.filter((c) => !new URL(c.url).pathname.startsWith(prefix));
  return apps.find((c) => c.focused) ?? apps.find((c) => c.visibilityState === 'visible') ?? apps[0] ?? null;
}

function bridgedResponse(r, method) {
  const headers = new Headers();
  let encoding = null;
  for (const [name, value] of r.headers) {
    const lower = name.toLowerCase();
    if (lower === 'content-encoding') encoding = value.trim().toLowerCase();
    if (DROPPED_RESPONSE_HEADERS.has(lower)) continue;
    try {
      headers.append(name, value);
    } catch {
      // a header value the Fetch API refuses: leave it out
    }
  }
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  // Full referrers inside the origin, so the page's absolute paths can be mapped back (above).
  headers.set('Referrer-Policy', 'same-origin');
  headers.set('Content-Security-Policy', BRIDGED_PAGE_POLICY);
  headers.set('X-V8266-Bridge', headers.get('X-V8266-Bridge') ?? 'board');
  const status = r.status >= 200 && r.status <= 599 ? r.status : 502;
  const noBody = method === 'HEAD' || status === 204 || status === 205 || status === 304;
  let body = noBody ? null : new Blob([r.body]).stream();
  // The browser does not decode a body a service worker builds: do it here.
  if (body && (encoding === 'gzip' || encoding === 'deflate')) body = body.pipeThrough(new DecompressionStream(encoding));
  const statusText = /^[\t\x20-\x7e]*$/.test(r.statusText) ? r.statusText : '';
  return new Response(body, { status, statusText, headers });
}

function bridgeError(status, title, detail) {
  const escape = (s) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html =
    `<!doctype html><meta charset="utf-8"><title>${escape(title)}</title>` +
    `<body style="font-family:sans-serif"><h1>${escape(title)}</h1><p>${escape(detail)}</p>` +
    `<p><small>v8266 board web bridge</small></p></body>\n`;
  const headers = new Headers({ 'Content-Type': 'text/html; charset=utf-8', 'X-V8266-Bridge': 'error' });
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(html, { status, statusText: title, headers });
}
