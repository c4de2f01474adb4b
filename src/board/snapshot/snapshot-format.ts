/**
 * The snapshot file (`.v8266snap`): a saved state tree (state.ts) as bytes.
 *
 *   offset 0   8 bytes  magic "V8266SNP"
 *          8   u32 LE   format version (SNAPSHOT_VERSION)
 *         12   u32 LE   payload length before compression
 *         16   u32 LE   CRC-32 of the payload (IEEE, as zip and PNG use)
 *         20   …        the payload, raw DEFLATE (fflate)
 *
 * The payload is a u32 LE length, that many bytes of UTF-8 JSON (the tree, each typed array
 * replaced by {"$buffer": i, "type": "Uint32Array", "length": n}), then the arrays' bytes one after
 * the other in index order (little-endian, as typed arrays are on every host we run on).
 * JSON has no Infinity: an unscheduled alarm is written as null (StateReader reads it back).
 *
 * The same state always gives the same bytes (fixed field order, deterministic compression), so
 * two snapshots can be compared byte for byte. Decoding refuses, with a message that says which:
 * another file type, a newer or older format version, a length past MAX_SNAPSHOT_PAYLOAD
 * (inflation stops at the limit while it streams), truncation, a CRC mismatch, bad JSON.
 */

import { deflateSync, strFromU8, strToU8 } from 'fflate';
import { InflateCorruptError, InflateLimitError, inflateBounded } from '../bounded-inflate.ts';
import { crc32 } from '../crc32.ts';
import { SnapshotError, type SavedArray, type SavedState, type SavedValue } from './state.ts';

export const SNAPSHOT_MAGIC = 'V8266SNP';
/** Bump when a saved field changes meaning or a restore would need fields older files lack. */
export const SNAPSHOT_VERSION = 1;
export const SNAPSHOT_HEADER_BYTES = 20;
/** 16 MB of flash, 230 KB of RAM and the fields fit with room to spare. */
export const MAX_SNAPSHOT_PAYLOAD = 32 << 20;
/** The file name extension the page and the docs use. */
export const SNAPSHOT_EXTENSION = '.v8266snap';

const ARRAY_TYPES = {
  Uint8Array,
  Int8Array,
  Uint32Array,
  Int32Array,
  Float64Array,
} as const;
type ArrayType = keyof typeof ARRAY_TYPES;

interface BufferRef {
  $buffer: number;
  type: ArrayType;
  length: number;
}

/** Whether `bytes` start like a snapshot (what a drop uses to tell it from firmware). */
export function isSnapshotFile(bytes: Uint8Array): boolean {
  if (bytes.length < SNAPSHOT_MAGIC.length) return false;
  for (let i = 0; i < SNAPSHOT_MAGIC.length; i++)
    if (bytes[i] !== SNAPSHOT_MAGIC.charCodeAt(i)) return false;
  return true;
}

export function encodeSnapshot(state: SavedState): Uint8Array {
  const buffers: SavedArray[] = [];
  const json = JSON.stringify(state, function (this: unknown, _key, value: unknown) {
    if (ArrayBuffer.isView(value)) {
      const array = value as SavedArray;
      const ref: BufferRef = {
        $buffer: buffers.length,
        type: array.constructor.name as ArrayType,
        length: array.length,
      };
      if (!(ref.type in ARRAY_TYPES)) throw new TypeError(`cannot save a ${ref.type}`);
      buffers.push(array);
      return ref;
    }
    if (value === Infinity) return null;
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError(`cannot save the number ${value}`);
    return value;
  });
  const jsonBytes = strToU8(json);
  let size = 4 + jsonBytes.length;
  for (const b of buffers) size += b.byteLength;
  const payload = new Uint8Array(size);
  new DataView(payload.buffer).setUint32(0, jsonBytes.length, true);
  payload.set(jsonBytes, 4);
  let at = 4 + jsonBytes.length;
  for (const b of buffers) {
    payload.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), at);
    at += b.byteLength;
  }
  const body = deflateSync(payload, { level: 6 });
  const out = new Uint8Array(SNAPSHOT_HEADER_BYTES + body.length);
  out.set(strToU8(SNAPSHOT_MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, SNAPSHOT_VERSION, true);
  view.setUint32(12, payload.length, true);
  view.setUint32(16, crc32(payload), true);
  out.set(body, SNAPSHOT_HEADER_BYTES);
  return out;
}

