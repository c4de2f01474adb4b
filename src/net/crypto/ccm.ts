/**
 * AES-CCM (RFC 3610, NIST SP 800-38C) with the parameters CCMP uses: 13-byte nonce (L = 2) and an
 * M-byte tag (8 for CCMP-128). Associated data up to 2^16 - 2^8 bytes (one 2-byte length field),
 * which covers every 802.11 AAD.
 */
import { Aes128 } from './aes.ts';

function formatBlocks(
  aes: Aes128,
  nonce: Uint8Array,
  aad: Uint8Array,
  plain: Uint8Array,
  tagLen: number,
): Uint8Array {
  // CBC-MAC over B0 | encoded AAD | message, each padded to 16 bytes.
  const b0 = new Uint8Array(16);
  b0[0] = (aad.length > 0 ? 0x40 : 0) | (((tagLen - 2) / 2) << 3) | (2 - 1);
  b0.set(nonce, 1);
  b0[14] = plain.length >>> 8;
  b0[15] = plain.length & 0xff;
  let x = aes.encryptBlock(b0);
  const absorb = (data: Uint8Array) => {
    for (let i = 0; i < data.length; i += 16) {
      const blk = x.slice();
      for (let j = 0; j < 16 && i + j < data.length; j++) blk[j] ^= data[i + j];
      x = aes.encryptBlock(blk);
    }
  };
  if (aad.length > 0) {
    const a = new Uint8Array(2 + aad.length);
    a[0] = aad.length >>> 8;
    a[1] = aad.length & 0xff;
    a.set(aad, 2);
    absorb(a);
  }
  absorb(plain);
  return x.subarray(0, tagLen);
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
  for (let i = 0, c = 1; i < out.length; i += 16, c++) {
    const s = aes.encryptBlock(ctrBlock(nonce, c));
    for (let j = 0; j < 16 && i + j < out.length; j++) out[i + j] ^= s[j];
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
  const aes = new Aes128(key);
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
  const aes = new Aes128(key);
  const plain = ctr(aes, nonce, sealed.subarray(0, sealed.length - tagLen));
  const t = formatBlocks(aes, nonce, aad, plain, tagLen);
  const s0 = aes.encryptBlock(ctrBlock(nonce, 0));
  let diff = 0;
  for (let i = 0; i < tagLen; i++) diff |= t[i] ^ s0[i] ^ sealed[sealed.length - tagLen + i];
  return diff === 0 ? plain : null;
}
