/**
 * The ROM's SPI flash API driving the SPI0 controller and the flash chip (rom-internals §4.4),
 * through firmware/romtest/flash.c: 0/1 returns, bound checks against flashchip, page-crossing
 * writes, sector/block/area/chip erase as seen in the flash contents.
 */
import { describe, expect, it } from 'vitest';
import { bootRomtest } from './romtest.ts';

const word = (f: Uint8Array, at: number) => new DataView(f.buffer, f.byteOffset).getUint32(at, true);

describe('ROM SPI flash API', () => {
  it('reads, writes and erases through SPI0 with the documented checks', () => {
    const t = bootRomtest('flash');
    t.board.pressFlashButton(true); // the program waits for GPIO0 high after the area erase
    expect(t.runUntilText('block', 0.3)).toBe(true);
    const f = t.board.flash;
    expect(word(f, 0x12e000)).toBe(0x12345678); // outside the area
    expect(word(f, 0x135000)).toBe(0x12345678);
    for (const at of [0x110000, 0x12f000, 0x131000, 0x134000]) expect(word(f, at)).toBe(0xffffffff);
    t.board.pressFlashButton(false);
    expect(t.runUntilText('done\n', 0.5)).toBe(true);
    expect(t.out()).toBe(
      [
        'chip 1640ef 400000 10000 1000 100 ffff', // the flashchip defaults at 0x3FFFC718
        'write 0 read 0 0 4040404 3f3f3f3f odd 1', // a length not a multiple of 4 is refused
        'bounds 1 1 1 1', // past chip_size, sector/block out of range, unaligned area start
        'status 0 0 unlock 0',
        'erase sector 0 ffffffff ffffffff',
        'area 0 block 0',
        'param 0 small 1 chip erase 0', // SPIParamCfg's chip_size bounds later reads
        'done',
        '',
      ].join('\n'),
    );
    expect(f.every((b) => b === 0xff)).toBe(true); // SPIEraseChip
  });
});
