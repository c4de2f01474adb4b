import { describe, expect, it } from 'vitest';
import * as x from './testing/encode.ts';
import { CODE, DATA, TestProgram, run } from './testing/test-program.ts';
import { SR } from './special-registers.ts';

describe('loads and stores', () => {
  const withData = () => {
    const p = new TestProgram().set({ 4: DATA });
    p.bus.write32(DATA, 0x8281ff80);
    p.bus.write32(DATA + 4, 0x44332211);
    p.bus.write32(DATA + 1020, 0xcafef00d);
    return p;
  };

  it('L8UI zero-extends, L16UI zero-extends, L16SI sign-extends, L32I, L32I.N', () => {
    expect(withData().exec([x.l8ui(3, 4, 0)]).regs[3]).toBe(0x80);
    expect(withData().exec([x.l8ui(3, 4, 5)]).regs[3]).toBe(0x22);
    expect(withData().exec([x.l16ui(3, 4, 0)]).regs[3]).toBe(0xff80);
    expect(withData().exec([x.l16si(3, 4, 0)]).regs[3]).toBe(0xffffff80);
    expect(withData().exec([x.l16si(3, 4, 2)]).regs[3]).toBe(0xffff8281);
    expect(withData().exec([x.l16si(3, 4, 4)]).regs[3]).toBe(0x2211);
    expect(withData().exec([x.l32i(3, 4, 1020)]).regs[3]).toBe(0xcafef00d);
    expect(withData().exec([x.l32i_n(3, 4, 4)]).regs[3]).toBe(0x44332211);
  });

  it('S8I/S16I/S32I/S32I.N store the low bits little-endian', () => {
    const p = new TestProgram().set({ 4: DATA, 3: 0xaabbccdd });
    p.exec([x.s32i(3, 4, 8), x.s8i(3, 4, 12), x.s16i(3, 4, 14), x.s32i_n(3, 4, 16)]);
    expect(p.bus.read32(DATA + 8)).toBe(0xaabbccdd);
    expect(p.bus.read8(DATA + 12)).toBe(0xdd);
    expect(p.bus.read8(DATA + 13)).toBe(0);
    expect(p.bus.read16(DATA + 14)).toBe(0xccdd);
    expect(p.bus.read32(DATA + 16)).toBe(0xaabbccdd);
  });

  it('L32R loads PC-relative literals ((PC+3)&~3 − 4k); with LITBASE enabled from LITBASE', () => {
    const p = new TestProgram();
    p.bus.write32(CODE - 8, 0x11111111);
    p.bus.write32(CODE - 4, 0x22222222);
    p.exec([x.l32r(3, -8), x.l32r(5, -8)]); // second at CODE+3 → (CODE+6)&~3 = CODE+4
    expect(p.regs[3]).toBe(0x11111111);
    expect(p.regs[5]).toBe(0x22222222);

    const q = new TestProgram();
    q.bus.write32(DATA - 4, 0x33333333);
    q.cpu.writeSpecial(SR.LITBASE, DATA | 1);
    q.exec([x.l32r(3, -4)]);
    expect(q.regs[3]).toBe(0x33333333);
    expect(q.sr(SR.LITBASE)).toBe((DATA | 1) >>> 0);
  });

  it('a store over already-executed code is seen the next time it runs', () => {
    const p = new TestProgram();
    // loop twice: first pass runs movi a3,1 then patches it to movi a3,2 (stored word in a6)
    const patched = x.movi(3, 2);
    p.set({ 4: CODE, 6: patched, 7: 2 });
    const prog = [
      x.movi(3, 1), // CODE+0
      x.add(8, 8, 3), // accumulate a3
      x.s16i(6, 4, 0), // patch low 16 bits of the movi (imm8 lives in byte 2, store byte 2 too)
      x.srli(9, 6, 15),
      x.srli(9, 9, 1),
      x.s8i(9, 4, 2),
      x.addi_n(7, 7, -1),
      x.bnez(7, -(3 + 3 + 3 + 3 + 3 + 3 + 2)),
    ];
    p.exec(prog);
    expect(p.regs[8]).toBe(3); // 1 + 2
  });
});

