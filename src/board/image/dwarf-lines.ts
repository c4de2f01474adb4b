/**
 * Source lines of addresses, from the DWARF line-number programs in an ELF's `.debug_line`
 * (versions 2–5; Debian's gcc 12 writes 5, whose file names may live in `.debug_line_str`).
 *
 * Written from the DWARF standard (section 6.2 of DWARF 5): each unit has a header (instruction
 * length, line_base/line_range/opcode_base, the directory and file tables) and a byte-coded
 * program for a state machine whose rows map addresses to file:line. Rows are collected into
 * ranges [address, next row's address) per sequence, sorted, and searched by address.
 */

import type { ElfFile } from './elf.ts';

export interface SourceLine {
  file: string;
  line: number;
  column: number;
}

interface Range extends SourceLine {
  start: number;
  end: number;
}

export class DwarfFormatError extends Error {
  override name = 'DwarfFormatError';
}

// Standard opcodes
const DW_LNS_copy = 1;
const DW_LNS_advance_pc = 2;
const DW_LNS_advance_line = 3;
const DW_LNS_set_file = 4;
const DW_LNS_set_column = 5;
const DW_LNS_negate_stmt = 6;
const DW_LNS_set_basic_block = 7;
const DW_LNS_const_add_pc = 8;
const DW_LNS_fixed_advance_pc = 9;
const DW_LNS_set_prologue_end = 10;
const DW_LNS_set_epilogue_begin = 11;
const DW_LNS_set_isa = 12;
// Extended opcodes
const DW_LNE_end_sequence = 1;
const DW_LNE_set_address = 2;
const DW_LNE_define_file = 3;
// Line-table content types (DWARF 5)
const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;
// Forms used in DWARF 5 entry formats
const DW_FORM_block2 = 0x03;
const DW_FORM_block4 = 0x04;
const DW_FORM_data2 = 0x05;
const DW_FORM_data4 = 0x06;
const DW_FORM_data8 = 0x07;
const DW_FORM_string = 0x08;
const DW_FORM_block = 0x09;
const DW_FORM_block1 = 0x0a;
const DW_FORM_data1 = 0x0b;
const DW_FORM_sdata = 0x0d;
const DW_FORM_strp = 0x0e;
const DW_FORM_udata = 0x0f;
const DW_FORM_data16 = 0x1e;
const DW_FORM_line_strp = 0x1f;

/** A little-endian cursor over a section's bytes. */
class Reader {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number): void {
    if (this.pos + n > this.bytes.length) throw new DwarfFormatError('.debug_line: read past end');
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }
  i8(): number {
    const v = this.u8();
    return v >= 0x80 ? v - 0x100 : v;
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  /** An 8-byte value; addresses and offsets here fit in 53 bits. */
  u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    return hi * 0x1_0000_0000 + lo;
  }
  /** 4 bytes in the 32-bit DWARF format, 8 in the 64-bit one. */
  offset(is64: boolean): number {
    return is64 ? this.u64() : this.u32();
  }
  sized(n: number): number {
    switch (n) {
      case 1:
        return this.u8();
      case 2:
        return this.u16();
      case 4:
        return this.u32();
      case 8:
        return this.u64();
      default:
        throw new DwarfFormatError(`.debug_line: unsupported address size ${n}`);
    }
  }
  uleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if (!(b & 0x80)) return result;
    }
  }
  sleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if (!(b & 0x80)) return b & 0x40 ? result - scale : result;
    }
  }
  cstr(): string {
    const start = this.pos;
    while (this.pos < this.bytes.length && this.bytes[this.pos] !== 0) this.pos++;
    if (this.pos >= this.bytes.length)
      throw new DwarfFormatError('.debug_line: unterminated string');
    const s = utf8(this.bytes.subarray(start, this.pos));
    this.pos++;
    return s;
  }
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
}

const decoder = new TextDecoder();
const utf8 = (b: Uint8Array) => decoder.decode(b);

function stringAt(section: Uint8Array | undefined, at: number, what: string): string {
  if (!section || at >= section.length)
    throw new DwarfFormatError(`.debug_line: string offset ${at} outside ${what}`);
  let end = at;
  while (end < section.length && section[end] !== 0) end++;
  return utf8(section.subarray(at, end));
}

interface Entry {
  path: string;
  dir: number;
}

interface Strings {
  lineStr: Uint8Array | undefined;
  str: Uint8Array | undefined;
}

