/**
 * An ELF (what xtensa-lx106-elf-ld writes for a NONOS SDK or Arduino build) turned into the flash
 * parts `esptool elf2image` would write for it:
 *
 *   0x00000  an 0xE9 image with every RAM segment (IRAM 0x4010xxxx, DRAM 0x3FFExxxx): header,
 *            segments (load address, length, data padded to 4 bytes), zero padding so the image
 *            ends on a 16-byte boundary, the last byte being 0xEF XOR every data byte;
 *   N        the irom0 code, linked at 0x40200000 + N: the flash cache maps flash offset N there
 *            (esp8266-hw.md §7), so those bytes are stored as they are at offset N.
 *
 * Pure: no I/O, no DOM. Segments with no bytes in the file (.bss) are skipped (the firmware's
 * start-up code zeroes them).
 */

import { ElfFile } from './elf.ts';
import { ESP_CHECKSUM_SEED, ESP_IMAGE_MAGIC } from './esp-image.ts';

export const IROM_BASE = 0x40200000;
/** The flash window is 1 MB wide (the cache maps one 1 MB block at a time). */
export const IROM_WINDOW = 0x100000;

export class ElfToImageError extends Error {
  override name = 'ElfToImageError';
}

export interface ElfImagePart {
  offset: number;
  data: Uint8Array;
}

export interface ElfImageOptions {
  /** Header byte 2: 0 QIO, 1 QOUT, 2 DIO, 3 DOUT. Default DIO. */
  flashMode?: number;
  /** Header byte 3: high nibble flash size code, low nibble clock. Default 0x40 (4 MB, 40 MHz). */
  sizeFreq?: number;
}

export interface ElfImage {
  entry: number;
  /** The 0xE9 image at 0x0, then the irom0 part when the ELF has one. */
  parts: ElfImagePart[];
  /** Each RAM segment that went into the image, in image order. */
  ramSegments: { address: number; length: number }[];
}

function isRam(addr: number): boolean {
  return (
    (addr >= 0x40100000 && addr < 0x40110000) || // IRAM
    (addr >= 0x3ffe8000 && addr < 0x40000000) // DRAM
  );
}

function isIrom(addr: number): boolean {
  return addr >= IROM_BASE && addr < IROM_BASE + IROM_WINDOW;
}

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

export function elfToImage(
  elfOrBytes: ElfFile | Uint8Array,
  options: ElfImageOptions = {},
): ElfImage {
  const elf = elfOrBytes instanceof ElfFile ? elfOrBytes : new ElfFile(elfOrBytes);
  const ram: { address: number; data: Uint8Array }[] = [];
  const irom: { address: number; data: Uint8Array }[] = [];
  for (const seg of elf.loadSegments) {
    if (seg.data.length === 0) continue; // .bss: nothing stored
    const addr = seg.vaddr >>> 0;
    const end = addr + seg.data.length;
    if (isRam(addr)) ram.push({ address: addr, data: seg.data });
    else if (isIrom(addr) && end <= IROM_BASE + IROM_WINDOW)
      irom.push({ address: addr, data: seg.data });
    else {
      throw new ElfToImageError(
        `segment at ${hex(addr)} (${seg.data.length} bytes) is neither RAM (IRAM 0x40100000, DRAM 0x3ffe8000) nor the flash window at 0x40200000`,
      );
    }
  }
  if (ram.length === 0)
    throw new ElfToImageError('the ELF has no RAM segment: nothing for the ROM to load');
  if (ram.length > 255) throw new ElfToImageError('more than 255 RAM segments');
  if (!isRam(elf.entry) && !isIrom(elf.entry)) {
    throw new ElfToImageError(`entry point ${hex(elf.entry)} is outside RAM and the flash window`);
  }

  // The 0xE9 image.
  const padded = ram.map((s) => {
    const data = new Uint8Array((s.data.length + 3) & ~3);
    data.set(s.data);
    return { address: s.address, data };
  });
  let length = 8;
  for (const s of padded) length += 8 + s.data.length;
  const image = new Uint8Array((length | 15) + 1); // at least one padding byte: the checksum
  const view = new DataView(image.buffer);
  image[0] = ESP_IMAGE_MAGIC;
  image[1] = padded.length;
  image[2] = options.flashMode ?? 2;
  image[3] = options.sizeFreq ?? 0x40;
  view.setUint32(4, elf.entry, true);
  let at = 8;
  let checksum = ESP_CHECKSUM_SEED;
  for (const s of padded) {
    view.setUint32(at, s.address, true);
    view.setUint32(at + 4, s.data.length, true);
    image.set(s.data, at + 8);
    for (const b of s.data) checksum ^= b;
    at += 8 + s.data.length;
  }
  image[image.length - 1] = checksum;
  const parts: ElfImagePart[] = [{ offset: 0, data: image }];

  // irom0: one part from the lowest to the highest irom byte (gaps erased, 0xFF).
  if (irom.length > 0) {
    const start = Math.min(...irom.map((s) => s.address));
    const end = Math.max(...irom.map((s) => s.address + s.data.length));
    const data = new Uint8Array(end - start).fill(0xff);
    for (const s of irom) data.set(s.data, s.address - start);
    const offset = start - IROM_BASE;
    if (offset < image.length) {
      throw new ElfToImageError(
        `the irom0 code at ${hex(start)} (flash offset ${hex(offset)}) overlaps the ${image.length}-byte boot image at 0x0`,
      );
    }
    parts.push({ offset, data });
  }
  return {
    entry: elf.entry,
    parts,
    ramSegments: padded.map((s) => ({ address: s.address, length: s.data.length })),
  };
}
