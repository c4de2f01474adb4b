/**
 * The ROM heap and the hostapd helpers that use ROM memory (firmware/rom/heap.c, hostap.c)
 * through firmware/romtest/heap.c, as the mask ROM behaves: lwIP-style first fit on a 4 KB arena
 * the firmware hands to mem_init (8-byte headers, 12-byte minimum, neighbours merged on free),
 * mem_trim shrinking in place, base64_encode allocating from it (RFC 4648 §10 vectors, a line feed every 72 characters and
 * after the last line), aes_decrypt_init's one static context at 0x3FFFEA80 (FIPS 197 C.1).
 */
import { describe, expect, it } from 'vitest';
import { bootRomtest } from './romtest.ts';

describe('ROM heap, base64_encode, aes_decrypt_init/deinit', () => {
  it('allocates, merges, encodes and decrypts as the mask ROM does', () => {
    const t = bootRomtest('heap');
    expect(t.runUntilText('done\n', 1)).toBe(true);
    expect(t.out()).toBe(
      [
        'init next 1000 used 0 end used 1', // one free block up to the sentinel at +0x1000
        'alloc 8 1c 88 zero 1 hdr 14', // 10 → 12 bytes at +8; 100 at +0x14+8; 15 → 16 at +0x80+8
        'none ffff ffff', // size 0 and more than 4 KB: NULL
        'reuse 8', // first fit takes the freed 12-byte block
        'merged next 1000 used 0', // everything freed: one block again
        'whole 8 then ffff', // 4 KB − 8 fills the arena
        'trim 8 8 next 18 free 30 used 0', // 40 → 32: unchanged (8 bytes left); → 16: a free block after it
        'trim ffff ffff 38 38 next 44 free 1000', // growing or > 4 KB: NULL; the same size: itself; a free successor moves down
        'trim outside 3ffe8000', // not in the arena: the pointer comes back (esp-link v2.2's pbuf_realloc)
        'merged next 1000 used 0',
        'b64 0 []',
        'b64 5 [Zg==|]',
        'b64 5 [Zm8=|]',
        'b64 5 [Zm9v|]',
        'b64 9 [Zm9vYmFy|]',
        'b64 78 [YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5emFi|Y2Q=|]', // 56 bytes: 72 characters, a line feed, 4 more
        'b64 buffer 8', // from the ROM heap
        'aes24 0', // AES-128 only
        'aes ctx 3fffea80 pt 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff',
        'deinit 0 next 0',
        'done',
        '',
      ].join('\n'),
    );
  });
});
