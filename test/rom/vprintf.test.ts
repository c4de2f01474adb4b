/**
 * ets_io_vprintf (0x40001F00, the entry point ets_vprintf shares; RTOS SDK 3.x prints through it
 * with its own putc) through firmware/romtest/vprintf.c: it formats into the caller's putc only,
 * returns the number of characters it emitted, takes its arguments from the caller's va_list
 * (register and stack parts, 64-bit values 8-aligned as GCC passes them) and, unlike ets_printf,
 * does not care whether putc1/putc2 are installed. Conversions as rom-internals §5.2 observed them.
 */
import { describe, expect, it } from 'vitest';
import { bootRomtest } from './romtest.ts';

describe('ROM ets_io_vprintf', () => {
  it('formats a va_list into the given putc and returns the count', () => {
    const t = bootRomtest('vprintf');
    expect(t.runUntilText('done\n', 0.5)).toBe(true);
    expect(t.out()).toBe(
      [
        '[] 0 0', // empty format: putc never called
        '[plain] 5 5',
        '[-12|3000000000|beef|BEEF|esp|Q] 30 30',
        '[00001234|7   |  esp|12345] 25 25', // zero pad, left justify, width, a number wider than its width
        '[1 2 3 4 5 6 7 8 9 10] 20 20', // ten arguments: past the six argument registers onto the stack
        '[1 -2 3] 6 6', // %lld after one word: skips to the next 8-aligned slot, the later %d still right
        '[1 2 3 4 4886718345 6] 20 20', // a 64-bit value that would straddle registers and stack
        '[<null>|0x3ffe8000] 17 17',
        'sinks off', // putc1 uninstalled: ets_printf prints nothing and returns 0 ...
        '[20+22] 5 5 printf 0', // ... while ets_io_vprintf formats into its own putc
        'done',
        '',
      ].join('\n'),
    );
  });
});
