/**
 * ESP8266 DPORT (0x3FF00000; the 256-byte block repeats up to 0x3FF00FFF, which is why the ROM's
 * Wait_SPI_Idle can poll 0x3FF0020C for the word at 0x0C).
 *
 *   const dport = new Dport(router, { mac });        // router: InterruptRouter
 *   dport.onCacheChange = (enabled, flashOffset, cacheBytes) => …;   // flash-cache mapping
 *   dport.onCpuClockChange = (mhz) => clock.setCpuMhz(mhz);          // 80 or 160
 *   dport.onIramCacheBanksChange = (bits) => …;   // DPORT_ICACHE_BANK_* bits of 0x24
 *
 * The SoC combines `onCacheChange` with SPI0 CTRL bit 17 (spi-flash-controller.ts) to decide
 * whether 0x40200000 reads flash. The window maps flash offset p·2 MB + map·1 MB (rom-internals
 * §4.3); map ≥ 2 (bit 24) has no known meaning and is treated as the even megabyte.
 *
 * Facts: esp8266-hw.md §5.1, §5.11, §6; rom-internals §4.3 and §8 (bank bits corrected).
 */

import { Peripheral } from './peripheral';
import type { InterruptRouter } from './interrupt-router';
import { DEFAULT_MAC, encodeEfuse } from './efuse';
import type { SavedState, StateReader } from '../snapshot/state';

export const DPORT_NMI_INT = 0x00;
export const DPORT_EDGE_INT_ENABLE = 0x04;
export const DPORT_CACHE_FLASH_CTRL = 0x0c;
export const DPORT_CPU_CLOCK = 0x14;
export const DPORT_CLOCKGATE_WATCHDOG = 0x18;
export const DPORT_SPI_INT_STATUS = 0x20;
export const DPORT_SPI_CACHE_RAM = 0x24;
export const DPORT_PERI_IO_SWAP = 0x28;
export const DPORT_SLC_TX_DESC_DEBUG = 0x2c;
export const DPORT_OTP_MAC0 = 0x50;
export const DPORT_OTP_MAC1 = 0x54;
export const DPORT_OTP_CHIPID = 0x58;
export const DPORT_OTP_MAC3 = 0x5c;

// DPORT_NMI_INT: bit 0 enables the NMI route ("NMI_INT_ENABLE_REG"), [4:1] selects its source
// (0 the Wi-Fi MAC, 7 FRC1; interrupt-router.ts). SDK handlers clear bit 0 and spin until it reads
// back 0 before re-enabling; the route changes at once here, so the spin ends at the first read.
export const DPORT_NMI_ENABLE = 1 << 0;
export const DPORT_NMI_SELECT_SHIFT = 1;
export const DPORT_NMI_SELECT_MASK = 0xf;

// DPORT_EDGE_INT_ENABLE.
export const DPORT_EDGE_INT_WDT = 1 << 0;
export const DPORT_EDGE_INT_FRC1 = 1 << 1;
export const DPORT_EDGE_INT_FRC2 = 1 << 2;

// DPORT_CACHE_FLASH_CTRL.
export const DPORT_CACHE_FLUSH_START = 1 << 0;
export const DPORT_CACHE_FLUSH_DONE = 1 << 1;
export const DPORT_CACHE_READ_EN = 1 << 8;
export const DPORT_SPI_BUSY = 1 << 9;
export const DPORT_CACHE_PAGE_SHIFT = 16; // [18:16] p: flash bits 21..23
export const DPORT_CACHE_MAP_HIGH = 1 << 24; // map ≥ 2
export const DPORT_CACHE_MAP_ODD = 1 << 25; // map = 1: the odd megabyte
export const DPORT_CACHE_SIZE_32K = 1 << 26;

// DPORT_CPU_CLOCK.
export const DPORT_CPU_CLOCK_160 = 1 << 0;

// DPORT_SPI_CACHE_RAM: which IRAM banks serve as flash cache (rom-internals §8).
export const DPORT_ICACHE_BANK_4010C000 = 1 << 3;
export const DPORT_ICACHE_BANK_40108000 = 1 << 4;

// DPORT_PERI_IO_SWAP.
export const DPORT_SWAP_UARTS = 1 << 0;
export const DPORT_SWAP_SPIS = 1 << 1;
export const DPORT_SWAP_UART0_PINS = 1 << 2;
export const DPORT_SWAP_UART1_PINS = 1 << 3;

const MEGABYTE = 0x100000;

export interface DportOptions {
  /** The chip's MAC address (default: DEFAULT_MAC, OUI 18:FE:34). */
  mac?: ArrayLike<number>;
  /** Raw eFuse words instead of a MAC (4 words: MAC0, MAC1, CHIPID, MAC3). */
  efuseWords?: ArrayLike<number>;
}

export class Dport extends Peripheral {
  /** The flash-cache mapping changed: enabled, flash offset at 0x40200000, cache size in bytes. */
  onCacheChange: ((enabled: boolean, flashOffset: number, cacheBytes: number) => void) | null =
    null;
  /** The CPU clock bit changed: 80 or 160 MHz. */
  onCpuClockChange: ((mhz: number) => void) | null = null;
  /** DPORT 0x24 bits 3/4 changed: which IRAM banks are now flash cache. */
  onIramCacheBanksChange: ((bits: number) => void) | null = null;

  private readonly words = new Uint32Array(64);
  private readonly efuse: Uint32Array;
  private lastCacheEnabled = false;
  private lastCacheOffset = 0;

  constructor(
    private readonly router: InterruptRouter,
    options: DportOptions = {},
  ) {
    super('DPORT');
    this.efuse = options.efuseWords
      ? Uint32Array.from(options.efuseWords)
      : encodeEfuse(options.mac ?? DEFAULT_MAC);
  }

