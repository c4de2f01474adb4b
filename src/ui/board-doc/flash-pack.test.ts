import { readFileSync, existsSync } from 'node:fs';
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { FlashPackError, packFlash, unpackFlash } from './flash-pack.ts';
import { toBase64Url } from './share.ts';

/** Byte compare (toEqual on megabytes is very slow). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

describe('flash pack', () => {
  it('an erased chip costs nothing; repeated sectors are stored once', () => {
    const erased = new Uint8Array(4 << 20).fill(0xff);
    expect(packFlash(erased).length).toBeLessThan(64);
    const flash = erased.slice();
    const noise = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
    for (const at of [0x10000, 0x200000, 0x3fc000]) flash.set(noise, at);
    const packed = packFlash(flash);
    expect(packed.length).toBeLessThan(4096 + 200); // one copy of the noise, not three
    expect(sameBytes(unpackFlash(packed), flash)).toBe(true);
  });

  it('round-trips a real Arduino sketch on a 4 MB chip, in a link well under 1 MB', () => {
    const path = '/work/realfw/arduino/Blink.ino.d1_mini.bin';
    if (!existsSync(path)) return; // the real images are not in the repository
    const sketch = readFileSync(path);
    const flash = new Uint8Array(4 << 20).fill(0xff);
    flash.set(sketch, 0);
    const packed = packFlash(flash);
    const link = toBase64Url(packed).length;
    console.log(
      `Blink.ino.d1_mini.bin: ${sketch.length} bytes → pack ${packed.length} → link ${link} chars`,
    );
    expect(link).toBeLessThan(512 * 1024);
    expect(sameBytes(unpackFlash(packed), flash)).toBe(true);
  });

  it('refuses altered, truncated and oversized packs with a message', () => {
    const flash = new Uint8Array(1 << 20).fill(0xff);
    flash[5] = 1;
    const packed = packFlash(flash);
    expect(() => unpackFlash(packed.subarray(0, packed.length - 4))).toThrow(FlashPackError);
    expect(() => unpackFlash(deflateSync(new Uint8Array(20)))).toThrow(/not a v8266 flash pack/);
    expect(() => unpackFlash(deflateSync(new Uint8Array(64 << 20)))).toThrow(/more than a 16 MB/);
    // A sector table pointing past the chip.
    const raw = new Uint8Array(16 + 8 + 4096);
    const view = new DataView(raw.buffer);
    view.setUint32(0, 0x31463856, true);
    view.setUint32(4, 1 << 20, true);
    view.setUint32(8, 1, true);
    view.setUint32(12, 9999, true);
    view.setUint32(16, 0, true);
    view.setUint32(20, 1, true);
    expect(() => unpackFlash(deflateSync(raw))).toThrow(/sector table/);
  });
});
