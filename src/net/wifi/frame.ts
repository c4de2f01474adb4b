/**
 * The 802.11 MAC frame format (IEEE 802.11-2016 §9.2–9.3): frame control, addresses, sequence
 * control, QoS/HT control, body. Frames here are MPDUs without the FCS, as the air carries them.
 *
 * `parseFrame` and `buildFrame` are exact inverses for every field they know; the body is left as
 * bytes and decoded by the per-subtype codecs below (management) or `llc.ts` (data).
 */
import type { MacAddress } from './mac-address.ts';
import { parseIes, buildIes, type Ie } from './ie.ts';

export const FrameType = { MGMT: 0, CTRL: 1, DATA: 2 } as const;

/** Management subtypes (Table 9-1). */
export const Mgmt = {
  ASSOC_REQ: 0,
  ASSOC_RESP: 1,
  REASSOC_REQ: 2,
  REASSOC_RESP: 3,
  PROBE_REQ: 4,
  PROBE_RESP: 5,
  BEACON: 8,
  DISASSOC: 10,
  AUTH: 11,
  DEAUTH: 12,
  ACTION: 13,
} as const;

/** Control subtypes. */
export const Ctrl = { PS_POLL: 10, RTS: 11, CTS: 12, ACK: 13 } as const;

/** Data subtypes: bit 3 is QoS, bit 2 "no data". */
export const Data = { DATA: 0, NULL: 4, QOS_DATA: 8, QOS_NULL: 12 } as const;

export interface Frame {
  type: number;
  subtype: number;
  toDS: boolean;
  fromDS: boolean;
  moreFragments: boolean;
  retry: boolean;
  powerManagement: boolean;
  moreData: boolean;
  protected: boolean;
  /** +HTC/Order bit: a QoS data frame then carries an HT Control field. */
  order: boolean;
  /** Duration/ID field; in a PS-Poll it is the AID with the two top bits set. */
  duration: number;
  /** Receiver address (RA/DA). */
  addr1: MacAddress;
  /** Transmitter address (absent in CTS and ACK). */
  addr2?: MacAddress;
  addr3?: MacAddress;
  addr4?: MacAddress;
  seq: number;
  frag: number;
  /** QoS Control (QoS data subtypes). */
  qos?: number;
  htControl?: number;
  body: Uint8Array;
}

export type FrameInit = Partial<Frame> & Pick<Frame, 'type' | 'subtype' | 'addr1'>;

export const isQosData = (f: Pick<Frame, 'type' | 'subtype'>): boolean =>
  f.type === FrameType.DATA && (f.subtype & 8) !== 0;

/** Number of addresses a control frame carries (ACK and CTS only the RA). */
function ctrlAddresses(subtype: number): number {
  return subtype === Ctrl.ACK || subtype === Ctrl.CTS ? 1 : 2;
}

export function parseFrame(b: Uint8Array): Frame {
  if (b.length < 10) throw new RangeError(`802.11 frame too short (${b.length} bytes)`);
  const fc0 = b[0];
  const fc1 = b[1];
  if ((fc0 & 3) !== 0) throw new RangeError(`unknown protocol version ${fc0 & 3}`);
  const type = (fc0 >> 2) & 3;
  const subtype = fc0 >> 4;
  const f: Frame = {
    type,
    subtype,
    toDS: (fc1 & 0x01) !== 0,
    fromDS: (fc1 & 0x02) !== 0,
    moreFragments: (fc1 & 0x04) !== 0,
    retry: (fc1 & 0x08) !== 0,
    powerManagement: (fc1 & 0x10) !== 0,
    moreData: (fc1 & 0x20) !== 0,
    protected: (fc1 & 0x40) !== 0,
    order: (fc1 & 0x80) !== 0,
    duration: b[2] | (b[3] << 8),
    addr1: b.slice(4, 10),
    seq: 0,
    frag: 0,
    body: new Uint8Array(0),
  };
  let p = 10;
  const need = (n: number) => {
    if (p + n > b.length) throw new RangeError('802.11 frame truncated in its header');
  };
  if (type === FrameType.CTRL) {
    if (ctrlAddresses(subtype) === 2) {
      need(6);
      f.addr2 = b.slice(10, 16);
      p = 16;
    }
    f.body = b.slice(p);
    return f;
  }
  need(14);
  f.addr2 = b.slice(10, 16);
  f.addr3 = b.slice(16, 22);
  const sc = b[22] | (b[23] << 8);
  f.seq = sc >> 4;
  f.frag = sc & 0xf;
  p = 24;
  if (type === FrameType.DATA) {
    if (f.toDS && f.fromDS) {
      need(6);
      f.addr4 = b.slice(24, 30);
      p = 30;
    }
    if (subtype & 8) {
      need(2);
      f.qos = b[p] | (b[p + 1] << 8);
      p += 2;
      if (f.order) {
        need(4);
        f.htControl = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
        p += 4;
      }
    }
  } else if (type === FrameType.MGMT && f.order) {
    need(4);
    f.htControl = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
    p += 4;
  }
  f.body = b.slice(p);
  return f;
}