  read(offset: number): number {
    offset &= 0xfc;
    switch (offset) {
      case DPORT_CACHE_FLASH_CTRL: {
        const v =
          this.words[DPORT_CACHE_FLASH_CTRL >>> 2] & ~(DPORT_SPI_BUSY | DPORT_CACHE_FLUSH_DONE);
        // A flush completes at once: "done" follows "start" while it is held.
        return (v & DPORT_CACHE_FLUSH_START ? v | DPORT_CACHE_FLUSH_DONE : v) >>> 0;
      }
      case DPORT_OTP_MAC0:
      case DPORT_OTP_MAC1:
      case DPORT_OTP_CHIPID:
      case DPORT_OTP_MAC3:
        return this.efuse[(offset - DPORT_OTP_MAC0) >>> 2];
      default:
        return this.words[offset >>> 2];
    }
  }

  write(offset: number, value: number): void {
    offset &= 0xfc;
    value >>>= 0;
    const old = this.words[offset >>> 2];
    switch (offset) {
      case DPORT_OTP_MAC0:
      case DPORT_OTP_MAC1:
      case DPORT_OTP_CHIPID:
      case DPORT_OTP_MAC3:
        return; // fuses
    }
    this.words[offset >>> 2] = value;
    switch (offset) {
      case DPORT_NMI_INT:
        this.router.setNmiRoute(
          (value & DPORT_NMI_ENABLE) !== 0,
          (value >>> DPORT_NMI_SELECT_SHIFT) & DPORT_NMI_SELECT_MASK,
        );
        return;
      case DPORT_EDGE_INT_ENABLE:
        this.router.setEdgeEnable(value);
        return;
      case DPORT_CACHE_FLASH_CTRL:
        this.reportCacheMapping();
        return;
      case DPORT_CPU_CLOCK:
        if ((old ^ value) & DPORT_CPU_CLOCK_160) {
          this.onCpuClockChange?.(value & DPORT_CPU_CLOCK_160 ? 160 : 80);
        }
        return;
      case DPORT_SPI_CACHE_RAM: {
        const banks = DPORT_ICACHE_BANK_4010C000 | DPORT_ICACHE_BANK_40108000;
        if ((old ^ value) & banks) this.onIramCacheBanksChange?.(value & banks);
        return;
      }
    }
  }

  override reset(): void {
    const hadCpu160 = this.words[DPORT_CPU_CLOCK >>> 2] & DPORT_CPU_CLOCK_160;
    const hadBanks = this.words[DPORT_SPI_CACHE_RAM >>> 2] & 0x18;
    this.words.fill(0);
    this.router.setEdgeEnable(0);
    this.router.setNmiRoute(false, 0);
    if (hadCpu160) this.onCpuClockChange?.(80);
    if (hadBanks) this.onIramCacheBanksChange?.(0);
    this.reportCacheMapping();
  }

  /** Flash offset the 1 MB window at 0x40200000 starts at. */
  get cacheFlashOffset(): number {
    const v = this.words[DPORT_CACHE_FLASH_CTRL >>> 2];
    const page = (v >>> DPORT_CACHE_PAGE_SHIFT) & 7;
    return page * 2 * MEGABYTE + (v & DPORT_CACHE_MAP_ODD ? MEGABYTE : 0);
  }

  get cacheEnabled(): boolean {
    return (this.words[DPORT_CACHE_FLASH_CTRL >>> 2] & DPORT_CACHE_READ_EN) !== 0;
  }

  get cacheBytes(): number {
    return this.words[DPORT_CACHE_FLASH_CTRL >>> 2] & DPORT_CACHE_SIZE_32K ? 0x8000 : 0x4000;
  }

  get iramCacheBanks(): number {
    return (
      this.words[DPORT_SPI_CACHE_RAM >>> 2] &
      (DPORT_ICACHE_BANK_4010C000 | DPORT_ICACHE_BANK_40108000)
    );
  }

  get cpuMhz(): number {
    return this.words[DPORT_CPU_CLOCK >>> 2] & DPORT_CPU_CLOCK_160 ? 160 : 80;
  }

  get peripheralIoSwap(): number {
    return this.words[DPORT_PERI_IO_SWAP >>> 2];
  }

  /** The eFuse words (MAC0, MAC1, CHIPID, MAC3). */
  get efuseWords(): Uint32Array {
    return this.efuse;
  }

  /** Registers, the eFuses (the chip's MAC travels with it) and the last mapping reported. */
  override saveState(): SavedState {
    return {
      words: this.words.slice(),
      efuse: this.efuse.slice(),
      lastCacheEnabled: this.lastCacheEnabled,
      lastCacheOffset: this.lastCacheOffset,
    };
  }

  /** Restores without callbacks: the router, the bus and the clock restore their own state. */
  override restoreState(s: StateReader): void {
    s.array('words', this.words);
    s.array('efuse', this.efuse);
    this.lastCacheEnabled = s.boolean('lastCacheEnabled');
    this.lastCacheOffset = s.number('lastCacheOffset');
  }

  private reportCacheMapping(): void {
    const enabled = this.cacheEnabled;
    const offset = this.cacheFlashOffset;
    // While the cache is off the map bits are being set up: nothing is visible yet.
    const unchanged =
      enabled === this.lastCacheEnabled && (!enabled || offset === this.lastCacheOffset);
    if (unchanged) return;
    this.lastCacheEnabled = enabled;
    this.lastCacheOffset = offset;
    this.onCacheChange?.(enabled, offset, this.cacheBytes);
  }
}
