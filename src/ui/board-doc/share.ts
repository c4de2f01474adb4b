/**
 * The share URL: the board document, deflated (fflate) and base64url-encoded, in the fragment
 * (`#b=…`), so it never reaches a server. Opening such a URL decodes and validates the same
 * document the editor shows; anything wrong gives a `ShareError` with a message for the user.
 */

import { deflateSync, strFromU8, strToU8 } from 'fflate';
import { InflateLimitError, inflateBounded as inflateWithin } from '../../board/bounded-inflate.ts';
import { drivesFromText, drivesToText, type PinDrives } from './board-file.ts';
import { isAllowedFirmwareUrl } from './firmware-url.ts';
import { FlashPackError, unpackFlash } from './flash-pack.ts';
import { decodeSnapshot } from '../../board/snapshot/snapshot-format.ts';
import { SnapshotError } from '../../board/snapshot/state.ts';
import {
  BoardDocumentError,
  validateDocument,
  type BoardDocument,
  type FirmwareRef,
  type PinCheck,
} from './document.ts';

export const SHARE_KEY = 'b';
/** Above this a link without embedded firmware is suspicious (a document is ~200 bytes). */
export const MAX_PLAIN_URL = 8 * 1024;
/** Firmware is only offered for embedding while the link stays below this. */
export const MAX_EMBED_URL = 256 * 1024;
/** Refuse to inflate more than this (a crafted link must not eat the tab's memory). */
const MAX_INFLATED = 8 * 1024 * 1024;

export class ShareError extends Error {
  override name = 'ShareError';
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text))
    throw new ShareError('the link holds characters base64url does not use');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  let binary: string;
  try {
    binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  } catch {
    throw new ShareError('the link is cut short or altered (bad base64)');
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function inflateBounded(bytes: Uint8Array, limit = MAX_INFLATED): Uint8Array {
  try {
    return inflateWithin(bytes, limit);
  } catch (err) {
    if (err instanceof InflateLimitError) {
      throw new ShareError(`the link decompresses to too much data (over ${limit >> 20} MB)`);
    }
    throw new ShareError('the link is cut short or altered (it does not decompress)');
  }
}

/** `#b=…` for a document (the fragment, with its `#`). */
export function encodeShareFragment(doc: BoardDocument): string {
  const json = JSON.stringify(doc);
  return `#${SHARE_KEY}=${toBase64Url(deflateSync(strToU8(json), { level: 9 }))}`;
}

/** The `b` value of a fragment like `#b=…&x=y`, or null when there is none. */
export function shareValue(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return params.get(SHARE_KEY);
}

/** Decode and validate; throws a ShareError that says what is wrong. */
export function decodeShare(value: string, pinOk?: PinCheck): BoardDocument {
  if (value.length === 0) throw new ShareError('the link holds no board');
  const json = strFromU8(inflateBounded(fromBase64Url(value)));
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new ShareError('the link is altered (its board is not JSON)');
  }
  try {
    return validateDocument(parsed, pinOk);
  } catch (err) {
    if (err instanceof BoardDocumentError) {
      throw new ShareError(`the link's board is not valid: ${err.message}`);
    }
    throw err;
  }
}

/** Files as an `embedded` firmware reference (each part deflated, base64url). */
export function embedFirmware(
  name: string,
  parts: { offset: number; data: Uint8Array }[],
): FirmwareRef {
  return {
    kind: 'embedded',
    name,
    parts: parts.map((p) => ({
      offset: `0x${p.offset.toString(16)}`,
      data: toBase64Url(deflateSync(p.data, { level: 9 })),
    })),
  };
}

/** The parts of an `embedded` firmware reference, back as bytes. */
export function unembedFirmware(
  ref: Extract<FirmwareRef, { kind: 'embedded' }>,
): { name: string; offset: number; data: Uint8Array }[] {
  return ref.parts.map((p, i) => ({
    name: i === 0 ? ref.name : `${ref.name} part ${i + 1}`,
    offset: Number(p.offset),
    data: inflateBounded(fromBase64Url(p.data)),
  }));
}

const OWN_LINK_KEY = 'v8266.ownShareLink';

/** Put a share fragment in the address bar, remembering it is this tab's own (see `isOwnLinkReload`). */
export function showShareFragment(fragment: string): void {
  history.replaceState(null, '', fragment);
  markOwnLink(fragment);
}

/** This tab's address-bar fragment is saved as a board already: a reload opens that board. */
export function markOwnLink(fragment: string): void {
  try {
    sessionStorage.setItem(OWN_LINK_KEY, fragment);
  } catch {
    // Storage off: a reload then opens the link as a new board, which is still correct.
  }
}

