/**
 * The ROM's crypto helpers (reference §7.1 "crypto", imported by the SDK's libwpa/libcrypto,
 * §7.2) as TypeScript natives. Written from the public standards: MD5 (RFC 1321), SHA-1
 * (FIPS 180), HMAC (RFC 2104), PBKDF2 (RFC 2898), the IEEE 802.11i PRF, AES-128 (FIPS 197, the
 * decryption key schedule of the equivalent inverse cipher, §5.3.5), AES key unwrap (RFC 3394)
 * and RC4. The C signatures are the hostapd/wpa_supplicant ones the SDK calls; the context
 * structs are hostapd's (`struct MD5Context { u32 buf[4]; u32 bits[2]; u8 in[64]; }`, 88 bytes;
 * `SHA1_CTX { u32 state[5]; u32 count[2]; u8 buffer[64]; }`, 92 bytes; bit counts low word
 * first) and live in guest memory, so a context can be started by a native and finished by
 * firmware code or the other way round. docs/rom.md, "Crypto".
 *
 * Memory: sources are read by aligned 32-bit words (like our ROM's mem/str functions: SDK
 * firmware keeps constants in flash, where byte loads fault); results are stored bytewise, or
 * by words where aligned. A fault raises the exception at the function's entry (EPC = entry);
 * inputs are read before anything is written.
 */
import type { XtensaCpu } from '../cpu/index.ts';

// ---------------------------------------------------------------- guest memory

function rd8(cpu: XtensaCpu, a: number): number {
  a >>>= 0;
  return (cpu.bus.read32((a & ~3) >>> 0) >>> ((a & 3) * 8)) & 0xff;
}
export function readBytes(cpu: XtensaCpu, a: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rd8(cpu, a + i);
  return out;
}
function rd32(cpu: XtensaCpu, a: number): number {
  a >>>= 0;
  if ((a & 3) === 0) return cpu.bus.read32(a) >>> 0;
  return (
    (rd8(cpu, a) | (rd8(cpu, a + 1) << 8) | (rd8(cpu, a + 2) << 16) | (rd8(cpu, a + 3) << 24)) >>> 0
  );
}
function writeBytes(cpu: XtensaCpu, a: number, b: Uint8Array): void {
  for (let i = 0; i < b.length; i++) cpu.bus.write8((a + i) >>> 0, b[i]);
}
function wr32(cpu: XtensaCpu, a: number, v: number): void {
  a >>>= 0;
  if ((a & 3) === 0) return cpu.bus.write32(a, v >>> 0);
  for (let i = 0; i < 4; i++) cpu.bus.write8((a + i) >>> 0, (v >>> (8 * i)) & 0xff);
}
/** A NUL-terminated string (without the NUL). */
function readCString(cpu: XtensaCpu, a: number): Uint8Array {
  let n = 0;
  while (rd8(cpu, a + n) !== 0) n++;
  return readBytes(cpu, a, n);
}
/** The (addr[], len[]) vector arguments of the *_vector functions, concatenated. */
function readVector(cpu: XtensaCpu, num: number, addrs: number, lens: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < num; i++)
    parts.push(readBytes(cpu, rd32(cpu, addrs + 4 * i), rd32(cpu, lens + 4 * i)));
  return parts;
}
// ---------------------------------------------------------------- MD5 (RFC 1321)