/** Header length of a parsed or to-be-built frame (everything before the body). */
export function headerLength(
  f: Pick<Frame, 'type' | 'subtype' | 'toDS' | 'fromDS' | 'order'>,
): number {
  if (f.type === FrameType.CTRL) return ctrlAddresses(f.subtype) === 2 ? 16 : 10;
  let n = 24;
  if (f.type === FrameType.DATA) {
    if (f.toDS && f.fromDS) n += 6;
    if (f.subtype & 8) n += 2 + (f.order ? 4 : 0);
  } else if (f.order) n += 4;
  return n;
}

export function buildFrame(init: FrameInit): Uint8Array {
  const f: Frame = {
    toDS: false,
    fromDS: false,
    moreFragments: false,
    retry: false,
    powerManagement: false,
    moreData: false,
    protected: false,
    order: false,
    duration: 0,
    seq: 0,
    frag: 0,
    body: new Uint8Array(0),
    ...init,
  };
  const hl = headerLength(f);
  const out = new Uint8Array(hl + f.body.length);
  out[0] = (f.subtype << 4) | (f.type << 2);
  out[1] =
    (f.toDS ? 0x01 : 0) |
    (f.fromDS ? 0x02 : 0) |
    (f.moreFragments ? 0x04 : 0) |
    (f.retry ? 0x08 : 0) |
    (f.powerManagement ? 0x10 : 0) |
    (f.moreData ? 0x20 : 0) |
    (f.protected ? 0x40 : 0) |
    (f.order ? 0x80 : 0);
  out[2] = f.duration & 0xff;
  out[3] = (f.duration >> 8) & 0xff;
  out.set(f.addr1, 4);
  const zero = new Uint8Array(6);
  if (f.type === FrameType.CTRL) {
    if (hl === 16) out.set(f.addr2 ?? zero, 10);
  } else {
    out.set(f.addr2 ?? zero, 10);
    out.set(f.addr3 ?? zero, 16);
    const sc = ((f.seq & 0xfff) << 4) | (f.frag & 0xf);
    out[22] = sc & 0xff;
    out[23] = sc >> 8;
    let p = 24;
    if (f.type === FrameType.DATA && f.toDS && f.fromDS) {
      out.set(f.addr4 ?? zero, 24);
      p = 30;
    }
    if (f.type === FrameType.DATA && f.subtype & 8) {
      const q = f.qos ?? 0;
      out[p++] = q & 0xff;
      out[p++] = (q >> 8) & 0xff;
    }
    if (f.order && (f.type === FrameType.MGMT || f.subtype & 8)) {
      const h = f.htControl ?? 0;
      for (let i = 0; i < 4; i++) out[p++] = (h >>> (8 * i)) & 0xff;
    }
  }
  out.set(f.body, hl);
  return out;
}

// ---------------------------------------------------------------- addresses of data frames

