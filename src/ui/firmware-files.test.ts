import { describe, expect, it } from 'vitest';
import { FirmwareFileError, imageFromFiles } from './firmware-files.ts';

describe('imageFromFiles', () => {
  it('puts one .bin at offset 0 of a 4 MB flash', () => {
    const image = imageFromFiles([{ name: 'Blink.ino.bin', data: new Uint8Array([0xe9]) }]);
    expect(image.flashSize).toBe(0x400000);
    expect(image.parts).toEqual([
      { name: 'Blink.ino.bin', offset: 0, data: new Uint8Array([0xe9]) },
    ]);
  });

  it('explains what is wrong with a file', () => {
    expect(() => imageFromFiles([{ name: 'fw.bin', data: new Uint8Array() }])).toThrow(
      /fw\.bin is empty \(0 bytes\)/,
    );
    expect(() => imageFromFiles([{ name: 'sketch.ino', data: new Uint8Array(1) }])).toThrow(
      /not a \.bin/,
    );
    expect(() => imageFromFiles([])).toThrow(FirmwareFileError);
    const one = { name: 'a.bin', data: new Uint8Array(1) };
    expect(() => imageFromFiles([one, { ...one, name: 'b.bin' }])).toThrow(/one \.bin/);
  });

  it('accepts several parts when each has an offset', () => {
    const data = new Uint8Array(1);
    const image = imageFromFiles([
      { name: 'boot.bin', data, offset: 0 },
      { name: 'app.bin', data, offset: 0x1000 },
    ]);
    expect(image.parts.map((p) => p.offset)).toEqual([0, 0x1000]);
  });
});
