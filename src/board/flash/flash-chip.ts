/**
 * A SPI NOR flash chip (Winbond W25Qxx-like, as on ESP-12 modules).
 *
 *   const flash = new FlashChip({ size: 4 << 20 });   // or { bytes } to load persisted contents
 *   flash.bytes                       // the contents; the host persists them
 *   flash.onWrite = (offset, len) => …;   // bytes changed (program/erase): invalidate cached code
 *
 * NOR semantics: erase sets bytes to 0xFF (4 KB sectors, 32/64 KB blocks, whole chip); page
 * program can only clear bits (new = old AND data) and wraps inside its 256-byte page; program,
 * erase and status writes need WREN first and clear WEL afterwards. Operations finish at once, so
 * WIP (status bit 0) always reads 0: firmware poll loops see "done" on their first read.
 * Block-protect bits are kept in the status register but not enforced (SPILock writes 0x1C and
 * nothing in the SDK's write path unlocks first).
 *
 * `transact` is the chip's serial interface by opcode, for the controller's user transactions.
 */

import type { SavedState, StateReader } from '../snapshot/state';

export const FLASH_SECTOR_SIZE = 0x1000;
export const FLASH_BLOCK32_SIZE = 0x8000;
export const FLASH_BLOCK_SIZE = 0x10000;
export const FLASH_PAGE_SIZE = 0x100;
export const FLASH_MIN_SIZE = 0x80000;
export const FLASH_MAX_SIZE = 0x1000000;

// Status register bits (SR1 in [7:0], SR2 in [15:8]).
export const FLASH_STATUS_WIP = 1 << 0;
export const FLASH_STATUS_WEL = 1 << 1;
export const FLASH_STATUS_QE = 1 << 9;

// Opcodes (JEDEC / Winbond).
export const FLASH_OP_WRSR = 0x01;
export const FLASH_OP_PP = 0x02;
export const FLASH_OP_READ = 0x03;
export const FLASH_OP_WRDI = 0x04;
export const FLASH_OP_RDSR = 0x05;
export const FLASH_OP_WREN = 0x06;
export const FLASH_OP_FAST_READ = 0x0b;
export const FLASH_OP_RDSR3 = 0x15;
export const FLASH_OP_SE = 0x20;
export const FLASH_OP_WRSR2 = 0x31;
export const FLASH_OP_RDSR2 = 0x35;
export const FLASH_OP_DOR = 0x3b;
export const FLASH_OP_UNIQUE_ID = 0x4b;
export const FLASH_OP_BE32 = 0x52;
export const FLASH_OP_SFDP = 0x5a;
export const FLASH_OP_CE_60 = 0x60;
export const FLASH_OP_QOR = 0x6b;
export const FLASH_OP_RDID = 0x9f;
export const FLASH_OP_RES = 0xab;
export const FLASH_OP_DP = 0xb9;
export const FLASH_OP_DIOR = 0xbb;
export const FLASH_OP_CE = 0xc7;
export const FLASH_OP_BE = 0xd8;
export const FLASH_OP_QIOR = 0xeb;

export const JEDEC_MANUFACTURER_WINBOND = 0xef;
export const JEDEC_TYPE_W25Q = 0x40;

export interface FlashChipOptions {
  /** Capacity in bytes, a power of two from 512 KB to 16 MB (default 4 MB). */
  size?: number;
  /** Initial contents (e.g. persisted by the host); its length sets the size. */
  bytes?: Uint8Array;
  manufacturer?: number;
  memoryType?: number;
}

export class FlashChip {
  readonly bytes: Uint8Array;
  readonly size: number;
  /** Bytes at [offset, offset + len) changed through program or erase. */
  onWrite: ((offset: number, len: number) => void) | null = null;

  private status = 0;
  private readonly manufacturer: number;
  private readonly memoryType: number;