/** The roles of a data frame's addresses for its ToDS/FromDS combination (Table 9-26). */
export interface DataAddresses {
  ra: MacAddress;
  ta: MacAddress;
  da: MacAddress;
  sa: MacAddress;
  /** Absent in the four-address (WDS/mesh) form. */
  bssid?: MacAddress;
}

export function dataAddresses(f: Frame): DataAddresses {
  const a1 = f.addr1;
  const a2 = f.addr2!;
  const a3 = f.addr3!;
  if (!f.toDS && !f.fromDS) return { ra: a1, ta: a2, da: a1, sa: a2, bssid: a3 };
  if (!f.toDS && f.fromDS) return { ra: a1, ta: a2, da: a1, sa: a3, bssid: a2 };
  if (f.toDS && !f.fromDS) return { ra: a1, ta: a2, da: a3, sa: a2, bssid: a1 };
  return { ra: a1, ta: a2, da: a3, sa: f.addr4! };
}

/** Addresses 1–4 for a data frame going in the given direction. */
export function dataFrameAddresses(
  toDS: boolean,
  fromDS: boolean,
  a: DataAddresses,
): Pick<Frame, 'addr1' | 'addr2' | 'addr3' | 'addr4'> {
  const bssid = a.bssid ?? new Uint8Array(6);
  if (!toDS && !fromDS) return { addr1: a.da, addr2: a.sa, addr3: bssid };
  if (!toDS && fromDS) return { addr1: a.da, addr2: bssid, addr3: a.sa };
  if (toDS && !fromDS) return { addr1: bssid, addr2: a.sa, addr3: a.da };
  return { addr1: a.ra, addr2: a.ta, addr3: a.da, addr4: a.sa };
}

// ---------------------------------------------------------------- management frame bodies

const u16 = (b: Uint8Array, p: number) => b[p] | (b[p + 1] << 8);
const le16 = (v: number) => [v & 0xff, (v >> 8) & 0xff];

function need(b: Uint8Array, n: number, what: string): void {
  if (b.length < n) throw new RangeError(`${what} body too short (${b.length} < ${n})`);
}

/** Capability Information bits (§9.4.1.4). */
export const Capability = {
  ESS: 0x0001,
  IBSS: 0x0002,
  PRIVACY: 0x0010,
  SHORT_PREAMBLE: 0x0020,
  SPECTRUM_MGMT: 0x0100,
  QOS: 0x0200,
  SHORT_SLOT_TIME: 0x0400,
  RADIO_MEASUREMENT: 0x1000,
} as const;

/** Beacon and probe response (§9.3.3.3, §9.3.3.11). */
export interface BeaconBody {
  /** TSF timer in microseconds. */
  timestamp: bigint;
  /** Beacon interval in TU (1024 µs). */
  interval: number;
  capability: number;
  ies: Ie[];
}

export function parseBeaconBody(b: Uint8Array): BeaconBody {
  need(b, 12, 'beacon');
  let ts = 0n;
  for (let i = 7; i >= 0; i--) ts = (ts << 8n) | BigInt(b[i]);
  return {
    timestamp: ts,
    interval: u16(b, 8),
    capability: u16(b, 10),
    ies: parseIes(b.subarray(12)),
  };
}

export function buildBeaconBody(v: BeaconBody): Uint8Array {
  const ies = buildIes(v.ies);
  const out = new Uint8Array(12 + ies.length);
  let ts = v.timestamp;
  for (let i = 0; i < 8; i++, ts >>= 8n) out[i] = Number(ts & 0xffn);
  out.set([...le16(v.interval), ...le16(v.capability)], 8);
  out.set(ies, 12);
  return out;
}

export const AuthAlgorithm = { OPEN: 0, SHARED_KEY: 1, SAE: 3 } as const;

/** Authentication (§9.3.3.12). */
export interface AuthBody {
  algorithm: number;
  seq: number;
  status: number;
  ies: Ie[];
}

export function parseAuthBody(b: Uint8Array): AuthBody {
  need(b, 6, 'authentication');
  return { algorithm: u16(b, 0), seq: u16(b, 2), status: u16(b, 4), ies: parseIes(b.subarray(6)) };
}

