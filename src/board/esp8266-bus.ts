/**
 * The ESP8266 address map as the CPU sees it.
 *
 * RAM regions are typed-array views on the one guest-memory buffer (memory-layout.ts); every
 * access decodes its 64 KB page through a byte table, then does one bounds check and one typed
 * array access, so the hot paths allocate nothing and stay monomorphic.
 *
 * SoC rules that live here (the core owns alignment and region attributes):
 * - 8/16-bit loads and stores in instruction memory (ROM, IRAM, flash window) raise
 *   LoadStoreError (3): the instruction bus only does 32-bit transfers.
 * - 32-bit stores to the ROM and to the flash window are dropped (both are read-only buses).
 *   The references do not say whether the chip faults; dropping is what a read-only bus does.
 * - Addresses nothing answers at raise LoadProhibited (28) / StoreProhibited (29) / fetch
 *   InstFetchProhibited (20). An IRAM bank that DPORT 0x24 hands to the flash cache counts as
 *   unmapped while it is cache.
 * - The flash window maps flash offset p·2 MB + map·1 MB (DPORT 0x0C bits 16–18 and 25).
 *   Instruction fetches from it work only while SPI0 CTRL bit 17 (ENABLE_AHB) and DPORT 0x0C
 *   bit 8 (cache enable) are both set; otherwise they fault (2).
 * - 32-bit loads from the window read flash whether or not the cache is enabled, at the mapping
 *   the DPORT bits select (Cache_Read_Disable clears bit 8 and CTRL bit 17 but keeps them).
 *   Known: on the chip such a load does not fault (esptool issue #335: `read_mem` of the cache
 *   region from the ROM's download mode, cache never enabled, returns a word); NodeMCU 0.9.5
 *   calls ROM SPIWrite with its default init data in the window right after ROM
 *   Cache_Read_Disable (cache off, flushed) and boots on real modules. Assumed: the word is the
 *   flash contents (the read goes through to the flash), since nothing can have been left in a
 *   just-flushed cache; what the chip returns in detail (stale lines, timing) is unknown.
 *   docs/real-firmware.md has the evidence.
 */

import { TICKS_PER_MICROSECOND, type SimClock } from './clock.ts';
import { ExcCause, memoryFault, type CounterClock, type CpuBus, type PlainRam } from './cpu/bus.ts';
import { GUEST_RAM } from './memory-layout.ts';
import { StoragePeripheral, type Peripheral } from './peripherals/peripheral.ts';
import type { SavedState, StateReader } from './snapshot/state.ts';

export const DPORT_BASE = 0x3ff00000;
export const WDEV_BASE = 0x3ff1fe00;
/** Past the MAC key table: 25 slots of 40 bytes from 0x3FF21400 (docs/wifi-mac.md §7). */
export const WDEV_END = 0x3ff21800;
export const FLASH_WINDOW_BASE = 0x40200000;
export const FLASH_WINDOW_SIZE = 0x100000;
export const PERIPHERAL_BASE = 0x60000000;
/** The RF/baseband block libphy writes at every boot; absorbed as plain storage. */
export const RF_BLOCK_BASE = 0x60009000;

/** DPORT registers the bus itself reacts to (offsets in the DPORT block). */
export const DPORT_CACHE_FLASH_CTRL = 0x0c;
export const DPORT_CPU_CLOCK = 0x14;
export const DPORT_IRAM_CACHE_BANKS = 0x24;
/** SPI0 CTRL (flash controller block 2, offset 8): bit 17 enables the flash window. */
const SPI0_BLOCK = 2;
const SPI_CTRL = 0x08;
const SPI_CTRL_ENABLE_AHB = 1 << 17;

/** wDev-window words with behaviour (everything else there is plain storage). */
export const WDEV_MICROS = 0x3ff20c00;
export const WDEV_RNG = 0x3ff20e44;

const enum Region {
  Unmapped = 0,
  Dport,
  Wdev,
  DramLow, // page 0x3FFE: mapped from 0x3FFE8000
  Dram,
  Rom,
  Iram,
  Flash,
  Io, // page 0x6000: peripherals, RTC memory, the RF block
}

const PAGE_TABLE = buildPageTable();

