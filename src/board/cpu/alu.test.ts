import { describe, expect, it } from 'vitest';
import * as x from './testing/encode.ts';
import { run, TestProgram } from './testing/test-program.ts';
import { SR } from './special-registers.ts';

const A = 0x12345678;
const B = 0x9abcdef0;

describe('RRR arithmetic and logic', () => {
  const cases: [string, number, number][] = [
    ['add', x.add(3, 4, 5), (A + B) >>> 0],
    ['addx2', x.addx2(3, 4, 5), ((A << 1) + B) >>> 0],
    ['addx4', x.addx4(3, 4, 5), ((A << 2) + B) >>> 0],
    ['addx8', x.addx8(3, 4, 5), ((A << 3) + B) >>> 0],
    ['sub', x.sub(3, 4, 5), (A - B) >>> 0],
    ['subx2', x.subx2(3, 4, 5), ((A << 1) - B) >>> 0],
    ['subx4', x.subx4(3, 4, 5), ((A << 2) - B) >>> 0],
    ['subx8', x.subx8(3, 4, 5), ((A << 3) - B) >>> 0],
    ['and', x.and(3, 4, 5), (A & B) >>> 0],
    ['or', x.or(3, 4, 5), (A | B) >>> 0],
    ['xor', x.xor(3, 4, 5), (A ^ B) >>> 0],
    ['mull', x.mull(3, 4, 5), Math.imul(A, B) >>> 0],
    ['mul16u', x.mul16u(3, 4, 5), (0x5678 * 0xdef0) >>> 0],
    ['mul16s', x.mul16s(3, 4, 5), (0x5678 * (0xdef0 - 0x10000)) >>> 0],
    ['add.n', x.add_n(3, 4, 5), (A + B) >>> 0],
  ];
  it.each(cases)('%s a3 = f(a4, a5)', (_name, word, expected) => {
    expect(run([word], { 4: A, 5: B })[3]).toBe(expected);
  });

  it('ADDX/SUBX wrap modulo 2^32 (no overflow exception)', () => {
    expect(run([x.addx8(3, 4, 5)], { 4: 0x20000000, 5: 1 })[3]).toBe(1);
    expect(run([x.subx8(3, 4, 5)], { 4: 0, 5: 1 })[3]).toBe(0xffffffff);
    expect(run([x.add(3, 4, 5)], { 4: 0xffffffff, 5: 2 })[3]).toBe(1);
  });

  it('MUL16S sign-extends both halves: (−1)×(−2) = 2, MUL16U(0xFFFF, 0xFFFE) = 0xFFFD0002', () => {
    expect(run([x.mul16s(3, 4, 5)], { 4: 0x1234ffff, 5: 0xfffe })[3]).toBe(2);
    expect(run([x.mul16u(3, 4, 5)], { 4: 0xffff, 5: 0xabcdfffe })[3]).toBe(0xfffd0002);
    expect(run([x.mul16s(3, 4, 5)], { 4: 0x8000, 5: 0x8000 })[3]).toBe(0x40000000);
  });

  it('NEG and ABS (ABS(0x80000000) stays 0x80000000)', () => {
    expect(run([x.neg(3, 5)], { 5: 5 })[3]).toBe(0xfffffffb);
    expect(run([x.neg(3, 5)], { 5: 0x80000000 })[3]).toBe(0x80000000);
    expect(run([x.abs(3, 5)], { 5: 0xfffffffb })[3]).toBe(5);
    expect(run([x.abs(3, 5)], { 5: 7 })[3]).toBe(7);
    expect(run([x.abs(3, 5)], { 5: 0x80000000 })[3]).toBe(0x80000000);
  });

  it('NSA/NSAU: NSA(0) = NSA(−1) = 31, NSA(1) = 30, NSAU(0) = 32', () => {
    const nsa = (v: number) => run([x.nsa(3, 4)], { 4: v })[3];
    const nsau = (v: number) => run([x.nsau(3, 4)], { 4: v })[3];
    expect([nsa(0), nsa(-1), nsa(1), nsa(0x40000000), nsa(0x80000000), nsa(0xfffffffe)]).toEqual([
      31, 31, 30, 0, 0, 30,
    ]);
    expect([nsau(0), nsau(1), nsau(0x80000000), nsau(0xffff)]).toEqual([32, 31, 0, 16]);
  });

  it('MOVEQZ/MOVNEZ/MOVLTZ/MOVGEZ move only when the condition on at holds', () => {
    const m = (w: number, t: number) => run([w], { 3: 111, 4: 222, 5: t })[3];
    expect([m(x.moveqz(3, 4, 5), 0), m(x.moveqz(3, 4, 5), 1)]).toEqual([222, 111]);
    expect([m(x.movnez(3, 4, 5), 0), m(x.movnez(3, 4, 5), 1)]).toEqual([111, 222]);
    expect([m(x.movltz(3, 4, 5), -1), m(x.movltz(3, 4, 5), 0)]).toEqual([222, 111]);
    expect([m(x.movgez(3, 4, 5), 0), m(x.movgez(3, 4, 5), 0x80000000)]).toEqual([222, 111]);
  });

  it('MOV.N, MOVI (−2048..2047), MOVI.N (−32..95)', () => {
    expect(run([x.mov_n(3, 4)], { 4: B })[3]).toBe(B);
    expect(run([x.movi(3, -2048)])[3]).toBe(0xfffff800);
    expect(run([x.movi(3, 2047)])[3]).toBe(2047);
    expect(run([x.movi_n(3, -32)])[3]).toBe(0xffffffe0);
    expect(run([x.movi_n(3, 95)])[3]).toBe(95);
    expect(run([x.movi_n(3, 0)])[3]).toBe(0);
  });

  it('ADDI (±128), ADDMI (×256), ADDI.N (−1 encoded as 0, 1..15)', () => {
    expect(run([x.addi(3, 4, -128)], { 4: 100 })[3]).toBe(0xffffffe4);
    expect(run([x.addi(3, 4, 127)], { 4: 1 })[3]).toBe(128);
    expect(run([x.addmi(3, 4, -32768)], { 4: 0 })[3]).toBe(0xffff8000);
    expect(run([x.addmi(3, 4, 0x7f00)], { 4: 1 })[3]).toBe(0x7f01);
    expect(x.addi_n(3, 4, -1) & 0xf0).toBe(0);
    expect(run([x.addi_n(3, 4, -1)], { 4: 0 })[3]).toBe(0xffffffff);
    expect(run([x.addi_n(3, 4, 15)], { 4: 1 })[3]).toBe(16);
  });
});

