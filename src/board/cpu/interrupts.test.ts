import { describe, expect, it } from 'vitest';
import { ExcCause } from './bus.ts';
import * as x from './testing/encode.ts';
import { CODE, TestProgram, VECBASE } from './testing/test-program.ts';
import { PS_EXCM, PS_UM, SR } from './special-registers.ts';

const USER = VECBASE + 0x50;
const NMI = VECBASE + 0x20;

/** A program spinning at CODE (j .) with interrupts enabled as given. */
function spinning(intenable: number, ps = PS_UM) {
  const p = new TestProgram(ps);
  p.load(CODE, [x.j(0)]);
  p.load(USER, [x.j(0)]);
  p.load(NMI, [x.j(0)]);
  p.cpu.pc = CODE;
  p.cpu.writeSpecial(SR.INTENABLE, intenable);
  return p;
}

describe('level-1 interrupts', () => {
  it('a level line (0..5) is taken through the user vector with cause 4, EPC1 = next insn', () => {
    const p = spinning(1 << 4);
    p.cpu.run(10);
    p.cpu.setIrqLevel(4, true);
    p.cpu.step();
    expect(p.cpu.pc).toBe(USER);
    expect(p.sr(SR.EXCCAUSE)).toBe(ExcCause.Level1Interrupt);
    expect(p.sr(SR.EPC1)).toBe(CODE);
    expect(p.sr(SR.INTERRUPT)).toBe(1 << 4);
    p.cpu.setIrqLevel(4, false);
    expect(p.sr(SR.INTERRUPT)).toBe(0); // level: follows the line
  });

  it('masked by INTENABLE, by PS.INTLEVEL ≥ 1 and by PS.EXCM', () => {
    for (const [en, ps] of [
      [0, PS_UM],
      [1, PS_UM | 1],
      [1, PS_UM | PS_EXCM],
    ]) {
      const p = spinning(en, ps);
      p.cpu.setIrqLevel(0, true);
      p.cpu.run(100);
      expect(p.cpu.pc).toBe(CODE);
    }
  });

  it('edge interrupts (8..13) latch until INTCLEAR; INTSET sets only the software bit 7', () => {
    const p = spinning(0);
    p.cpu.raiseIrqEdge(9);
    expect(p.sr(SR.INTERRUPT)).toBe(1 << 9);
    p.cpu.writeSpecial(SR.INTERRUPT, 0xffff); // INTSET
    expect(p.sr(SR.INTERRUPT)).toBe((1 << 9) | 0x80);
    p.cpu.writeSpecial(SR.INTCLEAR, 1 << 9);
    expect(p.sr(SR.INTERRUPT)).toBe(0x80);
    p.cpu.writeSpecial(SR.INTCLEAR, 0x80);
    expect(p.sr(SR.INTERRUPT)).toBe(0);
    p.cpu.setIrqLevel(2, true);
    p.cpu.writeSpecial(SR.INTCLEAR, 0xffff); // cannot clear a level line
    expect(p.sr(SR.INTERRUPT)).toBe(4);
  });

  it('a software interrupt from WSR INTSET is taken right after the WSR', () => {
    const p = new TestProgram().set({ 3: 0x80 });
    p.cpu.writeSpecial(SR.INTENABLE, 0x80);
    p.load(CODE, [x.wsr(3, SR.INTERRUPT), x.movi(4, 1)]);
    p.load(USER, [x.j(0)]);
    p.cpu.pc = CODE;
    p.cpu.run(50);
    expect(p.cpu.pc).toBe(USER);
    expect(p.sr(SR.EPC1)).toBe(CODE + 3);
    expect(p.regs[4]).toBe(0);
  });

  it('RSIL 0 unmasks a pending interrupt at the next instruction', () => {
    const p = new TestProgram(PS_UM | 15);
    p.cpu.writeSpecial(SR.INTENABLE, 1);
    p.cpu.setIrqLevel(0, true);
    p.load(CODE, [x.rsil(3, 0), x.movi(4, 1), x.j(0)]);
    p.load(USER, [x.j(0)]);
    p.cpu.pc = CODE;
    p.cpu.run(50);
    expect(p.sr(SR.EPC1)).toBe(CODE + 3);
    expect(p.regs[4]).toBe(0);
  });
});

