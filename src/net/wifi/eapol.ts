/**
 * EAPOL (IEEE 802.1X-2010 §11.3) and the EAPOL-Key frame (IEEE 802.11-2016 §12.7.2), as carried
 * after LLC/SNAP with EtherType 0x888E. Only the RSN key descriptor (type 2) is decoded.
 */
export const EapolType = { EAP_PACKET: 0, START: 1, LOGOFF: 2, KEY: 3 } as const;
export const KEY_DESCRIPTOR_RSN = 2;

/** Key Information bits (Figure 12-33). Bits 0–2 are the descriptor version. */
export const KeyInfo = {
  VERSION_MASK: 0x0007,
  /** HMAC-SHA1-128 MIC, AES key wrap: version 2. */
  VERSION_AES_HMAC_SHA1: 2,
  PAIRWISE: 0x0008,
  INSTALL: 0x0040,
  ACK: 0x0080,
  MIC: 0x0100,
  SECURE: 0x0200,
  ERROR: 0x0400,
  REQUEST: 0x0800,
  ENCRYPTED_KEY_DATA: 0x1000,
} as const;

export interface EapolKey {
  /** 802.1X protocol version (1 for 802.1X-2001, 2 for -2004). */
  protocolVersion: number;
  descriptorType: number;
  keyInfo: number;
  keyLength: number;
  replayCounter: bigint;
  nonce: Uint8Array;
  iv: Uint8Array;
  rsc: Uint8Array;
  mic: Uint8Array;
  keyData: Uint8Array;
}

/** Offset of the MIC within the whole EAPOL frame (header 4 + fields before the MIC). */
export const EAPOL_KEY_MIC_OFFSET = 4 + 1 + 2 + 2 + 8 + 32 + 16 + 8 + 8;
const FIXED = EAPOL_KEY_MIC_OFFSET + 16 + 2;

export function buildEapolKey(k: Partial<EapolKey> & Pick<EapolKey, 'keyInfo'>): Uint8Array {
  const keyData = k.keyData ?? new Uint8Array(0);
  const out = new Uint8Array(FIXED + keyData.length);
  const bodyLen = out.length - 4;
  out[0] = k.protocolVersion ?? 2;
  out[1] = EapolType.KEY;
  out[2] = bodyLen >> 8;
  out[3] = bodyLen & 0xff;
  out[4] = k.descriptorType ?? KEY_DESCRIPTOR_RSN;
  out[5] = k.keyInfo >> 8;
  out[6] = k.keyInfo & 0xff;
  const kl = k.keyLength ?? 0;
  out[7] = kl >> 8;
  out[8] = kl & 0xff;
  let rc = k.replayCounter ?? 0n;
  for (let i = 16; i >= 9; i--, rc >>= 8n) out[i] = Number(rc & 0xffn);
  if (k.nonce) out.set(k.nonce.subarray(0, 32), 17);
  if (k.iv) out.set(k.iv.subarray(0, 16), 49);
  if (k.rsc) out.set(k.rsc.subarray(0, 8), 65);
  if (k.mic) out.set(k.mic.subarray(0, 16), EAPOL_KEY_MIC_OFFSET);
  out[FIXED - 2] = keyData.length >> 8;
  out[FIXED - 1] = keyData.length & 0xff;
  out.set(keyData, FIXED);
  return out;
}

/** The EAPOL packet type, or -1 when the bytes are not EAPOL. */
export function eapolPacketType(b: Uint8Array): number {
  return b.length >= 4 ? b[1] : -1;
}

/** Parses an EAPOL-Key frame; null when it is not one or its lengths are inconsistent. */
export function parseEapolKey(b: Uint8Array): EapolKey | null {
  if (b.length < FIXED || b[1] !== EapolType.KEY) return null;
  const bodyLen = (b[2] << 8) | b[3];
  if (4 + bodyLen > b.length) return null;
  const dataLen = (b[FIXED - 2] << 8) | b[FIXED - 1];
  if (FIXED + dataLen > 4 + bodyLen) return null;
  let rc = 0n;
  for (let i = 9; i <= 16; i++) rc = (rc << 8n) | BigInt(b[i]);
  return {
    protocolVersion: b[0],
    descriptorType: b[4],
    keyInfo: (b[5] << 8) | b[6],
    keyLength: (b[7] << 8) | b[8],
    replayCounter: rc,
    nonce: b.slice(17, 49),
    iv: b.slice(49, 65),
    rsc: b.slice(65, 73),
    mic: b.slice(EAPOL_KEY_MIC_OFFSET, EAPOL_KEY_MIC_OFFSET + 16),
    keyData: b.slice(FIXED, FIXED + dataLen),
  };
}

/** Key data encapsulations (KDEs, §12.7.2 Table 12-6) are vendor elements with OUI 00-0F-AC. */
export const Kde = { GTK: 1, MAC: 3, PMKID: 4 } as const;

export interface GtkKde {
  keyId: number;
  tx: boolean;
  gtk: Uint8Array;
}

export function gtkKde(g: GtkKde): Uint8Array {
  const out = new Uint8Array(2 + 4 + 2 + g.gtk.length);
  out.set([
    0xdd,
    4 + 2 + g.gtk.length,
    0x00,
    0x0f,
    0xac,
    Kde.GTK,
    (g.keyId & 3) | (g.tx ? 4 : 0),
    0,
  ]);
  out.set(g.gtk, 8);
  return out;
}

/** Walks key data: elements and KDEs until the 0xDD 0x00 padding. */
export function parseKeyData(d: Uint8Array): {
  ies: { id: number; data: Uint8Array }[];
  gtk?: GtkKde;
} {
  const ies: { id: number; data: Uint8Array }[] = [];
  let gtk: GtkKde | undefined;
  for (let p = 0; p + 2 <= d.length;) {
    const id = d[p];
    const len = d[p + 1];
    if (id === 0xdd && len === 0) break; // padding
    if (p + 2 + len > d.length) break;
    const data = d.slice(p + 2, p + 2 + len);
    if (
      id === 0xdd &&
      len >= 6 &&
      data[0] === 0 &&
      data[1] === 0x0f &&
      data[2] === 0xac &&
      data[3] === Kde.GTK
    )
      gtk = { keyId: data[4] & 3, tx: (data[4] & 4) !== 0, gtk: data.slice(6) };
    else ies.push({ id, data });
    p += 2 + len;
  }
  return { ies, gtk };
}

/** Pads key data for AES key wrap (§12.7.2 j): 0xDD then zeros to a multiple of 8, at least 16. */
export function padKeyData(d: Uint8Array): Uint8Array {
  let n = d.length;
  if (n < 16) n = 16;
  if (n % 8 !== 0) n += 8 - (n % 8);
  if (n === d.length) return d;
  const out = new Uint8Array(n);
  out.set(d);
  out[d.length] = 0xdd;
  return out;
}
