/**
 * ESP8266 firmware image headers: the 0xE9 image the mask ROM boots from flash offset 0, and the
 * 0xEA "new" (v2) application image that Espressif's second-stage boot_v1.x loads.
 *
 * Layout of an 0xE9 image (all little-endian):
 *   0  magic 0xE9
 *   1  segment count
 *   2  SPI flash mode (0 QIO, 1 QOUT, 2 DIO, 3 DOUT)
 *   3  high nibble flash size, low nibble SPI clock
 *   4  entry point (u32)
 *   8  segments: load address (u32), length (u32), data
 *   …  zero padding to a 16-byte boundary of the file; the last padding byte is the checksum,
 *      0xEF XOR every data byte of every segment.
 *
 * An 0xEA image starts with an 8-byte header of the same shape (byte 1 is always 4), then one
 * segment holding the flash-mapped irom0 code (its data starts 16 bytes into the file and is read
 * through the flash cache, never copied), then an ordinary 0xE9 image with the RAM segments,
 * then a CRC32 word.
 */

export const ESP_IMAGE_MAGIC = 0xe9;
export const ESP_IMAGE_V2_MAGIC = 0xea;
export const ESP_CHECKSUM_SEED = 0xef;

const HEADER_BYTES = 8;
const SEGMENT_HEADER_BYTES = 8;

export type EspImageErrorKind = 'truncated' | 'bad-magic' | 'segment-overflow' | 'checksum';

