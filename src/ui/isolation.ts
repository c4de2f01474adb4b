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
  try {
    await navigator.serviceWorker.register(scriptUrl);
  } catch {
    return 'unavailable';
  }
  sessionStorage.setItem(RELOAD_FLAG, '1');
  if (!navigator.serviceWorker.controller) {
    // The worker claims open pages when it activates; the page is controlled from then on.
    await new Promise<void>((resolve) =>
      navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }),
    );
  }
  location.reload();
  return 'reloading';
}
