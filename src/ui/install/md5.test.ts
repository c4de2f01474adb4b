import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5Hex } from './md5.ts';

describe('md5Hex', () => {
  it('gives the RFC 1321 test-suite digests', () => {
    const text = (s: string) => md5Hex(new TextEncoder().encode(s));
    expect(text('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(text('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(
      text('12345678901234567890123456789012345678901234567890123456789012345678901234567890'),
    ).toBe('57edf4a22be3c955ac49da2e2107b67a');
  });

  it('agrees with node:crypto across block boundaries and on a flash-sized image', () => {
    for (const n of [55, 56, 63, 64, 65, 119, 120, 4096, 300_001]) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 131 + (i >>> 8)) & 0xff);
      expect(md5Hex(data)).toBe(createHash('md5').update(data).digest('hex'));
    }
  });
});
