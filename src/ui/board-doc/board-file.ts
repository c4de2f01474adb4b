/**
 * The board file (`.v8266`): a whole board — document, hand-driven pins, flash contents — in one
 * file, for boards whose flash is too big for a link. "V8266BOARD1\n", a u32 (little-endian)
 * length, that many bytes of JSON `{ doc, drives }`, then the flash pack (flash-pack.ts).
 */

import { strFromU8, strToU8 } from 'fflate';
import {
  BoardDocumentError,
  validateDocument,
  type BoardDocument,
  type PinCheck,
} from './document.ts';
import { FlashPackError, packFlash, unpackFlash } from './flash-pack.ts';

const MAGIC = strToU8('V8266BOARD1\n');
const MAX_JSON = 1 << 20;

export type PinDrives = (0 | 1 | null)[];

export interface BoardBundle {
  doc: BoardDocument;
  /** What the host drives each GPIO0..16 to (null: released). */
  drives: PinDrives;
  flash: Uint8Array;
}

export class BoardFileError extends Error {
  override name = 'BoardFileError';
}

export function isBoardFile(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b);
}

export function writeBoardFile(bundle: BoardBundle): Uint8Array {
  const json = strToU8(JSON.stringify({ doc: bundle.doc, drives: bundle.drives }));
  const pack = packFlash(bundle.flash);
  const out = new Uint8Array(MAGIC.length + 4 + json.length + pack.length);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(MAGIC.length, json.length, true);
  out.set(json, MAGIC.length + 4);
  out.set(pack, MAGIC.length + 4 + json.length);
  return out;
}

export function readBoardFile(bytes: Uint8Array, pinOk?: PinCheck): BoardBundle {
  if (!isBoardFile(bytes)) throw new BoardFileError('this is not a v8266 board file');
  if (bytes.length < MAGIC.length + 4) throw new BoardFileError('the board file is cut short');
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(MAGIC.length, true);
  const start = MAGIC.length + 4;
  if (length > MAX_JSON || start + length > bytes.length) {
    throw new BoardFileError('the board file is cut short or altered');
  }
  let header: unknown;
  try {
    header = JSON.parse(strFromU8(bytes.subarray(start, start + length)));
  } catch {
    throw new BoardFileError('the board file is altered (its description is not JSON)');
  }
  const h = (typeof header === 'object' && header !== null ? header : {}) as Record<
    string,
    unknown
  >;
  let doc: BoardDocument;
  try {
    doc = validateDocument(h.doc, pinOk);
  } catch (err) {
    if (err instanceof BoardDocumentError) {
      throw new BoardFileError(`the board file's description is not valid: ${err.message}`);
    }
    throw err;
  }
  const drives = parseDrives(h.drives);
  let flash: Uint8Array;
  try {
    flash = unpackFlash(bytes.subarray(start + length));
  } catch (err) {
    if (err instanceof FlashPackError)
      throw new BoardFileError(`in the board file, ${err.message}`);
    throw err;
  }
  return { doc, drives, flash };
}

export const GPIO_PINS = 17;

/** Drives as stored: 17 entries of 0, 1 or null; anything else is refused. */
export function parseDrives(value: unknown): PinDrives {
  if (value === undefined) return new Array<null>(GPIO_PINS).fill(null);
  if (
    !Array.isArray(value) ||
    value.length !== GPIO_PINS ||
    value.some((v) => v !== 0 && v !== 1 && v !== null)
  ) {
    throw new BoardFileError('the hand-driven pins are altered');
  }
  return value as PinDrives;
}

/** `4h,5l` for GPIO4 high, GPIO5 low (the share link's `p=`). */
export function drivesToText(drives: PinDrives): string {
  return drives
    .map((d, pin) => (d === null ? null : `${pin}${d ? 'h' : 'l'}`))
    .filter((x) => x !== null)
    .join(',');
}

export function drivesFromText(text: string): PinDrives {
  const drives: PinDrives = new Array<null>(GPIO_PINS).fill(null);
  if (text === '') return drives;
  for (const item of text.split(',')) {
    const m = /^(\d{1,2})([hl])$/.exec(item);
    if (!m || Number(m[1]) >= GPIO_PINS)
      throw new BoardFileError('the hand-driven pins are altered');
    drives[Number(m[1])] = m[2] === 'h' ? 1 : 0;
  }
  return drives;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>),
  );
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}
