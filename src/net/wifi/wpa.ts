/**
 * WPA2-PSK key hierarchy (IEEE 802.11-2016 §12.7.1): PMK from the passphrase (J.4), the pairwise
 * transient key from the 4-way handshake nonces (§12.7.1.3), and the EAPOL-Key MIC for key
 * descriptor version 2 (HMAC-SHA1-128) and key data encryption (AES key wrap).
 */
import { aesUnwrap, aesWrap, hmacSha1, pbkdf2Sha1, sha1Prf } from '../crypto/index.ts';
import { EAPOL_KEY_MIC_OFFSET } from './eapol.ts';

const utf8 = new TextEncoder();
const pmkCache = new Map<string, Uint8Array>();

/** PMK = PBKDF2-SHA1(passphrase, SSID, 4096, 256 bits) (Annex J.4.1). Cached: it is costly. */
export function pmkFromPassphrase(passphrase: string, ssid: string | Uint8Array): Uint8Array {
  const ssidBytes = typeof ssid === 'string' ? utf8.encode(ssid) : ssid;
  const key = `${passphrase}\u0000${Array.from(ssidBytes).join(',')}`;
  let pmk = pmkCache.get(key);
  if (!pmk) {
    if (passphrase.length < 8 || passphrase.length > 63)
      throw new RangeError('a WPA passphrase has 8 to 63 characters');
    pmk = pbkdf2Sha1(utf8.encode(passphrase), ssidBytes, 4096, 32);
    pmkCache.set(key, pmk);
  }
  return pmk.slice();
}

export interface Ptk {
  /** EAPOL-Key confirmation key (MIC). */
  kck: Uint8Array;
  /** EAPOL-Key encryption key (key wrap). */
  kek: Uint8Array;
  /** Temporal key (CCMP). */
  tk: Uint8Array;
}

function lexMinMax(a: Uint8Array, b: Uint8Array): [Uint8Array, Uint8Array] {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? [a, b] : [b, a];
  return [a, b];
}

/**
 * PTK = PRF-384(PMK, "Pairwise key expansion", min(AA,SPA) ‖ max(AA,SPA) ‖ min(ANonce,SNonce) ‖
 * max(ANonce,SNonce)) for CCMP: the first 384 bits of the PRF-512 that TKIP uses.
 */
export function derivePtk(
  pmk: Uint8Array,
  aa: Uint8Array,
  spa: Uint8Array,
  anonce: Uint8Array,
  snonce: Uint8Array,
): Ptk {
  const [m1, m2] = lexMinMax(aa, spa);
  const [n1, n2] = lexMinMax(anonce, snonce);
  const data = new Uint8Array(76);
  data.set(m1, 0);
  data.set(m2, 6);
  data.set(n1, 12);
  data.set(n2, 44);
  const ptk = sha1Prf(pmk, utf8.encode('Pairwise key expansion'), data, 48);
  return { kck: ptk.slice(0, 16), kek: ptk.slice(16, 32), tk: ptk.slice(32, 48) };
}

/** HMAC-SHA1-128 over the EAPOL frame with its MIC field zeroed. */
export function eapolMic(kck: Uint8Array, eapolFrame: Uint8Array): Uint8Array {
  const f = eapolFrame.slice();
  f.fill(0, EAPOL_KEY_MIC_OFFSET, EAPOL_KEY_MIC_OFFSET + 16);
  return hmacSha1(kck, f).slice(0, 16);
}

/** The frame with its MIC field filled in. */
export function signEapol(kck: Uint8Array, eapolFrame: Uint8Array): Uint8Array {
  const f = eapolFrame.slice();
  f.set(eapolMic(kck, f), EAPOL_KEY_MIC_OFFSET);
  return f;
}

export function verifyEapolMic(kck: Uint8Array, eapolFrame: Uint8Array): boolean {
  const mic = eapolMic(kck, eapolFrame);
  let diff = 0;
  for (let i = 0; i < 16; i++) diff |= mic[i] ^ eapolFrame[EAPOL_KEY_MIC_OFFSET + i];
  return diff === 0;
}

/** Key data encryption for descriptor version 2: AES key wrap with the KEK (data already padded). */
export const wrapKeyData = (kek: Uint8Array, padded: Uint8Array): Uint8Array =>
  aesWrap(kek, padded);

export function unwrapKeyData(kek: Uint8Array, wrapped: Uint8Array): Uint8Array | null {
  if (wrapped.length < 24 || wrapped.length % 8 !== 0) return null;
  const r = aesUnwrap(kek, wrapped.length / 8 - 1, wrapped);
  return r.ok ? r.plain : null;
}
