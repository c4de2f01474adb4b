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
 *   MAC3 (word 3) [23:0] = the OUI itself when it is not 18:FE:34 (then MAC3 ≠ 0 wins)
 *   chip id = (MAC0 >> 24) | ((MAC1 & 0xFFFFFF) << 8)
 * Bits that mark other parts (ESP8285: word 0 bit 4 or word 2 bit 16; embedded flash size: word 3
 * [27:25]) stay 0, which esptool describes as "ESP8266EX".
 *
 * The NONOS SDK's libmain reads the same words differently (observed in the SDK 2.0.0 AT
 * firmware's MAC read at start-up, a fact about the firmware, not code taken from it):
 *   word 2 bit 15 clear → prints "Firmware ONLY supports ESP8266!!!" and spins: every ESP8266EX
 *     has it set, so we always set it (EFUSE_CHIPID_IS_ESP8266);
 *   MAC0 = MAC1 = 0 → "empty otp" and spins;
 *   word 2 bit 12 set → the OUI is MAC3[23:0], otherwise 18:FE:34 (the OUI code in MAC1[23:16] is
 *     not looked at). So any OUI but 18:FE:34 — AC:D0:74 included — goes to MAC3 with bit 12 set,
 *     and AC:D0:74 also keeps its esptool code 1 in MAC1[23:16]: esptool and the SDK then agree.
 */

export const EFUSE_WORD_MAC0 = 0;
export const EFUSE_WORD_MAC1 = 1;
export const EFUSE_WORD_CHIPID = 2;
export const EFUSE_WORD_MAC3 = 3;

/** CHIPID word bit 15: set on every ESP8266EX; the SDK refuses to start without it. */
export const EFUSE_CHIPID_IS_ESP8266 = 1 << 15;
/** CHIPID word bit 12: MAC3 holds the OUI (the SDK's test; esptool just checks MAC3 ≠ 0). */
export const EFUSE_CHIPID_MAC3_VALID = 1 << 12;
/** ESP8285 markers esptool tests (word 0 bit 4, word 2 bit 16): clear on an ESP8266EX. */
export const EFUSE_MAC0_IS_ESP8285 = 1 << 4;
export const EFUSE_CHIPID_IS_ESP8285 = 1 << 16;

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
  words[EFUSE_WORD_CHIPID] = EFUSE_CHIPID_IS_ESP8266;
  if (oui !== OUI_ESPRESSIF_0) {
    words[EFUSE_WORD_MAC3] = oui;
    words[EFUSE_WORD_CHIPID] |= EFUSE_CHIPID_MAC3_VALID;
  }
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

/**
 * The MAC as the NONOS SDK's libmain derives it (see the header), or a string naming the message
 * it stops with.
 */
export function sdkEfuseMac(words: ArrayLike<number>): number[] | 'not ESP8266' | 'empty otp' {
  const mac0 = words[EFUSE_WORD_MAC0] >>> 0;
  const mac1 = words[EFUSE_WORD_MAC1] >>> 0;
  const chipid = words[EFUSE_WORD_CHIPID] >>> 0;
  const mac3 = words[EFUSE_WORD_MAC3] >>> 0;
  if (!(chipid & EFUSE_CHIPID_IS_ESP8266)) return 'not ESP8266';
  if (mac0 === 0 && mac1 === 0) return 'empty otp';
  const oui = chipid & EFUSE_CHIPID_MAC3_VALID ? mac3 & 0xffffff : OUI_ESPRESSIF_0;
  return [
    (oui >>> 16) & 0xff,
    (oui >>> 8) & 0xff,
    oui & 0xff,
    (mac1 >>> 8) & 0xff,
    mac1 & 0xff,
    (mac0 >>> 24) & 0xff,
  ];
}

/** True when esptool would call the chip an ESP8285 (it calls ours "ESP8266EX"). */
export function efuseIsEsp8285(words: ArrayLike<number>): boolean {
  return (
    (words[EFUSE_WORD_MAC0] & EFUSE_MAC0_IS_ESP8285) !== 0 ||
    (words[EFUSE_WORD_CHIPID] & EFUSE_CHIPID_IS_ESP8285) !== 0
  );
}

export function efuseChipId(words: ArrayLike<number>): number {
  return ((words[EFUSE_WORD_MAC0] >>> 24) | ((words[EFUSE_WORD_MAC1] & 0xffffff) << 8)) >>> 0;
}