describe('branches', () => {
  // Branch at CODE over a movi a3,1 (3 bytes) to a movi a4,1: taken → a3 stays 0.
  const taken = (branch: number, regs: Record<number, number>) => {
    const r = run([branch, x.movi(3, 1), x.movi(4, 1)], regs);
    expect(r[4]).toBe(1);
    return r[3] === 0;
  };
  const b2 = (f: (s: number, t: number, o: number) => number) => f(5, 6, 6);
  const b1 = (f: (s: number, o: number) => number) => f(5, 6);

  it('BEQZ/BNEZ/BLTZ/BGEZ', () => {
    expect([taken(b1(x.beqz), { 5: 0 }), taken(b1(x.beqz), { 5: 1 })]).toEqual([true, false]);
    expect([taken(b1(x.bnez), { 5: 0 }), taken(b1(x.bnez), { 5: 1 })]).toEqual([false, true]);
    expect([taken(b1(x.bltz), { 5: -1 }), taken(b1(x.bltz), { 5: 0 })]).toEqual([true, false]);
    expect([taken(b1(x.bgez), { 5: 0 }), taken(b1(x.bgez), { 5: 0x80000000 })]).toEqual([
      true,
      false,
    ]);
  });

  it('BEQ/BNE/BLT/BGE/BLTU/BGEU signed vs unsigned', () => {
    const big = 0x80000000;
    expect([taken(b2(x.beq), { 5: 7, 6: 7 }), taken(b2(x.beq), { 5: 7, 6: 8 })]).toEqual([
      true,
      false,
    ]);
    expect([taken(b2(x.bne), { 5: 7, 6: 7 }), taken(b2(x.bne), { 5: 7, 6: 8 })]).toEqual([
      false,
      true,
    ]);
    expect([taken(b2(x.blt), { 5: big, 6: 1 }), taken(b2(x.blt), { 5: 1, 6: big })]).toEqual([
      true,
      false,
    ]);
    expect([taken(b2(x.bge), { 5: 1, 6: big }), taken(b2(x.bge), { 5: big, 6: 1 })]).toEqual([
      true,
      false,
    ]);
    expect([taken(b2(x.bltu), { 5: 1, 6: big }), taken(b2(x.bltu), { 5: big, 6: 1 })]).toEqual([
      true,
      false,
    ]);
    expect([taken(b2(x.bgeu), { 5: big, 6: 1 }), taken(b2(x.bgeu), { 5: 1, 6: big })]).toEqual([
      true,
      false,
    ]);
    expect(taken(b2(x.bgeu), { 5: 3, 6: 3 })).toBe(true);
  });

  it('BANY/BNONE/BALL/BNALL', () => {
    expect([taken(b2(x.bany), { 5: 6, 6: 2 }), taken(b2(x.bany), { 5: 4, 6: 2 })]).toEqual([
      true,
      false,
    ]);
    expect([taken(b2(x.bnone), { 5: 4, 6: 2 }), taken(b2(x.bnone), { 5: 6, 6: 2 })]).toEqual([
      true,
      false,
    ]);
    expect([taken(b2(x.ball), { 5: 7, 6: 5 }), taken(b2(x.ball), { 5: 6, 6: 5 })]).toEqual([
      true,
      false,
    ]);
    expect([taken(b2(x.bnall), { 5: 6, 6: 5 }), taken(b2(x.bnall), { 5: 7, 6: 5 })]).toEqual([
      true,
      false,
    ]);
  });

  it('BBC/BBS use AR[t][4:0]; BBCI/BBSI use the immediate bit (0..31)', () => {
    expect([taken(b2(x.bbc), { 5: 0xfffffffe, 6: 32 }), taken(b2(x.bbc), { 5: 1, 6: 0 })]).toEqual([
      true,
      false,
    ]);
    expect([taken(b2(x.bbs), { 5: 0x80000000, 6: 31 }), taken(b2(x.bbs), { 5: 1, 6: 1 })]).toEqual([
      true,
      false,
    ]);
    expect([taken(x.bbci(5, 21, 6), { 5: 0 }), taken(x.bbci(5, 21, 6), { 5: 1 << 21 })]).toEqual([
      true,
      false,
    ]);
    expect([taken(x.bbsi(5, 31, 6), { 5: 0x80000000 }), taken(x.bbsi(5, 0, 6), { 5: 2 })]).toEqual([
      true,
      false,
    ]);
  });

  it('BxxI use b4const (−1, 1..256) and BxxUI use b4constu (32768, 65536, …)', () => {
    expect(taken(x.beqi(5, -1, 6), { 5: 0xffffffff })).toBe(true);
    expect(taken(x.bnei(5, 256, 6), { 5: 256 })).toBe(false);
    expect(taken(x.blti(5, 1, 6), { 5: 0xffffffff })).toBe(true);
    expect(taken(x.bgei(5, 128, 6), { 5: 128 })).toBe(true);
    expect(taken(x.bltui(5, 65536, 6), { 5: 65535 })).toBe(true);
    expect(taken(x.bltui(5, 32768, 6), { 5: 0xffffffff })).toBe(false);
    expect(taken(x.bgeui(5, 32768, 6), { 5: 32768 })).toBe(true);
    expect(taken(x.bgeui(5, 2, 6), { 5: 1 })).toBe(false);
  });

  it('BEQZ.N/BNEZ.N jump forward PC+4+imm6', () => {
    // beqz.n at CODE (2 bytes) over movi (3 bytes) → target CODE+5: offset 5
    const p = new TestProgram().set({ 5: 0 });
    p.exec([x.beqz_n(5, 5), x.movi(3, 1), x.movi(4, 1)]);
    expect(p.regs[3]).toBe(0);
    expect(run([x.bnez_n(5, 5), x.movi(3, 1), x.movi(4, 1)], { 5: 1 })[3]).toBe(0);
    expect(run([x.bnez_n(5, 5), x.movi(3, 1), x.movi(4, 1)], { 5: 0 })[3]).toBe(1);
  });

  it('negative branch offsets loop backwards', () => {
    // a5 = 5; loop: a6 += 2; a5 -= 1; bnez a5, loop
    const r = run([x.addi(6, 6, 2), x.addi_n(5, 5, -1), x.bnez(5, -5)], { 5: 5 });
    expect(r[6]).toBe(10);
    const r2 = run([x.addi(6, 6, 2), x.addi_n(5, 5, -1), x.bne(5, 7, -5)], { 5: 3, 7: 0 });
    expect(r2[6]).toBe(6);
  });
});