const MD5_T = Array.from(
  { length: 64 },
  (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0,
);
const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const rotl = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;

/** One 64-byte block into state (4 words), RFC 1321 §3.4. */
export function md5Block(st: Uint32Array, blk: Uint8Array, off: number): void {
  const x = new Uint32Array(16);
  for (let i = 0; i < 16; i++) {
    const o = off + 4 * i;
    x[i] = (blk[o] | (blk[o + 1] << 8) | (blk[o + 2] << 16) | (blk[o + 3] << 24)) >>> 0;
  }
  let [a, b, c, d] = st;
  for (let i = 0; i < 64; i++) {
    const round = i >> 4;
    let f: number;
    let k: number;
    if (round === 0) {
      f = (b & c) | (~b & d);
      k = i;
    } else if (round === 1) {
      f = (b & d) | (c & ~d);
      k = (5 * i + 1) & 15;
    } else if (round === 2) {
      f = b ^ c ^ d;
      k = (3 * i + 5) & 15;
    } else {
      f = c ^ (b | ~d);
      k = (7 * i) & 15;
    }
    const t = (a + f + MD5_T[i] + x[k]) >>> 0;
    a = d;
    d = c;
    c = b;
    b = (b + rotl(t, MD5_S[round * 4 + (i & 3)])) >>> 0;
  }
  st[0] = (st[0] + a) >>> 0;
  st[1] = (st[1] + b) >>> 0;
  st[2] = (st[2] + c) >>> 0;
  st[3] = (st[3] + d) >>> 0;
}

// ---------------------------------------------------------------- SHA-1 (FIPS 180-4 §6.1)

/** The message schedule, shared: allocating 80 words per block was half of sha1Block's cost. */
const sha1Schedule = new Int32Array(80);

export function sha1Block(h: Uint32Array, blk: Uint8Array, off: number): void {
  // A WPA PSK is 16384 blocks (pbkdf2_sha1 in a softAP's start-up), so this is written for V8:
  // int32 arithmetic, no destructuring of the typed array, one loop per round function.
  const w = sha1Schedule;
  for (let t = 0; t < 16; t++) {
    const o = off + 4 * t;
    w[t] = (blk[o] << 24) | (blk[o + 1] << 16) | (blk[o + 2] << 8) | blk[o + 3];
  }
  for (let t = 16; t < 80; t++) {
    const x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16];
    w[t] = (x << 1) | (x >>> 31);
  }
  let a = h[0] | 0;
  let b = h[1] | 0;
  let c = h[2] | 0;
  let d = h[3] | 0;
  let e = h[4] | 0;
  let t = 0;
  for (; t < 20; t++) {
    const tmp = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[t]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = tmp;
  }
  for (; t < 40; t++) {
    const tmp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[t]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = tmp;
  }
  for (; t < 60; t++) {
    const tmp =
      (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + w[t]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = tmp;
  }
  for (; t < 80; t++) {
    const tmp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0xca62c1d6 + w[t]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = tmp;
  }
  h[0] = h[0] + a;
  h[1] = h[1] + b;
  h[2] = h[2] + c;
  h[3] = h[3] + d;
  h[4] = h[4] + e;
}

const MD5_IV = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
const SHA1_IV = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];

/** A streaming hash with the hostapd context's state: words, 64-bit bit count, partial block. */
interface HashState {
  st: Uint32Array;
  bitsLo: number;
  bitsHi: number;
  buf: Uint8Array; // 64 bytes; the first (bitsLo >>> 3) & 63 are pending
}
interface HashAlg {
  words: number;
  iv: number[];
  block: (st: Uint32Array, b: Uint8Array, off: number) => void;
  bigEndian: boolean;
}
const MD5: HashAlg = { words: 4, iv: MD5_IV, block: md5Block, bigEndian: false };
const SHA1: HashAlg = { words: 5, iv: SHA1_IV, block: sha1Block, bigEndian: true };

let blocksDone = 0; // compression count, for the cycle charge