/** DWARF 5: a directory or file table, described by (content type, form) pairs. */
function readEntryTable(r: Reader, is64: boolean, strings: Strings): Entry[] {
  const formatCount = r.u8();
  const formats: [number, number][] = [];
  for (let i = 0; i < formatCount; i++) formats.push([r.uleb(), r.uleb()]);
  const count = r.uleb();
  const out: Entry[] = [];
  for (let i = 0; i < count; i++) {
    const entry: Entry = { path: '', dir: 0 };
    for (const [type, form] of formats) {
      let num = 0;
      let str: string | null = null;
      switch (form) {
        case DW_FORM_string:
          str = r.cstr();
          break;
        case DW_FORM_line_strp:
          str = stringAt(strings.lineStr, r.offset(is64), '.debug_line_str');
          break;
        case DW_FORM_strp:
          str = stringAt(strings.str, r.offset(is64), '.debug_str');
          break;
        case DW_FORM_udata:
          num = r.uleb();
          break;
        case DW_FORM_sdata:
          num = r.sleb();
          break;
        case DW_FORM_data1:
          num = r.u8();
          break;
        case DW_FORM_data2:
          num = r.u16();
          break;
        case DW_FORM_data4:
          num = r.u32();
          break;
        case DW_FORM_data8:
          num = r.u64();
          break;
        case DW_FORM_data16:
          r.skip(16);
          break;
        case DW_FORM_block:
          r.skip(r.uleb());
          break;
        case DW_FORM_block1:
          r.skip(r.u8());
          break;
        case DW_FORM_block2:
          r.skip(r.u16());
          break;
        case DW_FORM_block4:
          r.skip(r.u32());
          break;
        default:
          throw new DwarfFormatError(`.debug_line: unsupported form 0x${form.toString(16)}`);
      }
      if (type === DW_LNCT_path && str !== null) entry.path = str;
      else if (type === DW_LNCT_directory_index) entry.dir = num;
    }
    out.push(entry);
  }
  return out;
}

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);

/** Reads one unit at `r.pos`, appending its ranges; leaves `r.pos` at the next unit. */
function readUnit(r: Reader, strings: Strings, out: Range[]): void {
  let unitLength = r.u32();
  let is64 = false;
  if (unitLength === 0xffffffff) {
    is64 = true;
    unitLength = r.u64();
  } else if (unitLength >= 0xfffffff0) {
    throw new DwarfFormatError('.debug_line: reserved unit length');
  }
  const unitEnd = r.pos + unitLength;
  if (unitEnd > r.bytes.length) throw new DwarfFormatError('.debug_line: unit past end');
  const version = r.u16();
  if (version < 2 || version > 5)
    throw new DwarfFormatError(`.debug_line: unsupported version ${version}`);
  if (version >= 5) {
    r.u8(); // address_size: DW_LNE_set_address carries its own length
    r.u8(); // segment_selector_size
  }
  const headerLength = r.offset(is64);
  const programStart = r.pos + headerLength;
  const minInstLength = r.u8();
  const maxOps = version >= 4 ? r.u8() || 1 : 1;
  r.u8(); // default_is_stmt
  const lineBase = r.i8();
  const lineRange = r.u8();
  const opcodeBase = r.u8();
  if (lineRange === 0) throw new DwarfFormatError('.debug_line: line_range 0');
  const opLengths = [0];
  for (let i = 1; i < opcodeBase; i++) opLengths.push(r.u8());

  let dirs: Entry[];
  let files: Entry[];
  if (version >= 5) {
    dirs = readEntryTable(r, is64, strings);
    files = readEntryTable(r, is64, strings);
  } else {
    // Directory 0 is the compilation directory (not listed); file 1 is the first listed.
    dirs = [{ path: '', dir: 0 }];
    for (let s = r.cstr(); s; s = r.cstr()) dirs.push({ path: s, dir: 0 });
    files = [{ path: '', dir: 0 }];
    for (let s = r.cstr(); s; s = r.cstr()) {
      const dir = r.uleb();
      r.uleb(); // modification time
      r.uleb(); // length
      files.push({ path: s, dir });
    }
  }
  const fileName = (index: number): string => {
    const f = files[index];
    if (!f) return `file#${index}`;
    // Directory 0 is the compilation directory: left out, the name reads as the build wrote it.
    const d = f.dir > 0 ? dirs[f.dir]?.path : undefined;
    return d && !isAbsolute(f.path) ? `${d.replace(/\/+$/, '')}/${f.path}` : f.path;
  };

  r.pos = programStart;
  // State machine registers.
  let address = 0;
  let opIndex = 0;
  let file = 1;
  let line = 1;
  let column = 0;
  const reset = () => {
    address = 0;
    opIndex = 0;
    file = 1;
    line = 1;
    column = 0;
  };
  let prev: Range | null = null;
  const emit = (endSequence: boolean) => {
    if (prev) {
      prev.end = address;
      if (prev.end > prev.start) out.push(prev);
    }
    prev = endSequence
      ? null
      : { start: address, end: address, file: fileName(file), line, column };
  };
  const advance = (operationAdvance: number) => {
    if (maxOps === 1) address += minInstLength * operationAdvance;
    else {
      address += minInstLength * Math.floor((opIndex + operationAdvance) / maxOps);
      opIndex = (opIndex + operationAdvance) % maxOps;
    }
  };

  while (r.pos < unitEnd) {
    const op = r.u8();
    if (op >= opcodeBase) {
      const adjusted = op - opcodeBase;
      advance(Math.floor(adjusted / lineRange));
      line += lineBase + (adjusted % lineRange);
      emit(false);
    } else if (op === 0) {
      const len = r.uleb();
      const next = r.pos + len;
      if (len === 0) continue;
      const ext = r.u8();
      if (ext === DW_LNE_end_sequence) {
        emit(true);
        reset();
      } else if (ext === DW_LNE_set_address) {
        address = r.sized(len - 1);
        opIndex = 0;
      } else if (ext === DW_LNE_define_file) {
        const path = r.cstr();
        const dir = r.uleb();
        files.push({ path, dir });
      }
      r.pos = next; // also skips DW_LNE_set_discriminator and unknown ones
    } else {
      switch (op) {
        case DW_LNS_copy:
          emit(false);
          break;
        case DW_LNS_advance_pc:
          advance(r.uleb());
          break;
        case DW_LNS_advance_line:
          line += r.sleb();
          break;
        case DW_LNS_set_file:
          file = r.uleb();
          break;
        case DW_LNS_set_column:
          column = r.uleb();
          break;
        case DW_LNS_negate_stmt: // is_stmt is not needed to name an address
        case DW_LNS_set_basic_block:
        case DW_LNS_set_prologue_end:
        case DW_LNS_set_epilogue_begin:
          break;
        case DW_LNS_const_add_pc:
          advance(Math.floor((255 - opcodeBase) / lineRange));
          break;
        case DW_LNS_fixed_advance_pc:
          address += r.u16();
          opIndex = 0;
          break;
        case DW_LNS_set_isa:
          r.uleb();
          break;
        default:
          // An opcode this reader does not know: the header says how many ULEB operands it has.
          for (let i = 0; i < (opLengths[op] ?? 0); i++) r.uleb();
      }
    }
  }
  r.pos = unitEnd;
}

