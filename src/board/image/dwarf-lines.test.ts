import { describe, expect, it } from 'vitest';
import { DwarfFormatError, formatSourceLine, LineTable, readLineTable } from './dwarf-lines.ts';
import { ElfFile } from './elf.ts';

// Line-number programs assembled by hand from the DWARF standard (6.2), wrapped in a minimal ELF
// (header, section headers, section names): no toolchain needed.

const bytesOf = (s: string) => [...s].map((c) => c.charCodeAt(0));
const cstr = (s: string) => [...bytesOf(s), 0];
const u16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];
const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

/** A 32-bit little-endian ELF holding only the given sections. */
function elfWith(sections: Record<string, number[]>): Uint8Array {
  const names = Object.keys(sections);
  const shstr: number[] = [0];
  const nameOff = names.map((n) => {
    const o = shstr.length;
    shstr.push(...cstr(n));
    return o;
  });
  const shstrName = shstr.length;
  shstr.push(...cstr('.shstrtab'));
  const body: number[] = [];
  const offsets = names.map((n) => {
    const o = 52 + body.length;
    body.push(...sections[n]!);
    return o;
  });
  const shstrOff = 52 + body.length;
  body.push(...shstr);
  while (body.length % 4) body.push(0);
  const shoff = 52 + body.length;
  const shnum = names.length + 2;
  // prettier-ignore
  const header = [
    0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ...u16(2), ...u16(94), ...u32(1), ...u32(0), ...u32(0), ...u32(shoff), ...u32(0),
    ...u16(52), ...u16(32), ...u16(0), ...u16(40), ...u16(shnum), ...u16(shnum - 1),
  ];
  const sh = (name: number, type: number, off: number, size: number) => [
    ...u32(name),
    ...u32(type),
    ...u32(0),
    ...u32(0),
    ...u32(off),
    ...u32(size),
    ...u32(0),
    ...u32(0),
    ...u32(1),
    ...u32(0),
  ];
  const table = [
    ...sh(0, 0, 0, 0),
    ...names.flatMap((n, i) => sh(nameOff[i]!, 1, offsets[i]!, sections[n]!.length)),
    ...sh(shstrName, 3, shstrOff, shstr.length),
  ];
  return new Uint8Array([...header, ...body, ...table]);
}

/** Wraps a header's tables and a program into a unit with unit_length and header_length. */
function unit(version: number, tables: number[], program: number[]): number[] {
  // prettier-ignore
  const params = [
    1, // minimum_instruction_length
    ...(version >= 4 ? [1] : []), // maximum_operations_per_instruction
    1, // default_is_stmt
    0xfb, // line_base -5
    14, // line_range
    13, // opcode_base
    0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, // standard_opcode_lengths
  ];
  const afterHeaderLength = [...params, ...tables];
  const rest = [
    ...u16(version),
    ...(version >= 5 ? [4, 0] : []), // address_size, segment_selector_size
    ...u32(afterHeaderLength.length),
    ...afterHeaderLength,
    ...program,
  ];
  return [...u32(rest.length), ...rest];
}

// Opcode helpers (opcode_base 13, line_base -5, line_range 14).
const setAddress = (a: number) => [0, 5, 2, ...u32(a)];
const endSequence = [0, 1, 1];
const special = (addrAdv: number, lineAdv: number) => {
  if (lineAdv < -5 || lineAdv > 8) throw new Error('line advance outside a special opcode');
  return [13 + (lineAdv + 5) + 14 * addrAdv];
};
const copy = [1];
const advancePc = (n: number) => [2, ...uleb(n)];
const advanceLine = (n: number) => [3, ...sleb(n)];
const setFile = (n: number) => [4, ...uleb(n)];
const setColumn = (n: number) => [5, ...uleb(n)];
const negateStmt = [6];
const constAddPc = [8]; // (255 - 13) / 14 = 17 bytes
const fixedAdvancePc = (n: number) => [9, ...u16(n)];
const setDiscriminator = (n: number) => [0, 1 + uleb(n).length, 4, ...uleb(n)];

// DWARF 5 tables: directories (path: line_strp), files (path: line_strp, directory: udata,
// MD5: data16); the strings live in .debug_line_str.
const lineStr = [...cstr('/build'), ...cstr('main.c'), ...cstr('lib')];
const STR_BUILD = 0;
const STR_MAIN = 7;
const STR_LIB = 14;
// prettier-ignore
const v5Tables = [
  1, ...uleb(1), ...uleb(0x1f), // directory format: path as line_strp
  ...uleb(2), ...u32(STR_BUILD), ...u32(STR_LIB), // directories 0 (/build) and 1 (lib)
  // file format: path as line_strp, directory index as udata, MD5 as data16
  3, ...uleb(1), ...uleb(0x1f), ...uleb(2), ...uleb(0x0f), ...uleb(5), ...uleb(0x1e),
  ...uleb(2), // files 0 and 1, both main.c in /build
  ...u32(STR_MAIN), ...uleb(0), ...new Array<number>(16).fill(0xaa),
  ...u32(STR_MAIN), ...uleb(0), ...new Array<number>(16).fill(0xbb),
];
// Another unit: file paths as inline strings (DW_FORM_string), directory as data1; util.c in
// directory 1 (lib), an absolute path that keeps its own directory.
// prettier-ignore
const v5TablesWithInline = [
  1, ...uleb(1), ...uleb(0x1f),
  ...uleb(2), ...u32(STR_BUILD), ...u32(STR_LIB),
  2, ...uleb(1), ...uleb(0x08), ...uleb(2), ...uleb(0x0b), // path: string, directory: data1
  ...uleb(3), ...cstr('main.c'), 0, ...cstr('util.c'), 1, ...cstr('/abs/x.h'), 1,
];

