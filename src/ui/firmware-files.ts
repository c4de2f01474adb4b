/** Turning dropped or picked files into a flash image, with errors a person can act on. */

import { ElfFile, ElfFormatError } from '../board/image/elf.ts';
import { elfToImage, ElfToImageError } from '../board/image/elf-to-image.ts';
import { EspImageError, describeEspImage, parseEspImage } from '../board/image/esp-image.ts';
import {
  guessOffset,
  HEADER_FLASH_SIZES,
  headerCodeBytes,
  headerCodeName,
  readHeaderFlashSize,
  hex,
  parseOffset,
} from '../board/image/flash-layout.ts';

const HEADER_CODE_256KB = HEADER_FLASH_SIZES.get('256KB')!;
import { DEFAULT_FLASH_SIZE } from '../worker/flash-image.ts';
import type { FlashImage } from '../worker/protocol.ts';

export interface NamedBytes {
  name: string;
  data: Uint8Array;
  /** Flash offset; a single .bin goes to 0 (an Arduino sketch image or a merged image). */
  offset?: number;
}

export class FirmwareFileError extends Error {
  override name = 'FirmwareFileError';
}

export const FLASH_SIZE_CHOICES: readonly { label: string; bytes: number }[] = [
  { label: '512 KB', bytes: 0x80000 },
  { label: '1 MB', bytes: 0x100000 },
  { label: '2 MB', bytes: 0x200000 },
  { label: '4 MB', bytes: 0x400000 },
  { label: '8 MB', bytes: 0x800000 },
  { label: '16 MB', bytes: 0x1000000 },
];

/** "4 MB", "512 KB": a flash size as the page writes it. */
export function flashSizeLabel(bytes: number): string {
  return FLASH_SIZE_CHOICES.find((c) => c.bytes === bytes)?.label ?? `${bytes} bytes`;
}

/**
 * The flash size an ESP8266 image's header declares (byte 3, high nibble: the code esptool's
 * `--flash_size` writes), or null for a file that is no image, an unknown code or 256 KB (no
 * board has less than 512 KB).
 */
export function headerFlashSize(data: Uint8Array): number | null {
  if (data.length < 4 || (data[0] !== 0xe9 && data[0] !== 0xea)) return null;
  const code = data[3] >> 4;
  return code === HEADER_CODE_256KB ? null : headerCodeBytes(code);
}

/** The flash dialog's header sizes (esptool's `--flash_size` names), smallest first. */
export const HEADER_SIZE_CHOICES: readonly { label: string; code: number }[] = [
  ...HEADER_FLASH_SIZES.values(),
]
  .map((code) => ({ label: headerCodeName(code)!, code }))
  .sort((a, b) => headerCodeBytes(a.code)! - headerCodeBytes(b.code)! || a.code - b.code);

/** The plain (not -c1) header code for a flash size, or null when none declares it. */
export function headerCodeForSize(flashSize: number): number | null {
  return HEADER_SIZE_CHOICES.find((c) => headerCodeBytes(c.code) === flashSize)?.code ?? null;
}

/**
 * What an SDK will do wrong when the image header at offset 0 (`boot`, after the dialog's header
 * choice: `code` or, with null, the file's own) declares another size than the flash has: the
 * NONOS SDK places its init data and RF calibration sectors from the header, not from the chip.
 * Null when they agree or there is no 0xE9 image at 0.
 */
export function headerSizeMismatch(
  boot: Uint8Array | null,
  code: number | null,
  flashSize: number,
): string | null {
  const effective = code ?? (boot ? readHeaderFlashSize(boot) : null);
  if (effective === null) return null;
  const declared = headerCodeBytes(effective);
  if (declared === flashSize) return null;
  const name = headerCodeName(effective) ?? `code ${effective}`;
  const where =
    declared === null
      ? ''
      : `: SDK firmware will look for its init data at ${hex(declared - 0x4000)}`;
  const c1 =
    flashSize === 0x200000 || flashSize === 0x400000
      ? ' (OTA layouts with 1024 KB apps need the -c1 map)'
      : '';
  return `The image header says ${name} but the flash is ${flashSizeLabel(flashSize)}${where}${c1}.`;
}

