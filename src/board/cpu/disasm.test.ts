import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { disassemble, disassembleRange, instructionLength, type DisasmOptions } from './disasm.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const CORPUS = join(here, 'testing/disasm-corpus/corpus.jsonl.gz');
const OBJDUMP = 'xtensa-lx106-elf-objdump';

/** Bytes in memory order from hex ("32a800" → [0x32, 0xa8, 0x00]). */
function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!, (pair) => parseInt(pair, 16));
}

/** objdump's hex column shows the word most significant byte first; memory order is reversed. */
function memoryOrder(word: string): string {
  return word.match(/../g)!.reverse().join('');
}

/** Disassembles one instruction given as objdump's hex column shows it (e.g. `00a832`). */
function at(word: string, pc = 0, opts?: DisasmOptions) {
  return disassemble(fromHex(memoryOrder(word)), pc, opts);
}

function dis(word: string, pc = 0, opts?: DisasmOptions): string {
  return at(word, pc, opts).text;
}

/**
 * objdump prints the literal an L32R loads in parentheses when it can read it; the tests feed
 * disasm.ts that literal through `readWord`, but only for the address objdump printed.
 */
function literalReader(expected: string): DisasmOptions {
  const match = /^l32r\t\w+, ([0-9a-f]+) \(([0-9a-f]+)\)$/.exec(expected);
  if (!match) return {};
  const address = parseInt(match[1]!, 16);
  const value = parseInt(match[2]!, 16);
  return { readWord: (a) => (a === address ? value : undefined) };
}

