import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  MAX_SNAPSHOT_PAYLOAD,
  SNAPSHOT_HEADER_BYTES,
  SNAPSHOT_VERSION,
  decodeSnapshot,
  encodeSnapshot,
} from './snapshot-format.ts';
import { crc32 } from '../crc32.ts';
import { SnapshotError, StateReader } from './state.ts';

const sample = () => ({
  pc: 0x40100004,
  name: 'x',
  flags: [1, 2, 3],
  at: Infinity,
  ram: Uint8Array.of(1, 2, 3, 0xff),
  words: Uint32Array.of(0xdeadbeef, 7),
  nested: { drive: Int8Array.of(-1, 0, 1), f: Float64Array.of(0.5, 1e300) },
});

function withHeader(file: Uint8Array, patch: (view: DataView) => void): Uint8Array {
  const copy = file.slice();
  patch(new DataView(copy.buffer));
  return copy;
}

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SnapshotError);
    return (error as Error).message;
  }
  throw new Error('did not throw');
}

describe('snapshot format', () => {
  it('round-trips numbers, text, lists, Infinity and typed arrays of each kind', () => {
    const back = decodeSnapshot(encodeSnapshot(sample()));
    // JSON has no Infinity: it comes back as null, which StateReader.number(key, true) reads.
    expect(back).toEqual({ ...sample(), at: null });
    expect(new StateReader(back).number('at', true)).toBe(Infinity);
    expect(back.words).toBeInstanceOf(Uint32Array);
    expect((back.nested as { drive: Int8Array }).drive).toBeInstanceOf(Int8Array);
  });

  it('starts with the magic and the version, uncompressed', () => {
    const file = encodeSnapshot(sample());
    expect(new TextDecoder().decode(file.subarray(0, 8))).toBe('V8266SNP');
    expect(new DataView(file.buffer).getUint32(8, true)).toBe(SNAPSHOT_VERSION);
  });

  it('refuses other files, other versions, truncation, corruption and bombs, saying which', () => {
    const file = encodeSnapshot(sample());
    expect(message(() => decodeSnapshot(strToU8('PK\x03\x04 a zip file, not a snapshot')))).toMatch(
      /not a v8266 snapshot/,
    );
    expect(message(() => decodeSnapshot(new Uint8Array(0)))).toMatch(/not a v8266 snapshot/);
    expect(
      message(() =>
        decodeSnapshot(withHeader(file, (v) => v.setUint32(8, SNAPSHOT_VERSION + 1, true))),
      ),
    ).toMatch(/format 2 is newer than this v8266 reads \(format 1\): update v8266/);
    expect(message(() => decodeSnapshot(withHeader(file, (v) => v.setUint32(8, 0, true))))).toMatch(
      /format 0 is no longer supported/,
    );
    expect(message(() => decodeSnapshot(file.subarray(0, file.length - 5)))).toMatch(
      /corrupt or truncated/,
    );
    expect(message(() => decodeSnapshot(file.subarray(0, SNAPSHOT_HEADER_BYTES)))).toMatch(
      /corrupt or truncated/,
    );
    // A flipped bit in the payload: the CRC catches what inflation does not.
    const payloadFlip = withHeader(file, (v) => v.setUint32(16, v.getUint32(16, true) ^ 1, true));
    expect(message(() => decodeSnapshot(payloadFlip))).toMatch(/checksum mismatch/);
    expect(
      message(() =>
        decodeSnapshot(withHeader(file, (v) => v.setUint32(12, MAX_SNAPSHOT_PAYLOAD + 1, true))),
      ),
    ).toMatch(/too large/);
    // A header that understates the payload: inflation stops at the stated length.
    const body = deflateSync(new Uint8Array(8 << 20));
    const bombFile = new Uint8Array(SNAPSHOT_HEADER_BYTES + body.length);
    bombFile.set(file.subarray(0, SNAPSHOT_HEADER_BYTES));
    bombFile.set(body, SNAPSHOT_HEADER_BYTES);
    new DataView(bombFile.buffer).setUint32(12, 1000, true);
    expect(message(() => decodeSnapshot(bombFile))).toMatch(/more data than its header says/);
  });

  it('refuses a payload whose field table does not match its buffers', () => {
    const json = strToU8(JSON.stringify({ a: { $buffer: 0, type: 'Uint8Array', length: 10 } }));
    const payload = new Uint8Array(4 + json.length + 3);
    new DataView(payload.buffer).setUint32(0, json.length, true);
    payload.set(json, 4);
    const body = deflateSync(payload);
    const file = new Uint8Array(SNAPSHOT_HEADER_BYTES + body.length);
    file.set(strToU8('V8266SNP'));
    const v = new DataView(file.buffer);
    v.setUint32(8, SNAPSHOT_VERSION, true);
    v.setUint32(12, payload.length, true);
    v.setUint32(16, crc32(payload), true);
    file.set(body, SNAPSHOT_HEADER_BYTES);
    expect(message(() => decodeSnapshot(file))).toMatch(/buffer sizes do not add up/);
  });

  it('crc32 is the IEEE CRC-32', () => {
    expect(crc32(strToU8('123456789'))).toBe(0xcbf43926);
  });
});

describe('StateReader', () => {
  it('names the path of a missing or mistyped field', () => {
    const r = new StateReader({ cpu: { pc: 'x', sr: Uint32Array.of(1) } });
    expect(message(() => r.child('cpu').u32('pc'))).toBe(
      'snapshot field cpu.pc: expected a number',
    );
    expect(message(() => r.child('cpu').array('sr', new Uint32Array(256)))).toBe(
      'snapshot field cpu.sr: expected 256 entries of Uint32Array',
    );
    expect(message(() => r.child('uart0'))).toBe('snapshot field uart0 is missing');
  });
});
