import { describe, expect, it } from 'vitest';
import {
  causeName,
  explainCause,
  lastCrashReport,
  parseCrashReports,
  sourceLine,
  symbolize,
  type LineLookup,
  type SymbolLookup,
} from './parse.ts';

const SDK = [
  'mode : sta(5c:cf:7f:00:00:01)',
  'Fatal exception 28(LoadProhibitedCause):',
  'epc1=0x40212c4f, epc2=0x00000000, epc3=0x00000000, excvaddr=0x00000004, depc=0x00000000',
  '',
  ' ets Jan  8 2013,rst cause:2, boot mode:(3,6)',
].join('\r\n');

const ROM =
  'Fatal exception (29): \nepc1=0x40100003, epc2=0x00000000, epc3=0x00000000, excvaddr=0x00000000, depc=0x00000000\n';

const ARDUINO = `
Exception (9):
epc1=0x40201dd2 epc2=0x00000000 epc3=0x00000000 excvaddr=0x3ffef0e3 depc=0x00000000

>>>stack>>>

ctx: cont
sp: 3ffffdf0 end: 3fffffc0 offset: 01a0
3fffff90:  3fffdad0 00000000 3ffee6a0 40201e0a
3fffffa0:  feefeffe feefeffe 3ffee6f4 40202b28
3fffffb0:  feefeffe feefeffe 3ffe8510 40100c45
<<<stack<<<

--------------- CUT HERE FOR EXCEPTION DECODER ---------------
`;

describe('crash report parser', () => {
  it('reads the SDK form with the cause name in the headline', () => {
    const [r, ...rest] = parseCrashReports(SDK);
    expect(rest).toEqual([]);
    expect(r).toMatchObject({
      format: 'sdk',
      cause: 28,
      causeName: 'LoadProhibited',
      epc1: 0x40212c4f,
      epc2: 0,
      excvaddr: 4,
      depc: 0,
      stackCode: [],
      stackComplete: true,
    });
    expect(r!.explanation).toMatch(/NULL or bad pointer/);
    expect(r!.raw.startsWith('Fatal exception 28(LoadProhibitedCause):')).toBe(true);
    expect(r!.raw.endsWith('depc=0x00000000')).toBe(true);
  });

  it("reads our ROM's `Fatal exception (N):` and takes the last of repeated reports", () => {
    const text = ROM + ROM.replace('0x40100003', '0x40100006');
    expect(parseCrashReports(text)).toHaveLength(2);
    const r = lastCrashReport(text)!;
    expect(r.cause).toBe(29);
    expect(r.causeName).toBe('StoreProhibited');
    expect(r.epc1).toBe(0x40100006);
  });

  it("reads Arduino's report with the stack dump's code addresses", () => {
    const r = lastCrashReport(ARDUINO)!;
    expect(r.format).toBe('arduino');
    expect(r.cause).toBe(9);
    expect(r.causeName).toBe('LoadStoreAlignment');
    expect(r.explanation).toMatch(/unaligned/);
    expect(r.excvaddr).toBe(0x3ffef0e3);
    expect(r.context).toBe('cont');
    expect(r.stackCode).toEqual([0x40201e0a, 0x40202b28, 0x40100c45]);
    expect(r.stackComplete).toBe(true);
    expect(r.raw.endsWith('<<<stack<<<')).toBe(true);
  });

  it('marks a stack dump still arriving, and skips a headline without registers', () => {
    const cut = ARDUINO.slice(0, ARDUINO.indexOf('3fffffb0'));
    const r = lastCrashReport(cut)!;
    expect(r.stackComplete).toBe(false);
    expect(r.stackCode).toEqual([0x40201e0a, 0x40202b28]);
    expect(parseCrashReports('Fatal exception (0):\nno registers here\n')).toEqual([]);
    expect(lastCrashReport('hello world\n')).toBeNull();
  });

  it('names every cause the brief lists, explains the common ones', () => {
    const names: [number, string][] = [
      [0, 'IllegalInstruction'],
      [1, 'Syscall'],
      [2, 'InstructionFetchError'],
      [3, 'LoadStoreError'],
      [4, 'Level1Interrupt'],
      [5, 'Alloca'],
      [6, 'IntegerDivideByZero'],
      [8, 'Privileged'],
      [9, 'LoadStoreAlignment'],
      [12, 'InstrPIFDataError'],
      [13, 'LoadStorePIFDataError'],
      [14, 'InstrPIFAddrError'],
      [15, 'LoadStorePIFAddrError'],
      [20, 'InstFetchProhibited'],
      [28, 'LoadProhibited'],
      [29, 'StoreProhibited'],
      [33, 'Coprocessor1Disabled'],
      [63, 'cause 63'],
    ];
    for (const [n, name] of names) expect(causeName(n)).toBe(name);
    for (const n of [0, 3, 9, 28, 29]) expect(explainCause(n)).toBeTruthy();
    expect(explainCause(0)).toMatch(/function pointer/);
    expect(explainCause(3)).toMatch(/IRAM or flash/);
    expect(explainCause(4)).toBeNull();
  });

  it('symbolizes addresses as function+0xoffset', () => {
    const syms = [
      { name: 'setup', value: 0x40201d00 },
      { name: 'loop', value: 0x40201e00 },
    ];
    const lookup: SymbolLookup = (a) => [...syms].reverse().find((s) => s.value <= a);
    expect(symbolize(0x40201dd2, lookup)).toBe('setup+0xd2');
    expect(symbolize(0x40201e00, lookup)).toBe('loop');
    expect(symbolize(0x40100000, lookup)).toBeNull();
  });
});

describe('sourceLine', () => {
  it('gives file:line with the path cut to two components, null without a row', () => {
    const lookup: LineLookup = (a) =>
      a >= 0x40201000 && a < 0x40201010
        ? { file: '/home/me/sketch/src/main.cpp', line: 42, column: 7 }
        : undefined;
    expect(sourceLine(0x40201004, lookup)).toBe('src/main.cpp:42');
    expect(sourceLine(0x40201010, lookup)).toBeNull();
  });
});
