/**
 * The ESP8266's eFuse words as DPORT shows them at 0x3FF00050..0x3FF0005C, built from a MAC.
 *
 *   const words = encodeEfuse([0x18, 0xfe, 0x34, 0xa1, 0xb2, 0xc3]);   // Uint32Array(4)
 *   decodeEfuseMac(words)  → the same six bytes, the way esptool reads them
 *   efuseChipId(words)     → 0x00a1b2c3, the way system_get_chip_id computes it
 *
 * Layout (esp8266-hw.md §5.11, esptool `read_mac`):
 *   MAC0 (word 0) [31:24] = MAC byte 5
 *   MAC1 (word 1) [15:8] = byte 3, [7:0] = byte 4, [23:16] = OUI code (0 → 18:FE:34, 1 → AC:D0:74)
 *   MAC3 (word 3) [23:0] = the OUI itself when it is neither of those (then MAC3 ≠ 0 wins)
 *   chip id = (MAC0 >> 24) | ((MAC1 & 0xFFFFFF) << 8)
 * Bits that mark other parts (ESP8285: word 0 bit 4; embedded flash size: word 3 [27:25]) stay 0,
 * which esptool describes as "ESP8266EX".
 */

export const EFUSE_WORD_MAC0 = 0;
export const EFUSE_WORD_MAC1 = 1;
export const EFUSE_WORD_CHIPID = 2;
export const EFUSE_WORD_MAC3 = 3;

const OUI_ESPRESSIF_0 = 0x18fe34;
const OUI_ESPRESSIF_1 = 0xacd074;

/** The default board's MAC: Espressif's OUI 18:FE:34 and a fixed, made-up device part. */
export const DEFAULT_MAC: readonly number[] = [0x18, 0xfe, 0x34, 0xa1, 0xb2, 0xc3];

export function encodeEfuse(mac: ArrayLike<number>): Uint32Array {
  if (mac.length !== 6) throw new RangeError('a MAC address has 6 bytes');
  const oui = ((mac[0] & 0xff) << 16) | ((mac[1] & 0xff) << 8) | (mac[2] & 0xff);
  const words = new Uint32Array(4);
  let ouiCode = 0;
  if (oui === OUI_ESPRESSIF_1) ouiCode = 1;
  else if (oui !== OUI_ESPRESSIF_0) words[EFUSE_WORD_MAC3] = oui;
  words[EFUSE_WORD_MAC0] = (mac[5] & 0xff) << 24;
  words[EFUSE_WORD_MAC1] = (ouiCode << 16) | ((mac[3] & 0xff) << 8) | (mac[4] & 0xff);
  return words;
}

/** The MAC as esptool decodes it; throws on an OUI code esptool rejects ("Unknown OUI"). */
export function decodeEfuseMac(words: ArrayLike<number>): number[] {
  const mac0 = words[EFUSE_WORD_MAC0] >>> 0;
  const mac1 = words[EFUSE_WORD_MAC1] >>> 0;
  const mac3 = words[EFUSE_WORD_MAC3] >>> 0;
  let oui: number;
  if (mac3 !== 0) oui = mac3 & 0xffffff;
  else if (((mac1 >>> 16) & 0xff) === 0) oui = OUI_ESPRESSIF_0;
  else if (((mac1 >>> 16) & 0xff) === 1) oui = OUI_ESPRESSIF_1;
  else throw new Error('Unknown OUI');
  return [
    (oui >>> 16) & 0xff,
    (oui >>> 8) & 0xff,
    oui & 0xff,
    (mac1 >>> 8) & 0xff,
    mac1 & 0xff,
    (mac0 >>> 24) & 0xff,
  ];
}

export function efuseChipId(words: ArrayLike<number>): number {
  return ((words[EFUSE_WORD_MAC0] >>> 24) | ((words[EFUSE_WORD_MAC1] & 0xffffff) << 8)) >>> 0;
}
