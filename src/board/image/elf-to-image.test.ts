import { describe, expect, it } from 'vitest';
import { buildElf, crashingElf, STORE_TO_NULL } from '../../../e2e/tiny-elf.ts';
import { ElfFile } from './elf.ts';
import { elfToImage, ElfToImageError } from './elf-to-image.ts';
import { parseEspImage, parseEspImageV1 } from './esp-image.ts';

describe('elfToImage', () => {
  it('puts the RAM segments in an 0xE9 image at 0x0 and irom0 at its flash offset', () => {
    const elf = new ElfFile(crashingElf());
    expect(elf.symbolAt(0x40100005)?.name).toBe('store_to_null');
    const out = elfToImage(elf);
    expect(out.parts.map((p) => p.offset)).toEqual([0, 0x10000]);
    expect(new TextDecoder().decode(out.parts[1]!.data)).toBe('irom0 says hello');

    const image = parseEspImageV1(out.parts[0]!.data); // throws on a bad checksum or truncation
    expect(image.header.entry).toBe(0x40100000);
    expect(image.header.flashModeName).toBe('DIO');
    expect(image.header.flashSizeName).toBe('4M');
    expect(image.warnings).toEqual([]);
    expect(image.segments.map((s) => [s.loadAddress, s.length])).toEqual([
      [0x40100000, 12], // 9 bytes of code, padded to 4
      [0x3ffe8000, 8],
    ]);
    expect([...image.segments[0]!.data.subarray(0, 9)]).toEqual(STORE_TO_NULL);
    expect([...image.segments[0]!.data.subarray(9)]).toEqual([0, 0, 0]);
    // The image ends on a 16-byte boundary with the checksum as its last byte.
    expect(out.parts[0]!.data.length % 16).toBe(0);
    expect(image.byteLength).toBe(out.parts[0]!.data.length);
    expect(image.checksum.stored).toBe(image.checksum.computed);
    expect(parseEspImage(out.parts[0]!.data).format).toBe('v1');
  });

  it('takes the raw bytes too, and leaves out the irom part when there is none', () => {
    const bytes = buildElf(0x40100004, [
      { name: '.text', address: 0x40100000, data: [1, 2, 3, 4, 5, 6, 7, 8] },
    ]);
    const out = elfToImage(bytes);
    expect(out.parts).toHaveLength(1);
    const image = parseEspImageV1(out.parts[0]!.data);
    expect(image.header.entry).toBe(0x40100004);
    // 8 header + 8 segment header + 8 data = 24 → padded to 32
    expect(out.parts[0]!.data.length).toBe(32);
  });

  it('adds a whole padding block when the data ends on a 16-byte boundary', () => {
    // 8 + 8 + 16 = 32: the checksum needs a byte of its own, so 48
    const out = elfToImage(
      buildElf(0x40100000, [
        { name: '.text', address: 0x40100000, data: new Array(16).fill(0x11) },
      ]),
    );
    expect(out.parts[0]!.data.length).toBe(48);
    expect(parseEspImageV1(out.parts[0]!.data).checksum.offset).toBe(47);
  });

  it('refuses segments outside RAM and the flash window, and ELFs without RAM code', () => {
    expect(() =>
      elfToImage(buildElf(0x40100000, [{ name: '.x', address: 0x60000000, data: [1, 2, 3, 4] }])),
    ).toThrow(ElfToImageError);
    expect(() =>
      elfToImage(
        buildElf(0x40210000, [{ name: '.irom0.text', address: 0x40210000, data: [1, 2, 3, 4] }]),
      ),
    ).toThrow(/no RAM segment/);
    expect(() =>
      elfToImage(
        buildElf(0x40100000, [
          { name: '.text', address: 0x40100000, data: [1, 2, 3, 4] },
          { name: '.irom0.text', address: 0x40200000, data: [1, 2, 3, 4] },
        ]),
      ),
    ).toThrow(/overlaps/);
  });
});
