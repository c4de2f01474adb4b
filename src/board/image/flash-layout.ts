/**
 * Building the contents of the SPI flash chip from separate files, the way esptool writes them:
 * each file lands at its own offset, everything else stays erased (0xFF).
 *
 * Shared by the CLI (`v8266 run a.bin@0x0 b.bin@0x10000`) and the web app (drop files, guess
 * offsets from the names the Espressif SDKs give them).
 */

import type { FlashPart } from '../board-api.ts';

/** Input that cannot make a flash image: the message names the offending file(s) or value. */
export class FlashLayoutError extends Error {
  override readonly name = 'FlashLayoutError';
}

const KB = 1024;
const MB = 1024 * KB;

/** The flash sizes ESP8266 modules ship with, by the name users type. */
export const FLASH_SIZES: ReadonlyMap<string, number> = new Map([
  ['512K', 512 * KB],
  ['1M', 1 * MB],
  ['2M', 2 * MB],
  ['4M', 4 * MB],
  ['8M', 8 * MB],
  ['16M', 16 * MB],
]);

export const DEFAULT_FLASH_SIZE = 4 * MB;

/** `512K`, `1M`, `4MB`, `512kb`… → bytes. */
export function parseFlashSize(text: string): number {
  const key = text.trim().toUpperCase().replace(/B$/, '');
  const size = FLASH_SIZES.get(key);
  if (size === undefined) {
    const valid = [...FLASH_SIZES.keys()].join(', ');
    throw new FlashLayoutError(`bad flash size "${text}" (use one of ${valid})`);
  }
  return size;
}

/** Bytes → the name users type (4194304 → "4M"), or hex when it is not a standard size. */
export function formatFlashSize(bytes: number): string {
  for (const [name, size] of FLASH_SIZES) if (size === bytes) return name;
  return hex(bytes);
}

/** `0x10000` or `65536` → 65536. Only non-negative whole numbers that fit in 32 bits. */
export function parseOffset(text: string): number {
  const t = text.trim();
  let value: number;
  if (/^0x[0-9a-f]+$/i.test(t)) value = parseInt(t.slice(2), 16);
  else if (/^[0-9]+$/.test(t)) value = parseInt(t, 10);
  else throw new FlashLayoutError(`bad offset "${text}" (use hex like 0x10000 or decimal)`);
  if (value > 0xffffffff) throw new FlashLayoutError(`offset ${text} is too large`);
  return value;
}

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

function partName(part: FlashPart, index: number): string {
  return part.name ?? `part ${index + 1}`;
}

/**
 * Lay `parts` out in a flash chip of `flashSize` bytes. Overlaps and parts that run past the end
 * are errors rather than silent truncation: a mistyped offset should not boot a half-written image.
 */
export function assembleFlash(parts: readonly FlashPart[], flashSize: number): Uint8Array {
  const ordered = parts
    .map((part, index) => ({ part, name: partName(part, index) }))
    .sort((a, b) => a.part.offset - b.part.offset);
  for (const { part, name } of ordered) {
    if (!Number.isInteger(part.offset) || part.offset < 0) {
      throw new FlashLayoutError(`${name}: bad offset ${part.offset}`);
    }
    const end = part.offset + part.data.length;
    if (end > flashSize) {
      throw new FlashLayoutError(
        `${name} (${part.data.length} bytes at ${hex(part.offset)}) runs past the end of the ` +
          `${formatFlashSize(flashSize)} flash (${hex(flashSize)} bytes); use --flash-size or a smaller offset`,
      );
    }
  }
  for (let i = 1; i < ordered.length; i++) {
    const a = ordered[i - 1];
    const b = ordered[i];
    const aEnd = a.part.offset + a.part.data.length;
    // Empty files occupy nothing, so they cannot overlap anything.
    if (b.part.data.length > 0 && a.part.data.length > 0 && b.part.offset < aEnd) {
      throw new FlashLayoutError(
        `${a.name} (${range(a.part)}) overlaps ${b.name} (${range(b.part)})`,
      );
    }
  }
  const flash = new Uint8Array(flashSize).fill(0xff);
  for (const { part } of ordered) flash.set(part.data, part.offset);
  return flash;
}

function range(part: FlashPart): string {
  return `${hex(part.offset)}–${hex(part.offset + part.data.length - 1)}`;
}

/**
 * Where the Espressif SDKs expect a file, from its name (the names their build and release
 * folders use). `null` when the name says nothing; the caller then asks the user.
 */