describe('jumps and calls', () => {
  it('J forward and backward', () => {
    // j +6 skips movi a3; later j back
    expect(run([x.j(6), x.movi(3, 1), x.movi(4, 1)])[3]).toBe(0);
  });

  it('CALL0 sets a0 = PC+3, RET/RET.N return; CALLX0 uses the old AR[s]; JX', () => {
    const p = new TestProgram();
    // CODE: call0 → CODE+16 (aligned); CODE+3: movi a4,7; CODE+6: j to end
    const sub = CODE + 16;
    p.load(sub, [x.movi(3, 5), x.ret_n()]);
    const end = p.load(CODE, [x.call0(16), x.movi(4, 7)]);
    p.cpu.pc = CODE;
    p.runUntil(end);
    expect(p.regs[0]).toBe(CODE + 3);
    expect(p.regs[3]).toBe(5);
    expect(p.regs[4]).toBe(7);

    const q = new TestProgram().set({ 0: CODE + 32 });
    q.load(CODE + 32, [x.movi(3, 9), x.ret()]);
    q.exec([x.callx0(0), x.movi(4, 1)]); // callx0 a0: target is the old a0
    expect(q.regs[3]).toBe(9);
    expect(q.regs[0]).toBe(CODE + 3);

    const r = new TestProgram().set({ 6: CODE + 6 });
    r.exec([x.jx(6), x.movi(3, 1), x.movi(4, 1)]);
    expect(r.regs[3]).toBe(0);
    expect(r.regs[4]).toBe(1);
  });

  it('CALL0 target is (PC & ~3) + 4 + offset18·4 from an unaligned call site', () => {
    const p = new TestProgram();
    p.load(CODE + 16, [x.movi(3, 5), x.ret_n()]);
    // nop.n at CODE, call0 at CODE+2: target (CODE+2)&~3 + 16 = CODE+16
    p.exec([x.nop_n(), x.call0(16)].concat([]), 100);
    expect(p.regs[3]).toBe(5);
    expect(p.regs[0]).toBe(CODE + 5);
  });

  it('NOP forms, MEMW and syncs advance PC only', () => {
    const p = new TestProgram().set({ 3: 42 });
    const steps = p.exec([
      x.nop(),
      x.nop_n(),
      x.memw(),
      x.isync(),
      x.rsync(),
      x.esync(),
      x.dsync(),
      x.excw(),
      x.extw(),
      x.rer(),
      x.wer(),
    ]);
    expect(steps.regs[3]).toBe(42);
    expect(p.cpu.instructions).toBe(11);
  });
});
