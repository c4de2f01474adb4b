/**
 * memmove and strstr at both of their ROM addresses (the ets_ entry points and the libc ones they
 * call: esp8266-hw.md §7.1), through firmware/romtest/strings.c. RTOS SDK, esp-open-rtos and
 * Arduino builds link both names (docs/rom.md import table). memmove copies as if through a
 * temporary buffer whichever way the two areas overlap and returns dst; strstr returns the first
 * match, the haystack itself for an empty needle (also in an empty haystack), and NULL otherwise.
 */
import { describe, expect, it } from 'vitest';
import { bootRomtest } from './romtest.ts';

const P = '0123456789abcdefghijklmnopqrstuvwxyzABCD';

/** What the strings.c buffer holds after memmove(buf + to, buf + from, n), checked by hand below. */
const moved = (to: number, from: number, n: number) =>
  ` 1:${P.slice(0, to)}${P.slice(from, from + n)}${P.slice(to + n)}`;

describe('ROM memmove and strstr', () => {
  it('copy overlapping areas both ways and find needles, at both addresses', () => {
    const t = bootRomtest('strings');
    expect(t.runUntilText('done\n', 0.5)).toBe(true);
    // The helper's arithmetic, checked once against strings worked out by hand.
    expect(moved(1, 3, 10)).toBe(' 1:03456789abcbcdefghijklmnopqrstuvwxyzABCD');
    expect(moved(3, 1, 10)).toBe(' 1:012123456789adefghijklmnopqrstuvwxyzABCD');
    const block = (name: string) =>
      [
        `${name} memmove`,
        moved(1, 3, 10) + moved(3, 1, 10), // overlapping: dst below src, dst above src
        moved(4, 8, 20) + moved(8, 4, 20), // word-aligned and 16 bytes or more
        moved(5, 2, 7) + moved(2, 5, 1) + moved(20, 0, 19), // odd length, one byte, apart
        moved(6, 6, 9) + moved(0, 9, 0) + moved(0, 4, 36), // onto itself, nothing, long with a tail
        // "world" 6, "hello" 0 (the first), "d, h" 10, "o" 4, "" 0 (the haystack), "xyz" none,
        // longer than the haystack none; in "": "" 0, "a" none; "aab" in "aaab" 1 (a partial match
        // at 0 backed out of); "hello" at the very end 0
        `${name} strstr 6 0 10 4 0 -1 -1 0 -1 1 0`,
      ].join('\n');
    expect(t.out()).toBe(`${block('ets')}\n${block('libc')}\ndone\n`);
  });
});
