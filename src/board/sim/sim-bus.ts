/**
 * The memory map of QEMU's `-M sim -cpu lx106` machine, as far as our test programs use it.
 *
 * QEMU maps (from the lx106 core configuration, `info mtree`): datarom0 0x3FF40000, dataram1
 * 0x3FF80000, dataram0 0x3FFC0000 (256 KiB each), instram0 0x40000000, instram1 0x40100000,
 * instrom0 0x40200000 (1 MiB each), sysrom0 0x50000000 (64 MiB) and sysram0 0x60000000 (128 MiB).
 * All of it is plain RAM in QEMU: any width, any region, read/write/execute.
 *
 * The six low regions are contiguous, so they are one buffer here: one subtraction and one
 * compare per access. At 0x50000000 we back only the first 64 KiB (the reset trampoline lives
 * there) and we leave sysram0 out; everything else is unmapped and faults like QEMU does:
 * LoadStorePIFAddrError (15) for data, InstrPIFAddrError (14) for fetches.
 */
import { ExcCause, memoryFault, type CpuBus, type PlainRam } from '../cpu/bus.ts';

export const SIM_LOW_BASE = 0x3ff40000;
export const SIM_LOW_SIZE = 0x40300000 - SIM_LOW_BASE; // datarom0 .. instrom0, 3.75 MiB
export const SIM_RESET_BASE = 0x50000000;
export const SIM_RESET_SIZE = 0x10000;

export class SimBus implements CpuBus {
  /** datarom0, dataram1, dataram0, instram0, instram1, instrom0 back to back. */
  readonly low = new Uint8Array(SIM_LOW_SIZE);
  readonly reset = new Uint8Array(SIM_RESET_SIZE);
  // Aligned views of the same bytes (little-endian host assumed, as on every platform we run on).
  private readonly low16 = new Uint16Array(this.low.buffer);
  private readonly low32 = new Uint32Array(this.low.buffer);
  private readonly reset16 = new Uint16Array(this.reset.buffer);
  private readonly reset32 = new Uint32Array(this.reset.buffer);
  /** The low regions are plain RAM: the block compiler accesses them directly. */
  readonly plainRam: PlainRam = {
    base: SIM_LOW_BASE,
    size: SIM_LOW_SIZE,
    u8: this.low,
    u16: this.low16,
    i32: new Int32Array(this.low.buffer),
  };

  read8(addr: number): number {
    const off = (addr - SIM_LOW_BASE) >>> 0;
    if (off < SIM_LOW_SIZE) return this.low[off]!;
    const r = (addr - SIM_RESET_BASE) >>> 0;
    if (r < SIM_RESET_SIZE) return this.reset[r]!;
    throw memoryFault(ExcCause.LoadStorePIFAddrError, addr);
  }

  read16(addr: number): number {
    const off = (addr - SIM_LOW_BASE) >>> 0;
    if (off < SIM_LOW_SIZE) return this.low16[off >>> 1]!;
    const r = (addr - SIM_RESET_BASE) >>> 0;
    if (r < SIM_RESET_SIZE) return this.reset16[r >>> 1]!;
    throw memoryFault(ExcCause.LoadStorePIFAddrError, addr);
  }

  read32(addr: number): number {
    const off = (addr - SIM_LOW_BASE) >>> 0;
    if (off < SIM_LOW_SIZE) return this.low32[off >>> 2]!;
    const r = (addr - SIM_RESET_BASE) >>> 0;
    if (r < SIM_RESET_SIZE) return this.reset32[r >>> 2]!;
    throw memoryFault(ExcCause.LoadStorePIFAddrError, addr);
  }

  write8(addr: number, value: number): void {
    const off = (addr - SIM_LOW_BASE) >>> 0;
    if (off < SIM_LOW_SIZE) {
      this.low[off] = value;
      return;
    }
    const r = (addr - SIM_RESET_BASE) >>> 0;
    if (r < SIM_RESET_SIZE) {
      this.reset[r] = value;
      return;
    }
    throw memoryFault(ExcCause.LoadStorePIFAddrError, addr);
  }

  write16(addr: number, value: number): void {
    const off = (addr - SIM_LOW_BASE) >>> 0;
    if (off < SIM_LOW_SIZE) {
      this.low16[off >>> 1] = value;
      return;
    }
    const r = (addr - SIM_RESET_BASE) >>> 0;
    if (r < SIM_RESET_SIZE) {
      this.reset16[r >>> 1] = value;
      return;
    }
    throw memoryFault(ExcCause.LoadStorePIFAddrError, addr);
  }

  write32(addr: number, value: number): void {
    const off = (addr - SIM_LOW_BASE) >>> 0;
    if (off < SIM_LOW_SIZE) {
      this.low32[off >>> 2] = value;
      return;
    }
    const r = (addr - SIM_RESET_BASE) >>> 0;
    if (r < SIM_RESET_SIZE) {
      this.reset32[r >>> 2] = value;
      return;
    }
    throw memoryFault(ExcCause.LoadStorePIFAddrError, addr);
  }

  fetch(addr: number): number {
    const off = (addr - SIM_LOW_BASE) >>> 0;
    if (off < SIM_LOW_SIZE) return fetch24(this.low, off);
    const r = (addr - SIM_RESET_BASE) >>> 0;
    if (r < SIM_RESET_SIZE) return fetch24(this.reset, r);
    throw memoryFault(ExcCause.InstrPIFAddrError, addr);
  }

  /** Where `addr` lives: the buffer and offset, or null when unmapped (for loaders and tests). */
  locate(addr: number): { bytes: Uint8Array; offset: number } | null {
    const off = (addr - SIM_LOW_BASE) >>> 0;
    if (off < SIM_LOW_SIZE) return { bytes: this.low, offset: off };
    const r = (addr - SIM_RESET_BASE) >>> 0;
    if (r < SIM_RESET_SIZE) return { bytes: this.reset, offset: r };
    return null;
  }

  /** Copy `data` to guest memory at `addr`; throws a RangeError when it does not fit one region. */
  writeBytes(addr: number, data: Uint8Array): void {
    const where = this.locate(addr);
    if (!where || where.offset + data.length > where.bytes.length) {
      throw new RangeError(
        `0x${(addr >>> 0).toString(16)}+${data.length} is outside the sim machine's memory`,
      );
    }
    where.bytes.set(data, where.offset);
  }

  /** Copy `len` bytes of guest memory at `addr` (semihosting write, tests). */
  readBytes(addr: number, len: number): Uint8Array {
    const where = this.locate(addr);
    if (!where || where.offset + len > where.bytes.length) {
      throw new RangeError(
        `0x${(addr >>> 0).toString(16)}+${len} is outside the sim machine's memory`,
      );
    }
    return where.bytes.slice(where.offset, where.offset + len);
  }

  clear(): void {
    this.low.fill(0);
    this.reset.fill(0);
  }
}

function fetch24(bytes: Uint8Array, off: number): number {
  // bytes past the region's end read as 0 (a 2-byte instruction in the last bytes still decodes)
  return (bytes[off] ?? 0) | ((bytes[off + 1] ?? 0) << 8) | ((bytes[off + 2] ?? 0) << 16);
}