function hashNew(alg: HashAlg): HashState {
  return { st: Uint32Array.from(alg.iv), bitsLo: 0, bitsHi: 0, buf: new Uint8Array(64) };
}
function hashUpdate(alg: HashAlg, s: HashState, data: Uint8Array): void {
  let have = (s.bitsLo >>> 3) & 63;
  const len = data.length >>> 0;
  const lo = (s.bitsLo + ((len << 3) >>> 0)) >>> 0;
  if (lo < s.bitsLo) s.bitsHi = (s.bitsHi + 1) >>> 0;
  s.bitsHi = (s.bitsHi + (len >>> 29)) >>> 0;
  s.bitsLo = lo;
  let i = 0;
  if (have) {
    const take = Math.min(64 - have, len);
    s.buf.set(data.subarray(0, take), have);
    have += take;
    i = take;
    if (have < 64) return;
    alg.block(s.st, s.buf, 0);
    blocksDone++;
  }
  for (; i + 64 <= len; i += 64) {
    alg.block(s.st, data, i);
    blocksDone++;
  }
  s.buf.set(data.subarray(i), 0);
}
function hashFinal(alg: HashAlg, s: HashState): Uint8Array {
  const lo = s.bitsLo;
  const hi = s.bitsHi;
  const have = (lo >>> 3) & 63;
  const pad = new Uint8Array((have < 56 ? 56 : 120) - have + 8);
  pad[0] = 0x80;
  const n = pad.length;
  for (let i = 0; i < 4; i++) {
    const bl = (lo >>> (8 * i)) & 0xff;
    const bh = (hi >>> (8 * i)) & 0xff;
    if (alg.bigEndian) {
      pad[n - 1 - i] = bl;
      pad[n - 5 - i] = bh;
    } else {
      pad[n - 8 + i] = bl;
      pad[n - 4 + i] = bh;
    }
  }
  hashUpdate(alg, s, pad);
  const out = new Uint8Array(alg.words * 4);
  for (let w = 0; w < alg.words; w++)
    for (let i = 0; i < 4; i++)
      out[4 * w + i] = (s.st[w] >>> (alg.bigEndian ? 24 - 8 * i : 8 * i)) & 0xff;
  return out;
}
function digest(alg: HashAlg, parts: Uint8Array[]): Uint8Array {
  const s = hashNew(alg);
  for (const p of parts) hashUpdate(alg, s, p);
  return hashFinal(alg, s);
}
export const md5 = (...parts: Uint8Array[]) => digest(MD5, parts);
export const sha1 = (...parts: Uint8Array[]) => digest(SHA1, parts);

/** The context in guest memory: state words, bit count (low, high), 64-byte buffer. */
function loadCtx(cpu: XtensaCpu, alg: HashAlg, ctx: number): HashState {
  const st = new Uint32Array(alg.words);
  for (let i = 0; i < alg.words; i++) st[i] = rd32(cpu, ctx + 4 * i);
  const c = ctx + 4 * alg.words;
  return { st, bitsLo: rd32(cpu, c), bitsHi: rd32(cpu, c + 4), buf: readBytes(cpu, c + 8, 64) };
}
function storeCtx(cpu: XtensaCpu, alg: HashAlg, ctx: number, s: HashState, bufToo: boolean): void {
  for (let i = 0; i < alg.words; i++) wr32(cpu, ctx + 4 * i, s.st[i]);
  const c = ctx + 4 * alg.words;
  wr32(cpu, c, s.bitsLo);
  wr32(cpu, c + 4, s.bitsHi);
  if (bufToo) writeBytes(cpu, c + 8, s.buf);
}

// ---------------------------------------------------------------- HMAC (RFC 2104), PBKDF2, PRF

/** HMAC over the concatenation of `parts`; B = 64 for both hashes. */
export function hmac(alg: HashAlg, key: Uint8Array, parts: Uint8Array[]): Uint8Array {
  const k = new Uint8Array(64);
  k.set(key.length > 64 ? digest(alg, [key]) : key);
  const ipad = k.map((b) => b ^ 0x36);
  const opad = k.map((b) => b ^ 0x5c);
  return digest(alg, [opad, digest(alg, [ipad, ...parts])]);
}
export const hmacSha1 = (key: Uint8Array, ...parts: Uint8Array[]) => hmac(SHA1, key, parts);

/** A SHA-1 state after compressing one 64-byte block of `key` XOR `pad` (an HMAC pad). */
function hmacKeyState(key: Uint8Array, pad: number): Uint32Array {
  const block = new Uint8Array(64);
  block.set(key);
  for (let i = 0; i < 64; i++) block[i] ^= pad;
  const st = Uint32Array.from(SHA1_IV);
  sha1Block(st, block, 0);
  return st;
}

