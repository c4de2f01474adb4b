/**
 * Crash reports in serial output, read the way a person reads them.
 *
 * Two formats:
 *
 *   NONOS SDK (and our ROM's default handler, firmware/rom/boot.c):
 *     Fatal exception 29(StoreProhibitedCause):        (SDK)
 *     Fatal exception (29):                            (ROM)
 *     epc1=0x40100003, epc2=0x00000000, epc3=0x00000000, excvaddr=0x00000000, depc=0x00000000
 *
 *   Arduino core (postmortem.cpp):
 *     Exception (28):
 *     epc1=0x40201234 epc2=0x00000000 epc3=0x00000000 excvaddr=0x00000000 depc=0x00000000
 *
 *     >>>stack>>>
 *
 *     ctx: cont
 *     sp: 3ffffdb0 end: 3fffffc0 offset: 01a0
 *     3fffff50:  3fffdad0 00000000 3ffee54c 40201067
 *     <<<stack<<<
 *
 * Pure: text in, reports out. Words of the stack dump that look like code addresses (ROM, IRAM
 * or the flash window: 0x40000000–0x402FFFFF) are kept, in dump order.
 */

export interface CrashReport {
  format: 'sdk' | 'arduino';
  cause: number;
  /** The Xtensa name of the cause (`StoreProhibited`), or `cause N` for unknown numbers. */
  causeName: string;
  /** A plain-words reading of the common causes; null for the rare ones. */
  explanation: string | null;
  epc1: number;
  epc2: number;
  epc3: number;
  excvaddr: number;
  depc: number;
  /** Arduino: the `ctx:` line (cont, sys, …). */
  context: string | null;
  /** Code addresses found in the stack dump. */
  stackCode: number[];
  /** Arduino: whether `<<<stack<<<` was seen (false while the dump is still arriving). */
  stackComplete: boolean;
  /** The report's text as received. */
  raw: string;
}

export const EXCEPTION_CAUSES: Readonly<Record<number, string>> = {
  0: 'IllegalInstruction',
  1: 'Syscall',
  2: 'InstructionFetchError',
  3: 'LoadStoreError',
  4: 'Level1Interrupt',
  5: 'Alloca',
  6: 'IntegerDivideByZero',
  8: 'Privileged',
  9: 'LoadStoreAlignment',
  12: 'InstrPIFDataError',
  13: 'LoadStorePIFDataError',
  14: 'InstrPIFAddrError',
  15: 'LoadStorePIFAddrError',
  16: 'InstTLBMiss',
  17: 'InstTLBMultiHit',
  18: 'InstFetchPrivilege',
  20: 'InstFetchProhibited',
  24: 'LoadStoreTLBMiss',
  25: 'LoadStoreTLBMultiHit',
  26: 'LoadStorePrivilege',
  28: 'LoadProhibited',
  29: 'StoreProhibited',
};

const EXPLANATIONS: Readonly<Record<number, string>> = {
  0: 'The CPU met bytes that are not an instruction: corrupted code, or a call through a bad function pointer.',
  2: 'The CPU could not fetch the next instruction: a jump or return to an address with no code (a corrupted stack or function pointer).',
  3: 'A byte or half-word access to memory that only takes 32-bit words (IRAM or flash): e.g. reading a string stored in flash with a plain char pointer.',
  6: 'An integer division by zero.',
  9: 'An unaligned access: a 32-bit load or store at an address that is not a multiple of 4 (a cast of a byte buffer to a struct or word pointer).',
  20: 'A jump to an address where code may not run: a bad function pointer or a corrupted return address.',
  28: 'A read through a NULL or bad pointer: excvaddr is the address that was read (near 0: a NULL pointer plus a field offset).',
  29: 'A write through a NULL or bad pointer: excvaddr is the address that was written (near 0: a NULL pointer plus a field offset).',
};

export function causeName(cause: number): string {
  return (
    EXCEPTION_CAUSES[cause] ??
    (cause >= 32 && cause <= 39 ? `Coprocessor${cause - 32}Disabled` : `cause ${cause}`)
  );
}

export function explainCause(cause: number): string | null {
  return EXPLANATIONS[cause] ?? null;
}