/**
 * The flash size for one dropped file: what its header declares, when the file fits (a full
 * flash dump whose boot header says less keeps the board's size), else the board's.
 */
export function flashSizeForDrop(file: NamedBytes, boardSize: number): number {
  const declared = headerFlashSize(file.data);
  return declared !== null && declared >= file.data.length ? declared : boardSize;
}

/**
 * A dropped image whose header declares less flash than the image itself fills cannot be right
 * for any chip: flashed as it is, the SDK writes its init data at the end of the declared size,
 * over the firmware's own code (MicroPython's release images say 512 KB and are 620 KB; on a chip
 * that crash-loops with IllegalInstruction). `esptool.py write_flash --flash_size detect`, which
 * such firmware's instructions use, writes the chip's size into the header instead. The same
 * here: a copy with the header saying `boardSize`, and the sentence that tells the user; null when
 * the header is plausible (or the file no image).
 */
export function detectFlashSize(
  file: NamedBytes,
  boardSize: number,
): { file: NamedBytes; note: string } | null {
  const declared = headerFlashSize(file.data);
  const code = headerCodeForSize(boardSize);
  if (declared === null || declared >= file.data.length || code === null) return null;
  const data = file.data.slice();
  data[3] = (code << 4) | (data[3] & 0x0f);
  return {
    file: { ...file, data },
    note:
      `${file.name}: its header says ${flashSizeLabel(declared)} of flash but the image is ` +
      `${Math.ceil(file.data.length / 1024)} KB, so the header now says ${flashSizeLabel(boardSize)}, ` +
      `as esptool's write_flash --flash_size detect writes it.`,
  };
}

export type FileKind = 'image' | 'image-v2' | 'data';

/** What a file's first byte says: an 0xE9 boot image, an 0xEA (SDK v2) image, or plain data. */
export function fileKind(data: Uint8Array): FileKind {
  if (data[0] === 0xe9) return 'image';
  if (data[0] === 0xea) return 'image-v2';
  return 'data';
}

/**
 * The part at offset 0 is what the ROM boots: it must be a whole ESP8266 image. A checksum
 * mismatch is let through (the ROM reports it, as on hardware); a wrong magic byte or an image
 * cut short is refused, so a bad file never replaces a running board.
 */
export function checkBootImage(file: NamedBytes): void {
  if (fileKind(file.data) === 'data') {
    const first = file.data[0].toString(16).padStart(2, '0');
    throw new FirmwareFileError(
      `${file.name} is not an ESP8266 firmware image: it starts with 0x${first}; the ROM boots only images starting with 0xE9.`,
    );
  }
  try {
    parseEspImage(file.data, 0, file.name);
  } catch (err) {
    if (!(err instanceof EspImageError)) throw err;
    if (err.kind !== 'checksum') {
      throw new FirmwareFileError(
        `${file.name} is damaged: ${err.message.replace(`${file.name}: `, '')}`,
      );
    }
  }
}

/**
 * What the part at 0x0 was recognised as, for a file not named .bin (null for a .bin, which says
 * what it is): "flash.img: an ESP8266 v1 image, 3 segments, entry 0x40100004, QIO 4MB 40 MHz".
 */
export function recognisedBootImage(image: FlashImage): string | null {
  const boot = image.parts.find((p) => p.offset === 0);
  if (!boot || /\.bin$/i.test(boot.name ?? '')) return null;
  try {
    return `${boot.name}: an ESP8266 ${describeEspImage(parseEspImage(boot.data, 0, boot.name))}`;
  } catch {
    return `${boot.name}: an ESP8266 image (its checksum does not match; the ROM will say so)`;
  }
}