/** Address → file:line, from every unit of a `.debug_line` section. */
export class LineTable {
  private readonly ranges: Range[];

  constructor(debugLine: Uint8Array, strings: Partial<Strings> = {}) {
    const r = new Reader(debugLine);
    const ranges: Range[] = [];
    const s: Strings = { lineStr: strings.lineStr, str: strings.str };
    while (r.pos + 4 <= debugLine.length) readUnit(r, s, ranges);
    this.ranges = ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  }

  get size(): number {
    return this.ranges.length;
  }

  /** The row covering `addr`, or undefined. */
  lookup(addr: number): SourceLine | undefined {
    addr >>>= 0;
    const list = this.ranges;
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.start <= addr) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Ranges of different sequences may nest (rarely); look back a few for one that covers addr.
    for (let i = found; i >= 0 && i > found - 8; i--) {
      const g = list[i]!;
      if (addr < g.end) return { file: g.file, line: g.line, column: g.column };
    }
    return undefined;
  }
}

/** The section's bytes, or undefined when absent or outside the file. */
function sectionBytes(elf: ElfFile, name: string): Uint8Array | undefined {
  const s = elf.section(name);
  if (!s || s.type === 8 /* NOBITS */) return undefined;
  if (s.offset + s.size > elf.bytes.length)
    throw new DwarfFormatError(`${name} beyond end of file`);
  return elf.bytes.subarray(s.offset, s.offset + s.size);
}

/** The ELF's line table, or null when it has no `.debug_line`. Throws DwarfFormatError. */
export function readLineTable(elf: ElfFile): LineTable | null {
  const debugLine = sectionBytes(elf, '.debug_line');
  if (!debugLine) return null;
  return new LineTable(debugLine, {
    lineStr: sectionBytes(elf, '.debug_line_str'),
    str: sectionBytes(elf, '.debug_str'),
  });
}

/** `file:line` for display: the path's last two components at most. */
export function formatSourceLine(s: SourceLine): string {
  const parts = s.file.split(/[\\/]/).filter((p) => p && p !== '.');
  return `${parts.slice(-2).join('/') || s.file}:${s.line}`;
}