function buildPageTable(): Uint8Array {
  const t = new Uint8Array(0x10000);
  t[0x3ff0] = Region.Dport;
  t[0x3ff1] = Region.Wdev;
  t[0x3ff2] = Region.Wdev;
  t[0x3ffe] = Region.DramLow;
  t[0x3fff] = Region.Dram;
  t[0x4000] = Region.Rom;
  t[0x4010] = Region.Iram;
  for (let p = 0x4020; p < 0x4030; p++) t[p] = Region.Flash;
  t[0x6000] = Region.Io;
  return t;
}

const DRAM_BASE = GUEST_RAM.dram.base;
const DRAM_SIZE = GUEST_RAM.dram.size;
const IRAM_BASE = GUEST_RAM.iram.base;
const IRAM_SIZE = GUEST_RAM.iram.size;
const ROM_BASE = GUEST_RAM.rom.base;
const ROM_SIZE = GUEST_RAM.rom.size;
const RTC_MEM_BASE = GUEST_RAM.rtcMem.base;
const RTC_MEM_SIZE = GUEST_RAM.rtcMem.size;

/** The wDev (Wi-Fi MAC) window: plain storage plus the µs timer and the RNG. */
export class WdevWindow {
  private readonly words = new Uint32Array((WDEV_END - WDEV_BASE) >>> 2);
  private microsOffset = 0;
  private rngState = 1;

  constructor(
    private readonly clock: SimClock,
    private readonly seed: number,
  ) {
    this.reset();
  }

  reset(): void {
    this.words.fill(0);
    this.microsOffset = 0;
    // xorshift32 must never hold 0.
    this.rngState = this.seed >>> 0 || 0x6d2b79f5;
  }

  read(addr: number): number {
    if (addr === WDEV_MICROS) return (Math.floor(this.clock.micros) + this.microsOffset) >>> 0;
    if (addr === WDEV_RNG) return this.nextRandom();
    return this.words[(addr - WDEV_BASE) >>> 2];
  }

  /**
   * CpuBus.stableCycles: the µs timer until its next tick (its value is floor(µs since boot) +
   * offset), the RNG never (every read steps it), storage until a write.
   */
  stableCycles(addr: number): number {
    if (addr === WDEV_RNG) return 0;
    if (addr !== WDEV_MICROS) return Infinity;
    const nextTick =
      (Math.floor(this.clock.now / TICKS_PER_MICROSECOND) + 1) * TICKS_PER_MICROSECOND;
    return this.clock.cyclesUntil(nextTick) - 1;
  }

  /** CpuBus.counterClock: the µs timer counts one per µs of the clock (a whole number of cycles). */
  counterClock(addr: number): CounterClock | undefined {
    if (addr !== WDEV_MICROS) return undefined;
    const tpc = this.clock.ticksPerCycle;
    if (TICKS_PER_MICROSECOND % tpc !== 0) return undefined;
    const nextTick =
      (Math.floor(this.clock.now / TICKS_PER_MICROSECOND) + 1) * TICKS_PER_MICROSECOND;
    return { period: TICKS_PER_MICROSECOND / tpc, next: this.clock.cyclesUntil(nextTick) };
  }

  write(addr: number, value: number): void {
    if (addr === WDEV_MICROS) {
      this.microsOffset = (value - Math.floor(this.clock.micros)) | 0;
      return;
    }
    this.words[(addr - WDEV_BASE) >>> 2] = value >>> 0;
  }

  saveState(): SavedState {
    return { words: this.words.slice(), microsOffset: this.microsOffset, rngState: this.rngState };
  }

  restoreState(s: StateReader): void {
    s.array('words', this.words);
    this.microsOffset = s.int('microsOffset');
    this.rngState = s.u32('rngState');
  }

  private nextRandom(): number {
    let x = this.rngState;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rngState = x >>> 0;
    return this.rngState;
  }
}

/** Whatever answers the wDev window (the Wi-Fi MAC model, or the plain window by default). */
export interface WdevAccess {
  read(addr: number): number;
  write(addr: number, value: number): void;
  /** CpuBus.stableCycles for this window (0 = no promise). */
  stableCycles?(addr: number): number;
  /** CpuBus.counterClock for this window. */
  counterClock?(addr: number): CounterClock | undefined;
}

export interface BusOptions {
  memory: ArrayBuffer | SharedArrayBuffer;
  flash: Uint8Array;
  clock: SimClock;
  /** Seed of the hardware RNG (runs are reproducible per seed). */
  rngSeed?: number;
}

