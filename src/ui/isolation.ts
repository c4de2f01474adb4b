/**
 * Making sure the page is cross-origin isolated, which SharedArrayBuffer requires.
 *
 * The dev and preview servers send the COOP/COEP headers themselves. A static host that cannot
 * set headers gets them from our service worker (public/coi-sw.js), which only takes effect once
 * it controls the page: so the first visit registers it and reloads once. A sessionStorage flag
 * keeps that to one reload, so a host where the trick cannot work shows an error instead of
 * reloading forever.
 */

const RELOAD_FLAG = 'v8266:isolation-reload';

export type IsolationOutcome = 'isolated' | 'reloading' | 'unavailable';

export async function ensureCrossOriginIsolated(): Promise<IsolationOutcome> {
  if (window.crossOriginIsolated) {
    sessionStorage.removeItem(RELOAD_FLAG);
    return 'isolated';
  }
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return 'unavailable';
  if (sessionStorage.getItem(RELOAD_FLAG)) return 'unavailable';

  const scriptUrl = new URL(`${import.meta.env.BASE_URL}coi-sw.js`, document.baseURI);
  const controlled = await withTimeout(
    (async () => {
      await navigator.serviceWorker.register(scriptUrl);
      if (!navigator.serviceWorker.controller) {
        // The worker claims open pages when it activates; the page is controlled from then on.
        await new Promise<void>((resolve) =>
          navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), {
            once: true,
          }),
        );
      }
      return true;
    })(),
    SERVICE_WORKER_TIMEOUT_MS,
  ).catch(() => false);
  // Browsers can refuse or silently ignore service workers (policies, some private modes).
  if (!controlled) return 'unavailable';
  sessionStorage.setItem(RELOAD_FLAG, '1');
  location.reload();
  return 'reloading';
}

/** How long the service worker may take to install and take control of the page. */
const SERVICE_WORKER_TIMEOUT_MS = 5000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
