/**
 * The loader and parsing entry points through firmware/romtest/boot.c: boot_from_flash called
 * by running firmware (as Arduino's reboot_uart_dwnld.cpp does) reloads the image at flash 0 with
 * the reset path's progress lines and sets user_start_fptr (0x3FFFDCD0) to its entry;
 * ets_set_user_start stores there; ets_char2xdigit and ets_str2macaddr parse hex text read from
 * instruction memory.
 */
import { describe, expect, it } from 'vitest';
import { bootRomtest } from './romtest.ts';

describe('ROM loader and parsing entry points', () => {
  it('boot_from_flash, ets_set_user_start, ets_char2xdigit, ets_str2macaddr', () => {
    const t = bootRomtest('boot');
    expect(t.runUntilText('done\n', 0.5)).toBe(true);
    expect(t.out()).toBe(
      [
        'xdigit 7 10 15 -1',
        // "1a:FE:34:00:9b:C2" → 1a fe 34 00 9b c2; a bad digit in the second pair: 0, first byte kept
        'mac 1 1afe34009bc2 bad 0 12',
        'user_start 40101234',
        // the same image again: its two segments, checksum, then 0 and the entry stored
        'load 0x3ffe8000, len 132, room 16 ',
        'tail 4',
        'chksum 0xac',
        'load 0x40100000, len 408, room 4 ',
        'tail 4',
        'chksum 0x5c',
        'csum 0x5c',
        'boot 0 entry 1',
        'done',
        '',
      ].join('\n'),
    );
  });
});
