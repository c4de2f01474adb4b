/**
 * AES-128 encryption (FIPS 197) and AES key wrap (RFC 3394) for the virtual network.
 *
 * Decryption, unwrap, SHA-1, HMAC, PBKDF2 and the 802.11 PRF already exist as pure functions in
 * the ROM's crypto natives (`src/board/rom/crypto.ts`, written from the same standards); this
 * module adds the encrypting direction the authenticator and CCMP need. Synchronous on purpose:
 * the network runs in simulated time, where WebCrypto's promises cannot be awaited.
 */
import { AES_TE0, SBOX, aesExpandKey } from '../../board/rom/crypto.ts';

// Module-local tables: rows 1..3 of the round table are row 0's word rotated; precomputing them
// (and holding local references rather than the imported bindings, which some module loaders turn
// into getter calls) keeps the per-byte cost of a WPA2 transfer to a few array loads.
const rotr = (v: number, n: number) => ((v >>> n) | (v << (32 - n))) >>> 0;
const TE0 = Uint32Array.from(AES_TE0);
const TE1 = TE0.map((v) => rotr(v, 8));
const TE2 = TE0.map((v) => rotr(v, 16));
const TE3 = TE0.map((v) => rotr(v, 24));
const S = Uint8Array.from(SBOX);

/** One AES-128 key, expanded once; `encryptBlock` is the forward cipher (FIPS 197 §5.1). */
export class Aes128 {
  private readonly w: Uint32Array;

  constructor(key: Uint8Array) {
    if (key.length !== 16) throw new RangeError('AES-128 needs a 16-byte key');
    this.w = aesExpandKey(key);
  }

  /** Encrypts 16 bytes of `input` from `offset`; returns a new block. */
  encryptBlock(input: Uint8Array, offset = 0): Uint8Array {
    const out = new Uint8Array(16);
    this.encryptInto(input, offset, out, 0);
    return out;
  }

  /** Encrypts 16 bytes of `input` at `inOff` into `out` at `outOff` (they may be the same bytes). */
  encryptInto(input: Uint8Array, inOff: number, out: Uint8Array, outOff: number): void {
    const w = this.w;
    let s0 =
      ((input[inOff] << 24) |
        (input[inOff + 1] << 16) |
        (input[inOff + 2] << 8) |
        input[inOff + 3]) ^
      w[0];
    let s1 =
      ((input[inOff + 4] << 24) |
        (input[inOff + 5] << 16) |
        (input[inOff + 6] << 8) |
        input[inOff + 7]) ^
      w[1];
    let s2 =
      ((input[inOff + 8] << 24) |
        (input[inOff + 9] << 16) |
        (input[inOff + 10] << 8) |
        input[inOff + 11]) ^
      w[2];
    let s3 =
      ((input[inOff + 12] << 24) |
        (input[inOff + 13] << 16) |
        (input[inOff + 14] << 8) |
        input[inOff + 15]) ^
      w[3];
    for (let k = 4; k < 40; k += 4) {
      const t0 =
        TE0[s0 >>> 24] ^ TE1[(s1 >>> 16) & 0xff] ^ TE2[(s2 >>> 8) & 0xff] ^ TE3[s3 & 0xff] ^ w[k];
      const t1 =
        TE0[s1 >>> 24] ^
        TE1[(s2 >>> 16) & 0xff] ^
        TE2[(s3 >>> 8) & 0xff] ^
        TE3[s0 & 0xff] ^
        w[k + 1];
      const t2 =
        TE0[s2 >>> 24] ^
        TE1[(s3 >>> 16) & 0xff] ^
        TE2[(s0 >>> 8) & 0xff] ^
        TE3[s1 & 0xff] ^
        w[k + 2];
      const t3 =
        TE0[s3 >>> 24] ^
        TE1[(s0 >>> 16) & 0xff] ^
        TE2[(s1 >>> 8) & 0xff] ^
        TE3[s2 & 0xff] ^
        w[k + 3];
      s0 = t0;
      s1 = t1;
      s2 = t2;
      s3 = t3;
    }
    // The last round has no MixColumns: SubBytes and the round key only.
    const v0 =
      ((S[s0 >>> 24] << 24) |
        (S[(s1 >>> 16) & 0xff] << 16) |
        (S[(s2 >>> 8) & 0xff] << 8) |
        S[s3 & 0xff]) ^
      w[40];
    const v1 =
      ((S[s1 >>> 24] << 24) |
        (S[(s2 >>> 16) & 0xff] << 16) |
        (S[(s3 >>> 8) & 0xff] << 8) |
        S[s0 & 0xff]) ^
      w[41];
    const v2 =
      ((S[s2 >>> 24] << 24) |
        (S[(s3 >>> 16) & 0xff] << 16) |
        (S[(s0 >>> 8) & 0xff] << 8) |
        S[s1 & 0xff]) ^
      w[42];
    const v3 =
      ((S[s3 >>> 24] << 24) |
        (S[(s0 >>> 16) & 0xff] << 16) |
        (S[(s1 >>> 8) & 0xff] << 8) |
        S[s2 & 0xff]) ^
      w[43];
    out[outOff] = v0 >>> 24;
    out[outOff + 1] = v0 >>> 16;
    out[outOff + 2] = v0 >>> 8;
    out[outOff + 3] = v0;
    out[outOff + 4] = v1 >>> 24;
    out[outOff + 5] = v1 >>> 16;
    out[outOff + 6] = v1 >>> 8;
    out[outOff + 7] = v1;
    out[outOff + 8] = v2 >>> 24;
    out[outOff + 9] = v2 >>> 16;
    out[outOff + 10] = v2 >>> 8;
    out[outOff + 11] = v2;
    out[outOff + 12] = v3 >>> 24;
    out[outOff + 13] = v3 >>> 16;
    out[outOff + 14] = v3 >>> 8;
    out[outOff + 15] = v3;
  }
}

/** RFC 3394 §2.2.1 key wrap with the default IV A6A6A6A6A6A6A6A6; `plain` is n ≥ 2 blocks of 8. */
export function aesWrap(kek: Uint8Array, plain: Uint8Array): Uint8Array {
  if (plain.length % 8 !== 0 || plain.length < 16)
    throw new RangeError('key wrap needs n*8 bytes, n >= 2');
  const aes = new Aes128(kek);
  const n = plain.length / 8;
  const a = new Uint8Array(8).fill(0xa6);
  const r = plain.slice();
  const b = new Uint8Array(16);
  for (let j = 0; j <= 5; j++)
    for (let i = 1; i <= n; i++) {
      b.set(a);
      b.set(r.subarray(8 * (i - 1), 8 * i), 8);
      const o = aes.encryptBlock(b);
      const t = n * j + i;
      a.set(o.subarray(0, 8));
      for (let k = 0; k < 4; k++) a[7 - k] ^= (t >>> (8 * k)) & 0xff;
      r.set(o.subarray(8), 8 * (i - 1));
    }
  const out = new Uint8Array(8 + plain.length);
  out.set(a);
  out.set(r, 8);
  return out;
}
