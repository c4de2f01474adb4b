/**
 * The Wi-Fi MAC's DMA view of data RAM and the `lldesc` descriptors it walks.
 *
 * lldesc (12 bytes, the ROM's lldesc_build_chain format):
 *   word0 [11:0] buffer size, [23:12] data length, bit 29 (unused here), bit 30 EOF, bit 31 owner
 *         (1 = the hardware may fill/send it)
 *   word1 buffer address
 *   word2 next descriptor (0 ends the list)
 *
 * Only DRAM (0x3FFE8000..0x3FFFFFFF) is reachable; an address outside it reads as 0 and writes
 * are dropped, which makes a corrupt list end instead of faulting the emulator.
 */

export const DESC_SIZE_MASK = 0xfff;
export const DESC_LENGTH_SHIFT = 12;
export const DESC_EOF = 1 << 30;
export const DESC_OWNER = 1 << 31;

/** Longest descriptor list the MAC follows before it gives up (a loop in guest memory). */
const MAX_CHAIN = 64;

export class WifiDma {
  constructor(
    private readonly dram: Uint8Array,
    private readonly base: number,
  ) {}

  private index(addr: number, len: number): number {
    const i = addr - this.base;
    return i >= 0 && i + len <= this.dram.length ? i : -1;
  }

  word(addr: number): number {
    const i = this.index(addr, 4);
    if (i < 0) return 0;
    const d = this.dram;
    return (d[i] | (d[i + 1] << 8) | (d[i + 2] << 16) | (d[i + 3] << 24)) >>> 0;
  }

  setWord(addr: number, value: number): void {
    const i = this.index(addr, 4);
    if (i < 0) return;
    const d = this.dram;
    d[i] = value & 0xff;
    d[i + 1] = (value >>> 8) & 0xff;
    d[i + 2] = (value >>> 16) & 0xff;
    d[i + 3] = (value >>> 24) & 0xff;
  }

  bytes(addr: number, len: number): Uint8Array {
    const i = this.index(addr, len);
    return i < 0 ? new Uint8Array(0) : this.dram.slice(i, i + len);
  }

  setBytes(addr: number, data: Uint8Array): boolean {
    const i = this.index(addr, data.length);
    if (i < 0) return false;
    this.dram.set(data, i);
    return true;
  }

  /** Gather a TX frame: every descriptor's `length` bytes, from `first` up to the EOF one. */
  gather(first: number): Uint8Array {
    const parts: Uint8Array[] = [];
    let total = 0;
    let desc = first;
    for (let n = 0; n < MAX_CHAIN && desc; n++) {
      const w0 = this.word(desc);
      const part = this.bytes(this.word(desc + 4), (w0 >>> DESC_LENGTH_SHIFT) & 0xfff);
      parts.push(part);
      total += part.length;
      if (w0 & DESC_EOF) break;
      desc = this.word(desc + 8);
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
