/**
 * TKIP MPDU encapsulation (IEEE 802.11-2016 §12.5.2): the 8-byte IV/extended-IV header with the
 * 48-bit TSC, the Michael MIC over the MSDU, the two-phase per-packet key mixing, and WEP
 * (RC4 + CRC-32 ICV) with the mixed key. Only unfragmented MSDUs (MSDU = MPDU body), which is all
 * the ESP8266's SoftAP sends: its group key is TKIP even in WPA2-PSK mode.
 *
 * A 32-byte TKIP key is the temporal key (16 bytes) followed by two Michael keys; a sender
 * uses bytes 16..23 when it is the authenticator (an AP's group frames) and 24..31 otherwise.
 */
import { SBOX } from '../../board/rom/crypto.ts';
import { fcs } from '../../board/peripherals/wifi-rx-control.ts';
import { FrameType, headerLength, parseFrame } from './frame.ts';

export const TKIP_HEADER_LENGTH = 8;
export const MICHAEL_LENGTH = 8;
export const ICV_LENGTH = 4;

const rol = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;
const xswap = (x: number) => (((x & 0xff00ff00) >>> 8) | ((x & 0x00ff00ff) << 8)) >>> 0;

/** Michael (§12.5.2.3) over `data` with an 8-byte key: the 8-byte MIC. */
export function michael(key: Uint8Array, data: Uint8Array): Uint8Array {
  const kv = new DataView(key.buffer, key.byteOffset, 8);
  let l = kv.getUint32(0, true);
  let r = kv.getUint32(4, true);
  // Padding: 0x5a, then zeros to a multiple of 4 with at least four of them.
  const padded = new Uint8Array((data.length + 5 + 3) & ~3);
  padded.set(data);
  padded[data.length] = 0x5a;
  const view = new DataView(padded.buffer);
  for (let i = 0; i < padded.length; i += 4) {
    l = (l ^ view.getUint32(i, true)) >>> 0;
    r = (r ^ rol(l, 17)) >>> 0;
    l = (l + r) >>> 0;
    r = (r ^ xswap(l)) >>> 0;
    l = (l + r) >>> 0;
    r = (r ^ rol(l, 3)) >>> 0;
    l = (l + r) >>> 0;
    r = (r ^ rol(l, 30)) >>> 0;
    l = (l + r) >>> 0;
  }
  const out = new Uint8Array(8);
  const ov = new DataView(out.buffer);
  ov.setUint32(0, l, true);
  ov.setUint32(4, r, true);
  return out;
}

/** The 16-bit S-box: entry i is (2·s, 3·s) of the AES S-box value s, high byte first. */
const TKIP_SBOX = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    const s = SBOX[i];
    const s2 = ((s << 1) ^ (s & 0x80 ? 0x1b : 0)) & 0xff;
    t[i] = (s2 << 8) | (s2 ^ s);
  }
  return t;
})();

const sub16 = (v: number) => {
  const hi = TKIP_SBOX[v >>> 8];
  return (TKIP_SBOX[v & 0xff] ^ ((hi >>> 8) | ((hi & 0xff) << 8))) & 0xffff;
};
const rotr1 = (v: number) => ((v >>> 1) | ((v & 1) << 15)) & 0xffff;

/** Phase 1 (§12.5.2.5.2): TK, transmitter address and the TSC's upper 32 bits → TTAK. */
export function tkipPhase1(tk: Uint8Array, ta: Uint8Array, iv32: number): Uint16Array {
  const k = (n: number) => tk[2 * n] | (tk[2 * n + 1] << 8);
  const p = Uint16Array.of(
    iv32 & 0xffff,
    iv32 >>> 16,
    ta[0] | (ta[1] << 8),
    ta[2] | (ta[3] << 8),
    ta[4] | (ta[5] << 8),
  );
  for (let i = 0; i < 8; i++) {
    const j = i & 1; // odd rounds take the key words one place on
    p[0] += sub16(p[4] ^ k(j));
    p[1] += sub16(p[0] ^ k(j + 2));
    p[2] += sub16(p[1] ^ k(j + 4));
    p[3] += sub16(p[2] ^ k(j + 6));
    p[4] += sub16(p[3] ^ k(j));
    p[4] += i;
  }
  return p;
}