describe('NMI (interrupt 14, level 3)', () => {
  it('is taken even when masked by INTENABLE/INTLEVEL, nests over a level-1 handler, RFI 3 returns', () => {
    const p = spinning(1);
    p.cpu.setIrqLevel(0, true);
    p.cpu.step(); // level-1 entry
    expect(p.cpu.pc).toBe(USER);
    const psInHandler = p.sr(SR.PS);
    expect(psInHandler & PS_EXCM).toBe(PS_EXCM);
    p.cpu.step(); // one insn of the handler (j .)
    p.cpu.raiseIrqEdge(14);
    p.cpu.step();
    expect(p.cpu.pc).toBe(NMI);
    expect(p.sr(SR.EPC3)).toBe(USER);
    expect(p.sr(SR.EPS3)).toBe(psInHandler);
    expect(p.sr(SR.PS) & 0xf).toBe(3);
    expect(p.sr(SR.INTERRUPT) & 0x4000).toBe(0); // taking the NMI consumed the edge
    p.load(NMI, [x.rfi(3)]);
    p.cpu.step();
    expect(p.cpu.pc).toBe(USER);
    expect(p.sr(SR.PS)).toBe(psInHandler);
  });
});

describe('an NMI raised inside the NMI handler', () => {
  it('waits for RFI 3 and is taken right after it (the RTOS SDK re-raises it on its way out)', () => {
    const p = spinning(0);
    p.load(NMI, [x.nop(), x.nop(), x.rfi(3)]);
    p.cpu.raiseIrqEdge(14);
    p.cpu.step();
    expect(p.cpu.pc).toBe(NMI);
    p.cpu.raiseIrqEdge(14); // e.g. DPORT 0x3FF00000 := 1 with the MAC still pending
    p.cpu.step();
    p.cpu.step();
    expect(p.sr(SR.EPC3)).toBe(CODE); // not overwritten by a nested entry
    expect(p.sr(SR.INTERRUPT) & 0x4000).toBe(0x4000);
    p.cpu.step(); // RFI 3
    expect(p.cpu.pc).toBe(CODE);
    p.cpu.step();
    expect(p.cpu.pc).toBe(NMI);
    expect(p.sr(SR.EPC3)).toBe(CODE);
  });
});

describe('an NMI handler left without RFI 3', () => {
  // RTOS SDK 1.5 system_restart_in_nmi runs from the NMI and jumps to the reset vector, which
  // lowers the level (rsil 1, wsr ps) before anything else: NMIs must be taken again after that.
  for (const [name, lower] of [
    ['rsil 1', [x.rsil(2, 1)]],
    ['wsr ps', [x.movi(2, 0x20), x.wsr(2, SR.PS)]],
    ['xsr ps', [x.movi(2, 0x20), x.xsr(2, SR.PS)]],
  ] as const) {
    it(`ends when the software lowers PS.INTLEVEL below 3 (${name})`, () => {
      const p = spinning(0);
      p.load(NMI, [x.j(0)]);
      p.load(CODE + 0x40, [...lower, x.j(0)]);
      p.cpu.raiseIrqEdge(14);
      p.cpu.step();
      expect(p.cpu.pc).toBe(NMI);
      p.cpu.pc = CODE + 0x40; // the jump out of the handler
      for (let i = 0; i < lower.length; i++) p.cpu.step();
      p.cpu.raiseIrqEdge(14);
      p.cpu.step();
      expect(p.cpu.pc).toBe(NMI);
      expect(p.sr(SR.EPC3)).toBe(CODE + 0x40 + 3 * lower.length);
    });
  }

  it('does not end while the level stays at 3 (rsil 3 inside the handler)', () => {
    const p = spinning(0);
    p.load(NMI, [x.rsil(2, 3), x.nop(), x.j(0)]);
    p.cpu.raiseIrqEdge(14);
    p.cpu.step();
    p.cpu.step(); // rsil 3
    p.cpu.raiseIrqEdge(14);
    p.cpu.step();
    expect(p.sr(SR.EPC3)).toBe(CODE);
    expect(p.sr(SR.INTERRUPT) & 0x4000).toBe(0x4000);
  });
});