  constructor(options: FlashChipOptions = {}) {
    const size = options.bytes ? options.bytes.length : (options.size ?? 0x400000);
    if (size < FLASH_MIN_SIZE || size > FLASH_MAX_SIZE || (size & (size - 1)) !== 0) {
      throw new RangeError(`flash size ${size} is not a power of two from 512 KB to 16 MB`);
    }
    this.size = size;
    this.bytes = options.bytes ?? new Uint8Array(size).fill(0xff);
    this.manufacturer = options.manufacturer ?? JEDEC_MANUFACTURER_WINBOND;
    this.memoryType = options.memoryType ?? JEDEC_TYPE_W25Q;
  }

  /** JEDEC id as RDID returns it in byte order: manufacturer | type << 8 | log2(size) << 16. */
  get jedecId(): number {
    return this.manufacturer | (this.memoryType << 8) | (Math.log2(this.size) << 16);
  }

  get writeEnabled(): boolean {
    return (this.status & FLASH_STATUS_WEL) !== 0;
  }

  /** Power-on / chip reset: WEL drops; the non-volatile status bits stay. */
  reset(): void {
    this.status &= ~(FLASH_STATUS_WEL | FLASH_STATUS_WIP);
  }

  writeEnable(): void {
    this.status |= FLASH_STATUS_WEL;
  }

  writeDisable(): void {
    this.status &= ~FLASH_STATUS_WEL;
  }

  /** Status register, SR1 in [7:0] and SR2 in [15:8]. */
  readStatus(): number {
    return this.status;
  }

  /** WRSR: needs WEL; WIP and WEL are not writable. */
  writeStatus(value: number, twoBytes = true): boolean {
    if (!this.consumeWriteEnable()) return false;
    const keep = twoBytes ? 0 : 0xff00;
    this.status = (this.status & keep) | (value & ~keep & 0xfffc);
    return true;
  }

  readByte(addr: number): number {
    return this.bytes[addr & (this.size - 1)];
  }

  /** Read `len` bytes from `addr` (wrapping at the end of the chip, as a continuous read does). */
  read(addr: number, out: Uint8Array, outOffset: number, len: number): void {
    const mask = this.size - 1;
    for (let i = 0; i < len; i++) out[outOffset + i] = this.bytes[(addr + i) & mask];
  }

  /** Page program: AND `len` bytes into the page at `addr`, wrapping inside that page. */
  pageProgram(addr: number, src: Uint8Array, srcOffset: number, len: number): boolean {
    if (!this.consumeWriteEnable()) return false;
    addr &= this.size - 1;
    const page = addr & ~(FLASH_PAGE_SIZE - 1);
    // Only the last 256 bytes sent stay in the page buffer.
    const skip = Math.max(0, len - FLASH_PAGE_SIZE);
    let column = (addr + skip) & (FLASH_PAGE_SIZE - 1);
    for (let i = skip; i < len; i++) {
      this.bytes[page + column] &= src[srcOffset + i];
      column = (column + 1) & (FLASH_PAGE_SIZE - 1);
    }
    const wrapped = (addr & (FLASH_PAGE_SIZE - 1)) + len > FLASH_PAGE_SIZE;
    if (wrapped) this.onWrite?.(page, FLASH_PAGE_SIZE);
    else if (len > 0) this.onWrite?.(addr, len);
    return true;
  }

  eraseSector(addr: number): boolean {
    return this.eraseAligned(addr, FLASH_SECTOR_SIZE);
  }

  eraseBlock32(addr: number): boolean {
    return this.eraseAligned(addr, FLASH_BLOCK32_SIZE);
  }

  eraseBlock(addr: number): boolean {
    return this.eraseAligned(addr, FLASH_BLOCK_SIZE);
  }

  eraseChip(): boolean {
    if (!this.consumeWriteEnable()) return false;
    this.bytes.fill(0xff);
    this.onWrite?.(0, this.size);
    return true;
  }

