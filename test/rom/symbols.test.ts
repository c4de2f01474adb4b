/**
 * The mask ROM's address table (firmware/rom/rom-symbols.txt, docs/rom.md "The address table"):
 * every code entry point the SDKs link against is implemented in our ROM (a jump to its
 * implementation at the documented address, or a TypeScript native there), or it is listed in
 * docs/rom.md under "Entry points not written" with the evidence. Reads the built image, so a
 * stub that still calls rom_unimplemented counts as not implemented.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROM_IMAGE_BASE64 } from '../../src/board/rom/rom-image.ts';
import { ROM_NATIVES } from '../../src/board/rom/natives.ts';

const ROM_BASE = 0x40000000;

interface RomSymbol {
  addr: number;
  name: string;
  kind: 'code' | 'native' | 'vector' | 'data';
}

function readTable(): RomSymbol[] {
  const text = readFileSync(new URL('../../firmware/rom/rom-symbols.txt', import.meta.url), 'utf8');
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [addr, name, kind = 'code'] = l.split(/\s+/);
      return { addr: Number(addr), name, kind: kind as RomSymbol['kind'] };
    });
}

/** Rows of the docs table: entry point names (backticked, first column) and the status text. */
function readNotWritten(): { names: string[]; status: string }[] {
  const doc = readFileSync(new URL('../../docs/rom.md', import.meta.url), 'utf8');
  const start = doc.indexOf('### Entry points not written');
  const end = doc.indexOf('\n#', start + 1);
  return doc
    .slice(start, end)
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => {
      const [, first, status] = l.split('|');
      return { names: [...first.matchAll(/`(\w+)`/g)].map((m) => m[1]), status: status.trim() };
    });
}

const rom = Buffer.from(ROM_IMAGE_BASE64, 'base64');
const byte = (addr: number) => rom[addr - ROM_BASE] ?? 0;
/** J (op0 6, n 0): our stub jumps to impl_<name>; CALL0 (op0 5) goes to rom_unimplemented. */
const jumpsToImplementation = (addr: number) => (byte(addr) & 0x3f) === 0x06;
const nativeAt = new Set(ROM_NATIVES.map((n) => n.addr));

describe('the ROM address table', () => {
  const table = readTable();
  const notWritten = readNotWritten();
  const listed = new Map(notWritten.flatMap((row) => row.names.map((n) => [n, row.status] as const)));

  it('holds the SDK linker scripts’ names at their addresses', () => {
    const at = (name: string) => table.filter((s) => s.name === name).map((s) => s.addr);
    expect(table.length).toBeGreaterThanOrEqual(384);
    // spot checks against NONOS SDK v2.0.0 ld/eagle.rom.addr.v6.ld
    expect(at('save_tsf_us')).toEqual([0x400027ac]);
    expect(at('save_rxbcn_mactime')).toEqual([0x400027a4]);
    expect(at('SPI_read_data')).toEqual([0x400042ac]);
    expect(at('rom_txtone_linear_pwr')).toEqual([0x40006a1c]);
    expect(at('memcpy').sort()).toEqual([0x400018b4, 0x4000df48]);
    expect(at('UartDev')).toEqual([0x3fffde10]);
  });

  it('has every code entry point implemented or listed in docs/rom.md', () => {
    const missing = table
      .filter((s) => s.kind === 'code' || s.kind === 'native')
      .filter((s) => !(s.kind === 'native' ? nativeAt.has(s.addr) : jumpsToImplementation(s.addr)))
      .filter((s) => !listed.has(s.name))
      .map((s) => `0x${s.addr.toString(16)} ${s.name}`);
    expect(missing).toEqual([]);
  });

  it('lists only entry points that are really not written (rows of another branch excepted)', () => {
    const stale = table
      .filter((s) => s.kind === 'code' && jumpsToImplementation(s.addr))
      .filter((s) => listed.has(s.name) && !/branch \w+/.test(listed.get(s.name) ?? ''))
      .map((s) => s.name);
    expect(stale).toEqual([]);
    const unknown = [...listed.keys()].filter((n) => !table.some((s) => s.name === n));
    expect(unknown).toEqual([]);
  });

  it('keeps the exception vectors at their addresses', () => {
    // each starts with an instruction (the debug vector's WAITI 2 begins with a 0x00 byte)
    for (const s of table.filter((v) => v.kind === 'vector')) {
      expect(byte(s.addr) | byte(s.addr + 1) | byte(s.addr + 2), s.name).not.toBe(0);
    }
  });
});
