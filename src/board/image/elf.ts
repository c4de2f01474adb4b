/**
 * A small reader for 32-bit little-endian ELF files (what xtensa-lx106-elf-ld writes).
 *
 * Enough to load an image (program headers: where each segment goes and how many bytes it
 * occupies) and to name addresses (section headers and the symbol table). Pure TypeScript over a
 * Uint8Array, so the test machine, the CLI and the UI (an .elf dropped on the page) share it.
 * Views into the file are returned, never copies: callers must not mutate them.
 */

export const enum SegmentType {
  Load = 1,
}

export const enum SectionType {
  SymTab = 2,
  StrTab = 3,
  NoBits = 8,
}

export const enum SymbolType {
  NoType = 0,
  Object = 1,
  Func = 2,
  Section = 3,
  File = 4,
}

export const ELF_MACHINE_XTENSA = 94;

export interface ElfSegment {
  type: number;
  /** Virtual address the segment is loaded at. */
  vaddr: number;
  paddr: number;
  /** The bytes stored in the file (`filesz` of them); the rest up to `memsz` is zero. */
  data: Uint8Array;
  memsz: number;
  flags: number;
}

export interface ElfSection {
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
}

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  type: number;
  /** 0 local, 1 global, 2 weak. */
  bind: number;
  /** Index of the section the symbol is defined in (0 = undefined). */
  shndx: number;
}

export class ElfFormatError extends Error {
  override name = 'ElfFormatError';
}

const ELF_MAGIC = 0x464c457f; // "\x7fELF" read as a little-endian word

export class ElfFile {
  readonly entry: number;
  readonly machine: number;
  readonly segments: readonly ElfSegment[];
  readonly sections: readonly ElfSection[];
  readonly symbols: readonly ElfSymbol[];
  private byName: Map<string, ElfSymbol> | null = null;
  private byAddress: ElfSymbol[] | null = null;

  constructor(readonly bytes: Uint8Array) {
    if (bytes.length < 52) throw new ElfFormatError('file too short for an ELF header');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== ELF_MAGIC) throw new ElfFormatError('not an ELF file');
    if (bytes[4] !== 1) throw new ElfFormatError('not a 32-bit ELF file');
    if (bytes[5] !== 1) throw new ElfFormatError('not a little-endian ELF file');
    this.machine = view.getUint16(18, true);
    this.entry = view.getUint32(24, true);
    this.segments = readSegments(bytes, view);
    this.sections = readSections(bytes, view);
    this.symbols = readSymbols(bytes, view, this.sections);
  }

  /** Segments that occupy memory (PT_LOAD with a non-zero size). */
  get loadSegments(): ElfSegment[] {
    return this.segments.filter((s) => s.type === SegmentType.Load && s.memsz > 0);
  }

  section(name: string): ElfSection | undefined {
    return this.sections.find((s) => s.name === name);
  }

  /** A global or weak symbol by name, else the first local one with that name. */
  symbol(name: string): ElfSymbol | undefined {
    if (!this.byName) {
      this.byName = new Map();
      for (const sym of this.symbols) {
        if (!sym.name || sym.shndx === 0) continue;
        const seen = this.byName.get(sym.name);
        if (!seen || (seen.bind === 0 && sym.bind !== 0)) this.byName.set(sym.name, sym);
      }
    }
    return this.byName.get(name);
  }

  /**
   * The function or object symbol containing `addr` (value <= addr < value + size), or, when no
   * sized symbol covers it, the nearest one below it. Undefined below the first symbol.
   */
  symbolAt(addr: number): ElfSymbol | undefined {
    if (!this.byAddress) {
      this.byAddress = this.symbols
        .filter(
          (s) =>
            s.name &&
            s.shndx !== 0 &&
            (s.type === SymbolType.Func ||
              s.type === SymbolType.Object ||
              s.type === SymbolType.NoType),
        )
        .sort((a, b) => a.value - b.value || b.size - a.size);
    }
    const list = this.byAddress;
    addr >>>= 0;
    // last symbol with value <= addr
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.value <= addr) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    for (let i = found; i >= 0 && i > found - 8; i--) {
      const s = list[i]!;
      if (s.size > 0 && addr < s.value + s.size) return s;
    }
    return list[found];
  }
}

function readSegments(bytes: Uint8Array, view: DataView): ElfSegment[] {
  const phoff = view.getUint32(28, true);
  const phentsize = view.getUint16(42, true);
  const phnum = view.getUint16(44, true);
  const out: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 32 > bytes.length) throw new ElfFormatError('program header beyond end of file');
    const offset = view.getUint32(at + 4, true);
    const filesz = view.getUint32(at + 16, true);
    if (offset + filesz > bytes.length) throw new ElfFormatError(`segment ${i} beyond end of file`);
    out.push({
      type: view.getUint32(at, true),
      vaddr: view.getUint32(at + 8, true),
      paddr: view.getUint32(at + 12, true),
      data: bytes.subarray(offset, offset + filesz),
      memsz: view.getUint32(at + 20, true),
      flags: view.getUint32(at + 24, true),
    });
  }
  return out;
}

function readSections(bytes: Uint8Array, view: DataView): ElfSection[] {
  const shoff = view.getUint32(32, true);
  const shentsize = view.getUint16(46, true);
  const shnum = view.getUint16(48, true);
  const shstrndx = view.getUint16(50, true);
  if (shoff === 0 || shnum === 0) return [];
  if (shoff + shnum * shentsize > bytes.length)
    throw new ElfFormatError('section headers beyond end of file');
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    raw.push({
      nameOffset: view.getUint32(at, true),
      type: view.getUint32(at + 4, true),
      flags: view.getUint32(at + 8, true),
      addr: view.getUint32(at + 12, true),
      offset: view.getUint32(at + 16, true),
      size: view.getUint32(at + 20, true),
    });
  }
  const names = raw[shstrndx];
  return raw.map((s) => ({
    name: names ? cString(bytes, names.offset + s.nameOffset) : '',
    type: s.type,
    flags: s.flags,
    addr: s.addr,
    offset: s.offset,
    size: s.size,
  }));
}

function readSymbols(
  bytes: Uint8Array,
  view: DataView,
  sections: readonly ElfSection[],
): ElfSymbol[] {
  const shentsize = view.getUint16(46, true);
  const shoff = view.getUint32(32, true);
  const out: ElfSymbol[] = [];
  sections.forEach((symtab, index) => {
    if (symtab.type !== SectionType.SymTab) return;
    // sh_link of the symbol table names its string table
    const link = view.getUint32(shoff + index * shentsize + 24, true);
    const strtab = sections[link];
    if (!strtab) throw new ElfFormatError('symbol table without a string table');
    if (symtab.offset + symtab.size > bytes.length)
      throw new ElfFormatError('symbol table beyond end of file');
    for (let at = symtab.offset + 16; at + 16 <= symtab.offset + symtab.size; at += 16) {
      const info = bytes[at + 12]!;
      out.push({
        name: cString(bytes, strtab.offset + view.getUint32(at, true)),
        value: view.getUint32(at + 4, true),
        size: view.getUint32(at + 8, true),
        type: info & 15,
        bind: info >> 4,
        shndx: view.getUint16(at + 14, true),
      });
    }
  });
  return out;
}

function cString(bytes: Uint8Array, at: number): string {
  let end = at;
  while (end < bytes.length && bytes[end] !== 0) end++;
  let s = '';
  for (let i = at; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}