  /**
   * One chip-select cycle by opcode: `address` is the address phase (-1 when there was none: then
   * commands that need one take it from the first three data bytes, big-endian), `mosi` the data
   * sent, `miso` receives `misoLen` bytes (0xFF where the chip drives nothing).
   */
  transact(
    opcode: number,
    address: number,
    mosi: Uint8Array,
    mosiLen: number,
    miso: Uint8Array,
    misoLen: number,
  ): void {
    let dataStart = 0;
    const addressFromData = (): number => {
      if (address >= 0) return address;
      dataStart = 3;
      return ((mosi[0] << 16) | (mosi[1] << 8) | mosi[2]) >>> 0;
    };
    miso.fill(0xff, 0, misoLen);
    switch (opcode) {
      case FLASH_OP_READ:
      case FLASH_OP_FAST_READ:
      case FLASH_OP_DOR:
      case FLASH_OP_QOR:
      case FLASH_OP_DIOR:
      case FLASH_OP_QIOR:
        this.read(addressFromData(), miso, 0, misoLen);
        return;
      case FLASH_OP_RDID:
        for (let i = 0; i < misoLen; i++) miso[i] = i < 3 ? (this.jedecId >>> (8 * i)) & 0xff : 0;
        return;
      case FLASH_OP_RDSR:
        for (let i = 0; i < misoLen; i++) miso[i] = this.status & 0xff;
        return;
      case FLASH_OP_RDSR2:
        for (let i = 0; i < misoLen; i++) miso[i] = (this.status >>> 8) & 0xff;
        return;
      case FLASH_OP_RDSR3:
        miso.fill(0, 0, misoLen);
        return;
      case FLASH_OP_WREN:
        this.writeEnable();
        return;
      case FLASH_OP_WRDI:
        this.writeDisable();
        return;
      case FLASH_OP_WRSR:
        if (mosiLen >= 2) this.writeStatus(mosi[0] | (mosi[1] << 8), true);
        else if (mosiLen === 1) this.writeStatus(mosi[0], false);
        return;
      case FLASH_OP_WRSR2:
        if (mosiLen >= 1) this.writeStatus((this.status & 0xff) | (mosi[0] << 8), true);
        return;
      case FLASH_OP_PP: {
        const addr = addressFromData();
        this.pageProgram(addr, mosi, dataStart, Math.max(0, mosiLen - dataStart));
        return;
      }
      case FLASH_OP_SE:
        this.eraseSector(addressFromData());
        return;
      case FLASH_OP_BE32:
        this.eraseBlock32(addressFromData());
        return;
      case FLASH_OP_BE:
        this.eraseBlock(addressFromData());
        return;
      case FLASH_OP_CE:
      case FLASH_OP_CE_60:
        this.eraseChip();
        return;
      case FLASH_OP_RES:
        // Release from deep power-down; with dummy bytes it also returns the device id.
        for (let i = 0; i < misoLen; i++) miso[i] = (Math.log2(this.size) - 1) & 0xff;
        return;
      case FLASH_OP_UNIQUE_ID:
        for (let i = 0; i < misoLen; i++) miso[i] = (0x5a ^ (i * 0x1d)) & 0xff;
        return;
      default:
        return; // DP, SFDP and anything unknown: no effect, lines float high
    }
  }

  /**
   * The status register. The contents are the board's to save: a host may restore a snapshot
   * with other flash contents (`v8266 run --snapshot-in S IMAGE`).
   */
  saveState(): SavedState {
    return { status: this.status };
  }

  restoreState(s: StateReader): void {
    this.status = s.u32('status');
  }

  private eraseAligned(addr: number, unit: number): boolean {
    if (!this.consumeWriteEnable()) return false;
    const start = addr & (this.size - 1) & ~(unit - 1);
    this.bytes.fill(0xff, start, start + unit);
    this.onWrite?.(start, unit);
    return true;
  }

  /** Program/erase/WRSR need WEL, and clear it when they start. */
  private consumeWriteEnable(): boolean {
    if (!(this.status & FLASH_STATUS_WEL)) return false;
    this.status &= ~FLASH_STATUS_WEL;
    return true;
  }
}