export class Esp8266Bus implements CpuBus {
  readonly dram8: Uint8Array;
  readonly dram16: Uint16Array;
  readonly dram32: Uint32Array;
  readonly iram8: Uint8Array;
  readonly iram32: Uint32Array;
  readonly rom8: Uint8Array;
  readonly rom32: Uint32Array;
  readonly rtc8: Uint8Array;
  readonly rtc32: Uint32Array;
  flash: Uint8Array;
  readonly wdev: WdevWindow;
  private wdevAccess: WdevAccess;

  dport: Peripheral = new StoragePeripheral('dport');
  /** 16 blocks of 0x100 bytes at 0x60000000. */
  readonly blocks: Peripheral[] = [];
  private readonly rfBlock = new Uint32Array(0x1000 >>> 2);
  /**
   * The RF block (0x60009000) is plain storage; a SoC that gives some of its words a live value
   * (the measured noise floor) answers reads here, given the offset and the stored word.
   */
  rfRead: ((offset: number, stored: number) => number) | null = null;

  /** DRAM: plain memory the block compiler reads and writes directly. */
  readonly plainRam: PlainRam;

  /** Drop pre-decoded instructions (wired to cpu.invalidateCode by the SoC). */
  invalidateCode: (addr: number, len: number) => void = () => {};
  /**
   * The flash window went off (key: the flash offset it showed) / came back on at flash offset
   * `key`: wired to cpu.parkCode / cpu.unparkCode by the SoC, which keep the window's decoded and
   * compiled code meanwhile. Unwired, they drop it as any other change of the window does.
   */
  parkCode: (addr: number, len: number, key: number) => void = (addr, len) =>
    this.invalidateCode(addr, len);
  unparkCode: (addr: number, len: number, key: number) => void = (addr, len) =>
    this.invalidateCode(addr, len);
  /** DPORT CPU_CLOCK was written (the SoC picks 80/160 MHz). */
  onCpuClockWrite: (value: number) => void = () => {};
  /** A peripheral write, after it reached the block (the SoC watches a few registers). */
  onIoWrite: ((addr: number, value: number) => void) | null = null;

  /** Flash offset the window maps to, or -1 while the window is off (fetches fault). */
  private flashWindowOffset = -1;
  /** Flash offset the DPORT mapping bits select, enabled or not (what loads read). */
  private flashMapOffset = 0;
  /** Bit 0: bank 0x40108000 is cache; bit 1: bank 0x4010C000 is cache. */
  private iramCacheBanks = 0;

  /** For narrow MMIO writes: the lanes not written come from the last value read there. */
  private lastIoReadAddr = -1;
  private lastIoReadValue = 0;

  constructor(options: BusOptions) {
    const m = options.memory;
    this.dram8 = new Uint8Array(m, GUEST_RAM.dram.offset, DRAM_SIZE);
    this.dram16 = new Uint16Array(m, GUEST_RAM.dram.offset, DRAM_SIZE >>> 1);
    this.dram32 = new Uint32Array(m, GUEST_RAM.dram.offset, DRAM_SIZE >>> 2);
    this.plainRam = {
      base: DRAM_BASE,
      size: DRAM_SIZE,
      u8: this.dram8,
      u16: this.dram16,
      i32: new Int32Array(m, GUEST_RAM.dram.offset, DRAM_SIZE >>> 2),
    };
    this.iram8 = new Uint8Array(m, GUEST_RAM.iram.offset, IRAM_SIZE);
    this.iram32 = new Uint32Array(m, GUEST_RAM.iram.offset, IRAM_SIZE >>> 2);
    this.rom8 = new Uint8Array(m, GUEST_RAM.rom.offset, ROM_SIZE);
    this.rom32 = new Uint32Array(m, GUEST_RAM.rom.offset, ROM_SIZE >>> 2);
    this.rtc8 = new Uint8Array(m, GUEST_RAM.rtcMem.offset, RTC_MEM_SIZE);
    this.rtc32 = new Uint32Array(m, GUEST_RAM.rtcMem.offset, RTC_MEM_SIZE >>> 2);
    this.flash = options.flash;
    this.wdev = new WdevWindow(options.clock, options.rngSeed ?? 0x8266);
    this.wdevAccess = this.wdev;
    for (let i = 0; i < 16; i++) this.blocks.push(new StoragePeripheral(`io${i.toString(16)}`));
  }