export class EspImageError extends Error {
  override readonly name = 'EspImageError';
  constructor(
    readonly kind: EspImageErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const FLASH_MODES = ['QIO', 'QOUT', 'DIO', 'DOUT'] as const;

/** Header byte 3, high nibble: the size the image was built for. */
const FLASH_SIZE_BY_CODE: Readonly<Record<number, { name: string; bytes: number }>> = {
  0x0: { name: '512K', bytes: 0x80000 },
  0x1: { name: '256K', bytes: 0x40000 },
  0x2: { name: '1M', bytes: 0x100000 },
  0x3: { name: '2M', bytes: 0x200000 },
  0x4: { name: '4M', bytes: 0x400000 },
  // The "-c1" layouts put the second application at 1 MB instead of half the chip.
  0x5: { name: '2M-c1', bytes: 0x200000 },
  0x6: { name: '4M-c1', bytes: 0x400000 },
  0x8: { name: '8M', bytes: 0x800000 },
  0x9: { name: '16M', bytes: 0x1000000 },
};

/** Header byte 3, low nibble: the SPI clock. */
const FLASH_MHZ_BY_CODE: Readonly<Record<number, number>> = { 0x0: 40, 0x1: 26, 0x2: 20, 0xf: 80 };

export interface ImageHeader {
  magic: number;
  /** Byte 1: the segment count (for 0xEA headers a constant 4). */
  segmentCount: number;
  flashMode: number;
  /** `QIO`, `QOUT`, `DIO`, `DOUT`, or `mode N` for values the ROM treats as slow/fast read. */
  flashModeName: string;
  flashSizeCode: number;
  /** `4M`, `2M-c1`…, or `unknown` for a code no module uses. */
  flashSizeName: string;
  flashSizeBytes: number | null;
  flashFreqCode: number;
  flashFreqMhz: number | null;
  entry: number;
}

export interface ImageSegment {
  loadAddress: number;
  length: number;
  /** Offset of the segment's first data byte in the buffer that was parsed. */
  dataOffset: number;
  data: Uint8Array;
}

/** A parsed 0xE9 image (the ROM's format). */
export interface EspImageV1 {
  format: 'v1';
  /** Offset of the header in the buffer that was parsed. */
  offset: number;
  header: ImageHeader;
  segments: ImageSegment[];
  checksum: { stored: number; computed: number; offset: number };
  /** Bytes from the header to the checksum byte included. */
  byteLength: number;
  /** Oddities that do not stop the ROM (odd segment lengths, an unknown size code…). */
  warnings: string[];
}

/** A parsed 0xEA image (SDK "new" application format, loaded by boot_v1.x). */
export interface EspImageV2 {
  format: 'v2';
  offset: number;
  header: ImageHeader;
  /** The flash-mapped code: it runs at 0x40200000 + (flash offset of `irom.dataOffset`). */
  irom: ImageSegment;
  /** The 0xE9 image that follows the irom segment. */
  app: EspImageV1;
  /** The CRC32 word after the 0xE9 image, when the buffer holds it. */
  storedCrc: number | null;
  byteLength: number;
  warnings: string[];
}

export type EspImage = EspImageV1 | EspImageV2;

function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** 0xEF XOR every byte of every segment's data. */
export function espChecksum(segmentData: readonly Uint8Array[]): number {
  let sum = ESP_CHECKSUM_SEED;
  for (const data of segmentData) for (let i = 0; i < data.length; i++) sum ^= data[i];
  return sum;
}

function parseHeader(bytes: Uint8Array, offset: number, what: string): ImageHeader {
  if (bytes.length - offset < HEADER_BYTES) {
    throw new EspImageError(
      'truncated',
      `${what}: truncated: ${Math.max(0, bytes.length - offset)} bytes, the header needs ${HEADER_BYTES}`,
    );
  }
  const mode = bytes[offset + 2];
  const sizeFreq = bytes[offset + 3];
  const size = FLASH_SIZE_BY_CODE[sizeFreq >> 4];
  return {
    magic: bytes[offset],
    segmentCount: bytes[offset + 1],
    flashMode: mode,
    flashModeName: FLASH_MODES[mode] ?? `mode ${mode}`,
    flashSizeCode: sizeFreq >> 4,
    flashSizeName: size?.name ?? 'unknown',
    flashSizeBytes: size?.bytes ?? null,
    flashFreqCode: sizeFreq & 0xf,
    flashFreqMhz: FLASH_MHZ_BY_CODE[sizeFreq & 0xf] ?? null,
    entry: u32(bytes, offset + 4),
  };
}

function headerWarnings(header: ImageHeader): string[] {
  const warnings: string[] = [];
  if (header.flashMode > 3) warnings.push(`unusual flash mode ${header.flashMode}`);
  if (header.flashSizeBytes === null)
    warnings.push(`unknown flash size code ${header.flashSizeCode}`);
  if (header.flashFreqMhz === null)
    warnings.push(`unknown flash clock code ${header.flashFreqCode}`);
  return warnings;
}

function readSegment(
  bytes: Uint8Array,
  at: number,
  index: number,
  count: number,
  what: string,
): ImageSegment {
  if (bytes.length - at < SEGMENT_HEADER_BYTES) {
    throw new EspImageError(
      'truncated',
      `${what}: truncated: segment ${index + 1} of ${count} has no header at ${hex(at)} (the data ends at ${hex(bytes.length)})`,
    );
  }
  const loadAddress = u32(bytes, at);
  const length = u32(bytes, at + 4);
  const dataOffset = at + SEGMENT_HEADER_BYTES;
  if (dataOffset + length > bytes.length) {
    throw new EspImageError(
      'segment-overflow',
      `${what}: segment ${index + 1} of ${count} (load ${hex(loadAddress)}, ${length} bytes at ` +
        `${hex(dataOffset)}) runs past the end of the data (${hex(bytes.length)})`,
    );
  }
  return { loadAddress, length, dataOffset, data: bytes.subarray(dataOffset, dataOffset + length) };
}

/**
 * Parse the 0xE9 image at `offset`. The checksum sits at the last byte of the 16-byte block that
 * ends the image, counted from `alignBase` (the start of the file: for the image inside an 0xEA
 * file, the 0xEA header).
 */
export function parseEspImageV1(
  bytes: Uint8Array,
  offset = 0,
  alignBase = offset,
  what = 'image',
): EspImageV1 {
  const header = parseHeader(bytes, offset, what);
  if (header.magic !== ESP_IMAGE_MAGIC) {
    throw new EspImageError(
      'bad-magic',
      `${what}: bad magic ${hex(header.magic)} at ${hex(offset)} (an ESP8266 image starts with 0xe9)`,
    );
  }
  const warnings = headerWarnings(header);
  const segments: ImageSegment[] = [];
  let at = offset + HEADER_BYTES;
  for (let i = 0; i < header.segmentCount; i++) {
    const segment = readSegment(bytes, at, i, header.segmentCount, what);
    if (segment.length % 4 !== 0) {
      warnings.push(`segment ${i + 1} length ${segment.length} is not a multiple of 4`);
    }
    segments.push(segment);
    at = segment.dataOffset + segment.length;
  }
  // The checksum byte is the first byte at or after the data that ends a 16-byte block.
  const checksumOffset = alignBase + (Math.floor((at - alignBase) / 16) + 1) * 16 - 1;
  if (checksumOffset >= bytes.length) {
    throw new EspImageError(
      'truncated',
      `${what}: truncated: the checksum byte at ${hex(checksumOffset)} is past the end of the data (${hex(bytes.length)})`,
    );
  }
  const stored = bytes[checksumOffset];
  const computed = espChecksum(segments.map((s) => s.data));
  if (stored !== computed) {
    throw new EspImageError(
      'checksum',
      `${what}: checksum mismatch: stored ${hex(stored)} at ${hex(checksumOffset)}, computed ${hex(computed)}`,
    );
  }
  return {
    format: 'v1',
    offset,
    header,
    segments,
    checksum: { stored, computed, offset: checksumOffset },
    byteLength: checksumOffset + 1 - offset,
    warnings,
  };
}

/** Parse the 0xEA image at `offset`: header, irom0 segment, then the embedded 0xE9 image. */
export function parseEspImageV2(bytes: Uint8Array, offset = 0, what = 'image'): EspImageV2 {
  const header = parseHeader(bytes, offset, what);
  if (header.magic !== ESP_IMAGE_V2_MAGIC) {
    throw new EspImageError(
      'bad-magic',
      `${what}: bad magic ${hex(header.magic)} at ${hex(offset)} (a v2 application image starts with 0xea)`,
    );
  }
  const warnings = headerWarnings(header);
  if (header.segmentCount !== 4) warnings.push(`v2 header byte 1 is ${header.segmentCount}, not 4`);
  const irom = readSegment(bytes, offset + HEADER_BYTES, 0, 1, `${what} (irom0 segment)`);
  const appOffset = irom.dataOffset + irom.length;
  const app = parseEspImageV1(
    bytes,
    appOffset,
    offset,
    `${what} (application at ${hex(appOffset)})`,
  );
  const crcOffset = app.offset + app.byteLength;
  const storedCrc = crcOffset + 4 <= bytes.length ? u32(bytes, crcOffset) : null;
  return {
    format: 'v2',
    offset,
    header,
    irom,
    app,
    storedCrc,
    byteLength: crcOffset + (storedCrc === null ? 0 : 4) - offset,
    warnings: [...warnings, ...app.warnings],
  };
}

/** Parse whichever image format starts at `offset`. */
export function parseEspImage(bytes: Uint8Array, offset = 0, what = 'image'): EspImage {
  if (bytes.length > offset && bytes[offset] === ESP_IMAGE_V2_MAGIC) {
    return parseEspImageV2(bytes, offset, what);
  }
  if (bytes.length > offset && bytes[offset] !== ESP_IMAGE_MAGIC) {
    throw new EspImageError(
      'bad-magic',
      `${what}: bad magic ${hex(bytes[offset])} at ${hex(offset)} (an ESP8266 image starts with 0xe9, or 0xea for a v2 application)`,
    );
  }
  return parseEspImageV1(bytes, offset, offset, what);
}

/** One line for humans: "v1 image, 3 segments, entry 0x40100004, DIO 4M 40 MHz". */
export function describeEspImage(image: EspImage): string {
  const h = image.header;
  const mhz = h.flashFreqMhz === null ? `clock code ${h.flashFreqCode}` : `${h.flashFreqMhz} MHz`;
  const flash = `${h.flashModeName} ${h.flashSizeName} ${mhz}`;
  if (image.format === 'v1') {
    const n = image.segments.length;
    return `v1 image, ${n} segment${n === 1 ? '' : 's'}, entry ${hex(h.entry)}, ${flash}`;
  }
  const n = image.app.segments.length;
  return (
    `v2 image, irom0 ${image.irom.length} bytes + ${n} RAM segment${n === 1 ? '' : 's'}, ` +
    `entry ${hex(image.app.header.entry)}, ${flash}`
  );
}
