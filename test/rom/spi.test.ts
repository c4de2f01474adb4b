/**
 * The flash primitives under the SDK's own flash layer (RTOS SDK libmain calls them with its own
 * flashchip copy; rom-internals §4.4), through firmware/romtest/spi.c on the SPI0 controller and
 * the NOR model, and the light-sleep GPIO wake-up helpers (GPIO_PINn [9:7] type, bit 10 enable).
 */
import { describe, expect, it } from 'vitest';
import { bootRomtest } from './romtest.ts';

const word = (f: Uint8Array, at: number) => new DataView(f.buffer, f.byteOffset).getUint32(at, true);

describe('ROM SPI_read_data / SPI_page_program / SPI_sector_erase', () => {
  it('read, program and erase like the mask ROM on a NOR chip with WEL', () => {
    const t = bootRomtest('spi');
    expect(t.runUntilText('done\n', 0.5)).toBe(true);
    expect(t.out()).toBe(
      [
        'wren 0 st 2 se 0 st 0', // WREN sets WEL, the erase uses it up
        'pp 0 st 0', // 40 bytes in one page: two page programs, each after its own WREN
        // 37 bytes: 10 whole words are stored (the 10th holds byte 37 and 3 bytes of whatever the
        // SPI buffer held), the 11th keeps the caller's fill
        'rd 0 12345678 8 d 55555555',
        'and 0 2040608', // programming only clears bits
        'refused 1 1 1 1 st 2', // length, page crossing, unaligned sector, past chip_size
        'no wren: se 0 12345678', // the ROM sends SE anyway; the chip ignores it without WEL
        'wake 604 680 180 off 4 0 180', // type<<7 | bit 10; disable clears [10:7] where bit 10 was set
        'done',
        '',
      ].join('\n'),
    );
    const f = t.board.flash;
    // The last erase (with the WEL left from before the refusals) took the whole 4 KB sector.
    expect(word(f, 0xf0000)).toBe(0x12345678);
    for (const at of [0xf0004, 0xf0010, 0xf0034, 0xf0ffc]) expect(word(f, at)).toBe(0xffffffff);
  });
});