  /** Route the 0x100-byte block at 0x60000000 + 0x100·index to `p`. */
  attach(index: number, p: Peripheral): void {
    this.blocks[index] = p;
  }

  /** Route the wDev window to `w` (the Wi-Fi MAC, which keeps `wdev` for its plain storage). */
  attachWdev(w: WdevAccess): void {
    this.wdevAccess = w;
  }

  attachDport(p: Peripheral): void {
    this.dport = p;
  }

  /** Chip reset: bus-side state follows the (reset) registers again. */
  reset(): void {
    this.wdev.reset();
    this.rfBlock.fill(0);
    this.lastIoReadAddr = -1;
    this.updateCacheState();
  }

  setFlash(flash: Uint8Array): void {
    this.flash = flash;
    this.updateCacheState();
    this.invalidateCode(FLASH_WINDOW_BASE, FLASH_WINDOW_SIZE);
  }

  /** Re-derive the flash window and IRAM banks from DPORT and SPI0 (after writes to either). */
  updateCacheState(): void {
    const ctrl = this.dport.read(DPORT_CACHE_FLASH_CTRL);
    const spiCtrl = this.blocks[SPI0_BLOCK].read(SPI_CTRL);
    // Cache_Read_Enable: bit 25 = odd megabyte, bits 16..18 = flash address bits 21..23.
    // Bit 24 (map >= 2) has no known meaning; it maps like map 0.
    const oddMegabyte = (ctrl >>> 25) & 1;
    const p = (ctrl >>> 16) & 7;
    this.flashMapOffset = p * 0x200000 + oddMegabyte * 0x100000;
    const offset = ctrl & (1 << 8) && spiCtrl & SPI_CTRL_ENABLE_AHB ? this.flashMapOffset : -1;
    if (offset !== this.flashWindowOffset) this.remapFlashWindow(offset);
    const banks = this.dport.read(DPORT_IRAM_CACHE_BANKS);
    // Bit 4 turns 0x40108000 into cache, bit 3 turns 0x4010C000 (rom-internals §4.3).
    const cacheBanks = ((banks >>> 4) & 1) | (((banks >>> 3) & 1) << 1);
    if (cacheBanks !== this.iramCacheBanks) {
      this.iramCacheBanks = cacheBanks;
      this.invalidateCode(IRAM_BASE + 0x8000, 0x8000);
    }
  }

  /**
   * Fetches from the window now go to flash `offset` (-1: they fault). The ROM's flash routines
   * turn the cache off and on again around every erase and program, at the same mapping: the
   * code decoded and compiled from the window is parked while it is off, not dropped, and comes
   * back when it is on again at that mapping (flash writes meanwhile drop what they change).
   */
  private remapFlashWindow(offset: number): void {
    const was = this.flashWindowOffset;
    this.flashWindowOffset = offset;
    if (offset < 0) this.parkCode(FLASH_WINDOW_BASE, FLASH_WINDOW_SIZE, was);
    else if (was < 0) this.unparkCode(FLASH_WINDOW_BASE, FLASH_WINDOW_SIZE, offset);
    else this.invalidateCode(FLASH_WINDOW_BASE, FLASH_WINDOW_SIZE);
  }

  /**
   * The bus's own state: the wDev window, the RF block, the flash window and IRAM banks as last
   * derived, and the narrow-write latch. RAM is the SoC's (one buffer for all regions).
   */
  saveState(): SavedState {
    return {
      wdev: this.wdev.saveState(),
      rfBlock: this.rfBlock.slice(),
      flashWindowOffset: this.flashWindowOffset,
      flashMapOffset: this.flashMapOffset,
      iramCacheBanks: this.iramCacheBanks,
      lastIoReadAddr: this.lastIoReadAddr,
      lastIoReadValue: this.lastIoReadValue,
    };
  }

  restoreState(s: StateReader): void {
    this.wdev.restoreState(s.child('wdev'));
    s.array('rfBlock', this.rfBlock);
    this.flashWindowOffset = s.int('flashWindowOffset');
    this.flashMapOffset = s.int('flashMapOffset');
    this.iramCacheBanks = s.int('iramCacheBanks');
    this.lastIoReadAddr = s.int('lastIoReadAddr');
    this.lastIoReadValue = s.u32('lastIoReadValue');
  }

  get flashWindowMappedAt(): number {
    return this.flashWindowOffset;
  }

  // ---- CpuBus -------------------------------------------------------------------------------

