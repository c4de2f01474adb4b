import { DwarfFormatError, readLineTable, type LineTable } from '../../board/image/dwarf-lines.ts';
import type { ElfFile } from '../../board/image/elf.ts';

export type LineInfo =
  { kind: 'lines'; table: LineTable } | { kind: 'none' } | { kind: 'error'; message: string };

const cache = new WeakMap<ElfFile, LineInfo>();

/** The ELF's DWARF line table, read once per file; a broken one is reported, not thrown. */
export function lineInfoOf(elf: ElfFile): LineInfo {
  let info = cache.get(elf);
  if (!info) {
    try {
      const table = readLineTable(elf);
      info = table && table.size > 0 ? { kind: 'lines', table } : { kind: 'none' };
    } catch (e) {
      if (!(e instanceof DwarfFormatError)) throw e;
      info = { kind: 'error', message: e.message };
    }
    cache.set(elf, info);
  }
  return info;
}