const v5Program = [
  ...setAddress(0x40100000),
  ...setColumn(3),
  ...advanceLine(9), // line 10
  ...copy, // 0x40100000 main.c:10
  ...special(3, 1), // 0x40100003 main.c:11
  ...negateStmt,
  ...setDiscriminator(2),
  ...special(0, 2), // 0x40100003 main.c:13 (same address: the later row wins)
  ...advancePc(5),
  ...advanceLine(-8),
  ...copy, // 0x40100008 main.c:5
  ...constAddPc,
  ...special(0, 0), // 0x40100019 main.c:5
  ...fixedAdvancePc(0x10),
  ...advanceLine(20),
  ...copy, // 0x40100029 main.c:25
  ...advancePc(7),
  ...endSequence, // ends at 0x40100030
];

const v5InlineProgram = [
  ...setAddress(0x40210000),
  ...setFile(1),
  ...advanceLine(41),
  ...copy, // 0x40210000 lib/util.c:42
  ...setFile(2),
  ...advanceLine(-40),
  ...special(4, 0), // 0x40210004 /abs/x.h:2
  ...advancePc(4),
  ...endSequence,
];

// DWARF 3: include_directories and file_names as strings; file 1 is the first listed.
// prettier-ignore
const v3Tables = [
  ...cstr('src'), 0, // include_directories: 1 = src
  ...cstr('boot.S'), 1, 0, 0, // file 1: name, directory, mtime, length
  ...cstr('/opt/rom.c'), 0, 0, 0, // file 2
  0,
];
const v3Program = [
  ...setAddress(0x40000100),
  ...copy, // boot.S line 1
  ...special(2, 6), // 0x40000102 line 7
  ...setFile(2),
  ...special(2, 1), // 0x40000104 rom.c:8
  // DW_LNE_define_file (DWARF 2–4): file 3
  ...[0, 1 + cstr('late.c').length + 3, 3, ...cstr('late.c'), 0, 0, 0],
  ...setFile(3),
  ...special(4, 0), // 0x40000108 late.c:8
  ...advancePc(2),
  ...endSequence,
];

function table(): LineTable {
  const debugLine = [
    ...unit(5, v5Tables, v5Program),
    ...unit(5, v5TablesWithInline, v5InlineProgram),
    ...unit(3, v3Tables, v3Program),
  ];
  const t = readLineTable(
    new ElfFile(elfWith({ '.debug_line': debugLine, '.debug_line_str': lineStr })),
  );
  expect(t).not.toBeNull();
  return t!;
}

describe('readLineTable', () => {
  it('runs a DWARF 5 program with line_strp paths and MD5s', () => {
    const t = table();
    expect(t.lookup(0x40100000)).toEqual({ file: 'main.c', line: 10, column: 3 });
    expect(t.lookup(0x40100002)?.line).toBe(10);
    expect(t.lookup(0x40100003)?.line).toBe(13);
    expect(t.lookup(0x40100007)?.line).toBe(13);
    expect(t.lookup(0x40100008)?.line).toBe(5);
    expect(t.lookup(0x40100018)?.line).toBe(5);
    expect(t.lookup(0x40100019)?.line).toBe(5);
    expect(t.lookup(0x40100028)?.line).toBe(5);
    expect(t.lookup(0x40100029)?.line).toBe(25);
    expect(t.lookup(0x4010002f)?.line).toBe(25);
    expect(t.lookup(0x40100030)).toBeUndefined(); // past end_sequence
    expect(t.lookup(0x400fffff)).toBeUndefined();
  });

  it('joins a file with its directory; directory 0 (the build directory) is left out', () => {
    const t = table();
    expect(t.lookup(0x40210000)).toEqual({ file: 'lib/util.c', line: 42, column: 0 });
    expect(t.lookup(0x40210007)).toEqual({ file: '/abs/x.h', line: 2, column: 0 });
    expect(t.lookup(0x40210008)).toBeUndefined();
  });

  it('reads DWARF 3 string tables and DW_LNE_define_file', () => {
    const t = table();
    expect(t.lookup(0x40000100)).toEqual({ file: 'src/boot.S', line: 1, column: 0 });
    expect(t.lookup(0x40000103)?.line).toBe(7);
    expect(t.lookup(0x40000104)).toEqual({ file: '/opt/rom.c', line: 8, column: 0 });
    expect(t.lookup(0x40000109)).toEqual({ file: 'late.c', line: 8, column: 0 });
    expect(t.lookup(0x4000010a)).toBeUndefined();
  });

  it('is null without .debug_line and refuses a cut or unknown unit', () => {
    expect(readLineTable(new ElfFile(elfWith({ '.text': [0, 0, 0, 0] })))).toBeNull();
    const whole = unit(5, v5Tables, v5Program);
    expect(() => new LineTable(new Uint8Array(whole.slice(0, 30)), {})).toThrow(DwarfFormatError);
    // line_strp without .debug_line_str
    expect(() => new LineTable(new Uint8Array(whole))).toThrow(/debug_line_str/);
    const v7 = [...whole];
    v7[4] = 7;
    expect(() => new LineTable(new Uint8Array(v7))).toThrow(/version 7/);
  });
});

describe('formatSourceLine', () => {
  it('keeps the last two path components', () => {
    expect(formatSourceLine({ file: '/home/me/proj/src/main.c', line: 12, column: 0 })).toBe(
      'src/main.c:12',
    );
    expect(formatSourceLine({ file: './main.c', line: 3, column: 1 })).toBe('main.c:3');
  });
});
