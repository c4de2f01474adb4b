import { describe, expect, it } from 'vitest';
import { ExcCause } from './bus.ts';
import * as x from './testing/encode.ts';
import { CODE, DATA, TestProgram, VECBASE } from './testing/test-program.ts';
import { PS_EXCM, PS_UM, SR } from './special-registers.ts';

const USER = VECBASE + 0x50;
const KERNEL = VECBASE + 0x30;
const DOUBLE = VECBASE + 0x70;
const DEBUG = VECBASE + 0x10;

/** Run one faulting instruction at CODE and return the program stopped at the vector. */
function fault(words: number[], regs: Record<number, number> = {}, ps = PS_UM, vector = USER) {
  const p = new TestProgram(ps).set(regs);
  p.load(CODE, words);
  p.cpu.pc = CODE;
  p.runUntil(vector, 20);
  return p;
}

describe('general exceptions', () => {
  it.each([
    ['ill', x.ill(), ExcCause.IllegalInstruction],
    ['ill.n', x.ill_n(), ExcCause.IllegalInstruction],
    ['op0=14 (reserved)', 0x00000e, ExcCause.IllegalInstruction],
    ['op0=15 (reserved)', 0x00000f, ExcCause.IllegalInstruction],
    ['rsr of an absent SR (WINDOWBASE 72)', x.rsr(3, 72), ExcCause.IllegalInstruction],
    ['wsr.prid', x.wsr(3, 235), ExcCause.IllegalInstruction],
    ['xsr.interrupt', x.xsr(3, 226), ExcCause.IllegalInstruction],
    ['quou (no DIV32)', x.rrr(0, 2, 12, 3, 4, 5), ExcCause.IllegalInstruction],
    ['entry (no windows)', 0x004136, ExcCause.IllegalInstruction],
    ['loop (no loops)', 0x008376, ExcCause.IllegalInstruction],
    ['l32ai', x.rri8(2, 11, 4, 3, 0), ExcCause.IllegalInstruction],
    ['s32c1i', x.rri8(2, 14, 4, 3, 0), ExcCause.IllegalInstruction],
    ['MAC16 op0=4', 0x000004, ExcCause.IllegalInstruction],
    ['FP op0=3', 0x000003, ExcCause.IllegalInstruction],
    ['syscall', x.syscall(), ExcCause.Syscall],
    ['simcall without handler', x.simcall(), ExcCause.IllegalInstruction],
  ])('%s → user vector with EXCCAUSE, EPC1 = the instruction, PS.EXCM = 1', (_n, word, cause) => {
    const p = fault([word]);
    expect(p.sr(SR.EXCCAUSE)).toBe(cause);
    expect(p.sr(SR.EPC1)).toBe(CODE);
    expect(p.sr(SR.PS) & PS_EXCM).toBe(PS_EXCM);
    expect(p.cpu.pc).toBe(USER);
  });

  it('PS.UM = 0 goes to the kernel vector', () => {
    const p = fault([x.syscall()], {}, 0, KERNEL);
    expect(p.sr(SR.EXCCAUSE)).toBe(ExcCause.Syscall);
  });

  it.each([
    ['l16ui', x.l16ui(3, 4, 0), 1],
    ['l16si', x.l16si(3, 4, 0), 1],
    ['s16i', x.s16i(3, 4, 0), 1],
    ['l32i', x.l32i(3, 4, 0), 2],
    ['s32i', x.s32i(3, 4, 0), 3],
    ['l32i.n', x.l32i_n(3, 4, 0), 1],
    ['s32i.n', x.s32i_n(3, 4, 0), 2],
  ])('unaligned %s → LoadStoreAlignment (9), EXCVADDR, no side effect', (_n, word, misalign) => {
    const p = fault([word], { 3: 0x55, 4: DATA + misalign });
    expect(p.sr(SR.EXCCAUSE)).toBe(ExcCause.LoadStoreAlignment);
    expect(p.sr(SR.EXCVADDR)).toBe(DATA + misalign);
    expect(p.sr(SR.EPC1)).toBe(CODE);
    expect(p.regs[3]).toBe(0x55);
    expect(p.bus.read32(DATA)).toBe(0);
  });

  it('a bus fault (unmapped load) becomes the bus cause with EXCVADDR', () => {
    const p = fault([x.l32i(3, 4, 8)], { 4: 0x10000000 });
    expect(p.sr(SR.EXCCAUSE)).toBe(ExcCause.LoadStorePIFAddrError);
    expect(p.sr(SR.EXCVADDR)).toBe(0x10000008);
  });

  it('a fetch fault reports the fetch cause, EPC1 = EXCVADDR = the target PC', () => {
    const p = fault([x.jx(5)], { 5: 0x20000000 });
    expect(p.sr(SR.EXCCAUSE)).toBe(ExcCause.InstructionFetchError);
    expect(p.sr(SR.EPC1)).toBe(0x20000000);
    expect(p.sr(SR.EXCVADDR)).toBe(0x20000000);
  });

  it('an exception with PS.EXCM = 1 is a double exception: DEPC, EXCCAUSE, EPC1 untouched', () => {
    const p = new TestProgram(PS_UM | PS_EXCM);
    p.cpu.writeSpecial(SR.EPC1, 0x1234);
    p.load(CODE, [x.syscall()]);
    p.cpu.pc = CODE;
    p.runUntil(DOUBLE, 5);
    expect(p.sr(SR.DEPC)).toBe(CODE);
    expect(p.sr(SR.EPC1)).toBe(0x1234);
    expect(p.sr(SR.EXCCAUSE)).toBe(ExcCause.Syscall);
    // RFDE returns to DEPC and clears EXCM
    p.load(DOUBLE, [x.rfde()]);
    p.cpu.writeSpecial(SR.DEPC, CODE + 3);
    p.load(CODE + 3, [x.nop()]);
    p.runUntil(CODE + 3, 5);
    expect(p.sr(SR.PS) & PS_EXCM).toBe(0);
  });

  it('RFE returns to EPC1 and clears PS.EXCM (handler skips the faulting insn)', () => {
    const p = new TestProgram().set({ 4: DATA + 2 });
    // handler at user vector: a5 = EPC1 + 3; EPC1 = a5; rfe
    p.load(USER, [x.rsr(5, SR.EPC1), x.addi(5, 5, 3), x.wsr(5, SR.EPC1), x.movi(6, 99), x.rfe()]);
    p.exec([x.l32i(3, 4, 0), x.movi(7, 1)], 50);
    expect(p.regs[6]).toBe(99);
    expect(p.regs[7]).toBe(1);
    expect(p.sr(SR.PS)).toBe(PS_UM);
  });
});