/** The tree saved in `file`; throws SnapshotError saying what is wrong with it. */
export function decodeSnapshot(file: Uint8Array): SavedState {
  if (
    file.length < SNAPSHOT_HEADER_BYTES ||
    strFromU8(file.subarray(0, 8), true) !== SNAPSHOT_MAGIC
  )
    throw new SnapshotError(
      `not a v8266 snapshot (a ${SNAPSHOT_EXTENSION} file starts with "${SNAPSHOT_MAGIC}")`,
    );
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const version = view.getUint32(8, true);
  if (version > SNAPSHOT_VERSION)
    throw new SnapshotError(
      `snapshot format ${version} is newer than this v8266 reads (format ${SNAPSHOT_VERSION}): update v8266`,
    );
  if (version < SNAPSHOT_VERSION)
    throw new SnapshotError(
      `snapshot format ${version} is no longer supported (this v8266 reads format ${SNAPSHOT_VERSION})`,
    );
  const length = view.getUint32(12, true);
  if (length > MAX_SNAPSHOT_PAYLOAD)
    throw new SnapshotError(
      `snapshot too large (${length} bytes; at most ${MAX_SNAPSHOT_PAYLOAD})`,
    );
  let payload: Uint8Array;
  try {
    payload = inflateBounded(file.subarray(SNAPSHOT_HEADER_BYTES), length);
  } catch (error) {
    if (error instanceof InflateLimitError)
      throw new SnapshotError('snapshot corrupt: it holds more data than its header says');
    if (error instanceof InflateCorruptError)
      throw new SnapshotError(`snapshot corrupt or truncated (${error.message})`);
    throw error;
  }
  if (payload.length !== length)
    throw new SnapshotError(`snapshot corrupt or truncated (${payload.length} of ${length} bytes)`);
  if (crc32(payload) !== view.getUint32(16, true))
    throw new SnapshotError('snapshot corrupt (checksum mismatch)');
  return parsePayload(payload);
}

function parsePayload(payload: Uint8Array): SavedState {
  const corrupt = (why: string) => new SnapshotError(`snapshot corrupt (${why})`);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const jsonLength = payload.length >= 4 ? view.getUint32(0, true) : Infinity;
  if (4 + jsonLength > payload.length) throw corrupt('field table past the end');
  let tree: unknown;
  try {
    tree = JSON.parse(strFromU8(payload.subarray(4, 4 + jsonLength)));
  } catch {
    throw corrupt('field table is not JSON');
  }
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) throw corrupt('no fields');
  // Buffers follow the JSON in index order; find their offsets from the references.
  const refs: BufferRef[] = [];
  const collect = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    if (isRef(v)) {
      if (refs[v.$buffer]) throw corrupt(`buffer ${v.$buffer} referenced twice`);
      refs[v.$buffer] = v;
      return;
    }
    for (const item of Object.values(v)) collect(item);
  };
  collect(tree);
  const starts: number[] = [];
  let at = 4 + jsonLength;
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i];
    if (!ref) throw corrupt(`buffer ${i} is not referenced`);
    starts.push(at);
    at += ref.length * ARRAY_TYPES[ref.type].BYTES_PER_ELEMENT;
  }
  if (at !== payload.length) throw corrupt('buffer sizes do not add up');
  const revive = (v: unknown): SavedValue => {
    if (v === null || typeof v !== 'object') return v as SavedValue;
    if (isRef(v)) {
      const type = ARRAY_TYPES[v.type];
      const start = starts[v.$buffer];
      const bytes = payload.slice(start, start + v.length * type.BYTES_PER_ELEMENT);
      return new type(bytes.buffer, 0, v.length);
    }
    if (Array.isArray(v)) return v.map(revive);
    const out: Record<string, SavedValue> = {};
    for (const [k, item] of Object.entries(v)) out[k] = revive(item);
    return out;
  };
  return revive(tree) as SavedState;
}

function isRef(v: object): v is BufferRef {
  const r = v as Partial<BufferRef>;
  return (
    typeof r.$buffer === 'number' &&
    Number.isInteger(r.$buffer) &&
    r.$buffer >= 0 &&
    typeof r.type === 'string' &&
    Object.prototype.hasOwnProperty.call(ARRAY_TYPES, r.type) &&
    typeof r.length === 'number' &&
    Number.isInteger(r.length) &&
    r.length >= 0
  );
}