export function imageFromFiles(files: NamedBytes[], flashSize = DEFAULT_FLASH_SIZE): FlashImage {
  if (files.length === 0) throw new FirmwareFileError('No file dropped.');
  if (files.length > 1 && files.some((f) => f.offset === undefined)) {
    throw new FirmwareFileError('Several parts need an offset each.');
  }
  // Files are taken by their content, whatever their name (`esptool read_flash` writes .img
  // dumps): the part at 0x0 must be an image the ROM boots; the others are data at their offset.
  for (const file of files) {
    if (file.data.length === 0) {
      throw new FirmwareFileError(`${file.name} is empty (0 bytes): nothing to flash.`);
    }
    if (file.data.length > flashSize) {
      throw new FirmwareFileError(
        `${file.name} is larger than the board's ${flashSize / 0x100000} MB flash.`,
      );
    }
  }
  const boot = files.find((f) => (f.offset ?? 0) === 0);
  if (!boot) throw new FirmwareFileError('Nothing at offset 0x0: the ROM would find no image.');
  checkBootImage(boot);
  return {
    flashSize,
    parts: files.map((f) => ({ name: f.name, offset: f.offset ?? 0, data: f.data })),
  };
}

/**
 * The offset table's text after the flash size changed: offsets that were the SDK's
 * size-relative guesses for the old size (`esp_init_data_default` at size − 0x4000, `blank.bin`
 * at size − 0x2000) follow the new size; anything else, typed or from a manifest, stays.
 */
export function offsetsForFlashSize(
  names: readonly string[],
  offsets: readonly string[],
  oldSize: number,
  newSize: number,
): string[] {
  return offsets.map((text, i) => {
    const before = guessOffset(names[i], oldSize);
    const after = guessOffset(names[i], newSize);
    if (before === null || after === null || before === after) return text;
    let typed: number;
    try {
      typed = parseOffset(text);
    } catch {
      return text;
    }
    return typed === before ? hex(after) : text;
  });
}

/** One row of the offset table. */
export interface FlashRow {
  name: string;
  data: Uint8Array;
  kind: FileKind;
  /** null: nobody knows; the user must type one. */
  offset: number | null;
}

/**
 * Offsets for several files: what the manifest says, else what the SDK names imply
 * (`guessOffset`), else 0x0 for the one 0xE9 image nothing else claims.
 */
export function planFlash(
  files: NamedBytes[],
  flashSize: number,
  known: ReadonlyMap<string, number> = new Map(),
): FlashRow[] {
  const rows: FlashRow[] = files.map((f) => ({
    name: f.name,
    data: f.data,
    kind: fileKind(f.data),
    offset: known.get(f.name) ?? f.offset ?? guessOffset(f.name, flashSize),
  }));
  if (!rows.some((r) => r.offset === 0)) {
    const images = rows.filter((r) => r.kind === 'image' && r.offset === null);
    if (images.length === 1) images[0].offset = 0;
  }
  return rows.sort((a, b) => (a.offset ?? Infinity) - (b.offset ?? Infinity));
}

/**
 * An esp-web-tools manifest: `builds[{ chipFamily: "ESP8266", parts: [{ path, offset }] }]`.
 * Returns the ESP8266 parts with their file names (the last path segment).
 */
