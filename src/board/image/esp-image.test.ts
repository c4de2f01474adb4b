import { describe, expect, it } from 'vitest';
import {
  EspImageError,
  describeEspImage,
  espChecksum,
  parseEspImage,
  parseEspImageV1,
  parseEspImageV2,
} from './esp-image.ts';

interface TestSegment {
  address: number;
  data: number[];
}

function le32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

/** Build an 0xE9 image the way esptool lays it out, starting at file position `start`. */
function buildV1(
  segments: TestSegment[],
  { entry = 0x40100004, mode = 2, sizeFreq = 0x40, start = 0 } = {},
): number[] {
  const out = [0xe9, segments.length, mode, sizeFreq, ...le32(entry)];
  for (const s of segments) out.push(...le32(s.address), ...le32(s.data.length), ...s.data);
  while ((start + out.length) % 16 !== 15) out.push(0);
  out.push(espChecksum(segments.map((s) => Uint8Array.from(s.data))));
  return out;
}

const iram = { address: 0x40100000, data: [0x01, 0x02, 0x03, 0x04, 0x10, 0x20, 0x30, 0x40] };
const dram = { address: 0x3ffe8000, data: [0xaa, 0xbb, 0xcc, 0xdd] };

describe('0xE9 images', () => {
  it('parses header fields and segments', () => {
    const bytes = Uint8Array.from(buildV1([iram, dram], { mode: 3, sizeFreq: 0x2f }));
    const image = parseEspImageV1(bytes);
    expect(image.header).toMatchObject({
      segmentCount: 2,
      flashModeName: 'DOUT',
      flashSizeName: '1M',
      flashSizeBytes: 0x100000,
      flashFreqMhz: 80,
      entry: 0x40100004,
    });
    expect(image.segments.map((s) => [s.loadAddress, s.length, s.dataOffset])).toEqual([
      [0x40100000, 8, 16],
      [0x3ffe8000, 4, 32],
    ]);
    expect([...image.segments[1].data]).toEqual(dram.data);
    expect(image.checksum.offset).toBe(47);
    expect(image.byteLength).toBe(48);
    expect(image.warnings).toEqual([]);
    expect(describeEspImage(image)).toBe('v1 image, 2 segments, entry 0x40100004, DOUT 1M 80 MHz');
  });

  it('seeds the checksum with 0xEF and XORs every data byte', () => {
    expect(espChecksum([])).toBe(0xef);
    expect(espChecksum([Uint8Array.of(0x0f), Uint8Array.of(0xf0, 0x01)])).toBe(0xef ^ 0xff ^ 0x01);
  });

  it('puts the checksum in the same block when the data ends on byte 15 of a block', () => {
    // 8 header + 8 segment header + 15 data bytes = 31: the checksum is byte 31, no padding.
    const seg = { address: 0x40100000, data: Array.from({ length: 15 }, (_, i) => i) };
    const bytes = Uint8Array.from(buildV1([seg]));
    expect(bytes.length).toBe(32);
    const image = parseEspImageV1(bytes);
    expect(image.checksum.offset).toBe(31);
    expect(image.warnings).toEqual(['segment 1 length 15 is not a multiple of 4']);
  });

  it('parses an image that sits inside a larger buffer (flash)', () => {
    const flash = new Uint8Array(0x2000).fill(0xff);
    flash.set(buildV1([iram], { start: 0x1000 }), 0x1000);
    const image = parseEspImage(flash, 0x1000);
    expect(image.format).toBe('v1');
    expect(image.byteLength).toBe(32);
  });

  it('rejects a bad magic byte', () => {
    const bytes = Uint8Array.from(buildV1([iram]));
    bytes[0] = 0xff;
    expect(() => parseEspImage(bytes)).toThrowError(/bad magic 0xff at 0x0/);
    expect(() => parseEspImageV1(bytes)).toThrowError(EspImageError);
  });

  it('rejects a header shorter than 8 bytes', () => {
    expect(() => parseEspImage(Uint8Array.of(0xe9, 1, 0))).toThrowError(
      /truncated: 3 bytes, the header needs 8/,
    );
  });

  it('rejects a missing segment header', () => {
    const bytes = Uint8Array.from(buildV1([iram])).subarray(0, 8);
    bytes[1] = 1;
    expect(() => parseEspImage(bytes)).toThrowError(/segment 1 of 1 has no header at 0x8/);
  });

  it('rejects a segment that runs past the end', () => {
    const bytes = Uint8Array.from(buildV1([iram, dram]));
    bytes.set(le32(0x1000), 28); // second segment's length
    try {
      parseEspImage(bytes);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EspImageError);
      expect((e as EspImageError).kind).toBe('segment-overflow');
      expect((e as Error).message).toMatch(
        /segment 2 of 2 \(load 0x3ffe8000, 4096 bytes at 0x20\) runs past the end/,
      );
    }
  });

  it('rejects a missing checksum byte', () => {
    const bytes = Uint8Array.from(buildV1([iram])).subarray(0, 30);
    expect(() => parseEspImage(bytes)).toThrowError(/checksum byte at 0x1f is past the end/);
  });

  it('rejects a checksum mismatch and names both values', () => {
    const bytes = Uint8Array.from(buildV1([iram, dram]));
    bytes[20] ^= 0x5a; // a data byte
    const good = espChecksum([Uint8Array.from(iram.data), Uint8Array.from(dram.data)]);
    expect(() => parseEspImage(bytes)).toThrowError(
      `image: checksum mismatch: stored 0x${good.toString(16)} at 0x2f, computed 0x${(good ^ 0x5a).toString(16)}`,
    );
  });

  it('reports unknown size and clock codes as warnings, not errors', () => {
    const image = parseEspImageV1(Uint8Array.from(buildV1([iram], { sizeFreq: 0x73 })));
    expect(image.header.flashSizeName).toBe('unknown');
    expect(image.warnings).toEqual(['unknown flash size code 7', 'unknown flash clock code 3']);
  });
});