/** A code address: ROM 0x40000000, IRAM 0x40100000, the flash window 0x40200000 (1 MB). */
export function isCodeAddress(word: number): boolean {
  return word >= 0x40000000 && word < 0x40300000;
}

const HEADLINE = /(?:Fatal exception (?:(\d+)\(\w*\)|\((\d+)\))|Exception \((\d+)\)):/g;
const REGISTERS =
  /epc1=0x([0-9a-fA-F]{8}),?\s+epc2=0x([0-9a-fA-F]{8}),?\s+epc3=0x([0-9a-fA-F]{8}),?\s+excvaddr=0x([0-9a-fA-F]{8}),?\s+depc=0x([0-9a-fA-F]{8})/;
const STACK_LINE = /^\s*[0-9a-fA-F]{8}:((?:\s+[0-9a-fA-F]{8})+)/;

/** Every crash report in `text`, in order. A headline without its register line is skipped. */
export function parseCrashReports(text: string): CrashReport[] {
  const reports: CrashReport[] = [];
  const heads = [...text.matchAll(HEADLINE)];
  heads.forEach((head, i) => {
    const start = head.index;
    const nextHead = heads[i + 1]?.index ?? text.length;
    const body = text.slice(start + head[0].length, nextHead);
    // The register line follows within a couple of lines.
    const regs = REGISTERS.exec(body.slice(0, 400));
    if (!regs) return;
    const format = head[3] !== undefined ? 'arduino' : 'sdk';
    const cause = Number(head[1] ?? head[2] ?? head[3]);
    let end = start + head[0].length + regs.index + regs[0].length;
    let context: string | null = null;
    const stackCode: number[] = [];
    let stackComplete = format === 'sdk';
    const open = body.indexOf('>>>stack>>>');
    if (format === 'arduino' && open >= 0) {
      const close = body.indexOf('<<<stack<<<', open);
      stackComplete = close >= 0;
      const dump = body.slice(open + 11, close >= 0 ? close : body.length);
      for (const line of dump.split(/\r?\n/)) {
        const ctx = /^\s*ctx:\s*(\S+)/.exec(line);
        if (ctx) context = ctx[1]!;
        const words = STACK_LINE.exec(line);
        if (!words) continue;
        for (const w of words[1]!.trim().split(/\s+/)) {
          const n = parseInt(w, 16);
          if (isCodeAddress(n)) stackCode.push(n);
        }
      }
      end = start + head[0].length + (close >= 0 ? close + 11 : body.length);
    } else if (format === 'arduino') {
      stackComplete = true;
    }
    const reg = (k: number) => parseInt(regs[k]!, 16) >>> 0;
    reports.push({
      format,
      cause,
      causeName: causeName(cause),
      explanation: explainCause(cause),
      epc1: reg(1),
      epc2: reg(2),
      epc3: reg(3),
      excvaddr: reg(4),
      depc: reg(5),
      context,
      stackCode,
      stackComplete,
      raw: text.slice(start, end),
    });
  });
  return reports;
}

/** The last report in `text`, or null. */
export function lastCrashReport(text: string): CrashReport | null {
  const all = parseCrashReports(text);
  return all[all.length - 1] ?? null;
}

import { formatSourceLine, type SourceLine } from '../../board/image/dwarf-lines.ts';

/** Something that names addresses: ElfFile.symbolAt fits. */
export type SymbolLookup = (address: number) => { name: string; value: number } | undefined;

/**
 * `function+0xoffset` for an address, or null when no symbol is below it or the nearest one is
 * further than `maxOffset` bytes away (past the end of the program, not inside a function).
 */
export function symbolize(
  address: number,
  lookup: SymbolLookup,
  maxOffset = 0x10000,
): string | null {
  const sym = lookup(address);
  if (!sym) return null;
  const off = (address >>> 0) - (sym.value >>> 0);
  if (off > maxOffset) return null;
  return off === 0 ? sym.name : `${sym.name}+0x${off.toString(16)}`;
}

/** Something that gives an address's source line: LineTable.lookup fits. */
export type LineLookup = (address: number) => SourceLine | undefined;

/** `file:line` for an address (the path cut to its last two components), or null. */
export function sourceLine(address: number, lookup: LineLookup): string | null {
  const line = lookup(address >>> 0);
  return line ? formatSourceLine(line) : null;
}