/** Phase 2 (§12.5.2.5.3): TTAK, TK and the TSC's low 16 bits → the 16-byte RC4 key. */
export function tkipPhase2(ttak: Uint16Array, tk: Uint8Array, iv16: number): Uint8Array {
  const k = (n: number) => tk[2 * n] | (tk[2 * n + 1] << 8);
  const p = new Uint16Array(6);
  p.set(ttak);
  p[5] = ttak[4] + iv16;
  p[0] += sub16(p[5] ^ k(0));
  p[1] += sub16(p[0] ^ k(1));
  p[2] += sub16(p[1] ^ k(2));
  p[3] += sub16(p[2] ^ k(3));
  p[4] += sub16(p[3] ^ k(4));
  p[5] += sub16(p[4] ^ k(5));
  p[0] += rotr1(p[5] ^ k(6));
  p[1] += rotr1(p[0] ^ k(7));
  p[2] += rotr1(p[1]);
  p[3] += rotr1(p[2]);
  p[4] += rotr1(p[3]);
  p[5] += rotr1(p[4]);
  const key = new Uint8Array(16);
  key[0] = iv16 >>> 8;
  key[1] = ((iv16 >>> 8) | 0x20) & 0x7f;
  key[2] = iv16 & 0xff;
  key[3] = ((p[5] ^ k(0)) >>> 1) & 0xff;
  for (let i = 0; i < 6; i++) {
    key[4 + 2 * i] = p[i] & 0xff;
    key[5 + 2 * i] = p[i] >>> 8;
  }
  return key;
}

function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 0xff;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]) & 0xff;
    [s[i], s[j]] = [s[j], s[i]];
    out[n] = data[n] ^ s[(s[i] + s[j]) & 0xff];
  }
  return out;
}

/** DA, SA and priority as Michael covers them (§12.5.2.3.2), from the MAC header. */
function michaelHeader(mpdu: Uint8Array, hl: number): Uint8Array {
  const toDs = mpdu[1] & 1;
  const fromDs = mpdu[1] & 2;
  const addr = (n: number) => mpdu.subarray(4 + 6 * (n - 1), 10 + 6 * (n - 1));
  const da = toDs ? addr(3) : addr(1);
  const sa = fromDs ? (toDs ? mpdu.subarray(24, 30) : addr(3)) : addr(2);
  const isQos = ((mpdu[0] >> 2) & 3) === FrameType.DATA && (mpdu[0] & 0x80) !== 0;
  const out = new Uint8Array(16);
  out.set(da, 0);
  out.set(sa, 6);
  if (isQos) out[12] = mpdu[hl - 2 - (mpdu[1] & 0x80 ? 4 : 0)] & 0x0f;
  return out;
}

export interface TkipHeader {
  tsc: bigint;
  keyId: number;
}

/** The TSC and key id of a protected frame's IV header, or null if ExtIV is not set. */
export function tkipHeader(mpdu: Uint8Array, hl: number): TkipHeader | null {
  if (mpdu.length < hl + TKIP_HEADER_LENGTH || !(mpdu[hl + 3] & 0x20)) return null;
  const h = mpdu.subarray(hl, hl + TKIP_HEADER_LENGTH);
  let tsc = BigInt(h[2]) | (BigInt(h[0]) << 8n);
  for (let i = 0; i < 4; i++) tsc |= BigInt(h[4 + i]) << BigInt(16 + 8 * i);
  return { tsc, keyId: h[3] >>> 6 };
}

function perPacketKey(tk: Uint8Array, ta: Uint8Array, tsc: bigint): Uint8Array {
  const iv32 = Number(tsc >> 16n) >>> 0;
  return tkipPhase2(tkipPhase1(tk, ta, iv32), tk, Number(tsc & 0xffffn));
}

/**
 * Encrypts a frame that already carries its TKIP IV header and a plaintext body: appends the
 * Michael MIC (with `micKey`) and the ICV, then RC4s body + MIC + ICV. Protected bit set.
 */