/**
 * A reload of a page whose fragment this tab wrote itself (the Share button): the saved board is
 * what the user means, not a copy made from the link.
 */
export function isOwnLinkReload(hash: string): boolean {
  const navigation = performance.getEntriesByType('navigation')[0] as
    PerformanceNavigationTiming | undefined;
  if (navigation?.type !== 'reload') return false;
  try {
    return sessionStorage.getItem(OWN_LINK_KEY) === hash;
  } catch {
    return false;
  }
}

/** A link with the flash inside stays below this (Chromium takes URLs up to 2 MB). */
export const MAX_FLASH_LINK = 1024 * 1024;

/** Where a link too big for its flash says the flash is: a board file with this SHA-256. */
export interface FlashReference {
  sha256: string;
  /** An https (or same-site) URL to fetch it from; absent: the opener is asked for the file. */
  url?: string;
}

export interface SharedBoard {
  doc: BoardDocument;
  /** The flash contents the link carries (`f=`), or null. */
  flash: Uint8Array | null;
  /** Hand-driven pins (`p=`), or null when the link names none. */
  drives: PinDrives | null;
  flashRef: FlashReference | null;
  /** The running machine (`s=`, a `.v8266snap` file: it holds the flash too), or null. */
  snapshot: Uint8Array | null;
}

/**
 * The fragment for a board: `b=` the document, then `s=` the running machine (a snapshot, which
 * holds the flash) or `f=` the packed flash (flash-pack.ts) or `fh=`/`fu=` a board file's SHA-256
 * and URL, then `p=` the hand-driven pins.
 */
export function encodeBoardFragment(
  doc: BoardDocument,
  extra: {
    snapshot?: Uint8Array;
    flashPack?: Uint8Array;
    flashRef?: FlashReference;
    drives?: PinDrives;
  } = {},
): string {
  let fragment = encodeShareFragment(doc);
  if (extra.snapshot) fragment += `&s=${toBase64Url(extra.snapshot)}`;
  else if (extra.flashPack) fragment += `&f=${toBase64Url(extra.flashPack)}`;
  else if (extra.flashRef) {
    fragment += `&fh=${extra.flashRef.sha256}`;
    if (extra.flashRef.url) fragment += `&fu=${encodeURIComponent(extra.flashRef.url)}`;
  }
  const pins = extra.drives ? drivesToText(extra.drives) : '';
  if (pins) fragment += `&p=${pins}`;
  return fragment;
}

/** Decode a whole fragment; null when it holds no board; a ShareError for anything wrong. */
export function decodeBoardFragment(hash: string, pinOk?: PinCheck): SharedBoard | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const value = params.get(SHARE_KEY);
  if (value === null) return null;
  const doc = decodeShare(value, pinOk);
  let flash: Uint8Array | null = null;
  const packed = params.get('f');
  if (packed !== null) {
    try {
      flash = unpackFlash(fromBase64Url(packed));
    } catch (err) {
      if (err instanceof FlashPackError) throw new ShareError(`in the link, ${err.message}`);
      throw err;
    }
  }
  let flashRef: FlashReference | null = null;
  const sha256 = params.get('fh');
  if (sha256 !== null) {
    if (!/^[0-9a-f]{64}$/.test(sha256))
      throw new ShareError("the link's flash checksum is altered");
    const url = params.get('fu') ?? undefined;
    if (url !== undefined && !isAllowedFirmwareUrl(url)) {
      throw new ShareError(
        "the link's board file URL must be an absolute https: URL or a path on this site",
      );
    }
    flashRef = { sha256, ...(url ? { url } : {}) };
  }
  let drives: PinDrives | null = null;
  const pins = params.get('p');
  if (pins !== null) {
    try {
      drives = drivesFromText(pins);
    } catch {
      throw new ShareError("the link's hand-driven pins are altered");
    }
  }
  let snapshot: Uint8Array | null = null;
  const machine = params.get('s');
  if (machine !== null) {
    snapshot = fromBase64Url(machine);
    // Checked whole here (magic, version, CRC, inflation bounded while it streams), so a bad
    // one refuses the link before anything changes.
    try {
      decodeSnapshot(snapshot);
    } catch (err) {
      if (err instanceof SnapshotError) throw new ShareError(`the link's machine: ${err.message}`);
      throw err;
    }
  }
  return { doc, flash, drives, flashRef, snapshot };
}
