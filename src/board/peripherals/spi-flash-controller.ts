/**
 * ESP8266 SPI controller: SPI0 at 0x60000200 talks to the flash chip; SPI1 (HSPI) at 0x60000100
 * has the same registers and, on our boards, nothing attached.
 *
 *   const spi0 = new SpiFlashController('SPI0', flash);   // flash: FlashChip
 *   const spi1 = new SpiFlashController('SPI1', null);
 *   spi0.onFlashWindowChange = (on) => …;   // SPI_CTRL bit 17 (ENABLE_AHB): 0x40200000 reads flash
 *
 * Commands run at once when written to SPI_CMD, and the bit reads back 0 ("done") on the next
 * read, which is all the ROM's and SDK's poll loops need (rom-internals §4.4, §6.2):
 *   READ  ADDR[23:0] address, ADDR[31:24] byte count (≤ 64) → W0..W15 (little-endian words)
 *   PP    the same fields, data from W0..; SE / BE at ADDR[23:0]; CE
 *   RDSR  status → SPI_RD_STATUS; WRSR  SPI_RD_STATUS → status (one byte, or two with
 *         CTRL.WRSR_2B); RDID  JEDEC id → W0
 *   WREN / WRDI / RES / DP / HPM
 *   USR   a user transaction from SPI_USER / USER1 / USER2: command (USER2[15:0], bit length in
 *         USER2[31:28]+1), address (SPI_ADDR, most-significant-bit aligned, USER1[31:26]+1 bits),
 *         MOSI data from W0 (W8 with MOSI_HIGHPART), MISO data into W0 (W8 with MISO_HIGHPART).
 *         The address alignment is an assumption carried over from the later ESP32 controller.
 * Facts: esp8266-hw.md §5.5.
 */

import type { FlashChip } from '../flash/flash-chip';
import { Peripheral } from './peripheral';
import type { SavedState, StateReader } from '../snapshot/state';

export const SPI_CMD = 0x00;
export const SPI_ADDR = 0x04;
export const SPI_CTRL = 0x08;
export const SPI_CTRL1 = 0x0c;
export const SPI_RD_STATUS = 0x10;
export const SPI_CTRL2 = 0x14;
export const SPI_CLOCK = 0x18;
export const SPI_USER = 0x1c;
export const SPI_USER1 = 0x20;
export const SPI_USER2 = 0x24;
export const SPI_WR_STATUS = 0x28;
export const SPI_PIN = 0x2c;
export const SPI_SLAVE = 0x30;
export const SPI_W0 = 0x40; // W0..W15 at 0x40..0x7C
export const SPI_EXT0 = 0xf0;
export const SPI_EXT1 = 0xf4;
export const SPI_EXT2 = 0xf8;
export const SPI_EXT3 = 0xfc;

// SPI_CMD bits.
export const SPI_FLASH_READ = 1 << 31;
export const SPI_FLASH_WREN = 1 << 30;
export const SPI_FLASH_WRDI = 1 << 29;
export const SPI_FLASH_RDID = 1 << 28;
export const SPI_FLASH_RDSR = 1 << 27;
export const SPI_FLASH_WRSR = 1 << 26;
export const SPI_FLASH_PP = 1 << 25;
export const SPI_FLASH_SE = 1 << 24;
export const SPI_FLASH_BE = 1 << 23;
export const SPI_FLASH_CE = 1 << 22;
export const SPI_FLASH_DP = 1 << 21;
export const SPI_FLASH_RES = 1 << 20;
export const SPI_FLASH_HPM = 1 << 19;
export const SPI_USR = 1 << 18;

// SPI_CTRL bits.
export const SPI_FASTRD_MODE = 1 << 13;
export const SPI_DOUT_MODE = 1 << 14;
export const SPI_ENABLE_AHB = 1 << 17;
export const SPI_WRSR_2B = 1 << 22;
export const SPI_DIO_MODE = 1 << 23;
export const SPI_QIO_MODE = 1 << 24;

// SPI_USER bits.
export const SPI_USR_COMMAND = 1 << 31;
export const SPI_USR_ADDR = 1 << 30;
export const SPI_USR_DUMMY = 1 << 29;
export const SPI_USR_MISO = 1 << 28;
export const SPI_USR_MOSI = 1 << 27;
export const SPI_USR_MOSI_HIGHPART = 1 << 25;
export const SPI_USR_MISO_HIGHPART = 1 << 24;