describe('CCOUNT, CCOMPARE0 and WAITI', () => {
  it('CCOUNT counts cycles; WSR CCOUNT sets it', () => {
    const p = spinning(0);
    p.cpu.run(100);
    const c = p.sr(SR.CCOUNT);
    expect(c).toBe(p.cpu.cycles >>> 0);
    p.cpu.writeSpecial(SR.CCOUNT, 0xfffffff0);
    p.cpu.run(32);
    expect(p.sr(SR.CCOUNT)).toBe(16);
  });

  it('a CCOMPARE0 match sets INT6; writing CCOMPARE0 clears it', () => {
    const p = spinning(0);
    p.cpu.writeSpecial(SR.CCOMPARE0, p.sr(SR.CCOUNT) + 50);
    p.cpu.run(49);
    expect(p.sr(SR.INTERRUPT) & 0x40).toBe(0);
    p.cpu.run(5);
    expect(p.sr(SR.INTERRUPT) & 0x40).toBe(0x40);
    p.cpu.writeSpecial(SR.CCOMPARE0, 0);
    expect(p.sr(SR.INTERRUPT) & 0x40).toBe(0);
  });

  it('WAITI sleeps: run() adds idle cycles at once, and the CCOMPARE0 match wakes it via INT6', () => {
    const p = new TestProgram();
    p.cpu.writeSpecial(SR.INTENABLE, 1 << 6);
    p.load(CODE, [x.waiti(0), x.movi(4, 1)]);
    p.load(USER, [x.j(0)]);
    p.cpu.pc = CODE;
    const start = p.cpu.cycles;
    p.cpu.writeSpecial(SR.CCOMPARE0, p.sr(SR.CCOUNT) + 1_000_000);
    p.cpu.run(10);
    expect(p.cpu.halted).toBe(true);
    expect(p.cpu.cycles - start).toBeGreaterThanOrEqual(10);
    expect(p.cpu.instructions).toBe(1);
    p.cpu.run(5_000_000);
    expect(p.cpu.halted).toBe(false);
    expect(p.sr(SR.EXCCAUSE)).toBe(ExcCause.Level1Interrupt);
    expect(p.sr(SR.EPC1)).toBe(CODE + 3); // after the WAITI
    expect(p.sr(SR.INTERRUPT) & 0x40).toBe(0x40);
    expect(p.cpu.instructions).toBeLessThan(5_000_000); // the sleep cost no instructions
    expect(p.cpu.cycles - start).toBeGreaterThanOrEqual(5_000_010);
  });

  it('WAITI with nothing enabled sleeps through the whole budget and sets INTLEVEL', () => {
    const p = new TestProgram();
    p.load(CODE, [x.waiti(5)]);
    p.cpu.pc = CODE;
    p.cpu.run(1e9);
    expect(p.cpu.halted).toBe(true);
    expect(p.cpu.cycles).toBeGreaterThanOrEqual(1e9);
    expect(p.sr(SR.PS) & 0xf).toBe(5);
  });
});

describe('host hooks', () => {
  it('SIMCALL calls onSimcall with PC already past the instruction', () => {
    const p = new TestProgram().set({ 2: 4 });
    let seen = -1;
    p.cpu.onSimcall = (cpu) => {
      seen = cpu.regs[2];
      cpu.regs[2] = 123;
    };
    p.exec([x.simcall(), x.movi(4, 1)]);
    expect(seen).toBe(4);
    expect(p.regs[2]).toBe(123);
    expect(p.regs[4]).toBe(1);
  });

  it('registerNative runs TypeScript in place of the code at an address', () => {
    const p = new TestProgram();
    const fn = CODE + 0x100;
    p.cpu.registerNative(fn, (cpu) => {
      cpu.regs[2] = cpu.regs[2] * 2;
      cpu.cycles += 10;
      cpu.pc = cpu.regs[0];
    });
    p.set({ 2: 21 }).exec([x.call0(0x100), x.movi(4, 1)]);
    expect(p.regs[2]).toBe(42);
    expect(p.regs[4]).toBe(1);
    expect(p.cpu.cycles).toBeGreaterThanOrEqual(12);
  });

  it('requestStop ends run() at the next instruction boundary', () => {
    const p = spinning(0);
    p.cpu.registerNative(CODE, (cpu) => cpu.requestStop());
    p.cpu.run(1000);
    expect(p.cpu.cycles).toBeLessThan(5);
  });

  it('invalidateCode drops decoded instructions a host rewrote', () => {
    const p = new TestProgram();
    p.exec([x.movi(3, 1)]);
    p.bus.load(CODE, x.toBytes([x.movi(3, 2)]));
    p.cpu.invalidateCode(CODE, 3);
    p.cpu.pc = CODE;
    p.runUntil(CODE + 3);
    expect(p.regs[3]).toBe(2);
  });
});
