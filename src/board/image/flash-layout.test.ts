import { describe, expect, it } from 'vitest';
import {
  FlashLayoutError,
  assembleFlash,
  formatFlashSize,
  guessOffset,
  parseFlashSize,
  parseHeaderFlashSize,
  parseOffset,
  patchHeaderFlashSize,
  headerCodeBytes,
  headerCodeName,
  readHeaderFlashSize,
  withHeaderFlashSize,
} from './flash-layout.ts';

const MB = 1 << 20;

describe('parseFlashSize', () => {
  it.each([
    ['512K', 512 * 1024],
    ['512KB', 512 * 1024],
    ['512kb', 512 * 1024],
    ['1M', MB],
    ['1MB', MB],
    ['2m', 2 * MB],
    ['4M', 4 * MB],
    ['4MB', 4 * MB],
    ['8M', 8 * MB],
    ['16mb', 16 * MB],
  ])('%s → %i', (text, bytes) => {
    expect(parseFlashSize(text)).toBe(bytes);
  });

  it.each(['3M', '4', '', 'M', '4MBB', '1G', '1024K'])('rejects %j', (text) => {
    expect(() => parseFlashSize(text)).toThrowError(FlashLayoutError);
    expect(() => parseFlashSize(text)).toThrowError(/use one of 512K, 1M, 2M, 4M, 8M, 16M/);
  });

  it('formats sizes back', () => {
    expect(formatFlashSize(4 * MB)).toBe('4M');
    expect(formatFlashSize(12345)).toBe('0x3039');
  });
});

describe('parseOffset', () => {
  it.each([
    ['0', 0],
    ['0x0', 0],
    ['0x10000', 0x10000],
    ['0X3FC000', 0x3fc000],
    ['65536', 65536],
  ])('%s → %i', (text, value) => {
    expect(parseOffset(text)).toBe(value);
  });

  it.each(['', '-1', '0x', '1.5', '1e3', '0x1g', 'abc', ' 0x10 0'])('rejects %j', (text) => {
    expect(() => parseOffset(text)).toThrowError(/bad offset/);
  });

  it('rejects offsets beyond 32 bits', () => {
    expect(() => parseOffset('0x100000000')).toThrowError(/too large/);
  });
});

describe('assembleFlash', () => {
  it('places parts at their offsets and leaves the rest erased', () => {
    const flash = assembleFlash(
      [
        { name: 'app.bin', offset: 0x10, data: Uint8Array.of(1, 2, 3) },
        { name: 'boot.bin', offset: 0, data: Uint8Array.of(9) },
      ],
      512 * 1024,
    );
    expect(flash.length).toBe(512 * 1024);
    expect([...flash.subarray(0, 0x14)]).toEqual([9, ...Array(15).fill(0xff), 1, 2, 3, 0xff]);
    expect(flash[flash.length - 1]).toBe(0xff);
  });

  it('accepts parts that touch without overlapping, and a part ending exactly at the end', () => {
    const size = 512 * 1024;
    const flash = assembleFlash(
      [
        { name: 'a', offset: 0, data: new Uint8Array(0x1000) },
        { name: 'b', offset: 0x1000, data: new Uint8Array(0x1000).fill(7) },
        { name: 'c', offset: size - 4, data: Uint8Array.of(1, 2, 3, 4) },
      ],
      size,
    );
    expect(flash[0x0fff]).toBe(0);
    expect(flash[0x1000]).toBe(7);
    expect(flash[size - 1]).toBe(4);
  });

  it('rejects overlapping parts and names both files', () => {
    expect(() =>
      assembleFlash(
        [
          { name: 'b.bin', offset: 0x1000, data: new Uint8Array(0x2000) },
          { name: 'a.bin', offset: 0, data: new Uint8Array(0x1001) },
        ],
        MB,
      ),
    ).toThrowError('a.bin (0x0–0x1000) overlaps b.bin (0x1000–0x2fff)');
  });

  it('rejects a part beyond the flash size', () => {
    expect(() =>
      assembleFlash([{ name: 'big.bin', offset: 0xff000, data: new Uint8Array(0x1001) }], MB),
    ).toThrowError(/big\.bin \(4097 bytes at 0xff000\) runs past the end of the 1M flash/);
  });

  it('names unnamed parts by position', () => {
    expect(() => assembleFlash([{ offset: MB, data: Uint8Array.of(0) }], MB)).toThrowError(
      /^part 1 /,
    );
  });
});

