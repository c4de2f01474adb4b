/**
 * PBKDF2-HMAC-SHA1 (RFC 8018 §5.2) for WPA passphrases (4096 iterations): the HMAC inner and outer
 * key states are compressed once, so each iteration costs two SHA-1 compressions on fixed-size
 * blocks instead of four plus allocations (the generic HMAC of the ROM natives took ~1 s per PMK).
 */
import { hmacSha1, sha1, sha1Block } from '../../board/rom/crypto.ts';

const SHA1_IV = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];

function keyState(key: Uint8Array, pad: number): Uint32Array {
  const block = new Uint8Array(64);
  block.set(key);
  for (let i = 0; i < 64; i++) block[i] ^= pad;
  const st = Uint32Array.from(SHA1_IV);
  sha1Block(st, block, 0);
  return st;
}

/** The 20-byte digest words into a padded 64-byte block that follows one 64-byte key block. */
function digestBlock(words: Uint32Array, block: Uint8Array): void {
  for (let i = 0; i < 5; i++) {
    block[4 * i] = words[i] >>> 24;
    block[4 * i + 1] = (words[i] >>> 16) & 0xff;
    block[4 * i + 2] = (words[i] >>> 8) & 0xff;
    block[4 * i + 3] = words[i] & 0xff;
  }
}

export function pbkdf2HmacSha1(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  dkLen: number,
): Uint8Array {
  const key = password.length > 64 ? sha1(password) : password;
  const inner = keyState(key, 0x36);
  const outer = keyState(key, 0x5c);
  // A 20-byte message after the 64-byte pad: 0x80, zeros, bit length (64 + 20) * 8 = 672.
  const block = new Uint8Array(64);
  block[20] = 0x80;
  block[62] = 672 >> 8;
  block[63] = 672 & 0xff;
  const st = new Uint32Array(5);
  const out = new Uint8Array(dkLen);
  for (let i = 1, pos = 0; pos < dkLen; i++, pos += 20) {
    const u1 = hmacSha1(
      password,
      salt,
      Uint8Array.of(i >>> 24, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff),
    );
    const t = Uint32Array.from(
      { length: 5 },
      (_, w) =>
        ((u1[4 * w] << 24) | (u1[4 * w + 1] << 16) | (u1[4 * w + 2] << 8) | u1[4 * w + 3]) >>> 0,
    );
    const u = t.slice();
    for (let c = 1; c < iterations; c++) {
      digestBlock(u, block);
      st.set(inner);
      sha1Block(st, block, 0);
      digestBlock(st, block);
      u.set(outer);
      sha1Block(u, block, 0);
      for (let w = 0; w < 5; w++) t[w] ^= u[w];
    }
    const bytes = new Uint8Array(20);
    digestBlock(t, bytes);
    out.set(bytes.subarray(0, Math.min(20, dkLen - pos)), pos);
  }
  return out;
}