export function guessOffset(fileName: string, flashSize: number): number | null {
  const base = fileName.split(/[\\/]/).pop()!.toLowerCase();
  if (/^boot_v1\.\d+.*\.bin$/.test(base)) return 0x0;
  if (base.startsWith('user1')) return 0x1000;
  if (base === 'eagle.flash.bin') return 0x0;
  if (base === 'eagle.irom0text.bin') return 0x10000;
  // The SDK keeps its RF calibration data and system parameters in the last sectors.
  if (base.startsWith('esp_init_data_default')) return flashSize - 0x4000;
  if (base === 'blank.bin') return flashSize - 0x2000;
  return null;
}

/**
 * The flash-size codes of an ESP8266 image header (byte 3, high nibble; esp8266-hw.md §7.6), by
 * the names esptool's `--flash_size` takes. The ROM never reads them; the SDK does, to place its
 * RF calibration and system parameter sectors, which is why esptool and Espressif's download tool
 * rewrite them while flashing.
 */
export const HEADER_FLASH_SIZES: ReadonlyMap<string, number> = new Map([
  ['512KB', 0],
  ['256KB', 1],
  ['1MB', 2],
  ['2MB', 3],
  ['4MB', 4],
  ['2MB-C1', 5],
  ['4MB-C1', 6],
  ['8MB', 8],
  ['16MB', 9],
]);

/** The flash size (bytes) a header size code declares; the -c1 maps are the same size. */
const HEADER_CODE_BYTES: ReadonlyMap<number, number> = new Map([
  [0, 512 * KB],
  [1, 256 * KB],
  [2, MB],
  [3, 2 * MB],
  [4, 4 * MB],
  [5, 2 * MB],
  [6, 4 * MB],
  [8, 8 * MB],
  [9, 16 * MB],
]);

/** A header size code (0..15) → the flash size it declares in bytes, or null for no code. */
export function headerCodeBytes(code: number): number | null {
  return HEADER_CODE_BYTES.get(code) ?? null;
}

/** A header size code → its esptool name as users write it ("1MB", "2MB-c1"), or null. */
export function headerCodeName(code: number): string | null {
  for (const [name, c] of HEADER_FLASH_SIZES) if (c === code) return name.replace('-C1', '-c1');
  return null;
}

/** The size code in the header of an 0xE9 image at the start of `data`, or null (no such image). */
export function readHeaderFlashSize(data: Uint8Array): number | null {
  return data.length >= 8 && data[0] === 0xe9 ? data[3] >> 4 : null;
}

/** `1MB`, `1M`, `2MB-c1`… → the header size code (0..9). */
export function parseHeaderFlashSize(text: string): number {
  const t = text.trim().toUpperCase();
  const key = /^[0-9]+[KM]$/.test(t) ? `${t}B` : t.replace(/^([0-9]+[KM])(-C1)$/, '$1B$2');
  const code = HEADER_FLASH_SIZES.get(key);
  if (code === undefined) {
    const valid = [...HEADER_FLASH_SIZES.keys()].join(', ');
    throw new FlashLayoutError(`bad header flash size "${text}" (use one of ${valid})`);
  }
  return code;
}

/**
 * What `esptool write_flash --flash_size SIZE` does to the image it writes at offset 0: set the
 * size nibble of its header (byte 3 high nibble), keeping the frequency nibble. Only a 0xE9
 * header is touched; returns false when offset 0 holds none. The checksum does not cover the
 * header, so the image stays valid.
 */
export function patchHeaderFlashSize(flash: Uint8Array, code: number): boolean {
  if (readHeaderFlashSize(flash) === null) return false;
  flash[3] = ((code & 0xf) << 4) | (flash[3] & 0x0f);
  return true;
}

/**
 * The parts as `esptool write_flash --flash_size` writes them: the 0xE9 image at offset 0 gets
 * `code` in its header (a patched copy; the caller's bytes stay as they were), everything else is
 * unchanged. `patched` is false when no part at offset 0 starts with an 0xE9 header. The CLI's
 * `--header-size` and the page's flash dialog both go through here.
 */
export function withHeaderFlashSize<T extends FlashPart>(
  parts: readonly T[],
  code: number,
): { parts: T[]; patched: boolean } {
  let patched = false;
  const out = parts.map((part) => {
    if (part.offset !== 0 || readHeaderFlashSize(part.data) === null) return part;
    const data = part.data.slice();
    patched = patchHeaderFlashSize(data, code);
    return { ...part, data };
  });
  return { parts: out, patched };
}
