/**
 * A flash chip's contents, small: only the sectors that are not erased, each distinct sector
 * stored once (a chip often holds the same sector many times: an SDK's two config copies, blank
 * file-system blocks), then deflated. An erased 4 MB chip packs to a few bytes; a 261 KB Arduino
 * sketch to roughly what deflate makes of the sketch itself.
 *
 * Layout before deflate (little-endian u32s): "V8F1", flash size, entry count, then per entry
 * (sector index, unique-sector number), then the unique-sector count and their 4096-byte bodies.
 *
 * Unpacking checks every field and inflates with a hard limit while it streams, so a crafted pack
 * gives a `FlashPackError` with a message and never a huge allocation.
 */

import { deflateSync } from 'fflate';
import { FLASH_MAX_SIZE, FLASH_MIN_SIZE } from '../../board/flash/flash-chip.ts';
import { InflateLimitError, inflateBounded } from '../../board/bounded-inflate.ts';

const MAGIC = 0x31463856; // "V8F1"
const SECTOR = 0x1000;

export class FlashPackError extends Error {
  override name = 'FlashPackError';
}

export function packFlash(flash: Uint8Array): Uint8Array {
  const entries: [number, number][] = [];
  const unique: Uint8Array[] = [];
  const seen = new Map<string, number[]>();
  for (let index = 0; index * SECTOR < flash.length; index++) {
    const sector = flash.subarray(index * SECTOR, (index + 1) * SECTOR);
    if (isErased(sector)) continue;
    const key = sectorKey(sector);
    const candidates = seen.get(key) ?? [];
    let ref = candidates.find((u) => equal(unique[u], sector));
    if (ref === undefined) {
      ref = unique.length;
      unique.push(sector);
      candidates.push(ref);
      seen.set(key, candidates);
    }
    entries.push([index, ref]);
  }
  const raw = new Uint8Array(16 + entries.length * 8 + unique.length * SECTOR);
  const view = new DataView(raw.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, flash.length, true);
  view.setUint32(8, entries.length, true);
  let at = 12;
  for (const [index, ref] of entries) {
    view.setUint32(at, index, true);
    view.setUint32(at + 4, ref, true);
    at += 8;
  }
  view.setUint32(at, unique.length, true);
  at += 4;
  for (const sector of unique) {
    raw.set(sector, at);
    at += SECTOR;
  }
  return deflateSync(raw, { level: 9 });
}

/** The largest a valid pack can inflate to: every sector of a 16 MB chip, distinct. */
const MAX_RAW = 16 + (FLASH_MAX_SIZE / SECTOR) * (8 + SECTOR);

export function unpackFlash(packed: Uint8Array): Uint8Array {
  let raw: Uint8Array;
  try {
    raw = inflateBounded(packed, MAX_RAW);
  } catch (err) {
    throw new FlashPackError(
      err instanceof InflateLimitError
        ? 'the flash contents decompress to more than a 16 MB chip holds'
        : 'the flash contents are cut short or altered (they do not decompress)',
    );
  }
  const bad = (what: string) => new FlashPackError(`the flash contents are altered (${what})`);
  if (raw.length < 16) throw bad('too short');
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw bad('not a v8266 flash pack');
  const size = view.getUint32(4, true);
  if (size < FLASH_MIN_SIZE || size > FLASH_MAX_SIZE || (size & (size - 1)) !== 0) {
    throw bad(`flash size ${size}`);
  }
  const count = view.getUint32(8, true);
  if (count > size / SECTOR || raw.length < 16 + count * 8) throw bad('sector table');
  const uniqueAt = 12 + count * 8;
  const uniqueCount = view.getUint32(uniqueAt, true);
  if (raw.length !== uniqueAt + 4 + uniqueCount * SECTOR) throw bad('length');
  const flash = new Uint8Array(size).fill(0xff);
  for (let i = 0; i < count; i++) {
    const index = view.getUint32(12 + i * 8, true);
    const ref = view.getUint32(16 + i * 8, true);
    if (index >= size / SECTOR || ref >= uniqueCount) throw bad('sector table');
    const from = uniqueAt + 4 + ref * SECTOR;
    flash.set(raw.subarray(from, from + SECTOR), index * SECTOR);
  }
  return flash;
}

function isErased(sector: Uint8Array): boolean {
  for (let i = 0; i < sector.length; i++) if (sector[i] !== 0xff) return false;
  return true;
}

function sectorKey(sector: Uint8Array): string {
  // FNV-1a over the words: cheap, and equal() settles collisions.
  let h = 0x811c9dc5;
  for (let i = 0; i < sector.length; i += 4) {
    h ^= sector[i] | (sector[i + 1] << 8) | (sector[i + 2] << 16) | (sector[i + 3] << 24);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
