/**
 * AES-CCM (RFC 3610, NIST SP 800-38C) with the parameters CCMP uses: 13-byte nonce (L = 2) and an
 * M-byte tag (8 for CCMP-128). Associated data up to 2^16 - 2^8 bytes (one 2-byte length field),
 * which covers every 802.11 AAD.
 */
import { Aes128 } from './aes.ts';

// CCMP seals every frame with the same temporal key: keep the last expansion.
let cachedKey: Uint8Array | null = null;
let cachedAes: Aes128 | null = null;

function aesFor(key: Uint8Array): Aes128 {
  if (cachedKey && cachedKey.length === key.length && cachedKey.every((b, i) => b === key[i]))
    return cachedAes!;
  cachedAes = new Aes128(key);
  cachedKey = key.slice();
  return cachedAes;
}

function formatBlocks(
  aes: Aes128,
  nonce: Uint8Array,
  aad: Uint8Array,
  plain: Uint8Array,
  tagLen: number,
): Uint8Array {
  // CBC-MAC over B0 | encoded AAD | message, each padded to 16 bytes: x is the chaining state,
  // each block XORed into it and encrypted in place.
  const x = new Uint8Array(16);
  x[0] = (aad.length > 0 ? 0x40 : 0) | (((tagLen - 2) / 2) << 3) | (2 - 1);
  x.set(nonce, 1);
  x[14] = plain.length >>> 8;
  x[15] = plain.length & 0xff;
  aes.encryptInto(x, 0, x, 0);
  if (aad.length > 0) {
    const a = new Uint8Array(2 + aad.length);
    a[0] = aad.length >>> 8;
    a[1] = aad.length & 0xff;
    a.set(aad, 2);
    absorb(aes, x, a);
  }
  absorb(aes, x, plain);
  return x.subarray(0, tagLen);
}

function absorb(aes: Aes128, x: Uint8Array, data: Uint8Array): void {
  for (let i = 0; i < data.length; i += 16) {
    const n = Math.min(16, data.length - i);
    for (let j = 0; j < n; j++) x[j] ^= data[i + j];
    aes.encryptInto(x, 0, x, 0);
  }
}

function ctrBlock(nonce: Uint8Array, counter: number): Uint8Array {
  const a = new Uint8Array(16);
  a[0] = 2 - 1;
  a.set(nonce, 1);
  a[14] = counter >>> 8;
  a[15] = counter & 0xff;
  return a;
}

function ctr(aes: Aes128, nonce: Uint8Array, data: Uint8Array): Uint8Array {
  const out = data.slice();
  const counter = ctrBlock(nonce, 1);
  const s = new Uint8Array(16);
  for (let i = 0, c = 1; i < out.length; i += 16, c++) {
    counter[14] = c >>> 8;
    counter[15] = c & 0xff;
    aes.encryptInto(counter, 0, s, 0);
    const n = Math.min(16, out.length - i);
    for (let j = 0; j < n; j++) out[i + j] ^= s[j];
  }
  return out;
}

/** Encrypts and authenticates: ciphertext followed by the tag. */
export function ccmSeal(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  plain: Uint8Array,
  tagLen = 8,
): Uint8Array {
  const aes = aesFor(key);
  const t = formatBlocks(aes, nonce, aad, plain, tagLen);
  const s0 = aes.encryptBlock(ctrBlock(nonce, 0));
  const out = new Uint8Array(plain.length + tagLen);
  out.set(ctr(aes, nonce, plain));
  for (let i = 0; i < tagLen; i++) out[plain.length + i] = t[i] ^ s0[i];
  return out;
}

/** Decrypts and verifies `sealed` (ciphertext + tag); null when the tag does not match. */
export function ccmOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  sealed: Uint8Array,
  tagLen = 8,
): Uint8Array | null {
  if (sealed.length < tagLen) return null;
  const aes = aesFor(key);
  const plain = ctr(aes, nonce, sealed.subarray(0, sealed.length - tagLen));
  const t = formatBlocks(aes, nonce, aad, plain, tagLen);
  const s0 = aes.encryptBlock(ctrBlock(nonce, 0));
  let diff = 0;
  for (let i = 0; i < tagLen; i++) diff |= t[i] ^ s0[i] ^ sealed[sealed.length - tagLen + i];
  return diff === 0 ? plain : null;
}
