/**
 * AES-128 encryption (FIPS 197) and AES key wrap (RFC 3394) for the virtual network.
 *
 * Decryption, unwrap, SHA-1, HMAC, PBKDF2 and the 802.11 PRF already exist as pure functions in
 * the ROM's crypto natives (`src/board/rom/crypto.ts`, written from the same standards); this
 * module adds the encrypting direction the authenticator and CCMP need. Synchronous on purpose:
 * the network runs in simulated time, where WebCrypto's promises cannot be awaited.
 */
import { AES_TE0, SBOX, aesExpandKey } from '../../board/rom/crypto.ts';

/** One AES-128 key, expanded once; `encryptBlock` is the forward cipher (FIPS 197 §5.1). */
export class Aes128 {
  private readonly w: Uint32Array;

  constructor(key: Uint8Array) {
    if (key.length !== 16) throw new RangeError('AES-128 needs a 16-byte key');
    this.w = aesExpandKey(key);
  }

  /** Encrypts 16 bytes of `input` from `offset`; returns a new block. */
  encryptBlock(input: Uint8Array, offset = 0): Uint8Array {
    const w = this.w;
    const col = (c: number) =>
      ((input[offset + 4 * c] << 24) |
        (input[offset + 4 * c + 1] << 16) |
        (input[offset + 4 * c + 2] << 8) |
        input[offset + 4 * c + 3]) >>>
      0;
    let s0 = (col(0) ^ w[0]) >>> 0;
    let s1 = (col(1) ^ w[1]) >>> 0;
    let s2 = (col(2) ^ w[2]) >>> 0;
    let s3 = (col(3) ^ w[3]) >>> 0;
    // Te0 holds SubBytes+MixColumns for a byte in row 0; rows 1..3 are the same word rotated.
    const te = (x: number, r: number) => {
      const v = AES_TE0[x];
      return r === 0 ? v : ((v >>> (8 * r)) | (v << (32 - 8 * r))) >>> 0;
    };
    for (let round = 1; round < 10; round++) {
      const k = 4 * round;
      const t0 =
        te(s0 >>> 24, 0) ^
        te((s1 >>> 16) & 0xff, 1) ^
        te((s2 >>> 8) & 0xff, 2) ^
        te(s3 & 0xff, 3) ^
        w[k];
      const t1 =
        te(s1 >>> 24, 0) ^
        te((s2 >>> 16) & 0xff, 1) ^
        te((s3 >>> 8) & 0xff, 2) ^
        te(s0 & 0xff, 3) ^
        w[k + 1];
      const t2 =
        te(s2 >>> 24, 0) ^
        te((s3 >>> 16) & 0xff, 1) ^
        te((s0 >>> 8) & 0xff, 2) ^
        te(s1 & 0xff, 3) ^
        w[k + 2];
      const t3 =
        te(s3 >>> 24, 0) ^
        te((s0 >>> 16) & 0xff, 1) ^
        te((s1 >>> 8) & 0xff, 2) ^
        te(s2 & 0xff, 3) ^
        w[k + 3];
      s0 = t0 >>> 0;
      s1 = t1 >>> 0;
      s2 = t2 >>> 0;
      s3 = t3 >>> 0;
    }
    const out = new Uint8Array(16);
    const last = (a: number, b: number, c: number, d: number, k: number, o: number) => {
      const v =
        ((SBOX[a >>> 24] << 24) |
          (SBOX[(b >>> 16) & 0xff] << 16) |
          (SBOX[(c >>> 8) & 0xff] << 8) |
          SBOX[d & 0xff]) ^
        w[40 + k];
      out[o] = v >>> 24;
      out[o + 1] = (v >>> 16) & 0xff;
      out[o + 2] = (v >>> 8) & 0xff;
      out[o + 3] = v & 0xff;
    };
    last(s0, s1, s2, s3, 0, 0);
    last(s1, s2, s3, s0, 1, 4);
    last(s2, s3, s0, s1, 2, 8);
    last(s3, s0, s1, s2, 3, 12);
    return out;
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
