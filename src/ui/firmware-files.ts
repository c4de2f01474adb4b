/** Turning dropped or picked files into a flash image, with errors a person can act on. */

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

export function imageFromFiles(files: NamedBytes[]): FlashImage {
  if (files.length === 0) throw new FirmwareFileError('No file dropped.');
  if (files.length > 1 && files.some((f) => f.offset === undefined)) {
    throw new FirmwareFileError(
      'Drop one .bin file (several parts need offsets; not supported yet).',
    );
  }
  for (const file of files) {
    if (!/\.bin$/i.test(file.name)) {
      throw new FirmwareFileError(`${file.name} is not a .bin firmware image.`);
    }
    if (file.data.length === 0) {
      throw new FirmwareFileError(`${file.name} is empty (0 bytes): nothing to flash.`);
    }
    if (file.data.length > DEFAULT_FLASH_SIZE) {
      throw new FirmwareFileError(`${file.name} is larger than the board's 4 MB flash.`);
    }
  }
  return {
    flashSize: DEFAULT_FLASH_SIZE,
    parts: files.map((f) => ({ name: f.name, offset: f.offset ?? 0, data: f.data })),
  };
}

export async function readFiles(files: Iterable<File>): Promise<NamedBytes[]> {
  return Promise.all(
    [...files].map(async (file) => ({
      name: file.name,
      data: new Uint8Array(await file.arrayBuffer()),
    })),
  );
}
