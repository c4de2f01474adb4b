/**
 * ets_printf as the mask ROM formats (rom-internals §5.2-5.3: about 60 format strings observed
 * on the real ROM), driven by firmware/romtest/printf.c: every line is "<output>=<return value>".
 * Return values are asserted where the reference gives them (normal conversions: the characters
 * emitted; "%5%|": one fewer than emitted).
 */
import { describe, expect, it } from 'vitest';
import { bootRomtest } from './romtest.ts';

const NUL = '\0';
const cases: [string, number | null][] = [
  ['0|-5|2147483647|-2147483648', 27],
  ['7 4294967295 4294967295 -3 9', 28], // %D = %d, %U = %u, l ignored
  ['deadbeef DEADBEEF 0 ab', 22],
  ['x|z|y', 5], // %c ignores the width
  ['<null>|abc|abcdef|000ab|00abcdef|S', 34], // NULL, precision ignored, never truncated, 0 pads, '.' sets 0
  ['0x00001234|0x1234    |0x3ffe8000', 32], // %p: width forced to 8; '-' pads after the digits
  ['   42|42   |00042|-0042|42   |', 30], // '-' only as the first flag: %-05d = %-5d
  ['0000000007|7|', 13], // %10.3d zero-pads, %.5d does not pad
  ['-9223372036854775808|18|12|FF', 29], // %lld full 64-bit; %llu/%llx/%llX the low word only
  ['%i|42|42', null], // unsupported: '%' and the character, no argument consumed
  ['%|', null], // 'l' + unknown: the 'l' is dropped
  ['A%qB', null], // first unsupported conversion, nothing before it: no padding
  ['12345|%q |', null], // stale length: 1 space after a normal conversion
  ['%q%q %q  |', null], // ... then one more each time
  ['%|%q |%y  |%k   |', null],
  ['%     |', 6], // %5% prints '%' and 5 spaces, returns one fewer than emitted
  ['%-8d|', null], // "%0-8d": '-' after '0' is an unsupported conversion
  [`1.1${'.'.repeat(28)}${NUL}|`, null], // %b: 31 bits LSB first, then a stale byte (NUL here)
  [`end%${NUL}XYZ`, null], // a trailing '%' prints '%' and the NUL, and parsing goes on after it
  [`a%${NUL}77Q`, null], // ... even into a conversion that consumes an argument
  // The SDK's fatal-exception line cut to 64 bytes by os_printf_plus's low-heap stack buffer: the
  // "depc=0x%", NUL, the stale-length space (a normal conversion came before), then the stack
  // bytes: the garbage a MicroPython crash report showed (docs/rom.md, "Printing")
  [`epc1=0x40106de1, epc2=0x00000000, epc3=0x00000000, excvaddr=0x3ffe8000, depc=0x%${NUL} ?!`, null],
];

describe('ROM ets_printf', () => {
  it('formats every documented conversion, flag and quirk like the mask ROM', () => {
    const t = bootRomtest('printf');
    expect(t.runUntilText('done\n', 0.3)).toBe(true);
    const lines = t.out().split('\n');
    cases.forEach(([text, ret], i) => {
      const at = lines[i].lastIndexOf('=');
      expect(lines[i].slice(0, at), `case ${i}`).toBe(text);
      if (ret !== null) expect(Number(lines[i].slice(at + 1)), `return of case ${i}`).toBe(ret);
    });
    // With putc1 and putc2 both NULL, ets_printf formats nothing and returns 0.
    expect(lines.slice(cases.length)).toEqual(['no sinks 0', 'done', '']);
  });
});