export function parseManifest(text: string): {
  name: string;
  parts: { file: string; offset: number }[];
} {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new FirmwareFileError('manifest.json is not valid JSON.');
  }
  const manifest = (json ?? {}) as { name?: unknown; builds?: unknown };
  const builds: { chipFamily?: unknown; parts?: unknown }[] = Array.isArray(manifest.builds)
    ? manifest.builds
    : [];
  const build = builds.find((b) => String(b?.chipFamily).toUpperCase() === 'ESP8266');
  if (!build) throw new FirmwareFileError('manifest.json has no build for chipFamily "ESP8266".');
  const parts: { path?: unknown; offset?: unknown }[] = Array.isArray(build.parts)
    ? build.parts
    : [];
  if (parts.length === 0)
    throw new FirmwareFileError("The manifest's ESP8266 build lists no parts.");
  return {
    name: typeof manifest.name === 'string' ? manifest.name : 'manifest',
    parts: parts.map((p) => {
      if (typeof p?.path !== 'string' || typeof p.offset !== 'number') {
        throw new FirmwareFileError('Each manifest part needs a "path" and a numeric "offset".');
      }
      return { file: p.path.split('/').pop()!, offset: p.offset };
    }),
  };
}

/** An ELF file: `\x7fELF` at the start. */
export function isElf(data: Uint8Array): boolean {
  return data[0] === 0x7f && data[1] === 0x45 && data[2] === 0x4c && data[3] === 0x46;
}

/**
 * An .elf becomes the flash parts esptool elf2image would write (`name-0x00000.bin` with the RAM
 * segments, `name-0x10000.bin`… with irom0); its symbols stay with the caller for crash decoding.
 * Files without an ELF pass through; an ELF must come alone.
 */
export function expandElf(files: NamedBytes[]): { files: NamedBytes[]; elf: ElfFile | null } {
  const elfIndex = files.findIndex((f) => isElf(f.data));
  if (elfIndex < 0) return { files, elf: null };
  const file = files[elfIndex]!;
  if (files.length > 1) {
    throw new FirmwareFileError(
      `${file.name} is an ELF: drop it alone (its parts are made from it), not with other files.`,
    );
  }
  try {
    const elf = new ElfFile(file.data);
    const base = file.name.replace(/\.elf$/i, '');
    const parts = elfToImage(elf).parts.map((p) => ({
      name: `${base}-0x${p.offset.toString(16).padStart(5, '0')}.bin`,
      data: p.data,
      offset: p.offset,
    }));
    return { files: parts, elf };
  } catch (err) {
    if (err instanceof ElfFormatError || err instanceof ElfToImageError) {
      throw new FirmwareFileError(`${file.name}: ${err.message}`);
    }
    throw err;
  }
}

export type DropPlan = { direct: NamedBytes } | { table: FlashRow[]; title: string };

/**
 * What a drop means: one .bin → flash it at 0x0 (`direct`); several files, or a manifest with
 * its parts → the offset table (`table`).
 */
export function interpretDrop(files: NamedBytes[], flashSize: number): DropPlan {
  const manifestFile = files.find((f) => /\.json$/i.test(f.name));
  if (manifestFile) {
    const manifest = parseManifest(new TextDecoder().decode(manifestFile.data));
    const bins = files.filter((f) => f !== manifestFile);
    const missing = manifest.parts.filter((p) => !bins.some((b) => b.name === p.file));
    if (missing.length > 0) {
      throw new FirmwareFileError(
        `The manifest needs ${missing.map((m) => m.file).join(', ')}: drop ${missing.length > 1 ? 'them' : 'it'} together with ${manifestFile.name}.`,
      );
    }
    const known = new Map(manifest.parts.map((p) => [p.file, p.offset]));
    const used = bins.filter((b) => known.has(b.name));
    return { table: planFlash(used, flashSize, known), title: manifest.name };
  }
  if (files.length === 0) throw new FirmwareFileError('No file dropped.');
  if (files.length === 1) return { direct: files[0] };
  if (files.some((f) => isElf(f.data))) expandElf(files); // throws: an ELF comes alone
  return { table: planFlash(files, flashSize), title: `${files.length} files` };
}

export async function readFiles(files: Iterable<File>): Promise<NamedBytes[]> {
  return Promise.all(
    [...files].map(async (file) => ({
      name: file.name,
      data: new Uint8Array(await file.arrayBuffer()),
    })),
  );
}