/** The 20-byte digest words, big-endian, into the start of `block`. */
function digestInto(words: Uint32Array, block: Uint8Array): void {
  for (let i = 0; i < 5; i++) {
    block[4 * i] = words[i] >>> 24;
    block[4 * i + 1] = (words[i] >>> 16) & 0xff;
    block[4 * i + 2] = (words[i] >>> 8) & 0xff;
    block[4 * i + 3] = words[i] & 0xff;
  }
}

/**
 * PBKDF2 with HMAC-SHA1 (RFC 2898 §5.2). A WPA passphrase takes 4096 iterations per PMK, so the
 * HMAC inner and outer key states are compressed once and each iteration costs two SHA-1
 * compressions on a fixed block (the generic HMAC took about a second per PMK).
 */
export function pbkdf2Sha1(
  pass: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  dkLen: number,
): Uint8Array {
  const key = pass.length > 64 ? sha1(pass) : pass;
  const inner = hmacKeyState(key, 0x36);
  const outer = hmacKeyState(key, 0x5c);
  // A 20-byte message after the 64-byte pad: 0x80, zeros, bit length (64 + 20) * 8 = 672.
  const block = new Uint8Array(64);
  block[20] = 0x80;
  block[62] = 672 >> 8;
  block[63] = 672 & 0xff;
  const st = new Uint32Array(5);
  const out = new Uint8Array(dkLen);
  for (let i = 1, pos = 0; pos < dkLen; i++, pos += 20) {
    const u1 = hmacSha1(
      pass,
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
      digestInto(u, block);
      st.set(inner);
      sha1Block(st, block, 0);
      digestInto(st, block);
      u.set(outer);
      sha1Block(u, block, 0);
      for (let w = 0; w < 5; w++) t[w] ^= u[w];
    }
    const bytes = new Uint8Array(20);
    digestInto(t, bytes);
    out.set(bytes.subarray(0, Math.min(20, dkLen - pos)), pos);
  }
  return out;
}

/** IEEE 802.11i PRF: HMAC-SHA1(key, label || 0 || data || counter) for counter = 0, 1, ... */
export function sha1Prf(
  key: Uint8Array,
  label: Uint8Array,
  data: Uint8Array,
  len: number,
): Uint8Array {
  const out = new Uint8Array(len);
  for (let c = 0, pos = 0; pos < len; c++, pos += 20) {
    const h = hmacSha1(key, label, Uint8Array.of(0), data, Uint8Array.of(c & 0xff));
    out.set(h.subarray(0, Math.min(20, len - pos)), pos);
  }
  return out;
}

// ---------------------------------------------------------------- AES-128 (FIPS 197)

function gmul(a: number, b: number): number {
  let p = 0;
  for (let i = 0; i < 8; i++) {
    if (b & 1) p ^= a;
    a = ((a << 1) ^ (a & 0x80 ? 0x11b : 0)) & 0xff;
    b >>= 1;
  }
  return p;
}
export const SBOX = new Uint8Array(256);
export const INV_SBOX = new Uint8Array(256);
for (let x = 0; x < 256; x++) {
  let inv = 0;
  if (x) for (inv = 1; gmul(x, inv) !== 1; inv++);
  let s = inv;
  for (let r = 1; r <= 4; r++) s ^= ((inv << r) | (inv >> (8 - r))) & 0xff;
  SBOX[x] = s ^ 0x63;
}
for (let x = 0; x < 256; x++) INV_SBOX[SBOX[x]] = x;
/** The tables the ROM keeps in ETS RAM, as big-endian-valued words (reference §7.3). */
export const AES_TE0 = Uint32Array.from(
  SBOX,
  (s) => ((gmul(s, 2) << 24) | (s << 16) | (s << 8) | gmul(s, 3)) >>> 0,
);
export const AES_TD0 = Uint32Array.from(
  INV_SBOX,
  (s) => ((gmul(s, 14) << 24) | (gmul(s, 9) << 16) | (gmul(s, 13) << 8) | gmul(s, 11)) >>> 0,
);
export const AES_RCONS = Uint8Array.of(1, 2, 4, 8, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36);