// SPI_USER1 / SPI_USER2 fields (each bit length is stored minus one).
export const SPI_USR_ADDR_BITLEN_SHIFT = 26; // [31:26]
export const SPI_USR_MOSI_BITLEN_SHIFT = 17; // [25:17]
export const SPI_USR_MISO_BITLEN_SHIFT = 8; // [16:8]
export const SPI_USR_COMMAND_BITLEN_SHIFT = 28; // USER2 [31:28]
export const SPI_USR_COMMAND_VALUE_MASK = 0xffff; // USER2 [15:0]

/** Largest READ/PP the W buffer holds. */
export const SPI_BUFFER_BYTES = 64;

const SPI_CMD_ALL =
  SPI_FLASH_READ |
  SPI_FLASH_WREN |
  SPI_FLASH_WRDI |
  SPI_FLASH_RDID |
  SPI_FLASH_RDSR |
  SPI_FLASH_WRSR |
  SPI_FLASH_PP |
  SPI_FLASH_SE |
  SPI_FLASH_BE |
  SPI_FLASH_CE |
  SPI_FLASH_DP |
  SPI_FLASH_RES |
  SPI_FLASH_HPM |
  SPI_USR;

export class SpiFlashController extends Peripheral {
  /** SPI_CTRL bit 17 changed: whether the flash window (0x40200000) is connected. */
  onFlashWindowChange: ((enabled: boolean) => void) | null = null;

  private readonly regs = new Uint32Array(64);
  /** The W0..W15 data buffer as bytes (word n = bytes 4n..4n+3, little-endian). */
  private readonly buffer = new Uint8Array(SPI_BUFFER_BYTES);
  private readonly scratch = new Uint8Array(SPI_BUFFER_BYTES);
  /** Views of W0.. and W8.. so a user transaction allocates nothing. */
  private readonly bufferLow = this.buffer.subarray(0);
  private readonly bufferHigh = this.buffer.subarray(32);

  constructor(
    name: string,
    private readonly flash: FlashChip | null,
  ) {
    super(name);
  }

  get flashWindowEnabled(): boolean {
    return (this.regs[SPI_CTRL >>> 2] & SPI_ENABLE_AHB) !== 0;
  }

  read(offset: number): number {
    offset &= 0xfc;
    if (offset === SPI_CMD) return 0; // every command has finished
    if (offset >= SPI_W0 && offset < SPI_W0 + SPI_BUFFER_BYTES)
      return this.bufferWord(offset - SPI_W0);
    return this.regs[offset >>> 2];
  }

  write(offset: number, value: number): void {
    offset &= 0xfc;
    value >>>= 0;
    if (offset >= SPI_W0 && offset < SPI_W0 + SPI_BUFFER_BYTES) {
      this.setBufferWord(offset - SPI_W0, value);
      return;
    }
    if (offset === SPI_CMD) {
      this.execute(value & SPI_CMD_ALL);
      return;
    }
    const old = this.regs[offset >>> 2];
    this.regs[offset >>> 2] = value;
    if (offset === SPI_CTRL && (old ^ value) & SPI_ENABLE_AHB) {
      this.onFlashWindowChange?.((value & SPI_ENABLE_AHB) !== 0);
    }
  }

  override reset(): void {
    const windowWasOn = this.flashWindowEnabled;
    this.regs.fill(0);
    this.buffer.fill(0);
    // The flash chip is a separate part: a chip reset of the ESP8266 does not reset it.
    if (windowWasOn) this.onFlashWindowChange?.(false);
  }

  /** Registers and the W0..W15 buffer (the flash chip saves its own status). */
  override saveState(): SavedState {
    return { regs: this.regs.slice(), buffer: this.buffer.slice() };
  }

  override restoreState(s: StateReader): void {
    s.array('regs', this.regs);
    s.array('buffer', this.buffer);
  }