describe('disassemble: objdump syntax', () => {
  it('decodes the reference examples of every format', () => {
    // [word as objdump's hex column shows it, pc, objdump text], from objdump -d output.
    const vectors: [string, number, string][] = [
      ['803450', 0, 'add\ta3, a4, a5'],
      ['603150', 0, 'abs\ta3, a5'],
      ['40e430', 0, 'nsa\ta3, a4'],
      ['404110', 0, 'ssai\t17'],
      ['113490', 0, 'slli\ta3, a4, 7'],
      ['313550', 0, 'srai\ta3, a5, 21'],
      ['743450', 0, 'extui\ta3, a5, 4, 8'],
      ['ff0432', 0, 'l8ui\ta3, a4, 255'],
      ['ff1432', 0, 'l16ui\ta3, a4, 0x1fe'],
      ['ff2432', 0, 'l32i\ta3, a4, 0x3fc'],
      ['80c432', 0, 'addi\ta3, a4, -128'],
      ['7fd432', 0, 'addmi\ta3, a4, 0x7f00'],
      ['00a832', 0, 'movi\ta3, 0xfffff800'],
      ['ffa732', 0, 'movi\ta3, 0x7ff'],
      ['01af32', 0, 'movi\ta3, -255'],
      ['00af32', 0, 'movi\ta3, 0xffffff00'],
      ['000031', 0x8a, 'l32r\ta3, fffc008c'],
      ['0020c0', 0, 'memw'],
      ['000000', 0, 'ill'],
      ['ffffc6', 0xa8, 'j\tab'],
      ['0004a0', 0, 'jx\ta4'],
      ['000045', 0xae, 'call0\tb4'],
      ['000080', 0, 'ret'],
      ['441347', 0xba, 'beq\ta3, a4, 102'],
      ['206357', 0xde, 'bbci\ta3, 5, 102'],
      ['1df357', 0xe1, 'bbsi\ta3, 21, 102'],
      ['1403a6', 0xea, 'blti\ta3, -1, 102'],
      ['11f3e6', 0xed, 'bgei\ta3, 0x100, 102'],
      ['0e03b6', 0xf0, 'bltui\ta3, 0x8000, 102'],
      ['fff3d6', 0xff, 'bgez\ta3, 102'],
      ['345a', 0, 'add.n\ta3, a4, a5'],
      ['340b', 0, 'addi.n\ta3, a4, -1'],
      ['036c', 0, 'movi.n\ta3, -32'],
      ['f35c', 0, 'movi.n\ta3, 95'],
      ['f438', 0, 'l32i.n\ta3, a4, 60'],
      ['438c', 0x112, 'beqz.n\ta3, 11a'],
      ['23cc', 0x114, 'bnez.n\ta3, 11a'],
      ['f03d', 0, 'nop.n'],
      ['f00d', 0, 'ret.n'],
      ['f06d', 0, 'ill.n'],
      ['f32d', 0, 'break.n\t3'],
      ['004120', 0, 'break\t1, 2'],
      ['006530', 0, 'rsil\ta3, 5'],
      ['007300', 0, 'waiti\t3'],
      ['003310', 0, 'rfi\t3'],
      ['f1e000', 0, 'rfdo\t0'],
      ['f1e010', 0, 'rfdd'],
      ['406000', 0, 'rer'],
      ['50d430', 0, 'pdtlb\ta3, a4'],
      ['50c300', 0, 'idtlb\ta3'],
    ];
    for (const [hex, pc, text] of vectors) expect(dis(hex, pc), hex).toBe(text);
  });

  it('names special registers per access, and prints the unnamed ones as numbers', () => {
    expect(dis('03e630')).toBe('rsr.ps\ta3');
    expect(dis('13e430')).toBe('wsr.intenable\ta3');
    expect(dis('61d130')).toBe('xsr.excsave1\ta3');
    expect(dis('03b030')).toBe('rsr.176\ta3');
    expect(dis('03d030')).toBe('rsr.208\ta3');
    expect(dis('03e230')).toBe('rsr.interrupt\ta3');
    expect(dis('13e230')).toBe('wsr.intset\ta3'); // same number, other name when written
    expect(dis('135930')).toBe('wsr.mmid\ta3');
    // Not in this configuration (SR 72 = WINDOWBASE; PRID is read-only; INTCLEAR write-only;
    // CONFIGID0 cannot be swapped):
    expect(dis('034830')).toBe('excw');
    expect(dis('13eb30')).toBe('excw');
    expect(dis('03e330')).toBe('excw');
    expect(dis('61b030')).toBe('excw');
  });

  it('stands in for undecodable words the way objdump does, and flags them', () => {
    // Windowed/absent opcodes keep their length and print as excw (objdump 2.40 lx106 does).
    expect(at('001000')).toMatchObject({ text: 'excw', length: 3, illegal: true }); // MOVSP
    expect(at('000015')).toMatchObject({ text: 'excw', illegal: true }); // CALL4
    expect(at('f11d')).toMatchObject({ text: 'excw', length: 2, illegal: true }); // RETW.N
    // The real EXCW is not flagged.
    expect(at('002080')).toMatchObject({ text: 'excw', illegal: false });
    // objdump ignores s in RET and RET.N.
    expect(dis('000580')).toBe('ret');
    expect(dis('f50d')).toBe('ret.n');
    // op0 14/15 start no instruction: one byte at a time.
    expect(disassemble(fromHex('0e3100'), 0)).toMatchObject({ text: '.byte 0xe', length: 1 });
    expect(disassemble(fromHex('ff'), 0).text).toBe('.byte 0xff');
    // Too few bytes for the instruction (end of a section): objdump's "%#02x".
    expect(disassemble(fromHex('32a8'), 0).text).toBe('.byte 0x32');
    expect(disassemble(fromHex('00'), 0).text).toBe('.byte 00');
  });

  it('accepts the instruction word instead of bytes', () => {
    expect(disassemble(0x00a832, 0).text).toBe('movi\ta3, 0xfffff800');
    expect(disassemble(0xf03d, 0)).toMatchObject({ text: 'nop.n', length: 2 });
    expect(instructionLength(0x32)).toBe(3);
    expect(instructionLength(0x3d)).toBe(2);
    expect(instructionLength(0x0f)).toBe(0);
  });

  it('reports targets and lets the caller format them and show L32R literals', () => {
    const call = at('000045', 0x40100001);
    expect(call).toMatchObject({ text: 'call0\t40100008', target: 0x40100008 });
    const withSymbols: DisasmOptions = {
      formatTarget: (a) => `0x${a.toString(16)}`,
      readWord: (a) => (a === 0x400c0004 ? 0 : undefined),
    };
    expect(dis('000031', 0x40100003, withSymbols)).toBe('l32r\ta3, 0x400c0004 (0x0)');
    // Targets wrap at 32 bits (J with offset -1 goes to pc + 3).
    expect(at('ffffc6', 0xfffffffe)).toMatchObject({ text: 'j\t1', target: 1 });
  });
});