const subWord = (w: number) =>
  ((SBOX[w >>> 24] << 24) |
    (SBOX[(w >>> 16) & 0xff] << 16) |
    (SBOX[(w >>> 8) & 0xff] << 8) |
    SBOX[w & 0xff]) >>>
  0;
/** Key expansion (§5.2): 44 words, w[i] = bytes 4i..4i+3 big-endian. */
export function aesExpandKey(key: Uint8Array): Uint32Array {
  const w = new Uint32Array(44);
  for (let i = 0; i < 4; i++)
    w[i] =
      ((key[4 * i] << 24) | (key[4 * i + 1] << 16) | (key[4 * i + 2] << 8) | key[4 * i + 3]) >>> 0;
  for (let i = 4; i < 44; i++) {
    let t = w[i - 1];
    if (i % 4 === 0) t = (subWord(rotl(t, 8)) ^ (AES_RCONS[i / 4 - 1] << 24)) >>> 0;
    w[i] = (w[i - 4] ^ t) >>> 0;
  }
  return w;
}
function invMixWord(w: number): number {
  const a = [w >>> 24, (w >>> 16) & 0xff, (w >>> 8) & 0xff, w & 0xff];
  const m = [14, 11, 13, 9];
  let out = 0;
  for (let r = 0; r < 4; r++) {
    let v = 0;
    for (let c = 0; c < 4; c++) v ^= gmul(a[c], m[(c - r + 4) & 3]);
    out = (out << 8) | v;
  }
  return out >>> 0;
}
/** The equivalent inverse cipher's schedule (§5.3.5): round keys reversed, InvMixColumns on 1..9. */
export function aesDecryptKey(key: Uint8Array): Uint32Array {
  const w = aesExpandKey(key);
  const dw = new Uint32Array(44);
  for (let r = 0; r <= 10; r++)
    for (let c = 0; c < 4; c++) {
      const v = w[4 * (10 - r) + c];
      dw[4 * r + c] = r === 0 || r === 10 ? v : invMixWord(v);
    }
  return dw;
}
/** One block through the equivalent inverse cipher with schedule `dw`. */
export function aesDecryptBlock(dw: Uint32Array, inp: Uint8Array): Uint8Array {
  let s = inp.slice();
  const addKey = (r: number) => {
    for (let c = 0; c < 4; c++)
      for (let i = 0; i < 4; i++) s[4 * c + i] ^= (dw[4 * r + c] >>> (24 - 8 * i)) & 0xff;
  };
  const invSubShift = () => {
    const t = new Uint8Array(16);
    // InvShiftRows: row i of column c moves to column c + i.
    for (let c = 0; c < 4; c++)
      for (let i = 0; i < 4; i++) t[4 * ((c + i) & 3) + i] = INV_SBOX[s[4 * c + i]];
    s = t;
  };
  addKey(0);
  for (let r = 1; r < 10; r++) {
    invSubShift();
    for (let c = 0; c < 4; c++) {
      const m = invMixWord(
        ((s[4 * c] << 24) | (s[4 * c + 1] << 16) | (s[4 * c + 2] << 8) | s[4 * c + 3]) >>> 0,
      );
      for (let i = 0; i < 4; i++) s[4 * c + i] = (m >>> (24 - 8 * i)) & 0xff;
    }
    addKey(r);
  }
  invSubShift();
  addKey(10);
  return s;
}
/** RFC 3394 §2.2.2 unwrap of n 64-bit blocks; null when the integrity check fails. */
export function aesUnwrap(
  kek: Uint8Array,
  n: number,
  cipher: Uint8Array,
): { plain: Uint8Array; ok: boolean } {
  const dw = aesDecryptKey(kek);
  const a = cipher.slice(0, 8);
  const r = cipher.slice(8, 8 + 8 * n);
  for (let j = 5; j >= 0; j--)
    for (let i = n; i >= 1; i--) {
      const t = n * j + i;
      const b = new Uint8Array(16);
      b.set(a);
      for (let k = 0; k < 4; k++) b[7 - k] ^= (t >>> (8 * k)) & 0xff;
      b.set(r.subarray(8 * (i - 1), 8 * i), 8);
      const o = aesDecryptBlock(dw, b);
      a.set(o.subarray(0, 8));
      r.set(o.subarray(8), 8 * (i - 1));
    }
  return { plain: r, ok: a.every((x) => x === 0xa6) };
}

