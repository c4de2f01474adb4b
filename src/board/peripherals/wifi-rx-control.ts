/**
 * What the MAC's receive path computes for each frame before it reaches the RX ring: the four
 * address-filter match bits and the 12-byte RxControl header the libraries read
 * (docs/wifi-mac.md §RX; RxControl is the SDK's public promiscuous-mode struct).
 *
 * RxControl, three little-endian words:
 *   word0 [7:0] rssi (dBm + 96, unsigned), [11:8] rate, 12 is_group, [15:14] sig_mode,
 *         [27:16] legacy_length (MPDU + FCS), 28 damatch0, 29 damatch1, 30 bssidmatch0,
 *         31 bssidmatch1
 *   word1 HT fields (MCS, CWB, HT_length, aggregation …): 0 for 802.11b/g
 *   word2 [7:0] rxend_state, [15:8] ampdu_cnt, [19:16] channel (the SDK overwrites it)
 */
import { crc32 } from '../crc32.ts';

export const RX_CONTROL_BYTES = 12;
export const FCS_BYTES = 4;

/** The library converts with `rssi - 96` everywhere it reads the byte. */
export const RSSI_OFFSET = 96;

export interface MatchBits {
  damatch0: boolean;
  damatch1: boolean;
  bssidmatch0: boolean;
  bssidmatch1: boolean;
}

/** One address filter: 48-bit value and mask (bytes in air order), enable bit. */
export interface AddressFilter {
  address: Uint8Array;
  mask: Uint8Array;
  enabled: boolean;
}

function filterMatches(filter: AddressFilter, frame: Uint8Array, at: number): boolean {
  for (let i = 0; i < 6; i++)
    if ((frame[at + i] ^ filter.address[i]) & filter.mask[i]) return false;
  return true;
}

/** Offset of the BSSID in the header, or -1 for frames that carry none (most control frames). */
export function bssidOffset(mpdu: Uint8Array): number {
  const type = (mpdu[0] >> 2) & 3;
  const flags = mpdu[1];
  if (type === 0) return 16;
  if (type === 1) return mpdu[0] >> 4 === 10 ? 4 : -1; // PS-Poll: addr1 is the BSSID
  const toDs = flags & 1;
  const fromDs = flags & 2;
  if (toDs && fromDs) return -1;
  if (toDs) return 4;
  if (fromDs) return 10;
  return 16;
}

/**
 * Interface 0 (station) answers while its own-address filter is enabled; interface 1 (SoftAP)
 * only while both its own-address filter and its BSSID filter are enabled (docs/wifi-mac.md §4).
 * damatchN: addr1 matches the own-address filter N under the mask, or addr1 is group-addressed.
 * bssidmatch0: BSSID filter 0 disabled (a station scanning hears every BSS) or the frame's BSSID
 * matches it under the mask. bssidmatch1: the frame's BSSID matches BSSID filter 1. The wildcard
 * BSSID (ff:ff:ff:ff:ff:ff, a probe request's) matches every enabled BSSID filter: a SoftAP in
 * station+SoftAP mode answers phones' probes, which needs bssidmatch1 (docs/wifi-mac.md §4).
 * pp's RX dispatch sends any frame with damatch1 or bssidmatch1 to hostap_input, so a station
 * must never see them. SDK 0.9.5 leaves the own-address filter 1 enabled in station mode and
 * only disables BSSID filter 1; SDK 2.x also clears the own-address filter 1 (wDev_DisableUcRx).
 */
export function matchBits(
  mpdu: Uint8Array,
  mac: readonly [AddressFilter, AddressFilter],
  bssid: readonly [AddressFilter, AddressFilter],
): MatchBits {
  const group = (mpdu[4] & 1) !== 0;
  const bOff = mpdu.length >= 24 ? bssidOffset(mpdu) : -1;
  const wildcard = bOff >= 0 && isBroadcast(mpdu, bOff);
  const bssidMatches = (f: AddressFilter) =>
    bOff >= 0 && (wildcard || filterMatches(f, mpdu, bOff));
  const station = mac[0].enabled;
  const softAp = mac[1].enabled && bssid[1].enabled;
  return {
    damatch0: station && (group || filterMatches(mac[0], mpdu, 4)),
    damatch1: softAp && (group || filterMatches(mac[1], mpdu, 4)),
    bssidmatch0: station && (!bssid[0].enabled || bssidMatches(bssid[0])),
    bssidmatch1: softAp && bssidMatches(bssid[1]),
  };
}

function isBroadcast(mpdu: Uint8Array, offset: number): boolean {
  for (let i = 0; i < 6; i++) if (mpdu[offset + i] !== 0xff) return false;
  return true;
}

export function anyMatch(m: MatchBits): boolean {
  return m.damatch0 || m.damatch1 || m.bssidmatch0 || m.bssidmatch1;
}

export interface RxControlFields {
  rssiDbm: number;
  rate: number;
  /** MPDU length without FCS. */
  mpduLength: number;
  group: boolean;
  match: MatchBits;
  channel: number;
}

export function encodeRxControl(f: RxControlFields): Uint8Array {
  const out = new Uint8Array(RX_CONTROL_BYTES);
  const view = new DataView(out.buffer);
  const rssi = Math.max(0, Math.min(255, Math.round(f.rssiDbm) + RSSI_OFFSET));
  const word0 =
    rssi |
    ((f.rate & 15) << 8) |
    (f.group ? 1 << 12 : 0) |
    (((f.mpduLength + FCS_BYTES) & 0xfff) << 16) |
    (f.match.damatch0 ? 1 << 28 : 0) |
    (f.match.damatch1 ? 1 << 29 : 0) |
    (f.match.bssidmatch0 ? 1 << 30 : 0) |
    (f.match.bssidmatch1 ? 1 << 31 : 0);
  view.setUint32(0, word0 >>> 0, true);
  view.setUint32(8, (f.channel & 15) << 16, true);
  return out;
}

export function fcs(mpdu: Uint8Array): Uint8Array {
  const c = crc32(mpdu);
  return Uint8Array.of(c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff, c >>> 24);
}