export function tkipEncrypt(mpdu: Uint8Array, tk: Uint8Array, micKey: Uint8Array): Uint8Array {
  const hl = headerLength(parseFrame(mpdu));
  const header = tkipHeader(mpdu, hl);
  if (!header) throw new RangeError('TKIP frame without an extended IV');
  const bodyAt = hl + TKIP_HEADER_LENGTH;
  const body = mpdu.subarray(bodyAt);
  const mh = michaelHeader(mpdu, hl);
  const covered = new Uint8Array(mh.length + body.length);
  covered.set(mh);
  covered.set(body, mh.length);
  const plain = new Uint8Array(body.length + MICHAEL_LENGTH + ICV_LENGTH);
  plain.set(body);
  plain.set(michael(micKey, covered), body.length);
  plain.set(fcs(plain.subarray(0, body.length + MICHAEL_LENGTH)), body.length + MICHAEL_LENGTH);
  const out = new Uint8Array(bodyAt + plain.length);
  out.set(mpdu.subarray(0, bodyAt));
  out[1] |= 0x40;
  out.set(rc4(perPacketKey(tk, mpdu.subarray(10, 16), header.tsc), plain), bodyAt);
  return out;
}

/**
 * Protects a plaintext MPDU: inserts the IV header for `tsc` and `keyId` after the MAC header,
 * then encrypts as tkipEncrypt.
 */
export function tkipSeal(
  mpdu: Uint8Array,
  tk: Uint8Array,
  micKey: Uint8Array,
  tsc: bigint,
  keyId: number,
): Uint8Array {
  const hl = headerLength(parseFrame(mpdu));
  const tsc1 = Number((tsc >> 8n) & 0xffn);
  const iv = [tsc1, (tsc1 | 0x20) & 0x7f, Number(tsc & 0xffn), ((keyId & 3) << 6) | 0x20];
  for (let i = 0; i < 4; i++) iv.push(Number((tsc >> BigInt(16 + 8 * i)) & 0xffn));
  const withIv = new Uint8Array(mpdu.length + TKIP_HEADER_LENGTH);
  withIv.set(mpdu.subarray(0, hl));
  withIv.set(iv, hl);
  withIv.set(mpdu.subarray(hl), hl + TKIP_HEADER_LENGTH);
  return tkipEncrypt(withIv, tk, micKey);
}

/**
 * Decrypts a TKIP frame: the plaintext MPDU (IV header, MIC and ICV removed, Protected cleared)
 * and its TSC. Null when the ICV or the Michael MIC does not verify.
 */
export function tkipDecrypt(
  mpdu: Uint8Array,
  tk: Uint8Array,
  micKey: Uint8Array,
): { mpdu: Uint8Array; tsc: bigint; keyId: number } | null {
  const hl = headerLength(parseFrame(mpdu));
  const header = tkipHeader(mpdu, hl);
  const bodyAt = hl + TKIP_HEADER_LENGTH;
  if (!header || mpdu.length < bodyAt + MICHAEL_LENGTH + ICV_LENGTH) return null;
  const plain = rc4(perPacketKey(tk, mpdu.subarray(10, 16), header.tsc), mpdu.subarray(bodyAt));
  const icvAt = plain.length - ICV_LENGTH;
  const icv = fcs(plain.subarray(0, icvAt));
  if (icv.some((b, i) => b !== plain[icvAt + i])) return null;
  const bodyLength = icvAt - MICHAEL_LENGTH;
  const mh = michaelHeader(mpdu, hl);
  const covered = new Uint8Array(mh.length + bodyLength);
  covered.set(mh);
  covered.set(plain.subarray(0, bodyLength), mh.length);
  const mic = michael(micKey, covered);
  if (mic.some((b, i) => b !== plain[bodyLength + i])) return null;
  const out = new Uint8Array(hl + bodyLength);
  out.set(mpdu.subarray(0, hl));
  out[1] &= ~0x40;
  out.set(plain.subarray(0, bodyLength), hl);
  return { mpdu: out, tsc: header.tsc, keyId: header.keyId };
}