describe('region protection', () => {
  it('attribute 0xF on a data region → LoadProhibited (28) / StoreProhibited (29)', () => {
    const region = DATA >>> 29;
    const p = fault([x.wdtlb(6, 4), x.l32i(3, 4, 0)], { 4: DATA, 6: 0xf });
    expect(p.sr(SR.EXCCAUSE)).toBe(ExcCause.LoadProhibited);
    expect(p.sr(SR.EXCVADDR)).toBe(DATA);
    expect(p.sr(SR.EPC1)).toBe(CODE + 3);
    expect(p.cpu.regions.dtlb[region]).toBe(0xf);
    const q = fault([x.wdtlb(6, 4), x.s8i(3, 4, 1)], { 4: DATA, 6: 0x3 });
    expect(q.sr(SR.EXCCAUSE)).toBe(ExcCause.StoreProhibited);
    expect(q.sr(SR.EXCVADDR)).toBe(DATA + 1);
  });

  it('attribute 0 (cached no-allocate) allows loads and stores but not execution', () => {
    const p = new TestProgram().set({ 4: DATA, 6: 0, 3: 7 });
    p.exec([x.wdtlb(6, 4), x.s32i(3, 4, 0), x.l32i(5, 4, 0)]);
    expect(p.regs[5]).toBe(7);
    const q = fault([x.witlb(6, 4), x.nop()], { 4: CODE, 6: 0 });
    expect(q.sr(SR.EXCCAUSE)).toBe(ExcCause.InstFetchProhibited);
  });

  it('ITLB attribute 0xF on the code region faults the next fetch with cause 20', () => {
    const p = fault([x.witlb(6, 4), x.nop()], { 4: CODE, 6: 0xf });
    expect(p.sr(SR.EXCCAUSE)).toBe(ExcCause.InstFetchProhibited);
    expect(p.sr(SR.EPC1)).toBe(CODE + 3);
    expect(p.sr(SR.EXCVADDR)).toBe(CODE + 3);
  });

  it('RxTLB0/RxTLB1/PxTLB read region entries; reset attributes are 2', () => {
    const p = new TestProgram().set({ 4: 0x40123456, 6: 4 });
    p.exec([
      x.ritlb1(3, 4),
      x.witlb(6, 4),
      x.ritlb1(5, 4),
      x.rdtlb1(7, 4),
      x.ritlb0(8, 4),
      x.pdtlb(9, 4),
      x.rdtlb0(10, 4),
      x.pitlb(11, 4),
      x.iitlb(4),
      x.idtlb(4),
    ]);
    expect(p.regs[3]).toBe(0x40000002);
    expect(p.regs[5]).toBe(0x40000004);
    expect(p.regs[7]).toBe(0x40000002);
    expect(p.regs[8]).toBe(0x40000000);
    expect(p.regs[9]).toBe(0x40000001);
    expect(p.regs[10]).toBe(0x40000000);
    expect(p.regs[11]).toBe(0x40000001);
  });
});

