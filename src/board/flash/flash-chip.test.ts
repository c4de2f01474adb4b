import { describe, expect, it } from 'vitest';
import {
  FlashChip,
  FLASH_OP_PP,
  FLASH_OP_RDID,
  FLASH_OP_READ,
  FLASH_STATUS_WEL,
} from './flash-chip';

function programmed(flash: FlashChip, addr: number, data: number[]): boolean {
  flash.writeEnable();
  return flash.pageProgram(addr, Uint8Array.from(data), 0, data.length);
}

describe('FlashChip', () => {
  it('starts erased (0xFF) and reports a JEDEC id matching its size', () => {
    expect(new FlashChip().jedecId).toBe(0x1640ef);
    expect(new FlashChip({ size: 0x80000 }).jedecId).toBe(0x1340ef);
    expect(new FlashChip({ size: 0x1000000 }).jedecId).toBe(0x1840ef);
    expect(new FlashChip({ size: 0x100000 }).bytes.every((b) => b === 0xff)).toBe(true);
    expect(() => new FlashChip({ size: 3 << 20 })).toThrow();
  });

  it('programs only by clearing bits', () => {
    const flash = new FlashChip({ size: 0x80000 });
    programmed(flash, 0x100, [0xf0]);
    programmed(flash, 0x100, [0x3c]);
    expect(flash.bytes[0x100]).toBe(0x30);
  });

  it('ignores program and erase without WREN, and WEL clears after each', () => {
    const flash = new FlashChip({ size: 0x80000 });
    expect(flash.pageProgram(0, Uint8Array.of(0), 0, 1)).toBe(false);
    expect(flash.bytes[0]).toBe(0xff);
    programmed(flash, 0, [0]);
    expect(flash.bytes[0]).toBe(0);
    expect(flash.readStatus() & FLASH_STATUS_WEL).toBe(0);
    expect(flash.eraseSector(0)).toBe(false);
    expect(flash.bytes[0]).toBe(0);
    flash.writeEnable();
    flash.writeDisable();
    expect(flash.eraseSector(0)).toBe(false);
  });

  it('wraps a page program inside its 256-byte page', () => {
    const flash = new FlashChip({ size: 0x80000 });
    programmed(flash, 0x1fe, [1, 2, 3, 4]);
    expect([...flash.bytes.subarray(0x1fe, 0x200)]).toEqual([1, 2]);
    expect([...flash.bytes.subarray(0x100, 0x102)]).toEqual([3, 4]);
    expect(flash.bytes[0x200]).toBe(0xff);
  });

  it('erases a 4 KB sector, a 64 KB block and the chip to 0xFF, reporting the range', () => {
    const flash = new FlashChip({ size: 0x80000 });
    flash.bytes.fill(0);
    const writes: [number, number][] = [];
    flash.onWrite = (o, l) => writes.push([o, l]);
    flash.writeEnable();
    flash.eraseSector(0x1234);
    expect(flash.bytes[0x0fff]).toBe(0);
    expect(flash.bytes[0x1000]).toBe(0xff);
    expect(flash.bytes[0x1fff]).toBe(0xff);
    expect(flash.bytes[0x2000]).toBe(0);
    flash.writeEnable();
    flash.eraseBlock(0x2ffff);
    expect(flash.bytes[0x20000]).toBe(0xff);
    expect(flash.bytes[0x30000]).toBe(0);
    flash.writeEnable();
    flash.eraseChip();
    expect(flash.bytes.every((b) => b === 0xff)).toBe(true);
    expect(writes).toEqual([
      [0x1000, 0x1000],
      [0x20000, 0x10000],
      [0, 0x80000],
    ]);
  });

  it('serial transactions: RDID bytes EF 40 16, READ, PP with the address in the data', () => {
    const flash = new FlashChip();
    const miso = new Uint8Array(8);
    flash.transact(FLASH_OP_RDID, -1, new Uint8Array(0), 0, miso, 3);
    expect([...miso.subarray(0, 3)]).toEqual([0xef, 0x40, 0x16]);
    flash.writeEnable();
    flash.transact(FLASH_OP_PP, -1, Uint8Array.of(0x00, 0x10, 0x00, 0xaa, 0x55), 5, miso, 0);
    flash.transact(FLASH_OP_READ, 0x1000, new Uint8Array(0), 0, miso, 3);
    expect([...miso.subarray(0, 3)]).toEqual([0xaa, 0x55, 0xff]);
  });

  it('WRSR needs WEL and keeps WIP/WEL read-only', () => {
    const flash = new FlashChip();
    expect(flash.writeStatus(0x0200)).toBe(false);
    flash.writeEnable();
    expect(flash.writeStatus(0x0203)).toBe(true);
    expect(flash.readStatus()).toBe(0x0200);
  });
});
