/**
 * A RAM-only CpuBus for CPU tests and benchmarks: a few flat little-endian regions, no MMIO.
 * Data accesses outside every region fault with LoadStorePIFAddrError (15, what QEMU's sim machine
 * reports); fetches outside fault with InstructionFetchError (2).
 */
import { ExcCause, memoryFault, type CpuBus } from '../bus.ts';

export interface RamRegionSpec {
  base: number;
  size: number;
}

class Region {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  constructor(
    readonly base: number,
    readonly size: number,
  ) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
}

export const TEST_IRAM: RamRegionSpec = { base: 0x40100000, size: 0x10000 };
export const TEST_DRAM: RamRegionSpec = { base: 0x3ffe8000, size: 0x18000 };

export class RamBus implements CpuBus {
  private readonly regions: Region[];

  constructor(specs: readonly RamRegionSpec[] = [TEST_IRAM, TEST_DRAM]) {
    this.regions = specs.map((s) => new Region(s.base >>> 0, s.size));
  }

  private find(addr: number, width: number): Region | undefined {
    for (const r of this.regions) {
      if (addr >= r.base && addr + width <= r.base + r.size) return r;
    }
    return undefined;
  }

  private data(addr: number, width: number): Region {
    const r = this.find(addr, width);
    if (r === undefined) throw memoryFault(ExcCause.LoadStorePIFAddrError, addr);
    return r;
  }

  read8(addr: number): number {
    const r = this.data(addr, 1);
    return r.bytes[addr - r.base];
  }
  read16(addr: number): number {
    const r = this.data(addr, 2);
    return r.view.getUint16(addr - r.base, true);
  }
  read32(addr: number): number {
    const r = this.data(addr, 4);
    return r.view.getUint32(addr - r.base, true);
  }
  write8(addr: number, value: number): void {
    const r = this.data(addr, 1);
    r.bytes[addr - r.base] = value;
  }
  write16(addr: number, value: number): void {
    const r = this.data(addr, 2);
    r.view.setUint16(addr - r.base, value, true);
  }
  write32(addr: number, value: number): void {
    const r = this.data(addr, 4);
    r.view.setUint32(addr - r.base, value >>> 0, true);
  }
  fetch(addr: number): number {
    const r = this.find(addr, 1);
    if (r === undefined) throw memoryFault(ExcCause.InstructionFetchError, addr);
    const o = addr - r.base;
    const b = r.bytes;
    return b[o] | ((o + 1 < r.size ? b[o + 1] : 0) << 8) | ((o + 2 < r.size ? b[o + 2] : 0) << 16);
  }

  /** Host-side copy into guest memory (does not tell any CPU: call invalidateCode). */
  load(addr: number, data: Uint8Array): void {
    const r = this.data(addr, data.length);
    r.bytes.set(data, addr - r.base);
  }
}
