/**
 * Turning a list of (offset, bytes) parts into the contents of a flash chip, the way a flasher
 * does: the chip starts erased (all 0xFF) and each part is programmed at its offset.
 */

import type { FlashImage } from './protocol.ts';

/** Flash sizes the ESP8266 modules ship with (ESP-01 512 KB … NodeMCU/D1 mini 4 MB, 16 MB). */
const FLASH_SIZES = [0x80000, 0x100000, 0x200000, 0x400000, 0x800000, 0x1000000];

export const DEFAULT_FLASH_SIZE = 0x400000;

export class FlashImageError extends Error {
  override name = 'FlashImageError';
}

export function assembleFlash(image: FlashImage): Uint8Array {
  const { parts, flashSize } = image;
  if (!FLASH_SIZES.includes(flashSize)) {
    throw new FlashImageError(`unsupported flash size ${flashSize} bytes`);
  }
  if (parts.length === 0) throw new FlashImageError('no firmware parts to flash');
  const flash = new Uint8Array(flashSize).fill(0xff);
  const sorted = [...parts].sort((a, b) => a.offset - b.offset);
  let previousEnd = 0;
  let previousName = '';
  for (const part of sorted) {
    const name = part.name ?? `part at 0x${part.offset.toString(16)}`;
    if (part.data.length === 0) throw new FlashImageError(`${name} is empty (0 bytes)`);
    if (!Number.isInteger(part.offset) || part.offset < 0) {
      throw new FlashImageError(`${name}: bad offset ${part.offset}`);
    }
    const end = part.offset + part.data.length;
    if (end > flashSize) {
      throw new FlashImageError(
        `${name} (${part.data.length} bytes at 0x${part.offset.toString(16)}) does not fit in ` +
          `${flashSize / 0x100000} MB of flash`,
      );
    }
    if (part.offset < previousEnd) {
      throw new FlashImageError(`${name} overlaps ${previousName}`);
    }
    flash.set(part.data, part.offset);
    previousEnd = end;
    previousName = name;
  }
  return flash;
}

/** A short label for the loaded image: the first part's name, plus how many more. */
export function describeImage(image: FlashImage): string {
  const first = image.parts[0]?.name ?? 'firmware';
  return image.parts.length > 1 ? `${first} +${image.parts.length - 1}` : first;
}