// ---------------------------------------------------------------- RC4

export function rc4Skip(key: Uint8Array, skip: number, data: Uint8Array): Uint8Array {
  const s = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 0xff;
    [s[i], s[j]] = [s[j], s[i]];
  }
  let i = 0;
  let j = 0;
  const next = () => {
    i = (i + 1) & 0xff;
    j = (j + s[i]) & 0xff;
    [s[i], s[j]] = [s[j], s[i]];
    return s[(s[i] + s[j]) & 0xff];
  };
  for (let k = 0; k < skip; k++) next();
  return data.map((b) => b ^ next());
}

// ---------------------------------------------------------------- the natives

/** Cycle costs of the Xtensa routines (estimates): per compression / AES block / RC4 byte. */
export const CRYPTO_COST = {
  call: 60,
  hashBlock: 1200,
  aesBlock: 1500,
  keySetup: 900,
  rc4Byte: 12,
};

export interface CryptoNative {
  name: string;
  addr: number;
  /** Body: reads a2.., writes memory, sets a2; returns the cycles the call costs. */
  body: (cpu: XtensaCpu) => number;
}
const a = (cpu: XtensaCpu, n: number) => cpu.regs[n] >>> 0;
/** The (0-based) stack argument beyond a2..a7 (CALL0 ABI: at a1 + 4·k on entry). */
const stackArg = (cpu: XtensaCpu, k: number) => rd32(cpu, cpu.regs[1] + 4 * k);
const counted = (f: () => void) => {
  blocksDone = 0;
  f();
  return CRYPTO_COST.call + blocksDone * CRYPTO_COST.hashBlock;
};
/** hostapd's HMAC vector functions refuse more than 5 fragments (a fixed array, no malloc). */
const HMAC_MAX_ELEM = 5;
function storeRegs(cpu: XtensaCpu, dst: number, bytes: Uint8Array, result = 0): void {
  writeBytes(cpu, dst, bytes);
  cpu.regs[2] = result >>> 0;
}
function writeWords(cpu: XtensaCpu, dst: number, w: Uint32Array): void {
  for (let i = 0; i < w.length; i++) wr32(cpu, dst + 4 * i, w[i]);
}

/**
 * Init/Update/Final of one hash over a context in guest memory (hostapd's layout: state words,
 * 64-bit bit count, 64-byte buffer), so firmware may mix them with its own code. Final takes the
 * digest pointer first and zeroes the context afterwards, as hostapd does.
 */
function hashContextFunctions(
  alg: HashAlg,
  prefix: string,
  initAddr: number,
  updateAddr: number,
  finalAddr: number,
): CryptoNative[] {
  const contextBytes = 4 * alg.words + 8 + 64;
  return [
    {
      name: `${prefix}Init`,
      addr: initAddr,
      body: (cpu) => {
        storeCtx(cpu, alg, a(cpu, 2), hashNew(alg), false);
        return 20;
      },
    },
    {
      name: `${prefix}Update`,
      addr: updateAddr,
      body: (cpu) =>
        counted(() => {
          const s = loadCtx(cpu, alg, a(cpu, 2));
          hashUpdate(alg, s, readBytes(cpu, a(cpu, 3), a(cpu, 4)));
          storeCtx(cpu, alg, a(cpu, 2), s, true);
        }),
    },
    {
      name: `${prefix}Final`,
      addr: finalAddr,
      body: (cpu) =>
        counted(() => {
          const out = hashFinal(alg, loadCtx(cpu, alg, a(cpu, 3)));
          writeBytes(cpu, a(cpu, 2), out);
          writeBytes(cpu, a(cpu, 3), new Uint8Array(contextBytes));
        }),
    },
  ];
}