describe('0xEA images', () => {
  function buildV2(iromLength: number, withCrc = true): Uint8Array {
    const irom = Array.from({ length: iromLength }, (_, i) => (i * 7) & 0xff);
    const head = [0xea, 4, 0, 0x00, ...le32(0x40100000), ...le32(0), ...le32(iromLength), ...irom];
    const app = buildV1([iram, dram], { start: head.length, sizeFreq: 0x50 });
    const crc = withCrc ? le32(0x12345678) : [];
    return Uint8Array.from([...head, ...app, ...crc]);
  }

  it('parses the irom segment, the embedded 0xE9 image and the CRC word', () => {
    const bytes = buildV2(32);
    const image = parseEspImage(bytes);
    if (image.format !== 'v2') throw new Error('expected v2');
    expect(image.irom).toMatchObject({ loadAddress: 0, length: 32, dataOffset: 16 });
    expect(image.app.offset).toBe(48);
    expect(image.app.header.flashSizeName).toBe('2M-c1');
    expect(image.app.segments).toHaveLength(2);
    expect(image.storedCrc).toBe(0x12345678);
    expect(image.byteLength).toBe(bytes.length);
    expect(describeEspImage(image)).toBe(
      'v2 image, irom0 32 bytes + 2 RAM segments, entry 0x40100004, QIO 512K 40 MHz',
    );
  });

  it('aligns the checksum from the start of the file, not of the embedded image', () => {
    // irom of 20 bytes leaves the 0xE9 header at 36, so its own alignment would differ.
    const image = parseEspImageV2(buildV2(20, false));
    expect(image.app.checksum.offset % 16).toBe(15);
    expect(image.storedCrc).toBeNull();
  });

  it('names the embedded image when it is broken', () => {
    const bytes = buildV2(32);
    bytes[48] = 0x00;
    expect(() => parseEspImage(bytes)).toThrowError(/application at 0x30\): bad magic 0x0/);
  });

  it('rejects an irom segment longer than the file', () => {
    const bytes = buildV2(32);
    bytes.set(le32(0x100000), 12);
    expect(() => parseEspImage(bytes)).toThrowError(/irom0 segment\): segment 1 of 1/);
  });
});