describe('guessOffset', () => {
  const size = 4 * MB;
  it.each([
    ['boot_v1.7.bin', 0],
    ['bin/boot_v1.2.bin', 0],
    ['user1.4096.new.6.bin', 0x1000],
    ['C:\\sdk\\bin\\eagle.flash.bin', 0],
    ['eagle.irom0text.bin', 0x10000],
    ['esp_init_data_default_v08.bin', size - 0x4000],
    ['blank.bin', size - 0x2000],
  ])('%s → %i', (name, offset) => {
    expect(guessOffset(name, size)).toBe(offset);
  });

  it('follows the flash size for the system-parameter area', () => {
    expect(guessOffset('esp_init_data_default.bin', MB)).toBe(MB - 0x4000);
    expect(guessOffset('blank.bin', MB)).toBe(MB - 0x2000);
  });

  it('says nothing about names it does not know', () => {
    expect(guessOffset('firmware.bin', size)).toBeNull();
  });
});

describe('header flash size (esptool --flash_size)', () => {
  it('parses esptool names and the short forms', () => {
    expect(parseHeaderFlashSize('1MB')).toBe(2);
    expect(parseHeaderFlashSize('1m')).toBe(2);
    expect(parseHeaderFlashSize('512K')).toBe(0);
    expect(parseHeaderFlashSize('2MB-c1')).toBe(5);
    expect(parseHeaderFlashSize('2M-c1')).toBe(5);
    expect(parseHeaderFlashSize('16MB')).toBe(9);
    expect(() => parseHeaderFlashSize('3MB')).toThrow(FlashLayoutError);
  });

  it('rewrites only the size nibble of a 0xE9 header at offset 0', () => {
    const flash = new Uint8Array([0xe9, 3, 0, 0x0f, 4, 0, 0x10, 0x40, 1, 2]);
    expect(patchHeaderFlashSize(flash, 2)).toBe(true);
    expect([...flash]).toEqual([0xe9, 3, 0, 0x2f, 4, 0, 0x10, 0x40, 1, 2]);
    const blank = new Uint8Array(16).fill(0xff);
    expect(patchHeaderFlashSize(blank, 2)).toBe(false);
    expect(blank[3]).toBe(0xff);
  });
});

describe('the header size of the parts being flashed (CLI --header-size, the flash dialog)', () => {
  const image = () => Uint8Array.of(0xe9, 1, 2, 0x00, 0x10, 0, 0x10, 0x40, 9, 9);
  it('patches a copy of the 0xE9 image at offset 0 and leaves the other parts alone', () => {
    const boot = image();
    const data = Uint8Array.of(0xe9, 0, 0, 0, 0, 0, 0, 0); // looks like an image, but at 0x1000
    const { parts, patched } = withHeaderFlashSize(
      [
        { name: 'init', offset: 0xfc000, data: Uint8Array.of(5) },
        { name: 'boot', offset: 0, data: boot },
        { name: 'other', offset: 0x1000, data },
      ],
      parseHeaderFlashSize('1MB'),
    );
    expect(patched).toBe(true);
    expect(readHeaderFlashSize(parts[1].data)).toBe(2);
    expect(parts[1].data[3]).toBe(0x20);
    expect(parts[1].name).toBe('boot');
    expect(boot[3]).toBe(0x00); // the caller's bytes (a dropped file, a saved flash) untouched
    expect(parts[2].data).toBe(data);
    expect(readHeaderFlashSize(parts[2].data)).toBe(0);
  });
  it('says so when nothing at offset 0 has a 0xE9 header', () => {
    const v2 = Uint8Array.of(0xea, 4, 0, 0, 0, 0, 0, 0);
    const result = withHeaderFlashSize([{ offset: 0, data: v2 }], 2);
    expect(result.patched).toBe(false);
    expect(result.parts[0].data).toBe(v2);
  });
  it('knows each code by size and esptool name', () => {
    expect(headerCodeBytes(0)).toBe(512 * 1024);
    expect(headerCodeBytes(5)).toBe(2 * MB);
    expect(headerCodeBytes(7)).toBeNull();
    expect(headerCodeName(5)).toBe('2MB-c1');
    expect(headerCodeName(2)).toBe('1MB');
    expect(headerCodeName(15)).toBeNull();
    for (const name of ['512KB', '256KB', '1MB', '2MB', '4MB', '2MB-c1', '4MB-c1', '8MB', '16MB'])
      expect(headerCodeName(parseHeaderFlashSize(name))).toBe(name);
  });
});
