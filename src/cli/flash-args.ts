/** Images from the command line → the flash chip's contents (shared by `run` and `serve`). */

import {
  assembleFlash,
  FlashLayoutError,
  withHeaderFlashSize,
} from '../board/image/flash-layout.ts';
import { describeEspImage, parseEspImage } from '../board/image/esp-image.ts';
import type { FlashPart } from '../board/board-api.ts';
import { UsageError } from './errors.ts';
import type { CliHost } from './host.ts';
import type { ImageArg } from './run-args.ts';

function readParts(images: readonly ImageArg[], host: CliHost): FlashPart[] {
  return images.map(({ path, offset }) => {
    try {
      return { name: path, offset, data: host.readFile(path) };
    } catch (error) {
      throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
    }
  });
}

/**
 * Reads the images and lays them out as esptool would write them; bad input is a UsageError.
 * `headerSizeCode` (from `--header-size`) rewrites the size nibble of the header at offset 0.
 */
export function flashFromImages(
  images: readonly ImageArg[],
  flashSize: number,
  headerSizeCode: number | null,
  host: CliHost,
): Uint8Array {
  let parts = readParts(images, host);
  if (headerSizeCode !== null) {
    const header = withHeaderFlashSize(parts, headerSizeCode);
    if (!header.patched) {
      host.writeStderr(
        'v8266: warning: --header-size: no 0xE9 image header at offset 0 to patch\n',
      );
    }
    parts = header.parts;
  }
  let flash: Uint8Array;
  try {
    flash = assembleFlash(parts, flashSize);
  } catch (error) {
    if (error instanceof FlashLayoutError) throw new UsageError(error.message);
    throw error;
  }
  return flash;
}

/** What the ROM will find at flash offset 0, or why it will not boot. */
export function bootImageSummary(flash: Uint8Array): { ok: boolean; text: string } {
  try {
    return { ok: true, text: describeEspImage(parseEspImage(flash, 0, 'flash at 0x0')) };
  } catch (error) {
    return { ok: false, text: (error as Error).message };
  }
}

/**
 * The summary, with a warning on stderr when the ROM will not boot it. Not fatal: a bad header is
 * a legitimate thing to run (the ROM's reaction is the point).
 */
export function checkBootImage(flash: Uint8Array, host: CliHost): { ok: boolean; text: string } {
  const boot = bootImageSummary(flash);
  if (!boot.ok) host.writeStderr(`v8266: warning: ${boot.text}; the ROM will not boot it\n`);
  return boot;
}
