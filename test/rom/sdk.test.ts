/**
 * ROM services real SDK firmware needs at start-up (docs/real-firmware.md), through
 * firmware/romtest/sdk.c: string/memory functions on strings in instruction memory (the SDK's
 * printf hands its flash format strings to ets_strlen/ets_memcpy), the PHY function table and
 * the analog I2C helpers (the PLL-calibration status the SDK polls), lldesc chains, roundup2.
 */
import { describe, expect, it } from 'vitest';
import { bootRomtest } from './romtest.ts';

describe('ROM services for the SDK start-up', () => {
  it('strings in IRAM, the PHY table and I2C, lldesc chains, rounding', () => {
    const t = bootRomtest('sdk');
    expect(t.runUntilText('done\n', 0.5)).toBe(true);
    expect(t.out()).toBe(
      [
        // unaligned starts in instruction memory work: sources are read by aligned words
        'strlen 9 strcpy dd\tstring cmp 0 0 memcpy [stri] 0',
        // 0x3FFFC730 → the table at 0x3FFFC734; slot 39 = rom_i2c_writeReg_Mask (hw §7.1)
        // 0xA5 with bits 5..2 := 6 → 0x99; PLL calibration done (block 0x62 reg 7 bit 7)
        'phy 0x3fffc734 slot39 1 i2c 99 6 pll 1 ch 1 13 14 nf 0',
        // the TX tone's linear power: non-zero, the same each time, inside the caller's int16
        // (docs/rom.md "PHY read-backs"); the caller's ratio p1·256/(p1+p2) is 128
        'txtone 1024 1024 128 direct 1024',
        // 100 bytes of 32-byte blocks: 3 descriptors, size = length = 32, owner 1
        'chain 1 1 80020020 32 1 num2link 1 owner 1 2',
        'roundup2 16 16 multofup 7 2',
        'done',
        '',
      ].join('\n'),
    );
  });
});