/** hmac_<hash>_vector and hmac_<hash> for one hash (hostapd's signatures). */
function hmacFunctions(
  alg: HashAlg,
  hashName: string,
  vectorAddr: number,
  plainAddr: number,
): CryptoNative[] {
  return [
    {
      name: `hmac_${hashName}_vector`,
      addr: vectorAddr,
      body: (cpu) =>
        counted(() => {
          if (a(cpu, 4) > HMAC_MAX_ELEM) return void (cpu.regs[2] = -1 >>> 0);
          const key = readBytes(cpu, a(cpu, 2), a(cpu, 3));
          storeRegs(
            cpu,
            a(cpu, 7),
            hmac(alg, key, readVector(cpu, a(cpu, 4), a(cpu, 5), a(cpu, 6))),
          );
        }),
    },
    {
      name: `hmac_${hashName}`,
      addr: plainAddr,
      body: (cpu) =>
        counted(() => {
          const key = readBytes(cpu, a(cpu, 2), a(cpu, 3));
          storeRegs(cpu, a(cpu, 6), hmac(alg, key, [readBytes(cpu, a(cpu, 4), a(cpu, 5))]));
        }),
    },
  ];
}

export const CRYPTO_NATIVES: readonly CryptoNative[] = [
  // void rijndaelKeySetupDec(u32 rk[44], const u8 key[16]); a2 = 10 (Nr) for later hostapd callers
  {
    name: 'rijndaelKeySetupDec',
    addr: 0x40008dd0,
    body: (cpu) => {
      const key = readBytes(cpu, a(cpu, 3), 16);
      writeWords(cpu, a(cpu, 2), aesDecryptKey(key));
      cpu.regs[2] = 10;
      return CRYPTO_COST.keySetup * 2;
    },
  },
  // void aes_decrypt(void *ctx, const u8 *crypt, u8 *plain); ctx = rijndaelKeySetupDec schedule
  {
    name: 'aes_decrypt',
    addr: 0x400092d4,
    body: (cpu) => {
      const dw = new Uint32Array(44);
      for (let i = 0; i < 44; i++) dw[i] = rd32(cpu, a(cpu, 2) + 4 * i);
      const ct = readBytes(cpu, a(cpu, 3), 16);
      writeBytes(cpu, a(cpu, 4), aesDecryptBlock(dw, ct));
      return CRYPTO_COST.call + CRYPTO_COST.aesBlock;
    },
  },
  // void rijndaelKeySetupEnc(u32 rk[44], const u8 key[16])
  {
    name: 'rijndaelKeySetupEnc',
    addr: 0x40009300,
    body: (cpu) => {
      const key = readBytes(cpu, a(cpu, 3), 16);
      writeWords(cpu, a(cpu, 2), aesExpandKey(key));
      cpu.regs[2] = 10;
      return CRYPTO_COST.keySetup;
    },
  },
  // int aes_unwrap(const u8 *kek, int n, const u8 *cipher, u8 *plain): 0, or -1 on a bad IV
  {
    name: 'aes_unwrap',
    addr: 0x40009410,
    body: (cpu) => {
      const n = a(cpu, 3) | 0;
      const kek = readBytes(cpu, a(cpu, 2), 16);
      const cipher = readBytes(cpu, a(cpu, 4), 8 * (Math.max(n, 0) + 1));
      const { plain, ok } = aesUnwrap(kek, Math.max(n, 0), cipher);
      storeRegs(cpu, a(cpu, 5), plain, ok ? 0 : -1);
      return CRYPTO_COST.keySetup * 2 + 6 * Math.max(n, 0) * CRYPTO_COST.aesBlock;
    },
  },
  // int md5_vector(size_t num_elem, const u8 *addr[], const size_t *len, u8 *mac)
  {
    name: 'md5_vector',
    addr: 0x400097ac,
    body: (cpu) =>
      counted(() => {
        const parts = readVector(cpu, a(cpu, 2), a(cpu, 3), a(cpu, 4));
        storeRegs(cpu, a(cpu, 5), md5(...parts));
      }),
  },
  // void MD5Init(struct MD5Context *ctx); void MD5Update(ctx, const u8 *buf, unsigned len);
  // void MD5Final(u8 digest[16], ctx)
  ...hashContextFunctions(MD5, 'MD5', 0x40009818, 0x40009834, 0x40009900),
  // int hmac_md5_vector(const u8 *key, size_t key_len, size_t num_elem, const u8 *addr[],
  //                     const size_t *len, u8 *mac); int hmac_md5(key, key_len, data, data_len, mac)
  ...hmacFunctions(MD5, 'md5', 0x4000a160, 0x4000a2cc),
  // int sha1_vector(size_t num_elem, const u8 *addr[], const size_t *len, u8 *mac)
  {
    name: 'sha1_vector',
    addr: 0x4000a2ec,
    body: (cpu) =>
      counted(() => {
        const parts = readVector(cpu, a(cpu, 2), a(cpu, 3), a(cpu, 4));
        storeRegs(cpu, a(cpu, 5), sha1(...parts));
      }),
  },
  // void SHA1Transform(u32 state[5], const u8 buffer[64])
  {
    name: 'SHA1Transform',
    addr: 0x4000a364,
    body: (cpu) => {
      const st = new Uint32Array(5);
      for (let i = 0; i < 5; i++) st[i] = rd32(cpu, a(cpu, 2) + 4 * i);
      sha1Block(st, readBytes(cpu, a(cpu, 3), 64), 0);
      writeWords(cpu, a(cpu, 2), st);
      return CRYPTO_COST.hashBlock;
    },
  },
  // void SHA1Init(SHA1_CTX *ctx); void SHA1Update(ctx, const void *data, u32 len);
  // void SHA1Final(u8 digest[20], ctx)
  ...hashContextFunctions(SHA1, 'SHA1', 0x4000b584, 0x4000b5a8, 0x4000b648),
  // int pbkdf2_sha1(const char *passphrase, const char *ssid, size_t ssid_len, int iterations, u8 *buf, size_t buflen)
  {
    name: 'pbkdf2_sha1',
    addr: 0x4000b840,
    body: (cpu) =>
      counted(() => {
        const pass = readCString(cpu, a(cpu, 2));
        const ssid = readBytes(cpu, a(cpu, 3), a(cpu, 4));
        storeRegs(cpu, a(cpu, 6), pbkdf2Sha1(pass, ssid, a(cpu, 5) | 0, a(cpu, 7)));
      }),
  },
  // int hmac_sha1_vector(const u8 *key, size_t key_len, size_t num_elem, const u8 *addr[],
  //                      const size_t *len, u8 *mac); int hmac_sha1(key, key_len, data, data_len, mac)
  ...hmacFunctions(SHA1, 'sha1', 0x4000b8b4, 0x4000ba28),
  // int sha1_prf(const u8 *key, size_t key_len, const char *label, const u8 *data, size_t data_len, u8 *buf, size_t buf_len)
  // (the 7th argument is on the stack at a1 + 0)
  {
    name: 'sha1_prf',
    addr: 0x4000ba48,
    body: (cpu) =>
      counted(() => {
        const key = readBytes(cpu, a(cpu, 2), a(cpu, 3));
        const label = readCString(cpu, a(cpu, 4));
        const data = readBytes(cpu, a(cpu, 5), a(cpu, 6));
        storeRegs(cpu, a(cpu, 7), sha1Prf(key, label, data, stackArg(cpu, 0)));
      }),
  },
  // int rc4_skip(const u8 *key, size_t keylen, size_t skip, u8 *data, size_t data_len)
  {
    name: 'rc4_skip',
    addr: 0x4000dd68,
    body: (cpu) => {
      const key = readBytes(cpu, a(cpu, 2), a(cpu, 3));
      const data = readBytes(cpu, a(cpu, 5), a(cpu, 6));
      const skip = a(cpu, 4);
      storeRegs(cpu, a(cpu, 5), key.length ? rc4Skip(key, skip, data) : data);
      return CRYPTO_COST.call + 256 * 8 + (skip + data.length) * CRYPTO_COST.rc4Byte;
    },
  },
];