  private execute(cmd: number): void {
    const flash = this.flash;
    if (!flash) {
      // Nothing on the bus: commands complete, data lines float high.
      if (cmd & (SPI_FLASH_READ | SPI_FLASH_RDID | SPI_USR)) this.buffer.fill(0xff);
      return;
    }
    const addrReg = this.regs[SPI_ADDR >>> 2];
    const address = addrReg & 0xffffff;
    const count = Math.min(SPI_BUFFER_BYTES, addrReg >>> 24);
    if (cmd & SPI_FLASH_WREN) flash.writeEnable();
    if (cmd & SPI_FLASH_WRDI) flash.writeDisable();
    if (cmd & SPI_FLASH_READ) flash.read(address, this.buffer, 0, count);
    if (cmd & SPI_FLASH_RDID) this.setBufferWord(0, flash.jedecId);
    if (cmd & SPI_FLASH_RDSR) this.regs[SPI_RD_STATUS >>> 2] = flash.readStatus();
    if (cmd & SPI_FLASH_WRSR) {
      // SPI_WRSR_2B sends status register 2 (QE) too; the ROM's Enable_QMode and Disable_QMode
      // set it, so after boot every status write is a two-byte one.
      const twoBytes = (this.regs[SPI_CTRL >>> 2] & SPI_WRSR_2B) !== 0;
      flash.writeStatus(this.regs[SPI_RD_STATUS >>> 2] & (twoBytes ? 0xffff : 0xff), twoBytes);
    }
    if (cmd & SPI_FLASH_PP) flash.pageProgram(address, this.buffer, 0, count);
    if (cmd & SPI_FLASH_SE) flash.eraseSector(address);
    if (cmd & SPI_FLASH_BE) flash.eraseBlock(address);
    if (cmd & SPI_FLASH_CE) flash.eraseChip();
    // RES, DP and HPM change power/speed states we do not model.
    if (cmd & SPI_USR) this.userTransaction(flash);
  }

  private userTransaction(flash: FlashChip): void {
    const user = this.regs[SPI_USER >>> 2];
    const user1 = this.regs[SPI_USER1 >>> 2];
    const user2 = this.regs[SPI_USER2 >>> 2];
    if (!(user & SPI_USR_COMMAND)) return; // a flash does nothing without an opcode
    const commandBits = ((user2 >>> SPI_USR_COMMAND_BITLEN_SHIFT) & 0xf) + 1;
    const opcode = user2 & SPI_USR_COMMAND_VALUE_MASK & ((1 << commandBits) - 1) & 0xff;
    let address = -1;
    if (user & SPI_USR_ADDR) {
      const bits = ((user1 >>> SPI_USR_ADDR_BITLEN_SHIFT) & 0x3f) + 1;
      address = bits >= 32 ? this.regs[SPI_ADDR >>> 2] : this.regs[SPI_ADDR >>> 2] >>> (32 - bits);
    }
    const mosiLen =
      user & SPI_USR_MOSI ? (((user1 >>> SPI_USR_MOSI_BITLEN_SHIFT) & 0x1ff) + 8) >>> 3 : 0;
    const misoLen =
      user & SPI_USR_MISO ? (((user1 >>> SPI_USR_MISO_BITLEN_SHIFT) & 0x1ff) + 8) >>> 3 : 0;
    const mosiStart = user & SPI_USR_MOSI_HIGHPART ? 32 : 0;
    const misoStart = user & SPI_USR_MISO_HIGHPART ? 32 : 0;
    const mosiBytes = Math.min(mosiLen, SPI_BUFFER_BYTES - mosiStart);
    const misoBytes = Math.min(misoLen, SPI_BUFFER_BYTES - misoStart);
    this.scratch.set(mosiStart ? this.bufferHigh : this.bufferLow);
    const miso = misoStart ? this.bufferHigh : this.bufferLow;
    flash.transact(opcode, address, this.scratch, mosiBytes, miso, misoBytes);
  }

  private bufferWord(byteOffset: number): number {
    const b = this.buffer;
    return (
      (b[byteOffset] |
        (b[byteOffset + 1] << 8) |
        (b[byteOffset + 2] << 16) |
        (b[byteOffset + 3] << 24)) >>>
      0
    );
  }

  private setBufferWord(byteOffset: number, value: number): void {
    const b = this.buffer;
    b[byteOffset] = value;
    b[byteOffset + 1] = value >>> 8;
    b[byteOffset + 2] = value >>> 16;
    b[byteOffset + 3] = value >>> 24;
  }
}
