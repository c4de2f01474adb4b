/**
 * Information elements (IEEE 802.11-2016 §9.4.2): the generic id/length/data list and codecs for
 * the elements beacons, probes and associations carry. Each `*Ie` builder returns an `Ie`; each
 * `parse*` takes the element's data (without id and length).
 */
const IE_MAX = 255;

export interface Ie {
  id: number;
  data: Uint8Array;
}

export const IeId = {
  SSID: 0,
  SUPPORTED_RATES: 1,
  DS_PARAMS: 3,
  TIM: 5,
  COUNTRY: 7,
  CHALLENGE: 16,
  ERP: 42,
  HT_CAPABILITIES: 45,
  RSN: 48,
  EXTENDED_RATES: 50,
  HT_OPERATION: 61,
  EXTENDED_CAPABILITIES: 127,
  VENDOR: 221,
} as const;

/** Parses an element list; a truncated last element ends the list (as receivers tolerate). */
export function parseIes(b: Uint8Array): Ie[] {
  const out: Ie[] = [];
  let p = 0;
  while (p + 2 <= b.length) {
    const len = b[p + 1];
    if (p + 2 + len > b.length) break;
    out.push({ id: b[p], data: b.slice(p + 2, p + 2 + len) });
    p += 2 + len;
  }
  return out;
}

export function buildIes(ies: readonly Ie[]): Uint8Array {
  let n = 0;
  for (const ie of ies) {
    if (ie.data.length > IE_MAX) throw new RangeError(`element ${ie.id} longer than 255 bytes`);
    n += 2 + ie.data.length;
  }
  const out = new Uint8Array(n);
  let p = 0;
  for (const ie of ies) {
    out[p] = ie.id;
    out[p + 1] = ie.data.length;
    out.set(ie.data, p + 2);
    p += 2 + ie.data.length;
  }
  return out;
}

export const findIe = (ies: readonly Ie[], id: number): Ie | undefined =>
  ies.find((e) => e.id === id);

/** A vendor-specific element (id 221) whose data starts with `oui` and `type`. */
export function findVendorIe(ies: readonly Ie[], oui: number, type: number): Ie | undefined {
  return ies.find(
    (e) =>
      e.id === IeId.VENDOR &&
      e.data.length >= 4 &&
      ((e.data[0] << 16) | (e.data[1] << 8) | e.data[2]) === oui &&
      e.data[3] === type,
  );
}

// ---------------------------------------------------------------- SSID

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export const ssidIe = (ssid: string | Uint8Array): Ie => ({
  id: IeId.SSID,
  data: typeof ssid === 'string' ? utf8.encode(ssid) : ssid.slice(),
});
export const parseSsid = (data: Uint8Array): string => fromUtf8.decode(data);

// ---------------------------------------------------------------- rates

/** A rate in Mb/s and whether it is in the BSS basic rate set (bit 7 of the encoded octet). */
export interface Rate {
  mbps: number;
  basic: boolean;
}

const encodeRate = (r: Rate) => (Math.round(r.mbps * 2) & 0x7f) | (r.basic ? 0x80 : 0);
const decodeRate = (b: number): Rate => ({ mbps: (b & 0x7f) / 2, basic: (b & 0x80) !== 0 });

/** Supported Rates (the first 8) and, when there are more, Extended Supported Rates. */
export function rateIes(rates: readonly Rate[]): Ie[] {
  const enc = Uint8Array.from(rates, encodeRate);
  const out: Ie[] = [{ id: IeId.SUPPORTED_RATES, data: enc.slice(0, 8) }];
  if (enc.length > 8) out.push({ id: IeId.EXTENDED_RATES, data: enc.slice(8) });
  return out;
}

export const parseRates = (data: Uint8Array): Rate[] => Array.from(data, decodeRate);

/** Both rate elements of a list, in order. */
export function allRates(ies: readonly Ie[]): Rate[] {
  return ies
    .filter((e) => e.id === IeId.SUPPORTED_RATES || e.id === IeId.EXTENDED_RATES)
    .flatMap((e) => parseRates(e.data));
}

// ---------------------------------------------------------------- DS parameter set

export const dsParamsIe = (channel: number): Ie => ({
  id: IeId.DS_PARAMS,
  data: Uint8Array.of(channel),
});
export const parseDsParams = (data: Uint8Array): number => data[0];

// ---------------------------------------------------------------- TIM (§9.4.2.6)

export interface Tim {
  dtimCount: number;
  dtimPeriod: number;
  /** Bitmap Control bit 0: group-addressed frames are buffered (only meaningful at a DTIM). */
  multicast: boolean;
  /** AIDs with buffered unicast frames. */
  aids: number[];
}

