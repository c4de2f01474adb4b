/**
 * The noise floor libphy reads from the RF block: read_hw_noisefloor (SDK 2.0.0 and 3.0.6) polls
 * 0x60009824 every 100 ms. The board answers with the noise floor the air reported on the tuned
 * channel (WifiMac.noiseFloorDbm) instead of whatever was last written there.
 */
/** Offset in the RF block (0x60009000) of the measured noise floor libphy reads. */
export const RF_NOISE_FLOOR = 0x824;

/**
 * The noise-floor word for `dbm`: libphy's read_hw_noisefloor takes [11:0] and computes
 * (raw − 4095) / 2 in quarter dB, which ppRx turns into dB with (nf + 2) >> 2 (docs/wifi-mac.md
 * §4), so raw = 4095 + 8·dBm. The other bits keep what was written.
 */
export function noiseFloorWord(dbm: number, stored: number): number {
  const raw = Math.max(0, Math.min(0xfff, 4095 + 8 * Math.round(dbm)));
  return ((stored & ~0xfff) | raw) >>> 0;
}
