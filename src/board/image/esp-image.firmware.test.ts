/**
 * Cross-check against images built by a different tool than the tests' own builder: the project's
 * committed firmware (firmware/esp/mkimage.mjs), as the ROM will find them at flash offset 0.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleFlash } from './flash-layout.ts';
import { parseEspImage } from './esp-image.ts';

const images = ['hello.bin', 'demo.bin'];

describe.each(images)('firmware/esp/out/%s', (name) => {
  const file = new Uint8Array(
    readFileSync(new URL(`../../../firmware/esp/out/${name}`, import.meta.url)),
  );

  it('parses as a v1 image whose checksum ends the file', () => {
    const image = parseEspImage(file);
    if (image.format !== 'v1') throw new Error('expected a v1 image');
    expect(image.byteLength).toBe(file.length);
    expect(image.segments.length).toBeGreaterThan(0);
    expect(image.header.entry >>> 20).toBe(0x401); // in IRAM
    expect(image.warnings).toEqual([]);
  });

  it('parses the same from an assembled 4 MB flash', () => {
    const flash = assembleFlash([{ name, offset: 0, data: file }], 4 << 20);
    expect(parseEspImage(flash).byteLength).toBe(file.length);
  });
});
