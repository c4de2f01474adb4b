import { describe, expect, it } from 'vitest';
import { assembleFlash, describeImage, FlashImageError } from './flash-image.ts';

const MB = 0x100000;

describe('assembleFlash', () => {
  it('programs parts at their offsets into an erased chip', () => {
    const flash = assembleFlash({
      flashSize: 4 * MB,
      parts: [
        { offset: 0x10000, data: new Uint8Array([7, 8]) },
        { offset: 0, data: new Uint8Array([0xe9, 1]) },
      ],
    });
    expect(flash.length).toBe(4 * MB);
    expect([...flash.subarray(0, 3)]).toEqual([0xe9, 1, 0xff]);
    expect([...flash.subarray(0x10000, 0x10003)]).toEqual([7, 8, 0xff]);
    expect(flash[4 * MB - 1]).toBe(0xff);
  });

  it('refuses empty parts, naming the file', () => {
    expect(() =>
      assembleFlash({
        flashSize: 4 * MB,
        parts: [{ offset: 0, data: new Uint8Array(), name: 'a.bin' }],
      }),
    ).toThrow(/a\.bin is empty/);
  });

  it('refuses parts that do not fit, overlap, or odd flash sizes', () => {
    const big = new Uint8Array(MB + 1);
    expect(() => assembleFlash({ flashSize: MB, parts: [{ offset: 0, data: big }] })).toThrow(
      FlashImageError,
    );
    const two = new Uint8Array(2);
    expect(() =>
      assembleFlash({
        flashSize: MB,
        parts: [
          { offset: 0, data: two, name: 'x' },
          { offset: 1, data: two, name: 'y' },
        ],
      }),
    ).toThrow(/y overlaps x/);
    expect(() => assembleFlash({ flashSize: 12345, parts: [{ offset: 0, data: two }] })).toThrow(
      /flash size/,
    );
    expect(() => assembleFlash({ flashSize: MB, parts: [] })).toThrow(/no firmware/);
  });

  it('describes an image by its first part', () => {
    const data = new Uint8Array(1);
    expect(describeImage({ flashSize: MB, parts: [{ offset: 0, data, name: 'fw.bin' }] })).toBe(
      'fw.bin',
    );
    expect(
      describeImage({
        flashSize: MB,
        parts: [
          { offset: 0, data, name: 'boot.bin' },
          { offset: 0x1000, data },
        ],
      }),
    ).toBe('boot.bin +1');
  });
});
