/**
 * A tiny 32-bit little-endian Xtensa ELF written byte by byte, for the tests that need an ELF
 * without a toolchain (src/board/image/elf-to-image.test.ts, e2e/elf-crash.spec.ts): program
 * headers for the segments, section headers naming them, a symbol table.
 */

export interface TinySegment {
  name: string;
  address: number;
  data: ArrayLike<number>;
  /** Bytes in memory; defaults to the data's length (more: a .bss tail). */
  memsz?: number;
}

export interface TinySymbol {
  name: string;
  value: number;
  size: number;
  /** 2 = function (default), 1 = object. */
  type?: number;
}

export function buildElf(
  entry: number,
  segments: TinySegment[],
  symbols: TinySymbol[] = [],
): Uint8Array {
  const align4 = (n: number) => (n + 3) & ~3;
  const phoff = 52;
  let at = phoff + 32 * segments.length;
  const segOffsets = segments.map((s) => {
    const o = at;
    at = align4(at + s.data.length);
    return o;
  });

  // String tables.
  const strtab: number[] = [0];
  const addString = (table: number[], name: string) => {
    const o = table.length;
    for (const c of name) table.push(c.charCodeAt(0));
    table.push(0);
    return o;
  };
  const symNames = symbols.map((s) => addString(strtab, s.name));
  const shstrtab: number[] = [0];
  const secNames = segments.map((s) => addString(shstrtab, s.name));
  const symtabName = addString(shstrtab, '.symtab');
  const strtabName = addString(shstrtab, '.strtab');
  const shstrtabName = addString(shstrtab, '.shstrtab');

  const symtabOff = at;
  const symtabSize = 16 * (symbols.length + 1);
  at = symtabOff + symtabSize;
  const strtabOff = at;
  at = align4(at + strtab.length);
  const shstrOff = at;
  at = align4(at + shstrtab.length);
  const shoff = at;
  const shnum = 1 + segments.length + 3;
  const total = shoff + 40 * shnum;

  const bytes = new Uint8Array(total);
  const v = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 94, true); // EM_XTENSA
  v.setUint32(20, 1, true);
  v.setUint32(24, entry, true);
  v.setUint32(28, phoff, true);
  v.setUint32(32, shoff, true);
  v.setUint16(40, 52, true);
  v.setUint16(42, 32, true);
  v.setUint16(44, segments.length, true);
  v.setUint16(46, 40, true);
  v.setUint16(48, shnum, true);
  v.setUint16(50, shnum - 1, true);

  segments.forEach((s, i) => {
    const p = phoff + 32 * i;
    v.setUint32(p, 1, true); // PT_LOAD
    v.setUint32(p + 4, segOffsets[i]!, true);
    v.setUint32(p + 8, s.address, true);
    v.setUint32(p + 12, s.address, true);
    v.setUint32(p + 16, s.data.length, true);
    v.setUint32(p + 20, s.memsz ?? s.data.length, true);
    v.setUint32(p + 24, 7, true);
    v.setUint32(p + 28, 4, true);
    bytes.set(Array.from(s.data), segOffsets[i]!);
  });

  symbols.forEach((s, i) => {
    const o = symtabOff + 16 * (i + 1);
    v.setUint32(o, symNames[i]!, true);
    v.setUint32(o + 4, s.value, true);
    v.setUint32(o + 8, s.size, true);
    bytes[o + 12] = (1 << 4) | (s.type ?? 2); // global
    // the section holding the value (1-based section index), else 1
    const sec = segments.findIndex(
      (g) => s.value >= g.address && s.value < g.address + (g.memsz ?? g.data.length),
    );
    v.setUint16(o + 14, sec >= 0 ? sec + 1 : 1, true);
  });
  bytes.set(strtab, strtabOff);
  bytes.set(shstrtab, shstrOff);

  const section = (
    i: number,
    name: number,
    type: number,
    addr: number,
    off: number,
    size: number,
    link = 0,
    entsize = 0,
  ) => {
    const o = shoff + 40 * i;
    v.setUint32(o, name, true);
    v.setUint32(o + 4, type, true);
    v.setUint32(o + 8, type === 1 ? 6 : 0, true);
    v.setUint32(o + 12, addr, true);
    v.setUint32(o + 16, off, true);
    v.setUint32(o + 20, size, true);
    v.setUint32(o + 24, link, true);
    v.setUint32(o + 32, 4, true);
    v.setUint32(o + 36, entsize, true);
  };
  segments.forEach((s, i) =>
    section(i + 1, secNames[i]!, 1, s.address, segOffsets[i]!, s.data.length),
  );
  const symIndex = segments.length + 1;
  section(symIndex, symtabName, 2, 0, symtabOff, symtabSize, symIndex + 1, 16);
  section(symIndex + 1, strtabName, 3, 0, strtabOff, strtab.length);
  section(symIndex + 2, shstrtabName, 3, 0, shstrOff, shstrtab.length);
  return bytes;
}

/**
 * Xtensa code that stores to address 0 (a StoreProhibited, cause 29) and, should the store ever
 * complete, spins: `movi a2, 0; s32i a2, a2, 0; j .`. The ROM's default handler prints
 * `Fatal exception (29):` and the epc1 line, then returns to the store, so the report repeats.
 */
export const STORE_TO_NULL = [0x22, 0xa0, 0x00, 0x22, 0x62, 0x00, 0x06, 0xff, 0xff];

/** An ELF like a small NONOS build: crashing code in IRAM, a word in DRAM, text in irom0. */
export function crashingElf(): Uint8Array {
  return buildElf(
    0x40100000,
    [
      { name: '.text', address: 0x40100000, data: STORE_TO_NULL },
      { name: '.data', address: 0x3ffe8000, data: [1, 2, 3, 4, 5, 6] },
      { name: '.bss', address: 0x3ffe8100, data: [], memsz: 64 },
      {
        name: '.irom0.text',
        address: 0x40210000,
        data: Array.from('irom0 says hello', (c) => c.charCodeAt(0)),
      },
    ],
    [
      { name: 'call_user_start', value: 0x40100000, size: 3 },
      { name: 'store_to_null', value: 0x40100003, size: 6 },
      { name: 'user_init', value: 0x40210000, size: 16 },
    ],
  );
}