describe('shifts', () => {
  const withSar = (sar: number, w: number, regs: Record<number, number>) => {
    const p = new TestProgram().set(regs);
    p.cpu.writeSpecial(SR.SAR, sar);
    return p.exec([w]).regs[3];
  };

  it('SSR/SSL/SSA8L/SSA8B/SSAI set SAR', () => {
    const sar = (w: number, v: number) => new TestProgram().set({ 4: v }).exec([w]).sr(SR.SAR);
    expect(sar(x.ssr(4), 0x25)).toBe(5);
    expect(sar(x.ssl(4), 5)).toBe(27);
    expect(sar(x.ssl(4), 0)).toBe(32);
    expect(sar(x.ssa8l(4), 3)).toBe(24);
    expect(sar(x.ssa8b(4), 1)).toBe(24);
    expect(sar(x.ssa8b(4), 0)).toBe(32);
    expect(sar(x.ssai(17), 0)).toBe(17);
    expect(sar(x.ssai(31), 0)).toBe(31);
  });

  it('SRL/SRA/SLL/SRC with SAR in 1..31', () => {
    expect(withSar(4, x.srl(3, 5), { 5: 0x80000010 })).toBe(0x08000001);
    expect(withSar(4, x.sra(3, 5), { 5: 0x80000010 })).toBe(0xf8000001);
    expect(withSar(28, x.sll(3, 4), { 4: 0x12345678 })).toBe(0x23456780); // << (32 − 28)
    expect(withSar(8, x.src(3, 4, 5), { 4: 0xaabbccdd, 5: 0x11223344 })).toBe(0xdd112233);
  });

  it('SAR = 32 (ISA, not the QEMU TB quirk): SRL → 0, SRA → sign fill, SLL → x, SRC → AR[s]', () => {
    expect(withSar(32, x.srl(3, 5), { 5: 0x80000010 })).toBe(0);
    expect(withSar(32, x.sra(3, 5), { 5: 0x80000010 })).toBe(0xffffffff);
    expect(withSar(32, x.sra(3, 5), { 5: 0x70000010 })).toBe(0);
    expect(withSar(32, x.sll(3, 4), { 4: 0x12345678 })).toBe(0x12345678);
    expect(withSar(32, x.src(3, 4, 5), { 4: 0xaabbccdd, 5: 0x11223344 })).toBe(0xaabbccdd);
  });

  it('SAR 33..63 (WSR.SAR keeps 6 bits): SRA keeps the sign, SRL/SRC shift the high word', () => {
    expect(withSar(33, x.sra(3, 5), { 5: 0x80000000 })).toBe(0xffffffff);
    expect(withSar(63, x.sra(3, 5), { 5: 0x7fffffff })).toBe(0);
    expect(withSar(33, x.srl(3, 5), { 5: 0x80000000 })).toBe(0);
    expect(withSar(36, x.src(3, 4, 5), { 4: 0xaabbccdd, 5: 0x11223344 })).toBe(0x0aabbccd);
  });

  it('SAR = 0: SRL/SRA → x, SLL → 0 (ssr 0; sll = 0), SRC → AR[t]', () => {
    expect(withSar(0, x.srl(3, 5), { 5: 0x80000010 })).toBe(0x80000010);
    expect(withSar(0, x.sra(3, 5), { 5: 0x80000010 })).toBe(0x80000010);
    expect(withSar(0, x.sll(3, 4), { 4: 0x12345678 })).toBe(0);
    expect(withSar(0, x.src(3, 4, 5), { 4: 0xaabbccdd, 5: 0x11223344 })).toBe(0x11223344);
  });

  it('ssl 0 then sll gives x; ssr 0 then sll gives 0 (as observed on QEMU)', () => {
    expect(run([x.ssl(6), x.sll(3, 4)], { 4: 0xdeadbeef, 6: 0 })[3]).toBe(0xdeadbeef);
    expect(run([x.ssr(6), x.sll(3, 4)], { 4: 0xdeadbeef, 6: 0 })[3]).toBe(0);
  });

  it('SLLI 1..31, SRAI 0..31, SRLI 0..15, EXTUI', () => {
    expect(run([x.slli(3, 4, 7)], { 4: 0x12345678 })[3]).toBe((0x12345678 << 7) >>> 0);
    expect(run([x.slli(3, 4, 1)], { 4: 0x80000001 })[3]).toBe(2);
    expect(run([x.slli(3, 4, 31)], { 4: 3 })[3]).toBe(0x80000000);
    expect(run([x.srai(3, 5, 21)], { 5: 0x80000000 })[3]).toBe(0xfffffc00);
    expect(run([x.srai(3, 5, 0)], { 5: 0x80000000 })[3]).toBe(0x80000000);
    expect(run([x.srai(3, 5, 31)], { 5: 0x40000000 })[3]).toBe(0);
    expect(run([x.srli(3, 5, 9)], { 5: 0x80000000 })[3]).toBe(0x00400000);
    expect(run([x.srli(3, 5, 15)], { 5: 0xffffffff })[3]).toBe(0x1ffff);
    expect(run([x.extui(3, 5, 4, 8)], { 5: 0x12345678 })[3]).toBe(0x67);
    expect(run([x.extui(3, 5, 31, 1)], { 5: 0x80000000 })[3]).toBe(1);
    expect(run([x.extui(3, 5, 0, 16)], { 5: 0xfedcba98 })[3]).toBe(0xba98);
    expect(run([x.extui(3, 5, 16, 16)], { 5: 0xfedcba98 })[3]).toBe(0xfedc);
  });
});