  read8(addr: number): number {
    switch (PAGE_TABLE[addr >>> 16]) {
      case Region.Dram:
        return this.dram8[addr - DRAM_BASE];
      case Region.DramLow:
        if (addr >= DRAM_BASE) return this.dram8[addr - DRAM_BASE];
        break;
      case Region.Rom:
      case Region.Iram:
      case Region.Flash:
        throw memoryFault(ExcCause.LoadStoreError, addr);
      default:
        return (this.readIo(addr & ~3, ExcCause.LoadProhibited, addr) >>> ((addr & 3) << 3)) & 0xff;
    }
    throw memoryFault(ExcCause.LoadProhibited, addr);
  }

  read16(addr: number): number {
    switch (PAGE_TABLE[addr >>> 16]) {
      case Region.Dram:
        return this.dram16[(addr - DRAM_BASE) >>> 1];
      case Region.DramLow:
        if (addr >= DRAM_BASE) return this.dram16[(addr - DRAM_BASE) >>> 1];
        break;
      case Region.Rom:
      case Region.Iram:
      case Region.Flash:
        throw memoryFault(ExcCause.LoadStoreError, addr);
      default:
        return (
          (this.readIo(addr & ~3, ExcCause.LoadProhibited, addr) >>> ((addr & 2) << 3)) & 0xffff
        );
    }
    throw memoryFault(ExcCause.LoadProhibited, addr);
  }

  read32(addr: number): number {
    switch (PAGE_TABLE[addr >>> 16]) {
      case Region.Dram:
        return this.dram32[(addr - DRAM_BASE) >>> 2];
      case Region.DramLow:
        if (addr >= DRAM_BASE) return this.dram32[(addr - DRAM_BASE) >>> 2];
        break;
      case Region.Iram:
        if (this.iramMapped(addr)) return this.iram32[(addr - IRAM_BASE) >>> 2];
        break;
      case Region.Rom:
        return this.rom32[(addr - ROM_BASE) >>> 2];
      case Region.Flash:
        return this.flashWord(addr); // enabled or not (header comment)
      default:
        return this.readIo(addr, ExcCause.LoadProhibited, addr);
    }
    throw memoryFault(ExcCause.LoadProhibited, addr);
  }

  write8(addr: number, value: number): void {
    switch (PAGE_TABLE[addr >>> 16]) {
      case Region.Dram:
        this.dram8[addr - DRAM_BASE] = value;
        return;
      case Region.DramLow:
        if (addr >= DRAM_BASE) {
          this.dram8[addr - DRAM_BASE] = value;
          return;
        }
        break;
      case Region.Rom:
      case Region.Iram:
      case Region.Flash:
        throw memoryFault(ExcCause.LoadStoreError, addr);
      default: {
        const shift = (addr & 3) << 3;
        this.writeNarrowIo(addr & ~3, 0xff << shift, (value & 0xff) << shift, addr);
        return;
      }
    }
    throw memoryFault(ExcCause.StoreProhibited, addr);
  }

  write16(addr: number, value: number): void {
    switch (PAGE_TABLE[addr >>> 16]) {
      case Region.Dram:
        this.dram16[(addr - DRAM_BASE) >>> 1] = value;
        return;
      case Region.DramLow:
        if (addr >= DRAM_BASE) {
          this.dram16[(addr - DRAM_BASE) >>> 1] = value;
          return;
        }
        break;
      case Region.Rom:
      case Region.Iram:
      case Region.Flash:
        throw memoryFault(ExcCause.LoadStoreError, addr);
      default: {
        const shift = (addr & 2) << 3;
        this.writeNarrowIo(addr & ~3, 0xffff << shift, (value & 0xffff) << shift, addr);
        return;
      }
    }
    throw memoryFault(ExcCause.StoreProhibited, addr);
  }

  write32(addr: number, value: number): void {
    switch (PAGE_TABLE[addr >>> 16]) {
      case Region.Dram:
        this.dram32[(addr - DRAM_BASE) >>> 2] = value;
        return;
      case Region.DramLow:
        if (addr >= DRAM_BASE) {
          this.dram32[(addr - DRAM_BASE) >>> 2] = value;
          return;
        }
        break;
      case Region.Iram:
        // The core invalidates its own decoded code on stores.
        if (this.iramMapped(addr)) {
          this.iram32[(addr - IRAM_BASE) >>> 2] = value;
          return;
        }
        break;
      case Region.Rom:
      case Region.Flash:
        return;
      default:
        this.writeIo(addr, value >>> 0, addr);
        return;
    }
    throw memoryFault(ExcCause.StoreProhibited, addr);
  }

