/**
 * RTC memory: 1 KB at 0x60001000 that keeps its contents across every reset, deep sleep included,
 * and loses them only at power-on (the SDK keeps rst_info at 0x60001100, users keep data at
 * 0x60001200; esp8266-hw.md §5.7).
 *
 *   const rtcMem = new RtcMemory(new Uint8Array(guestBuffer, GUEST_RAM.rtcMem.offset, 0x400));
 *   rtcMem.powerOn();   // the board calls it at power-on only
 *
 * The bytes are a view into the guest-memory buffer, so the bus may map them as plain RAM (and the
 * UI can read them); `read`/`write` are there for a bus that routes the block as MMIO instead.
 */

import { Peripheral } from './peripheral';

export const RTC_MEMORY_BYTES = 0x400;

export class RtcMemory extends Peripheral {
  readonly bytes: Uint8Array;
  private readonly words: Uint32Array | null;

  constructor(bytes: Uint8Array = new Uint8Array(RTC_MEMORY_BYTES)) {
    super('RTC memory');
    if (bytes.length !== RTC_MEMORY_BYTES) throw new RangeError('RTC memory is 1024 bytes');
    this.bytes = bytes;
    this.words =
      bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, 256) : null;
  }

  read(offset: number): number {
    const i = (offset >>> 2) & 0xff;
    if (this.words) return this.words[i];
    const b = this.bytes;
    const o = i * 4;
    return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
  }

  write(offset: number, value: number): void {
    const i = (offset >>> 2) & 0xff;
    if (this.words) {
      this.words[i] = value;
      return;
    }
    const o = i * 4;
    this.bytes[o] = value;
    this.bytes[o + 1] = value >>> 8;
    this.bytes[o + 2] = value >>> 16;
    this.bytes[o + 3] = value >>> 24;
  }

  /** A chip reset keeps RTC memory. */
  override reset(): void {}

  /** Power-on: the contents are gone (zero here; the chip holds noise the SDK's magic checks reject). */
  powerOn(): void {
    this.bytes.fill(0);
  }
}
