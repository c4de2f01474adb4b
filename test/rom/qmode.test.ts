/**
 * The flash status writes under the read-mode set-up (rom-internals §4.2, §4.4) through
 * firmware/romtest/qmode.c: boot_from_flash hands the header's mode to SPIReadModeCnfig, whose
 * Enable_QMode / Disable_QMode set SPI0 CTRL.WRSR_2B (bit 22) before writing, so after boot every
 * status write carries both bytes; Disable_QMode writes status register 1 back alone, which
 * zeroes register 2 and with it QE (status bit 9). SPI_write_status writes RD_STATUS with WRSR and
 * returns 0 without waiting for the chip, so RD_STATUS still holds the value written; the flash
 * ignores a status write without WREN. Status registers are read with the chip's RDSR (0x05) and
 * RDSR2 (0x35) opcodes.
 */
import { describe, expect, it } from 'vitest';
import { bootRomtest } from './romtest.ts';

describe('ROM SPI_write_status, Enable_QMode, Disable_QMode', () => {
  it('write the status register as the mask ROM does', () => {
    const t = bootRomtest('qmode');
    expect(t.runUntilText('done\n', 0.5)).toBe(true);
    expect(t.out()).toBe(
      [
        'boot 2b 1', // set by the boot's SPIReadModeCnfig, whichever the mode
        'enable 0 2b 1 sr 0 2', // QE on
        'disable 0 2b 1 sr 0 0', // two-byte write of status register 1 alone: QE off
        'no wel 0 rd 21c sr 0 0', // returns 0, the value stays in RD_STATUS, the chip ignored it
        'wel 0 rd 21c sr 1c 2',
        'unlock 0 sr 0 0', // SPIUnlock: write-enable, status 0 (two bytes since boot)
        'done',
        '',
      ].join('\n'),
    );
  });
});