  fetch(addr: number): number {
    switch (PAGE_TABLE[addr >>> 16]) {
      case Region.Iram:
        if (this.iramMapped(addr)) return fetch24(this.iram8, addr - IRAM_BASE);
        break;
      case Region.Rom:
        return fetch24(this.rom8, addr - ROM_BASE);
      case Region.Flash:
        if (this.flashWindowOffset < 0) throw memoryFault(ExcCause.InstructionFetchError, addr);
        return (
          this.flashByte(addr) | (this.flashByte(addr + 1) << 8) | (this.flashByte(addr + 2) << 16)
        );
    }
    throw memoryFault(ExcCause.InstFetchProhibited, addr);
  }

  // ---- host-side access (loaders, DMA, debuggers): not subject to CPU faults ----------------

  /** Copy bytes into guest RAM the way DMA would (decoded code there is invalidated). */
  hostWrite(addr: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) this.hostWrite8(addr + i, data[i]);
    if (addr >= IRAM_BASE && addr < IRAM_BASE + IRAM_SIZE) this.invalidateCode(addr, data.length);
  }

  hostRead8(addr: number): number {
    const view = this.ramView(addr);
    return view ? view.bytes[addr - view.base] : 0;
  }

  hostRead32(addr: number): number {
    return (
      (this.hostRead8(addr) |
        (this.hostRead8(addr + 1) << 8) |
        (this.hostRead8(addr + 2) << 16) |
        (this.hostRead8(addr + 3) << 24)) >>>
      0
    );
  }

  private hostWrite8(addr: number, value: number): void {
    const view = this.ramView(addr);
    if (view) view.bytes[addr - view.base] = value;
  }

  private ramView(addr: number): { bytes: Uint8Array; base: number } | null {
    if (addr >= DRAM_BASE && addr < DRAM_BASE + DRAM_SIZE)
      return { bytes: this.dram8, base: DRAM_BASE };
    if (addr >= IRAM_BASE && addr < IRAM_BASE + IRAM_SIZE)
      return { bytes: this.iram8, base: IRAM_BASE };
    if (addr >= ROM_BASE && addr < ROM_BASE + ROM_SIZE) return { bytes: this.rom8, base: ROM_BASE };
    if (addr >= RTC_MEM_BASE && addr < RTC_MEM_BASE + RTC_MEM_SIZE)
      return { bytes: this.rtc8, base: RTC_MEM_BASE };
    return null;
  }

  // ---- internals -----------------------------------------------------------------------------

  private iramMapped(addr: number): boolean {
    const off = addr - IRAM_BASE;
    if (off < 0x8000) return true;
    if (off >= IRAM_SIZE) return false;
    return (this.iramCacheBanks & (off < 0xc000 ? 1 : 2)) === 0;
  }

  private flashByte(addr: number): number {
    const flash = this.flash;
    return flash[(this.flashMapOffset + (addr - FLASH_WINDOW_BASE)) % flash.length];
  }

  private flashWord(addr: number): number {
    const flash = this.flash;
    const i = (this.flashMapOffset + (addr - FLASH_WINDOW_BASE)) % flash.length;
    return (flash[i] | (flash[i + 1] << 8) | (flash[i + 2] << 16) | (flash[i + 3] << 24)) >>> 0;
  }

  /** CpuBus.stableCycles: memory until a store; MMIO as its block says; the µs timer to its tick. */
  stableCycles(addr: number): number {
    switch (PAGE_TABLE[addr >>> 16]) {
      case Region.Dram:
      case Region.DramLow:
      case Region.Rom:
      case Region.Iram:
      case Region.Flash:
        return Infinity; // only stores change them (flash: a write through the SPI controller)
      case Region.Wdev:
        return this.wdevAccess.stableCycles?.(addr & ~3) ?? 0;
      default:
        break;
    }
    const word = addr & ~3;
    if (word >= PERIPHERAL_BASE && word < PERIPHERAL_BASE + 0x1000) {
      return this.blocks[(word >>> 8) & 0xf].readIsStable(word & 0xfc) ? Infinity : 0;
    }
    if (word >= RTC_MEM_BASE && word < RTC_MEM_BASE + RTC_MEM_SIZE) return Infinity;
    if (word >= RF_BLOCK_BASE && word < RF_BLOCK_BASE + 0x1000) return Infinity;
    if (word >= DPORT_BASE && word < DPORT_BASE + 0x1000) {
      return this.dport.readIsStable(word & 0xfc) ? Infinity : 0;
    }
    return 0;
  }

  /** CpuBus.counterClock: only the wDev µs timer counts. */
  counterClock(addr: number): CounterClock | undefined {
    return PAGE_TABLE[addr >>> 16] === Region.Wdev
      ? this.wdevAccess.counterClock?.(addr)
      : undefined;
  }

  /** A 32-bit read of an MMIO word (DPORT, wDev, peripherals, RTC memory, RF block). */
  private readIo(addr: number, cause: number, faultAddr: number): number {
    let v: number;
    if (addr >= PERIPHERAL_BASE && addr < PERIPHERAL_BASE + 0x1000) {
      v = this.blocks[(addr >>> 8) & 0xf].read(addr & 0xfc);
    } else if (addr >= RTC_MEM_BASE && addr < RTC_MEM_BASE + RTC_MEM_SIZE) {
      return this.rtc32[(addr - RTC_MEM_BASE) >>> 2];
    } else if (addr >= DPORT_BASE && addr < DPORT_BASE + 0x1000) {
      v = this.dport.read(addr & 0xfc);
    } else if (addr >= WDEV_BASE && addr < WDEV_END) {
      v = this.wdevAccess.read(addr);
    } else if (addr >= RF_BLOCK_BASE && addr < RF_BLOCK_BASE + 0x1000) {
      const stored = this.rfBlock[(addr - RF_BLOCK_BASE) >>> 2];
      return this.rfRead ? this.rfRead(addr - RF_BLOCK_BASE, stored) >>> 0 : stored;
    } else {
      throw memoryFault(cause, faultAddr);
    }
    this.lastIoReadAddr = addr;
    this.lastIoReadValue = v >>> 0;
    return v >>> 0;
  }

  private writeIo(addr: number, value: number, faultAddr: number): void {
    if (addr >= PERIPHERAL_BASE && addr < PERIPHERAL_BASE + 0x1000) {
      const block = (addr >>> 8) & 0xf;
      this.blocks[block].write(addr & 0xfc, value);
      if (block === SPI0_BLOCK && (addr & 0xfc) === SPI_CTRL) this.updateCacheState();
      if (this.onIoWrite) this.onIoWrite(addr, value);
    } else if (addr >= RTC_MEM_BASE && addr < RTC_MEM_BASE + RTC_MEM_SIZE) {
      this.rtc32[(addr - RTC_MEM_BASE) >>> 2] = value;
    } else if (addr >= DPORT_BASE && addr < DPORT_BASE + 0x1000) {
      const off = addr & 0xfc;
      this.dport.write(off, value);
      if (off === DPORT_CACHE_FLASH_CTRL || off === DPORT_IRAM_CACHE_BANKS) this.updateCacheState();
      else if (off === DPORT_CPU_CLOCK) this.onCpuClockWrite(this.dport.read(off));
    } else if (addr >= WDEV_BASE && addr < WDEV_END) {
      this.wdevAccess.write(addr, value);
    } else if (addr >= RF_BLOCK_BASE && addr < RF_BLOCK_BASE + 0x1000) {
      this.rfBlock[(addr - RF_BLOCK_BASE) >>> 2] = value;
    } else {
      throw memoryFault(ExcCause.StoreProhibited, faultAddr);
    }
  }

  private writeNarrowIo(addr: number, mask: number, lanes: number, faultAddr: number): void {
    if (addr >= RTC_MEM_BASE && addr < RTC_MEM_BASE + RTC_MEM_SIZE) {
      const i = (addr - RTC_MEM_BASE) >>> 2;
      this.rtc32[i] = (this.rtc32[i] & ~mask) | lanes;
      return;
    }
    const rest = addr === this.lastIoReadAddr ? this.lastIoReadValue & ~mask : 0;
    this.writeIo(addr, (rest | lanes) >>> 0, faultAddr);
  }
}

function fetch24(bytes: Uint8Array, i: number): number {
  // Bytes past the end of the region read as 0 (typed arrays give undefined → 0 via |).
  return (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16)) & 0xffffff;
}
