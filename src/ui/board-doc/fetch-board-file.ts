/**
 * A board file a link names by URL and SHA-256: fetched only from an https URL or this site,
 * without cookies or redirects (only where the link says), and used only when its SHA-256 is the
 * one the link carries.
 */

import { readBoardFile, sha256Hex, type BoardBundle } from './board-file.ts';
import type { PinCheck } from './document.ts';
import { fetchOnlyThere, resolveFirmwareUrl } from './firmware-url.ts';
import type { FlashReference } from './share.ts';

/** Larger than any board file of a 16 MB chip, so a runaway response is cut off. */
const MAX_BOARD_FILE = 24 << 20;

export async function fetchBoardFile(ref: FlashReference, pinOk?: PinCheck): Promise<BoardBundle> {
  if (!ref.url) throw new Error('the link names no URL for it');
  const url = resolveFirmwareUrl(ref.url, location.href);
  const response = await fetchOnlyThere(url);
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_BOARD_FILE) throw new Error('the file is larger than any board file');
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_BOARD_FILE) throw new Error('the file is larger than any board file');
  const actual = await sha256Hex(bytes);
  if (actual !== ref.sha256) {
    throw new Error(
      `its SHA-256 is ${actual.slice(0, 12)}…, not ${ref.sha256.slice(0, 12)}… as the link says`,
    );
  }
  return readBoardFile(bytes, pinOk);
}