export function buildAuthBody(v: AuthBody): Uint8Array {
  return Uint8Array.from([
    ...le16(v.algorithm),
    ...le16(v.seq),
    ...le16(v.status),
    ...buildIes(v.ies),
  ]);
}

/** Association and reassociation request (§9.3.3.6, §9.3.3.8); `currentAp` only in reassociation. */
export interface AssocReqBody {
  capability: number;
  listenInterval: number;
  currentAp?: MacAddress;
  ies: Ie[];
}

export function parseAssocReqBody(b: Uint8Array, reassoc = false): AssocReqBody {
  need(b, reassoc ? 10 : 4, 'association request');
  const v: AssocReqBody = { capability: u16(b, 0), listenInterval: u16(b, 2), ies: [] };
  if (reassoc) v.currentAp = b.slice(4, 10);
  v.ies = parseIes(b.subarray(reassoc ? 10 : 4));
  return v;
}

export function buildAssocReqBody(v: AssocReqBody): Uint8Array {
  return Uint8Array.from([
    ...le16(v.capability),
    ...le16(v.listenInterval),
    ...(v.currentAp ?? []),
    ...buildIes(v.ies),
  ]);
}

/** Association and reassociation response (§9.3.3.7, §9.3.3.9). `aid` without the two top bits. */
export interface AssocRespBody {
  capability: number;
  status: number;
  aid: number;
  ies: Ie[];
}

export function parseAssocRespBody(b: Uint8Array): AssocRespBody {
  need(b, 6, 'association response');
  return {
    capability: u16(b, 0),
    status: u16(b, 2),
    aid: u16(b, 4) & 0x3fff,
    ies: parseIes(b.subarray(6)),
  };
}

export function buildAssocRespBody(v: AssocRespBody): Uint8Array {
  const aid = v.aid === 0 ? 0 : v.aid | 0xc000;
  return Uint8Array.from([
    ...le16(v.capability),
    ...le16(v.status),
    ...le16(aid),
    ...buildIes(v.ies),
  ]);
}

/** Deauthentication and disassociation carry only a reason code (§9.3.3.13, §9.3.3.5). */
export function parseReason(b: Uint8Array): number {
  need(b, 2, 'deauthentication/disassociation');
  return u16(b, 0);
}

export const reasonBody = (reason: number): Uint8Array => Uint8Array.from(le16(reason));

/** Status codes (Table 9-46) the virtual AP uses. */
export const Status = {
  SUCCESS: 0,
  UNSPECIFIED: 1,
  CAPS_UNSUPPORTED: 10,
  ASSOC_DENIED_UNSPEC: 12,
  NOT_SUPPORTED_AUTH_ALG: 13,
  UNKNOWN_AUTH_TRANSACTION: 14,
  AP_UNABLE_TO_HANDLE_NEW_STA: 17,
  ASSOC_DENIED_RATES: 18,
  INVALID_IE: 40,
  INVALID_RSN_IE_CAPAB: 45,
} as const;

/** Reason codes (Table 9-45). */
export const Reason = {
  UNSPECIFIED: 1,
  PREV_AUTH_NOT_VALID: 2,
  DEAUTH_LEAVING: 3,
  DISASSOC_DUE_TO_INACTIVITY: 4,
  DISASSOC_AP_BUSY: 5,
  CLASS2_FRAME_FROM_NONAUTH_STA: 6,
  CLASS3_FRAME_FROM_NONASSOC_STA: 7,
  DISASSOC_STA_HAS_LEFT: 8,
  STA_REQ_ASSOC_WITHOUT_AUTH: 9,
  INVALID_IE: 13,
  MICHAEL_MIC_FAILURE: 14,
  FOURWAY_HANDSHAKE_TIMEOUT: 15,
  GROUP_KEY_UPDATE_TIMEOUT: 16,
  IE_IN_4WAY_DIFFERS: 17,
  INVALID_PAIRWISE_CIPHER: 19,
  INVALID_AKMP: 20,
} as const;