describe('debug: BREAK and BREAK.N', () => {
  it('BREAK with INTLEVEL < 2 → debug vector, EPC2 = PC, EPS2 = PS, DEBUGCAUSE = 0x08', () => {
    const p = fault([x.brk(1, 15)], {}, PS_UM, DEBUG);
    expect(p.sr(SR.EPC2)).toBe(CODE);
    expect(p.sr(SR.EPS2)).toBe(PS_UM);
    expect(p.sr(SR.DEBUGCAUSE)).toBe(0x08);
    expect(p.sr(SR.PS)).toBe(PS_UM | PS_EXCM | 2);
  });
  it('BREAK.N sets DEBUGCAUSE bit 4; RFI 2 returns to EPC2 with PS = EPS2', () => {
    const p = fault([x.break_n(3)], {}, PS_UM | 1, DEBUG);
    expect(p.sr(SR.DEBUGCAUSE)).toBe(0x10);
    p.cpu.writeSpecial(SR.EPC2, CODE + 2);
    p.load(DEBUG, [x.rfi(2)]);
    p.load(CODE + 2, [x.nop()]);
    p.runUntil(CODE + 2, 3);
    expect(p.sr(SR.PS)).toBe(PS_UM | 1);
  });
  it('BREAK at INTLEVEL ≥ 2 does nothing', () => {
    const p = new TestProgram(PS_UM | 2).exec([x.brk(1, 2), x.break_n(0), x.movi(3, 1)]);
    expect(p.regs[3]).toBe(1);
  });
});

describe('special registers', () => {
  it('write masks: PS 6 bits, SAR 6 bits, EXCCAUSE 6, INTENABLE 15, LITBASE 0xFFFFF001', () => {
    const p = new TestProgram().set({ 3: 0xffffffff });
    p.exec([
      x.wsr(3, SR.SAR),
      x.wsr(3, SR.EXCCAUSE),
      x.wsr(3, SR.INTENABLE),
      x.wsr(3, SR.EPS2),
      x.wsr(3, SR.DEBUGCAUSE),
      x.wsr(3, SR.ICOUNTLEVEL),
      x.wsr(3, SR.EPC3),
      x.wsr(3, SR.VECBASE),
    ]);
    expect(p.sr(SR.SAR)).toBe(0x3f);
    expect(p.sr(SR.EXCCAUSE)).toBe(0x3f);
    expect(p.sr(SR.INTENABLE)).toBe(0x7fff);
    expect(p.sr(SR.EPS2)).toBe(0x3f);
    expect(p.sr(SR.DEBUGCAUSE)).toBe(0x3f);
    expect(p.sr(SR.ICOUNTLEVEL)).toBe(0xf);
    expect(p.sr(SR.EPC3)).toBe(0xffffffff);
    expect(p.sr(SR.VECBASE)).toBe(0xffffff80);
    p.cpu.writeSpecial(SR.LITBASE, 0xffffffff);
    expect(p.sr(SR.LITBASE)).toBe(0xfffff001);
    p.cpu.writeSpecial(SR.PS, 0xffffffff);
    expect(p.sr(SR.PS)).toBe(0x3f);
  });

  it('reset state: PS 0x1F, VECBASE 0x40000000, INTENABLE 0, LITBASE 0; CONFIGID values', () => {
    const p = new TestProgram();
    p.cpu.reset();
    expect(p.cpu.pc).toBe(0x40000080);
    expect(p.sr(SR.PS)).toBe(0x1f);
    expect(p.sr(SR.VECBASE)).toBe(0x40000000);
    expect(p.sr(SR.INTENABLE)).toBe(0);
    expect(p.sr(SR.LITBASE)).toBe(0);
    expect(p.sr(SR.CONFIGID0)).toBe(0xc28cdafa);
    expect(p.sr(SR.CONFIGID1)).toBe(0x1082b6f6);
  });

  it('RSR/WSR/XSR move values; XSR swaps', () => {
    const p = new TestProgram().set({ 3: 0x1234, 4: 0x5678 });
    p.exec([x.wsr(3, SR.EXCSAVE1), x.xsr(4, SR.EXCSAVE1), x.rsr(5, SR.EXCSAVE1)]);
    expect(p.regs[4]).toBe(0x1234);
    expect(p.regs[5]).toBe(0x5678);
  });

  it('RSIL returns the old PS and sets INTLEVEL', () => {
    const p = new TestProgram(PS_UM | 2).exec([x.rsil(3, 15)]);
    expect(p.regs[3]).toBe(PS_UM | 2);
    expect(p.sr(SR.PS)).toBe(PS_UM | 15);
  });
});
