/**
 * Which firmware URLs a board document may name: an absolute `https:` URL, or a path on the
 * page's own origin. Anything the browser would resolve to another origin without saying so
 * (`//host/x`, `/\host/x`, `\\host`, `http:`, `javascript:`, `data:`) is refused, both when the
 * document is validated (no page URL needed) and again when the URL is resolved to be fetched.
 */

/** Absolute https with a host, or a path that cannot leave the origin. No whitespace or backslash anywhere. */
const HTTPS_RE = /^https:\/\/[^/\\\s?#@]+(?:[/?#][^\\\s]*)?$/i;
const PATH_RE = /^(?:\.{1,2}\/|\/(?![/\\])|[A-Za-z0-9_-][A-Za-z0-9._-]*(?:[/?#]|$))[^\\\s]*$/;

/** What a document may carry (checked without knowing the page's URL). */
export function isAllowedFirmwareUrl(url: string): boolean {
  // Control characters are stripped by the URL parser, so "/\t/host" would become "//host".
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(url)) return false;
  if (HTTPS_RE.test(url)) return true;
  // A relative path: must not look like a scheme ("javascript:…").
  return PATH_RE.test(url) && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url);
}

/** The URL to fetch, or an Error that says why not: https anywhere, otherwise only `page`'s origin. */
export function resolveFirmwareUrl(url: string, page: string): URL {
  if (!isAllowedFirmwareUrl(url)) {
    throw new Error('the firmware URL must be an absolute https: URL or a path on this site');
  }
  const resolved = new URL(url, page);
  const pageOrigin = new URL(page).origin;
  if (resolved.protocol === 'https:' && /^https:/i.test(url)) return resolved;
  if (resolved.origin !== pageOrigin) {
    throw new Error(`the firmware URL leads to another site (${resolved.origin})`);
  }
  return resolved;
}

/**
 * Fetch `url` and nothing else: no cookies, and a redirect is not followed but refused by name
 * (`redirect: 'manual'` lets the page tell a redirect from a network failure, which
 * `redirect: 'error'` would not). A link's file comes only from the address the link shows.
 */
export async function fetchOnlyThere(url: URL): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'manual', credentials: 'omit' });
  } catch (error) {
    throw new Error(
      `${url.href} did not answer (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    throw new Error(
      `${url.href} redirects elsewhere, and a link's file is fetched only from the address the link names`,
    );
  }
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${url.href}`);
  return response;
}