export function timIe(t: Tim): Ie {
  const bitmap = new Uint8Array(251);
  let last = -1;
  let first = 251;
  for (const aid of t.aids) {
    if (aid < 1 || aid > 2007) throw new RangeError(`AID ${aid} out of range`);
    const byte = aid >> 3;
    bitmap[byte] |= 1 << (aid & 7);
    last = Math.max(last, byte);
    first = Math.min(first, byte);
  }
  // Partial virtual bitmap: octets N1..N2 with N1 even (its half goes in Bitmap Control).
  let n1 = 0;
  let n2 = 0;
  if (last >= 0) {
    n1 = first & ~1;
    n2 = last;
  }
  const data = new Uint8Array(3 + n2 - n1 + 1);
  data[0] = t.dtimCount;
  data[1] = t.dtimPeriod;
  data[2] = (t.multicast ? 1 : 0) | n1;
  data.set(bitmap.subarray(n1, n2 + 1), 3);
  return { id: IeId.TIM, data };
}

export function parseTim(data: Uint8Array): Tim {
  const offset = data[2] & 0xfe;
  const aids: number[] = [];
  for (let i = 3; i < data.length; i++)
    for (let bit = 0; bit < 8; bit++)
      if (data[i] & (1 << bit)) {
        const aid = (offset + i - 3) * 8 + bit;
        if (aid !== 0) aids.push(aid);
      }
  return { dtimCount: data[0], dtimPeriod: data[1], multicast: (data[2] & 1) !== 0, aids };
}

// ---------------------------------------------------------------- Country (§9.4.2.9)

export interface CountryTriplet {
  firstChannel: number;
  channels: number;
  maxPowerDbm: number;
}

export interface Country {
  /** Two letters, e.g. "US". */
  code: string;
  /** Third octet: ' ' any environment, 'I' indoor, 'O' outdoor. */
  environment: string;
  triplets: CountryTriplet[];
}

export function countryIe(c: Country): Ie {
  const len = 3 + 3 * c.triplets.length;
  const data = new Uint8Array(len + (len & 1)); // padded to an even length
  data.set(utf8.encode((c.code + '  ').slice(0, 2) + (c.environment || ' ').slice(0, 1)));
  c.triplets.forEach((t, i) => data.set([t.firstChannel, t.channels, t.maxPowerDbm], 3 + 3 * i));
  return { id: IeId.COUNTRY, data };
}

export function parseCountry(data: Uint8Array): Country {
  const triplets: CountryTriplet[] = [];
  for (let p = 3; p + 3 <= data.length; p += 3)
    triplets.push({ firstChannel: data[p], channels: data[p + 1], maxPowerDbm: data[p + 2] });
  return {
    code: String.fromCharCode(data[0], data[1]),
    environment: String.fromCharCode(data[2]),
    triplets,
  };
}

// ---------------------------------------------------------------- RSN (§9.4.2.25)

/** Cipher and AKM suites as OUI << 8 | type. */
export const Suite = {
  WEP40: 0x000fac01,
  TKIP: 0x000fac02,
  CCMP: 0x000fac04,
  WEP104: 0x000fac05,
  AKM_8021X: 0x000fac01,
  AKM_PSK: 0x000fac02,
  AKM_PSK_SHA256: 0x000fac06,
} as const;

export interface Rsn {
  version: number;
  groupCipher: number;
  pairwiseCiphers: number[];
  akms: number[];
  capabilities: number;
  pmkids?: Uint8Array[];
}

const suiteBytes = (s: number) => [
  (s >>> 24) & 0xff,
  (s >>> 16) & 0xff,
  (s >>> 8) & 0xff,
  s & 0xff,
];

export function rsnIe(r: Rsn): Ie {
  const b = [r.version & 0xff, r.version >> 8, ...suiteBytes(r.groupCipher)];
  b.push(r.pairwiseCiphers.length & 0xff, r.pairwiseCiphers.length >> 8);
  for (const s of r.pairwiseCiphers) b.push(...suiteBytes(s));
  b.push(r.akms.length & 0xff, r.akms.length >> 8);
  for (const s of r.akms) b.push(...suiteBytes(s));
  b.push(r.capabilities & 0xff, r.capabilities >> 8);
  if (r.pmkids) {
    b.push(r.pmkids.length & 0xff, r.pmkids.length >> 8);
    for (const id of r.pmkids) b.push(...id);
  }
  return { id: IeId.RSN, data: Uint8Array.from(b) };
}

/** Parses an RSN element; optional trailing fields default as §9.4.2.25.1 says (CCMP, 802.1X). */
export function parseRsn(d: Uint8Array): Rsn {
  if (d.length < 2) throw new RangeError('RSN element too short');
  let p = 2;
  const u16 = () => {
    if (p + 2 > d.length) throw new RangeError('RSN element truncated');
    const v = d[p] | (d[p + 1] << 8);
    p += 2;
    return v;
  };
  const suite = () => {
    if (p + 4 > d.length) throw new RangeError('RSN element truncated');
    const v = ((d[p] << 24) | (d[p + 1] << 16) | (d[p + 2] << 8) | d[p + 3]) >>> 0;
    p += 4;
    return v;
  };
  const r: Rsn = {
    version: d[0] | (d[1] << 8),
    groupCipher: Suite.CCMP,
    pairwiseCiphers: [Suite.CCMP],
    akms: [Suite.AKM_8021X],
    capabilities: 0,
  };
  if (p < d.length) r.groupCipher = suite();
  if (p < d.length) r.pairwiseCiphers = Array.from({ length: u16() }, suite);
  if (p < d.length) r.akms = Array.from({ length: u16() }, suite);
  if (p < d.length) r.capabilities = u16();
  if (p < d.length) {
    const n = u16();
    r.pmkids = [];
    for (let i = 0; i < n; i++, p += 16) r.pmkids.push(d.slice(p, p + 16));
  }
  return r;
}

