/**
 * The MAC's key table as the libraries program it (libpp wDev_Insert_KeyEntry /
 * wDev_remove_KeyEntry / wDev_Crypto_Conf; docs/wifi-mac.md "Keys"): 25 slots of 40 bytes at
 * 0x3FF21400 + 40·slot, a valid bitmap at 0x3FF2080C, per-interface enables at 0x3FF20800/0804.
 *
 * Slot words:
 *   +0  peer MAC bytes 0..3
 *   +4  [15:0] MAC bytes 4..5, [17:16] WEP size (1 = WEP-104), [20:18] cipher (1 WEP, 2 TKIP,
 *       3 CCMP), [23:21] entry type, 24 interface (0 STA, 1 SoftAP), [31:30] key id
 *   +8..+39 key bytes (16 CCMP, 32 TKIP)
 *
 * The table lives in the register window's storage; this class only reads it.
 */

import type { WifiKey } from './wifi-radio-port';

export const KEY_TABLE = 0x3ff21400;
export const KEY_SLOT_BYTES = 40;
export const KEY_SLOTS = 25;
export const KEY_VALID_BITMAP = 0x3ff2080c;
export const CRYPTO_ENABLE_IF0 = 0x3ff20800;
export const CRYPTO_ENABLE_IF1 = 0x3ff20804;
/**
 * wDev_Crypto_Conf turns an interface's crypto on with 0x30303 (NONOS 2.0.0/3.0.6) or, in RTOS
 * SDK 3.4, 0x10103 / 0x10303 (| 0x20000, | bit 28 for WEP); wDev_Crypto_Disable writes 0x30000.
 * Bits [1:0] and 8 are set in every "on" value and in no "off" one (docs/wifi-mac.md §7).
 */
export const CRYPTO_ENABLED_BITS = 0x00000103;

export const Cipher = { WEP: 1, TKIP: 2, CCMP: 3 } as const;

/**
 * Bytes past the body, by cipher: what the hardware leaves after a body it decrypted (CCMP: the
 * 8-byte MIC), and the room the library counts in a protected frame's queued length for what
 * the hardware appends (AT 2.0.0 and 3.0.6: 8 past a CCMP body, 12 past a TKIP one).
 */
export function trailerBytes(cipher: number): number {
  if (cipher === Cipher.CCMP) return 8;
  if (cipher === Cipher.TKIP) return 12; // Michael MIC 8 + ICV 4
  return 4; // WEP ICV
}

export class WifiKeyTable {
  constructor(private readonly read: (addr: number) => number) {}

  private slotMac(slot: number): Uint8Array {
    const a = KEY_TABLE + KEY_SLOT_BYTES * slot;
    const w0 = this.read(a);
    const w1 = this.read(a + 4);
    return Uint8Array.of(w0, w0 >>> 8, w0 >>> 16, w0 >>> 24, w1, w1 >>> 8);
  }

  private entry(slot: number): WifiKey {
    const a = KEY_TABLE + KEY_SLOT_BYTES * slot;
    const w1 = this.read(a + 4);
    const cipher = (w1 >>> 18) & 7;
    const len =
      cipher === Cipher.TKIP ? 32 : cipher === Cipher.CCMP ? 16 : (w1 >>> 16) & 1 ? 13 : 5;
    const key = new Uint8Array(len);
    for (let i = 0; i < len; i++) key[i] = (this.read(a + 8 + (i & ~3)) >>> (8 * (i & 3))) & 0xff;
    return { slot, cipher, keyId: (w1 >>> 30) & 3, key };
  }

  private interfaceEnabled(iface: number): boolean {
    const v = this.read(iface ? CRYPTO_ENABLE_IF1 : CRYPTO_ENABLE_IF0);
    return (v & CRYPTO_ENABLED_BITS) === CRYPTO_ENABLED_BITS;
  }

  /**
   * The key for a frame: the valid slot of `iface` whose MAC is `peer` (pairwise), else, for a
   * group frame, the valid slot of `iface` with the frame's key id. A station's group key sits in
   * a slot whose MAC is the AP's too (ppInstallKey: slot key id + 1, AT 2.0.0 installs the GTK
   * with key id 1 in slot 2 and the pairwise key after it), so a pairwise lookup prefers the slot
   * whose key id also matches the frame's CCMP header [I, run].
   */
  find(iface: number, peer: Uint8Array, keyId: number, group: boolean): WifiKey | null {
    if (!this.interfaceEnabled(iface)) return null;
    const valid = this.read(KEY_VALID_BITMAP);
    let byKeyId: WifiKey | null = null;
    let byMac: WifiKey | null = null;
    for (let slot = 0; slot < KEY_SLOTS; slot++) {
      if (!(valid & (1 << slot))) continue;
      const w1 = this.read(KEY_TABLE + KEY_SLOT_BYTES * slot + 4);
      if (((w1 >>> 24) & 1) !== iface) continue;
      const sameKeyId = ((w1 >>> 30) & 3) === keyId;
      if (!group && this.slotMac(slot).every((b, i) => b === peer[i])) {
        if (sameKeyId) return this.entry(slot);
        byMac ??= this.entry(slot);
      }
      if (group && !byKeyId && sameKeyId) byKeyId = this.entry(slot);
    }
    return group ? byKeyId : byMac;
  }
}
