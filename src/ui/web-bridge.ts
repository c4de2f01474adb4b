/**
 * The page's half of the board web bridge (docs/network.md): the service worker (public/coi-sw.js)
 * turns requests for `board-http/<host>/<path>` into messages to this window, which hands them to
 * the emulator worker (a virtual TCP connection in simulated time, src/net/http/http-bridge.ts)
 * and answers on the message's port. The worker is the one that isolates static hosts too, so
 * there is one script and one registration; on servers that send the isolation headers
 * themselves it is registered only when a board page is first opened.
 */
import type { BridgeRequest, BridgeResponse } from '../net/http/http-bridge.ts';
import type { EmulatorClient } from './emulator-client.ts';

export const BRIDGE_PATH = 'board-http/';

interface BridgeMessage {
  type: 'v8266-http';
  request: BridgeRequest;
}

function isBridgeMessage(data: unknown): data is BridgeMessage {
  return (
    typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'v8266-http'
  );
}

/** Answer the service worker's bridge requests from now on (a no-op without service workers). */
export function answerBridgeRequests(client: EmulatorClient): void {
  const container = navigator.serviceWorker as ServiceWorkerContainer | undefined;
  if (!container) return;
  container.addEventListener('message', (event: MessageEvent<unknown>) => {
    const port = event.ports[0];
    if (!isBridgeMessage(event.data) || !port) return;
    client.httpRequest(event.data.request).then(
      (response: BridgeResponse) =>
        port.postMessage(response, [response.body.buffer as ArrayBuffer]),
      (err: unknown) => port.postMessage(failure(err)),
    );
  });
  // Messages a service worker posted before the listener existed are queued until this.
  container.startMessages();
}

function failure(err: unknown): BridgeResponse {
  const text = `The emulator could not carry the request: ${String(err)}\n`;
  return {
    status: 502,
    statusText: 'Bridge failure',
    headers: [['Content-Type', 'text/plain; charset=utf-8']],
    body: new TextEncoder().encode(text),
  };
}

/** The URL of `path` on `host` through the bridge ("board", "192.168.4.1", "gateway:8080"). */
export function bridgeUrl(host: string, path = '/'): string {
  const clean = path.startsWith('/') ? path : `/${path}`;
  return new URL(
    `${BRIDGE_PATH}${encodeURIComponent(host).replace(/%3A/gi, ':')}${clean}`,
    document.baseURI,
  ).href;
}

/**
 * Makes sure the service worker is installed and active, so a frame or tab opened on a bridge
 * URL is answered by it. Resolves with a reason when it cannot be.
 */
export async function ensureBridgeWorker(): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (!('serviceWorker' in navigator) || !window.isSecureContext)
    return {
      ok: false,
      reason: 'this browser gives the page no service workers (they need HTTPS or localhost)',
    };
  try {
    const scriptUrl = new URL(`${import.meta.env.BASE_URL}coi-sw.js`, document.baseURI);
    const registration = await navigator.serviceWorker.register(scriptUrl);
    if (!registration.active) {
      const worker = registration.installing ?? registration.waiting;
      await new Promise<void>((resolve, reject) => {
        if (!worker) return resolve();
        worker.addEventListener('statechange', () => {
          if (worker.state === 'activated') resolve();
          if (worker.state === 'redundant') reject(new Error('the service worker was replaced'));
        });
      });
    }
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `the service worker could not be registered: ${String(err)}` };
  }
}
