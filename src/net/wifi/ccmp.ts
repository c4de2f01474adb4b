/**
 * CCMP-128 MPDU encapsulation (IEEE 802.11-2016 §12.5.3): the 8-byte CCMP header with the packet
 * number, the nonce and additional authentication data built from the MAC header, AES-CCM with an
 * 8-byte MIC. Works on raw MPDUs (no FCS), so it can sit between the air and any MAC.
 */
import { ccmOpen, ccmSeal } from '../crypto/index.ts';
import { FrameType, headerLength, parseFrame } from './frame.ts';

export const CCMP_HEADER_LENGTH = 8;
export const CCMP_MIC_LENGTH = 8;
export const MAX_PN = 2n ** 48n - 1n;

function aadAndNonce(
  mpdu: Uint8Array,
  hl: number,
  pn: bigint,
): { aad: Uint8Array; nonce: Uint8Array } {
  const type = (mpdu[0] >> 2) & 3;
  const isData = type === FrameType.DATA;
  const isQos = isData && (mpdu[0] & 0x80) !== 0;
  const fourAddr = isData && (mpdu[1] & 3) === 3;
  const aad = new Uint8Array(22 + (fourAddr ? 6 : 0) + (isQos ? 2 : 0));
  // FC: subtype bits 4–6 of data frames, Retry, PwrMgt, MoreData masked; Protected set; Order
  // masked in QoS data frames.
  aad[0] = isData ? mpdu[0] & 0x8f : mpdu[0];
  aad[1] = (mpdu[1] & 0xc7) | 0x40;
  if (isQos) aad[1] &= 0x7f;
  aad.set(mpdu.subarray(4, 22), 2);
  aad[20] = mpdu[22] & 0x0f; // sequence number masked, fragment number kept
  aad[21] = 0;
  let p = 22;
  if (fourAddr) {
    aad.set(mpdu.subarray(24, 30), p);
    p += 6;
  }
  let priority = 0;
  if (isQos) {
    const qc = hl - 2 - ((mpdu[1] & 0x80) !== 0 ? 4 : 0);
    priority = mpdu[qc] & 0x0f;
    aad[p] = mpdu[qc] & 0x0f;
    aad[p + 1] = 0;
  }
  const nonce = new Uint8Array(13);
  nonce[0] = priority | (type === FrameType.MGMT ? 0x10 : 0);
  nonce.set(mpdu.subarray(10, 16), 1);
  for (let i = 0; i < 6; i++) nonce[12 - i] = Number((pn >> BigInt(8 * i)) & 0xffn);
  return { aad, nonce };
}

/** Encrypts a plaintext MPDU: sets Protected, inserts the CCMP header, appends the MIC. */
export function ccmpEncrypt(mpdu: Uint8Array, tk: Uint8Array, pn: bigint, keyId = 0): Uint8Array {
  const f = parseFrame(mpdu);
  const hl = headerLength(f);
  const header = mpdu.slice(0, hl);
  header[1] |= 0x40;
  const { aad, nonce } = aadAndNonce(header, hl, pn);
  const sealed = ccmSeal(tk, nonce, aad, mpdu.subarray(hl), CCMP_MIC_LENGTH);
  const out = new Uint8Array(hl + CCMP_HEADER_LENGTH + sealed.length);
  out.set(header);
  const pnb = (i: number) => Number((pn >> BigInt(8 * i)) & 0xffn);
  out.set([pnb(0), pnb(1), 0, 0x20 | ((keyId & 3) << 6), pnb(2), pnb(3), pnb(4), pnb(5)], hl);
  out.set(sealed, hl + CCMP_HEADER_LENGTH);
  return out;
}

/** The packet number and key id of a protected MPDU's CCMP header. */
export function ccmpHeader(mpdu: Uint8Array): { pn: bigint; keyId: number } | null {
  const hl = headerLength(parseFrame(mpdu));
  if (mpdu.length < hl + CCMP_HEADER_LENGTH + CCMP_MIC_LENGTH) return null;
  const h = mpdu.subarray(hl, hl + 8);
  if ((h[3] & 0x20) === 0) return null; // Ext IV must be set
  let pn = 0n;
  for (const i of [7, 6, 5, 4, 1, 0]) pn = (pn << 8n) | BigInt(h[i]);
  return { pn, keyId: h[3] >> 6 };
}

/** Decrypts a protected MPDU; returns the plaintext MPDU (Protected cleared) or null on a MIC failure. */
export function ccmpDecrypt(
  mpdu: Uint8Array,
  tk: Uint8Array,
): { mpdu: Uint8Array; pn: bigint; keyId: number } | null {
  const hdr = ccmpHeader(mpdu);
  if (!hdr) return null;
  const hl = headerLength(parseFrame(mpdu));
  const { aad, nonce } = aadAndNonce(mpdu, hl, hdr.pn);
  const plain = ccmOpen(tk, nonce, aad, mpdu.subarray(hl + CCMP_HEADER_LENGTH), CCMP_MIC_LENGTH);
  if (!plain) return null;
  const out = new Uint8Array(hl + plain.length);
  out.set(mpdu.subarray(0, hl));
  out[1] &= ~0x40;
  out.set(plain, hl);
  return { mpdu: out, pn: hdr.pn, keyId: hdr.keyId };
}
