/**
 * How long a PPDU occupies the air (IEEE 802.11-2016 §15–§19): PLCP preamble and header plus the
 * PSDU (the MPDU and its 4-byte FCS) at the rate.
 */

/** How a frame is sent: a legacy rate in Mb/s, or an HT MCS (20 MHz, one stream). */
export interface TxVector {
  /** Legacy rate: 1, 2, 5.5, 11 (DSSS/CCK) or 6 … 54 (ERP-OFDM). Ignored when `mcs` is set. */
  rateMbps?: number;
  /** HT-mixed format MCS 0–7 (the ESP8266 supports one spatial stream, 20 MHz). */
  mcs?: number;
  /** DSSS/CCK short preamble (not for 1 Mb/s). */
  shortPreamble?: boolean;
  /** HT short guard interval (3.6 µs symbols). */
  shortGi?: boolean;
}

export const DSSS_RATES = [1, 2, 5.5, 11];
export const OFDM_RATES = [6, 9, 12, 18, 24, 36, 48, 54];
/** HT MCS 0–7 data rates at 20 MHz, 800 ns GI. */
export const HT_MCS_MBPS = [6.5, 13, 19.5, 26, 39, 52, 58.5, 65];

export const FCS_LENGTH = 4;
export const SIFS_US = 10;
export const SLOT_US = 20; // long slot; a conservative ACK timeout
export const DIFS_US = SIFS_US + 2 * SLOT_US;

/** Nominal data rate of a TX vector in Mb/s. */
export function rateMbpsOf(tx: TxVector): number {
  if (tx.mcs !== undefined) return HT_MCS_MBPS[tx.mcs];
  return tx.rateMbps ?? 1;
}

/** Airtime in µs of an MPDU of `mpduLength` bytes (FCS excluded; it is added here). */
export function airtimeMicros(mpduLength: number, tx: TxVector): number {
  const bits = 8 * (mpduLength + FCS_LENGTH);
  if (tx.mcs !== undefined) {
    if (tx.mcs < 0 || tx.mcs > 7) throw new RangeError(`HT MCS ${tx.mcs} not supported`);
    // HT-mixed: L-STF 8 + L-LTF 8 + L-SIG 4 + HT-SIG 8 + HT-STF 4 + one HT-LTF 4 = 36 µs.
    const ndbps = HT_MCS_MBPS[tx.mcs] * 4;
    const symbols = Math.ceil((16 + bits + 6) / ndbps);
    // With the short GI the 3.6 µs symbols are rounded up to whole 4 µs units (§19.4.3).
    const data = tx.shortGi ? 4 * Math.ceil((symbols * 3.6) / 4) : symbols * 4;
    return 36 + data + 6; // + 6 µs signal extension in 2.4 GHz
  }
  const rate = tx.rateMbps ?? 1;
  if (DSSS_RATES.includes(rate)) {
    const preamble = tx.shortPreamble && rate !== 1 ? 96 : 192;
    return preamble + Math.ceil(bits / rate);
  }
  if (OFDM_RATES.includes(rate)) {
    const ndbps = rate * 4;
    return 20 + 4 * Math.ceil((16 + bits + 6) / ndbps) + 6;
  }
  throw new RangeError(`no 2.4 GHz rate of ${rate} Mb/s`);
}

/**
 * Receiver sensitivity (dBm) below which a frame at this rate is not decoded. The 1 and 11 Mb/s,
 * 6 and 54 Mb/s and MCS7 values are the ESP8266 datasheet's; the others are interpolated between
 * them in the standard's steps (a model, not a measurement).
 */
export function sensitivityDbm(tx: TxVector): number {
  if (tx.mcs !== undefined) return [-91, -88, -86, -83, -80, -76, -74, -72][tx.mcs];
  const table: Record<number, number> = {
    1: -98,
    2: -95,
    5.5: -93,
    11: -91,
    6: -93,
    9: -91,
    12: -89,
    18: -87,
    24: -84,
    36: -80,
    48: -77,
    54: -75,
  };
  return table[tx.rateMbps ?? 1] ?? -98;
}
