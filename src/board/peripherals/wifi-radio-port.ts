/**
 * The seam between the ESP8266's Wi-Fi MAC model (wifi-mac.ts) and whatever plays the air
 * around it: a virtual network (src/net, through an adapter), or a scripted test peer.
 *
 *   mac.port = { transmit(tx) { ...; return { acked: true }; } };   // board → air
 *   mac.receive({ mpdu, rssiDbm: -50, noiseFloorDbm: -95, channel: 6, rate: WifiRate.CCK_1M });
 *   mac.tune(6); mac.onChannelChange = (ch) => ...;                 // what the radio listens to
 *
 * Frames cross the seam as raw 802.11 MPDUs (header + body, no FCS): the MAC adds and strips the
 * FCS, the RxControl header and the DMA descriptors. Time is the board's simulated clock: the port
 * is called at the instant the frame starts on air, and `receive` is called by the port at the
 * instant a frame has arrived.
 *
 * Protected frames are passed in the clear. On TX the library has already written the CCMP/TKIP
 * header after the MAC header and expects the hardware to encrypt; the MAC hands the port the
 * plaintext with the key-table entry it would have used (`key`), so the other side can encrypt
 * or simply read it. On RX the port hands in a plaintext protected frame with `decrypted: true`;
 * the MAC adds the trailer bytes the library strips after hardware decryption (docs/wifi-mac.md).
 */

/**
 * Rate codes as the MAC's TX word W1 [15:12] and RxControl.rate [11:8] carry them: 0–3 are
 * the 802.11b rates, 8–15 the 802.11g OFDM rates in PLCP SIGNAL order, the numbering of the
 * SDK's public `enum FIXED_RATE` (user_interface.h: PHY_RATE_48 = 0x8 … PHY_RATE_9 = 0xF).
 */
export const WifiRate = {
  CCK_1M: 0x0,
  CCK_2M: 0x1,
  CCK_5M5: 0x2,
  CCK_11M: 0x3,
  OFDM_48M: 0x8,
  OFDM_24M: 0x9,
  OFDM_12M: 0xa,
  OFDM_6M: 0xb,
  OFDM_54M: 0xc,
  OFDM_36M: 0xd,
  OFDM_18M: 0xe,
  OFDM_9M: 0xf,
} as const;

/** Data rate in units of 100 kb/s, by rate code (0 = not a legacy rate). */
const RATE_100KBPS = [10, 20, 55, 110, 0, 0, 0, 0, 480, 240, 120, 60, 540, 360, 180, 90];

export function rateMbps(code: number): number {
  return (RATE_100KBPS[code & 15] || 10) / 10;
}

export function isOfdmRate(code: number): boolean {
  return (code & 8) !== 0;
}

/**
 * Time on air in µs of a PPDU carrying `bytes` (MPDU + FCS): long-preamble DSSS/CCK
 * (192 µs PLCP) or OFDM (20 µs preamble + 4 µs symbols of 16 service + 8·bytes + 6 tail bits).
 */
export function airtimeMicros(bytes: number, code: number): number {
  const mbps = rateMbps(code);
  if (isOfdmRate(code)) return 20 + 4 * Math.ceil((16 + 8 * bytes + 6) / (4 * mbps));
  return 192 + Math.ceil((8 * bytes) / mbps);
}

/** A key-table entry as the MAC found it for a protected frame (wifi-key-table.ts). */
export interface WifiKey {
  slot: number;
  /** 1 WEP, 2 TKIP, 3 CCMP (the table's cipher field). */
  cipher: number;
  keyId: number;
  /** 16 bytes for CCMP, 32 for TKIP (TK + the two Michael keys), 5 or 13 for WEP. */
  key: Uint8Array;
}

export interface WifiTransmission {
  /** Header + body as the firmware built it (no FCS; plaintext body if Protected). */
  mpdu: Uint8Array;
  /** The channel the radio is tuned to (0 while nothing tuned it). */
  channel: number;
  /** Rate code (WifiRate). */
  rate: number;
  /** Hardware queue the firmware used (0..7). */
  queue: number;
  /** The key the hardware would encrypt with, when the frame's Protected bit is set. */
  key: WifiKey | null;
}

export interface WifiTxOutcome {
  /** The addressee acknowledged (ignored for group-addressed or no-ACK frames). */
  acked: boolean;
}

export interface WifiRadioPort {
  /** A frame starts on air now; say whether an ACK will come back. */
  transmit(tx: WifiTransmission): WifiTxOutcome;
}

export interface WifiReception {
  /** Header + body, no FCS. */
  mpdu: Uint8Array;
  rssiDbm: number;
  /** Noise floor on the channel (dBm); kept by the MAC for the PHY side, not in RxControl. */
  noiseFloorDbm: number;
  channel: number;
  /** Rate code (WifiRate). */
  rate: number;
  /** The Protected bit is set but the body is already plaintext. */
  decrypted?: boolean;
}