// ---------------------------------------------------------------- HT (§9.4.2.56, §9.4.2.57)

export interface HtCapabilities {
  /** HT Capability Information (e.g. bit 5 short GI for 20 MHz, bit 1 40 MHz support). */
  info: number;
  ampduParams: number;
  /** Supported MCS Set, 16 octets (Rx MCS bitmask in the first 10). */
  mcsSet: Uint8Array;
  extended: number;
  txBeamforming: number;
  antennaSelection: number;
}

export function htCapabilitiesIe(h: HtCapabilities): Ie {
  const d = new Uint8Array(26);
  d.set([h.info & 0xff, h.info >> 8, h.ampduParams]);
  d.set(h.mcsSet.subarray(0, 16), 3);
  d.set([h.extended & 0xff, h.extended >> 8], 19);
  for (let i = 0; i < 4; i++) d[21 + i] = (h.txBeamforming >>> (8 * i)) & 0xff;
  d[25] = h.antennaSelection;
  return { id: IeId.HT_CAPABILITIES, data: d };
}

export function parseHtCapabilities(d: Uint8Array): HtCapabilities {
  if (d.length < 26) throw new RangeError('HT Capabilities element too short');
  return {
    info: d[0] | (d[1] << 8),
    ampduParams: d[2],
    mcsSet: d.slice(3, 19),
    extended: d[19] | (d[20] << 8),
    txBeamforming: (d[21] | (d[22] << 8) | (d[23] << 16) | (d[24] << 24)) >>> 0,
    antennaSelection: d[25],
  };
}

export interface HtOperation {
  primaryChannel: number;
  /** HT Operation Information, 5 octets (secondary channel offset in bits 0–1 of the first). */
  info: Uint8Array;
  basicMcsSet: Uint8Array;
}

export function htOperationIe(h: HtOperation): Ie {
  const d = new Uint8Array(22);
  d[0] = h.primaryChannel;
  d.set(h.info.subarray(0, 5), 1);
  d.set(h.basicMcsSet.subarray(0, 16), 6);
  return { id: IeId.HT_OPERATION, data: d };
}

export function parseHtOperation(d: Uint8Array): HtOperation {
  if (d.length < 22) throw new RangeError('HT Operation element too short');
  return { primaryChannel: d[0], info: d.slice(1, 6), basicMcsSet: d.slice(6, 22) };
}

// ---------------------------------------------------------------- WMM (Wi-Fi Alliance WMM spec)

export const OUI_MICROSOFT = 0x0050f2;
const WMM_TYPE = 2;

export interface WmmAc {
  aifsn: number;
  acm: boolean;
  ecwMin: number;
  ecwMax: number;
  /** TXOP limit in units of 32 µs. */
  txopLimit: number;
}

/** The WMM Parameter element an AP sends (subtype 1); a station sends the Information element (0). */
export interface Wmm {
  subtype: 0 | 1;
  qosInfo: number;
  /** AC_BE, AC_BK, AC_VI, AC_VO; only in the parameter element. */
  acs?: WmmAc[];
}

export function wmmIe(w: Wmm): Ie {
  const b = [0x00, 0x50, 0xf2, WMM_TYPE, w.subtype, 1, w.qosInfo];
  if (w.subtype === 1) {
    b.push(0);
    (w.acs ?? []).forEach((ac, aci) => {
      b.push((ac.aifsn & 0xf) | (ac.acm ? 0x10 : 0) | (aci << 5));
      b.push((ac.ecwMin & 0xf) | (ac.ecwMax << 4));
      b.push(ac.txopLimit & 0xff, ac.txopLimit >> 8);
    });
  }
  return { id: IeId.VENDOR, data: Uint8Array.from(b) };
}

export function parseWmm(d: Uint8Array): Wmm {
  const w: Wmm = { subtype: d[4] === 1 ? 1 : 0, qosInfo: d[6] };
  if (w.subtype === 1) {
    w.acs = [];
    for (let p = 8; p + 4 <= d.length; p += 4)
      w.acs.push({
        aifsn: d[p] & 0xf,
        acm: (d[p] & 0x10) !== 0,
        ecwMin: d[p + 1] & 0xf,
        ecwMax: d[p + 1] >> 4,
        txopLimit: d[p + 2] | (d[p + 3] << 8),
      });
  }
  return w;
}

export const findWmm = (ies: readonly Ie[]): Ie | undefined =>
  findVendorIe(ies, OUI_MICROSOFT, WMM_TYPE);