describe('disassembleRange', () => {
  it('walks like objdump: lengths, hex column, .byte, truncated tail, in-range literals', () => {
    // Checked with objdump -D -b binary -m xtensa --adjust-vma=0x40100000 on the same bytes.
    const bytes = fromHex('3df0' + '3df0' + '21ffff' + '0e' + '32a8');
    const lines = disassembleRange(bytes, 0x40100000);
    expect(lines.map((l) => [l.pc.toString(16), l.hex, l.text])).toEqual([
      ['40100000', 'f03d', 'nop.n'],
      ['40100002', 'f03d', 'nop.n'],
      ['40100004', 'ffff21', 'l32r\ta2, 40100000 (f03df03d)'],
      ['40100007', '0e', '.byte 0xe'],
      ['40100008', '32', '.byte 0x32'],
      ['40100009', 'a8', '.byte 0xa8'],
    ]);
  });
});

interface CorpusEntry {
  b: string;
  pc: number;
  t: string;
}

interface CorpusHeader {
  objdump: string;
  compared: number;
  unique: number;
  sources: { source: string; instructions: number }[];
}

function compareEntries(entries: Iterable<CorpusEntry>): {
  compared: number;
  mismatches: string[];
} {
  let compared = 0;
  const mismatches: string[] = [];
  for (const entry of entries) {
    compared++;
    const got = disassemble(fromHex(entry.b), entry.pc, literalReader(entry.t)).text;
    if (got !== entry.t && mismatches.length < 20) {
      mismatches.push(
        `${entry.pc.toString(16)} ${entry.b}: objdump ${JSON.stringify(entry.t)}, got ${JSON.stringify(got)}`,
      );
    }
  }
  return { compared, mismatches };
}

