import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ELF_MACHINE_XTENSA, ElfFile, ElfFormatError, SegmentType, SymbolType } from './elf.ts';

// A tiny committed image from firmware/sim (see firmware/sim/lx106-sim.ld for its layout).
const bytes = new Uint8Array(
  readFileSync(new URL('../../../firmware/sim/out/trace_mix.elf', import.meta.url)),
);

describe('ElfFile', () => {
  const elf = new ElfFile(bytes);

  it('reads the header of an Xtensa executable', () => {
    expect(elf.machine).toBe(ELF_MACHINE_XTENSA);
    expect(elf.entry).toBe(elf.symbol('_start')!.value);
  });

  it('lists the three load segments the linker script creates: DRAM data, IRAM code, reset trampoline', () => {
    const loads = elf.loadSegments;
    expect(loads.map((s) => s.vaddr)).toEqual([0x3ffc0000, 0x40100000, 0x50000000]);
    for (const s of loads) expect(s.type).toBe(SegmentType.Load);
    // .bss is in memsz but not in the file
    expect(loads[0]!.memsz).toBeGreaterThan(loads[0]!.data.length);
    // the reset trampoline begins with "j 1f" (op0 6, offset 1): bytes 06 01 00
    expect(Array.from(loads[2]!.data.subarray(0, 3))).toEqual([0x06, 0x01, 0x00]);
    // its literal is the address of _start
    const lit = new DataView(loads[2]!.data.buffer, loads[2]!.data.byteOffset + 4, 4).getUint32(
      0,
      true,
    );
    expect(lit).toBe(elf.entry);
  });

  it('names sections and their addresses', () => {
    expect(elf.section('.reset')?.addr).toBe(0x50000000);
    expect(elf.section('.vectors')?.addr).toBe(0x40100000);
    const vectors = elf.section('.vectors')!;
    const text = elf.section('.text')!;
    expect(text.addr % 4).toBe(0);
    expect(text.addr).toBeGreaterThanOrEqual(vectors.addr + vectors.size);
    expect(text.addr - (vectors.addr + vectors.size)).toBeLessThan(4);
    expect(elf.section('.nope')).toBeUndefined();
  });

  it('finds symbols by name, preferring globals, and by address inside a sized symbol', () => {
    const main = elf.symbol('main')!;
    expect(main.type).toBe(SymbolType.Func);
    expect(main.bind).toBe(1);
    expect(main.size).toBeGreaterThan(0);
    expect(elf.symbolAt(main.value)?.name).toBe('main');
    expect(elf.symbolAt(main.value + main.size - 1)?.name).toBe('main');
    const sink = elf.symbol('sink')!;
    expect(sink.type).toBe(SymbolType.Object);
    expect(elf.symbolAt(sink.value + 8)?.name).toBe('sink');
    expect(elf.symbolAt(0x10)).toBeUndefined();
  });

  it('rejects files that are not 32-bit little-endian ELF', () => {
    expect(() => new ElfFile(new Uint8Array(64))).toThrow(ElfFormatError);
    const be = bytes.slice();
    be[5] = 2;
    expect(() => new ElfFile(be)).toThrow(/little-endian/);
    expect(() => new ElfFile(bytes.subarray(0, 20))).toThrow(/too short/);
  });
});