describe('objdump corpus (committed fixture, see testing/disasm-corpus/gen.mjs)', () => {
  it('matches every entry exactly after normalisation', () => {
    const lines = gunzipSync(readFileSync(CORPUS)).toString('utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0]!) as CorpusHeader;
    const entries = lines.slice(1).map((line) => JSON.parse(line) as CorpusEntry);
    expect(entries.length).toBe(header.unique);
    // Guards against an accidentally truncated fixture: the libraries alone give > 40 000.
    expect(entries.length).toBeGreaterThan(40_000);
    const { compared, mismatches } = compareEntries(entries);
    console.log(
      `disasm corpus: ${compared} unique entries from ${header.compared} objdump lines ` +
        `(${header.objdump}), ${mismatches.length === 0 ? '100 %' : 'NOT 100 %'} match`,
    );
    expect(mismatches).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Live comparison with objdump on the project's firmware (CI installs binutils-xtensa-lx106).

function hasObjdump(): boolean {
  try {
    execFileSync(OBJDUMP, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function firmwareElfs(): string[] {
  const root = join(repoRoot, 'firmware');
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((dir) => dir.isDirectory() && existsSync(join(root, dir.name, 'out')))
    .flatMap((dir) =>
      readdirSync(join(root, dir.name, 'out'))
        .filter((name) => name.endsWith('.elf'))
        .map((name) => join(root, dir.name, 'out', name)),
    );
}

interface CodeSection {
  address: number;
  bytes: Uint8Array;
}

/** Executable PROGBITS sections of a little-endian ELF32 file (what objdump -d disassembles). */
function codeSections(file: Uint8Array): CodeSection[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const shoff = view.getUint32(0x20, true);
  const shentsize = view.getUint16(0x2e, true);
  const shnum = view.getUint16(0x30, true);
  const sections: CodeSection[] = [];
  for (let i = 0; i < shnum; i++) {
    const base = shoff + i * shentsize;
    const type = view.getUint32(base + 4, true);
    const flags = view.getUint32(base + 8, true);
    const SHT_PROGBITS = 1;
    const SHF_EXECINSTR = 4;
    if (type !== SHT_PROGBITS || (flags & SHF_EXECINSTR) === 0) continue;
    const offset = view.getUint32(base + 16, true);
    const size = view.getUint32(base + 20, true);
    sections.push({
      address: view.getUint32(base + 12, true),
      bytes: file.subarray(offset, offset + size),
    });
  }
  return sections;
}

const objdumpAvailable = hasObjdump();
const elfs = firmwareElfs();
const liveSkipReason = !objdumpAvailable
  ? `${OBJDUMP} not on PATH (apt install binutils-xtensa-lx106)`
  : elfs.length === 0
    ? 'no firmware/*/out/*.elf (build with make -C firmware)'
    : '';
if (liveSkipReason) console.log(`disasm live objdump comparison skipped: ${liveSkipReason}`);

describe.skipIf(liveSkipReason !== '')(
  `live objdump on firmware ELFs${liveSkipReason ? ` (skipped: ${liveSkipReason})` : ''}`,
  () => {
    it('disassembles every instruction objdump shows, reading literals from the ELF itself', () => {
      let compared = 0;
      const mismatches: string[] = [];
      for (const elf of elfs) {
        const sections = codeSections(readFileSync(elf));
        const sectionAt = (address: number) =>
          sections.find((s) => address >= s.address && address < s.address + s.bytes.length);
        // objdump shows an L32R's literal only when it lies in the instruction's own section.
        const literalIn =
          (section: { address: number; bytes: Uint8Array }) => (address: number) => {
            const offset = address - section.address;
            if (offset < 0 || offset + 4 > section.bytes.length) return undefined;
            return new DataView(section.bytes.buffer, section.bytes.byteOffset).getUint32(
              offset,
              true,
            );
          };
        const output = execFileSync(OBJDUMP, ['-d', elf], { encoding: 'utf8', maxBuffer: 2 ** 30 });
        for (const line of output.split('\n')) {
          const match = /^\s*([0-9a-f]+):\t([0-9a-f]+)\s*\t(.*)$/.exec(line);
          if (!match) continue;
          const pc = parseInt(match[1]!, 16);
          // Normalisation (as in gen.mjs): drop ` <sym+off>`; skip what objdump shows as data.
          const expected = match[3]!.replace(/ <[^>]*>/g, '').trimEnd();
          const section = sectionAt(pc)!;
          const bytes = section.bytes.subarray(pc - section.address, pc - section.address + 3);
          if (expected === '') continue; // a literal-pool word
          if (expected.startsWith('.byte') && instructionLength(bytes[0]!) !== 0) continue;
          compared++;
          const got = disassemble(bytes, pc, { readWord: literalIn(section) }).text;
          if (got !== expected && mismatches.length < 20) {
            mismatches.push(
              `${elf} ${pc.toString(16)}: objdump ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`,
            );
          }
        }
      }
      console.log(
        `disasm live: ${compared} instructions from ${elfs.length} ELFs compared with objdump`,
      );
      expect(compared).toBeGreaterThan(0);
      expect(mismatches).toEqual([]);
    });
  },
);
