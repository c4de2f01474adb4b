/**
 * The block compiler against the interpreter: the same program on two cores, one compiling hot
 * code and one interpreting, cut into the same (random) slices; after every slice the whole
 * architectural state must be equal. The programs make the compiler's hard cases happen inside
 * compiled regions: MMIO reads of the time, an MMIO write that raises an interrupt, faults,
 * self-modifying code, and slice ends in the middle of blocks.
 */
import { describe, expect, it } from 'vitest';
import { ExcCause, memoryFault, type CpuBus, type PlainRam } from './bus.ts';
import { XtensaCpu } from './cpu.ts';
import * as x from './testing/encode.ts';
import { SR } from './special-registers.ts';

const IRAM = 0x40100000;
const DRAM = 0x3ffe8000;
const SIZE = 0x10000;
const MMIO = 0x60000000;
const VECBASE = IRAM;
const CODE = IRAM + 0x400;
const DATA = DRAM + 0x100;
const PS_UM = 0x20;

/** IRAM + DRAM (plain RAM window) + two MMIO words: 0 = interrupt trigger, 4 = the time. */
class TestBus implements CpuBus {
  readonly iram = new Uint8Array(SIZE);
  readonly dram = new Uint8Array(SIZE);
  readonly plainRam: PlainRam | undefined;
  cpu: XtensaCpu | null = null;
  private readonly iramView = new DataView(this.iram.buffer);
  private readonly dramView = new DataView(this.dram.buffer);

  constructor(plain: boolean) {
    this.plainRam = plain
      ? {
          base: DRAM,
          size: SIZE,
          u8: this.dram,
          u16: new Uint16Array(this.dram.buffer),
          i32: new Int32Array(this.dram.buffer),
        }
      : undefined;
  }

  private view(addr: number, width: number): [DataView, number] {
    if (addr >= DRAM && addr + width <= DRAM + SIZE) return [this.dramView, addr - DRAM];
    if (addr >= IRAM && addr + width <= IRAM + SIZE) return [this.iramView, addr - IRAM];
    throw memoryFault(
      addr >= MMIO ? ExcCause.LoadProhibited : ExcCause.LoadStorePIFAddrError,
      addr,
    );
  }
  read8(a: number): number {
    const [v, o] = this.view(a, 1);
    return v.getUint8(o);
  }
  read16(a: number): number {
    const [v, o] = this.view(a, 2);
    return v.getUint16(o, true);
  }
  read32(a: number): number {
    if (a === MMIO + 4) return this.cpu!.cycles % 1000; // a timer: reads see the exact cycle
    const [v, o] = this.view(a, 4);
    return v.getUint32(o, true);
  }
  write8(a: number, value: number): void {
    const [v, o] = this.view(a, 1);
    v.setUint8(o, value);
  }
  write16(a: number, value: number): void {
    const [v, o] = this.view(a, 2);
    v.setUint16(o, value, true);
  }
  write32(a: number, value: number): void {
    if (a === MMIO) {
      if (value % 7 === 0) this.cpu!.raiseIrqEdge(8); // taken right after this store
      return;
    }
    const [v, o] = this.view(a, 4);
    v.setUint32(o, value >>> 0, true);
  }
  fetch(a: number): number {
    if (a < IRAM || a >= IRAM + SIZE) throw memoryFault(ExcCause.InstructionFetchError, a);
    const o = a - IRAM;
    return this.iram[o] | (this.iram[o + 1] << 8) | (this.iram[o + 2] << 16);
  }
}

/** Assemble 3-byte instructions at `at`; `label` positions are indexes into `words`. */
function place(bus: TestBus, cpu: XtensaCpu, at: number, words: number[]): void {
  const bytes = x.toBytes(words);
  bus.iram.set(bytes, at - IRAM);
  cpu.invalidateCode(at, bytes.length);
}

function machine(compile: boolean, plain = true): { cpu: XtensaCpu; bus: TestBus } {
  const bus = new TestBus(plain);
  const cpu = new XtensaCpu(bus);
  cpu.blockCompiler = compile;
  // compile every block start it reaches, so short programs run compiled code
  cpu.codeCache.hotThreshold = 1;
  cpu.codeCache.coldStretch = 1;
  bus.cpu = cpu;
  cpu.reset(CODE);
  cpu.writeSpecial(SR.VECBASE, VECBASE);
  cpu.writeSpecial(SR.PS, PS_UM);
  return { cpu, bus };
}

function state(cpu: XtensaCpu, bus: TestBus) {
  const srs = [SR.EPC1, SR.EXCCAUSE, SR.EXCVADDR, SR.PS, SR.SAR, SR.INTERRUPT, SR.DEPC];
  return {
    pc: cpu.pc,
    regs: Array.from(cpu.regs),
    sr: srs.map((s) => cpu.readSpecial(s)),
    cycles: cpu.cycles,
    instructions: cpu.instructions,
    dram: Buffer.from(bus.dram).toString('base64'),
    iram: Buffer.from(bus.iram).toString('base64'),
  };
}

/** xorshift, so the slice pattern is fixed and both runs see the same one. */
function slices(seed: number, count: number, max: number): number[] {
  let s = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out.push(1 + ((s >>> 0) % max));
  }
  return out;
}

/**
 * Load `setup` into both machines, run both through the same slices, compare after each.
 * Returns the compiling machine (for checks that it really compiled).
 */
function lockstep(
  setup: (cpu: XtensaCpu, bus: TestBus) => void,
  pattern: number[],
  plain = true,
): XtensaCpu {
  const a = machine(true, plain);
  const b = machine(false, plain);
  setup(a.cpu, a.bus);
  setup(b.cpu, b.bus);
  pattern.forEach((n, i) => {
    a.cpu.run(n);
    b.cpu.run(n);
    expect(state(a.cpu, a.bus), `after slice ${i} (${n} cycles)`).toEqual(state(b.cpu, b.bus));
  });
  return a.cpu;
}

/** Count, into `counter.n`, the instructions `cpu`'s compiled regions run from now on. */
function countInRegions(cpu: XtensaCpu, counter: { n: number }): void {
  const compile = cpu.codeCache.compile.bind(cpu.codeCache);
  cpu.codeCache.compile = (core, page, pc) => {
    const region = compile(core, page, pc);
    if (region === null) return null;
    const run = region.run;
    return Object.assign(region, {
      run: () => {
        const n = run();
        counter.n += n;
        return n;
      },
    });
  };
}

// The loop body. a3 = DATA, a4 = MMIO, a5 = iterations left, a12 = INTCLEAR mask.
function busyLoop(cpu: XtensaCpu, bus: TestBus): void {
  const loop = [
    x.l32i(6, 3, 0), // 0
    x.addi(6, 6, 1),
    x.s32i(6, 3, 0),
    x.l32i(7, 4, 4), // MMIO: the time
    x.s32i(7, 3, 4),
    x.add(8, 8, 7),
    x.s8i(2, 3, 9),
    x.l16ui(9, 3, 8),
    x.l16si(10, 3, 8),
    x.s16i(5, 3, 12),
    x.s32i(5, 4, 0), // MMIO: every 7th value raises interrupt 8
    x.addi(5, 5, -1),
    x.bnez(5, -36), // back to 0 (12 instructions × 3 bytes)
    x.j(0), // done: spin
  ];
  place(bus, cpu, CODE, loop);
  // level-1 handler: count, clear the edge, return
  place(bus, cpu, VECBASE + 0x50, [x.addi(11, 11, 1), x.wsr(12, SR.INTCLEAR), x.rfe()]);
  cpu.regs[3] = DATA;
  cpu.regs[4] = MMIO;
  cpu.regs[5] = 2000;
  cpu.regs[12] = 1 << 8;
  cpu.writeSpecial(SR.INTENABLE, 1 << 8);
}

describe('block compiler = interpreter', () => {
  it('a loop with RAM, MMIO time reads and MMIO-raised interrupts, sliced at random', () => {
    const cpu = lockstep(busyLoop, slices(1, 400, 200));
    expect(cpu.codeCache.compiled).toBeGreaterThan(0);
    expect(cpu.regs[11]).toBeGreaterThan(100); // the interrupts really happened
    expect(cpu.regs[5]).toBe(0);
  });

  it('the same through the bus only (no plain-RAM window)', () => {
    const cpu = lockstep(busyLoop, slices(2, 300, 300), false);
    expect(cpu.codeCache.compiled).toBeGreaterThan(0);
  });

  it('long slices: whole regions run and loop inside', () => {
    const cpu = lockstep(busyLoop, slices(3, 40, 5000));
    expect(cpu.codeCache.compiled).toBeGreaterThan(0);
  });

  it('a fault inside a compiled region: EPC1, EXCCAUSE, EXCVADDR, cycles as interpreted', () => {
    const cpu = lockstep(
      (c, bus) => {
        // a6 walks up DRAM by 64 bytes: after 1024 loads (hot by then) it leaves the window
        place(bus, c, CODE, [
          x.l32i(7, 6, 0),
          x.add(8, 8, 7),
          x.addi(6, 6, 64),
          x.addi(5, 5, 1),
          x.j(-12),
        ]);
        place(bus, c, VECBASE + 0x50, [x.j(0)]);
        c.regs[6] = DRAM;
      },
      slices(4, 300, 50),
    );
    expect(cpu.codeCache.compiled).toBeGreaterThan(0);
    expect(cpu.readSpecial(SR.EXCCAUSE)).toBe(ExcCause.LoadStorePIFAddrError);
    expect(cpu.readSpecial(SR.EPC1)).toBe(CODE);
    expect(cpu.readSpecial(SR.EXCVADDR)).toBe(DRAM + SIZE);
  });

  it('a hot loop that faults after it was compiled', () => {
    const cpu = lockstep(
      (c, bus) => {
        // counts a5 down from 200 and then loads through a null pointer (LoadProhibited-free bus:
        // address 0 is unmapped → cause 15)
        place(bus, c, CODE, [x.addi(5, 5, -1), x.bnez(5, -3), x.l32i(7, 6, 0), x.j(0)]);
        place(bus, c, VECBASE + 0x50, [x.j(0)]);
        c.regs[5] = 300;
        c.regs[6] = 0;
      },
      slices(5, 80, 40),
    );
    expect(cpu.readSpecial(SR.EXCVADDR)).toBe(0);
    expect(cpu.readSpecial(SR.EPC1)).toBe(CODE + 6);
  });

  it('self-modifying code: a compiled loop rewrites the immediate of its own MOVI', () => {
    const cpu = lockstep(
      (c, bus) => {
        // Each pass adds the MOVI's value to a8, then writes a5 into the MOVI's imm8 (byte 2 of
        // the word at CODE) with a 32-bit store: the next pass must execute the new value.
        place(bus, c, CODE, [
          x.movi(7, 0), // rewritten
          x.add(8, 8, 7),
          x.l32i(9, 3, 0), // the word holding the MOVI (IRAM: 32-bit access)
          x.slli(10, 5, 16),
          x.and(9, 9, 11),
          x.or(9, 9, 10),
          x.s32i(9, 3, 0), // the core's own store into its code
          x.addi(5, 5, 1),
          x.bltu(5, 4, -24),
          x.j(0),
        ]);
        c.regs[3] = CODE;
        c.regs[4] = 120;
        c.regs[5] = 1;
        c.regs[11] = ~0xff0000 >>> 0;
      },
      slices(6, 200, 60),
    );
    // the passes saw MOVI values 0, 1, …, 118
    expect(cpu.regs[8]).toBe((118 * 119) / 2);
    expect(cpu.regs[5]).toBe(120);
    expect(cpu.codeCache.compiled).toBeGreaterThan(0);
  });

  it('values wrap to 32 bits inside a region (overflowing ALU ops, unsigned bus reads)', () => {
    // Registers live in JavaScript locals inside a region; each result must wrap as the
    // Int32Array did, or a sign test later in the same region branches the wrong way.
    const lit = CODE - 4;
    const cpu = lockstep(
      (c, bus) => {
        new DataView(bus.iram.buffer).setUint32(lit - IRAM, 0x80000001, true);
        place(bus, c, CODE, [
          x.add(6, 6, 7), // 0: overflows every few passes (a7 = 0x4000ffff)
          x.bgez(6, 6),
          x.addi(10, 10, 1),
          x.mul16u(8, 7, 7), // 3: 0xffff² = 0xfffe0001, negative as int32
          x.bgez(8, 6),
          x.addi(10, 10, 16),
          x.neg(9, 11), // 6: −(−2^31) = −2^31
          x.bgez(9, 6),
          x.addi(10, 10, 64),
          x.l32r(12, lit - ((CODE + 27 + 3) & ~3)), // 9: the bus returns 0x80000001 unsigned
          x.bgez(12, 6),
          x.addi(13, 13, 1),
          x.addi(5, 5, -1), // 12
          x.bnez(5, -36),
          x.j(0),
        ]);
        c.regs[5] = 500;
        c.regs[7] = 0x4000ffff;
        c.regs[11] = 0x80000000;
      },
      slices(8, 60, 3000),
    );
    expect(cpu.regs[5]).toBe(0);
    expect(cpu.regs[13]).toBe(500); // the literal read negative every pass
    expect(cpu.codeCache.compiled).toBeGreaterThan(0);
  });

  it('a call through a literal the callee rewrites (the region only guessed the target)', () => {
    // `l32r a0, lit; callx0 a0` is how -mlongcalls code calls: the compiler follows the literal
    // into the callee, but at run time the call goes wherever the literal then points.
    const lit = CODE - 4;
    const f1 = CODE + 0x100;
    const f2 = CODE + 0x200;
    const cpu = lockstep(
      (c, bus) => {
        new DataView(bus.iram.buffer).setUint32(lit - IRAM, f1, true);
        place(bus, c, CODE, [
          x.l32r(0, lit - ((CODE + 3) & ~3)),
          x.callx0(0),
          x.add(8, 8, 2),
          x.addi(5, 5, -1),
          x.bnez(5, -12),
          x.j(0),
        ]);
        // each function points the literal at the other one
        place(bus, c, f1, [x.movi(2, 1), x.s32i(14, 3, 0), x.ret()]);
        place(bus, c, f2, [x.movi(2, 100), x.s32i(15, 3, 0), x.ret()]);
        c.regs[3] = lit;
        c.regs[5] = 400;
        c.regs[14] = f2;
        c.regs[15] = f1;
      },
      slices(9, 80, 400),
    );
    expect(cpu.regs[8]).toBe(200 * 101);
    expect(cpu.codeCache.compiled).toBeGreaterThan(0);
  });

  it('a native called from hot code: its extra cycles, and the loop goes on compiled', () => {
    const native = CODE + 0x100;
    const cpu = lockstep(
      (c, bus) => {
        for (const core of [c]) {
          core.registerNative(native, (k) => {
            k.regs[2] = (k.regs[2] * 3 + 1) >>> 0;
            k.pc = k.regs[0];
            k.cycles += 39; // a ROM routine's cost, as rom/natives.ts charges it
          });
        }
        place(bus, c, CODE, [
          x.call0(0x100 - (CODE & 3)),
          x.add(8, 8, 2),
          x.addi(5, 5, -1),
          x.bnez(5, -9),
          x.j(0),
        ]);
        c.regs[5] = 300;
      },
      slices(10, 100, 2000),
    );
    expect(cpu.regs[5]).toBe(0);
    expect(cpu.codeCache.compiled).toBeGreaterThan(0);
  });

  it('a block that runs on into the next page, rewriting an instruction there', () => {
    // The block starts 6 bytes before a 4 KB page boundary; the MOVI it rewrites lies wholly in
    // the next page, so only that page's invalidation can drop the region.
    const start = IRAM + 0x1000 - 6;
    const cpu = lockstep(
      (c, bus) => {
        place(bus, c, start, [
          x.add(8, 8, 7),
          x.addi(5, 5, 1),
          x.l32i(9, 3, 0), // the word holding the MOVI's immediate (and the OR after it)
          x.and(9, 9, 11),
          x.movi(7, 0), // at page start + 6, its immediate at + 8: rewritten
          x.or(9, 9, 5),
          x.s32i(9, 3, 0),
          x.bltu(5, 4, -21),
          x.j(0),
        ]);
        c.regs[3] = IRAM + 0x1008;
        c.regs[4] = 100;
        c.regs[11] = ~0xff >>> 0;
        c.pc = start;
      },
      slices(11, 100, 300),
    );
    expect(cpu.regs[5]).toBe(100);
    expect(cpu.regs[8]).toBe((98 * 99) / 2); // each pass adds what the pass before the last wrote
    expect(cpu.codeCache.compiled).toBeGreaterThan(0);
  });

  it('an L32R literal on a page without code, rewritten by the loop that loads it', () => {
    // A region takes literals in code memory as constants: a store to one must drop it, even
    // where no instruction was ever decoded.
    const code = IRAM + 0x2400;
    const lit = IRAM + 0x1000;
    const cpu = lockstep(
      (c, bus) => {
        new DataView(bus.iram.buffer).setUint32(lit - IRAM, 7, true);
        place(bus, c, code, [
          x.l32r(6, lit - ((code + 3) & ~3)),
          x.add(8, 8, 6),
          x.s32i(5, 3, 0), // the next pass loads this
          x.addi(5, 5, 1),
          x.bltu(5, 4, -12),
          x.j(0),
        ]);
        c.regs[3] = lit;
        c.regs[4] = 300;
        c.regs[5] = 1;
        c.pc = code;
      },
      slices(12, 100, 400),
    );
    expect(cpu.regs[8]).toBe(7 + (298 * 299) / 2);
    expect(cpu.codeCache.compiled).toBeGreaterThan(0);
  });

  it('where the environment refuses generated code (a CSP without unsafe-eval), it interprets', () => {
    const original = globalThis.Function;
    globalThis.Function = function refuse() {
      throw new EvalError('Refused to evaluate a string as JavaScript (CSP)');
    } as unknown as FunctionConstructor;
    try {
      const cpu = lockstep(busyLoop, slices(13, 100, 300));
      expect(cpu.blockCompiler).toBe(false);
      expect(cpu.codeCache.compiled).toBe(0);
      expect(cpu.regs[5]).toBeLessThan(2000); // it ran, interpreted
    } finally {
      globalThis.Function = original;
    }
  });

  it('RSIL below level 3 in compiled code ends an NMI its handler left without RFI 3', () => {
    // RTOS SDK 1.5 system_restart_in_nmi: the handler jumps away; `rsil 1` at the target.
    const runs = [true, false].map((compile) => {
      const { cpu, bus } = machine(compile);
      place(bus, cpu, CODE, [x.rsil(2, 1), x.addi(11, 11, 1), x.j(-6)]);
      place(bus, cpu, VECBASE + 0x20, [x.addi(10, 10, 1), x.j(CODE - (VECBASE + 0x20))]);
      for (let i = 0; i < 20; i++) {
        cpu.raiseIrqEdge(14);
        cpu.run(50);
      }
      return { cpu, bus };
    });
    expect(runs[0].cpu.regs[10]).toBe(20); // every NMI taken
    expect(state(runs[0].cpu, runs[0].bus)).toEqual(state(runs[1].cpu, runs[1].bus));
  });

  it('a poll-shaped branch in hot code that does not loop: the code around it runs compiled', () => {
    // for (n = 3000; n; n--) { a8 += n; while (FLAG) ; }  — FLAG is 0 and `while (FLAG) ;` is
    // marked as a poll loop (MicroPython's VM tests a pending exception like that at every
    // backward jump). Falling through it must lead straight back into compiled code, not into
    // a cold interpreter stretch at every pass.
    const inRegions = { n: 0 };
    const program = (c: XtensaCpu, bus: TestBus) => {
      place(bus, c, CODE, [
        x.addi(5, 5, -1),
        x.add(8, 8, 5),
        x.l32i(2, 3, 16), // FLAG
        x.bnez(2, -3), // while (FLAG) ;
        x.bnez(5, -12),
        x.j(0),
      ]);
      c.regs[3] = DATA;
      c.regs[5] = 3000;
      c.codeCache.coldStretch = 1024; // as on a board: cold code runs in long stretches
    };
    const cpu = lockstep(
      (c, bus) => {
        program(c, bus);
        if (c.blockCompiler) countInRegions(c, inRegions);
      },
      slices(14, 12, 4000),
    );
    expect(cpu.regs[5]).toBe(0);
    expect(cpu.pollLoops.isMarked(CODE + 9)).toBe(true);
    // 5 instructions a pass, of which the interpreter runs the marked branch only (and a cold
    // stretch where each slice starts: a slice's start is no block start).
    expect(inRegions.n).toBeGreaterThan(3000 * 3);
  });

  it('code a frequent interrupt keeps cutting short still runs compiled (an RTOS yielding)', () => {
    // FreeRTOS's idle task yields through the software interrupt at every pass: the vector is
    // entered ~80000 times a second and RFE returns into the middle of the task's block. Both
    // the vector's code and the interrupted loop must run compiled, not a cold interpreter
    // stretch after every interrupt.
    const inRegions = { n: 0 };
    const cpu = lockstep(
      (c, bus) => {
        place(bus, c, CODE, [
          x.addi(5, 5, -1),
          x.add(8, 8, 5),
          x.addi(9, 9, 3),
          x.wsr(12, SR.INTERRUPT), // INTSET: the yield, taken right after
          x.xor(10, 10, 8),
          x.addi(7, 7, 1),
          x.bnez(5, -18),
          x.j(0),
        ]);
        // The handler: count, clear, return (the vector jumps to it, as real vectors do).
        place(bus, c, VECBASE + 0x50, [x.j(0x200 - 0x50)]);
        place(bus, c, VECBASE + 0x200, [
          x.addi(11, 11, 1),
          x.addi(13, 13, 5),
          x.wsr(12, SR.INTCLEAR),
          x.rfe(),
        ]);
        c.regs[5] = 3000;
        c.regs[12] = 1 << 7;
        c.writeSpecial(SR.INTENABLE, 1 << 7);
        c.codeCache.coldStretch = 1024; // as on a board
        if (c.blockCompiler) countInRegions(c, inRegions);
      },
      slices(15, 16, 8000),
    );
    expect(cpu.regs[5]).toBe(0);
    expect(cpu.regs[11]).toBe(3000); // one interrupt a pass
    // 11 instructions a pass (7 loop, 4 handler); the interpreter runs RFE and what follows
    // it to the block's end, and a cold stretch where each slice starts.
    expect(inRegions.n).toBeGreaterThan(3000 * 6);
  });

  it('compiles code that runs often, not code that runs rarely however long (a hot rate)', () => {
    // An idle loop (WAITI) woken by CCOMPARE0: the handler runs once per period. Every period
    // its vector, and the WAITI loop it returns to, are sampled once. 64 wake-ups 2^21 cycles
    // apart (a timer tick of an idle firmware: 38 a second) must leave all of it interpreted;
    // 64 wake-ups 2^14 cycles apart must compile it.
    const compiledAfter = (period: number) => {
      const { cpu, bus } = machine(true);
      cpu.codeCache.hotThreshold = 16; // the defaults, as on a board
      cpu.codeCache.coldStretch = 1024;
      place(bus, cpu, CODE, [x.waiti(0), x.j(-3)]);
      place(bus, cpu, VECBASE + 0x50, [x.j(0x200 - 0x50)]);
      place(bus, cpu, VECBASE + 0x200, [
        x.rsr(2, SR.CCOUNT),
        x.add(2, 2, 13),
        x.wsr(2, SR.CCOMPARE0),
        x.addi(11, 11, 1),
        x.rfe(),
      ]);
      cpu.regs[13] = period;
      cpu.writeSpecial(SR.CCOMPARE0, period);
      cpu.writeSpecial(SR.INTENABLE, 1 << 6);
      cpu.run(period * 64 + period / 2);
      expect(cpu.regs[11]).toBe(64);
      return cpu.codeCache.compiled;
    };
    expect(compiledAfter(1 << 21)).toBe(0);
    expect(compiledAfter(1 << 14)).toBeGreaterThan(0);
  });

  it('WSR/RSIL/XSR inside hot code re-check interrupts at the same boundary', () => {
    lockstep(
      (c, bus) => {
        place(bus, c, CODE, [
          x.rsil(2, 15), // mask
          x.s32i(5, 4, 0), // maybe raise
          x.addi(5, 5, 1),
          x.wsr(13, SR.PS), // unmask (a13 = PS_UM): a pending interrupt is taken right after
          x.xsr(14, SR.SAR),
          x.rsr(15, SR.CCOUNT),
          x.add(8, 8, 15),
          x.j(-21),
        ]);
        place(bus, c, VECBASE + 0x50, [x.addi(11, 11, 1), x.wsr(12, SR.INTCLEAR), x.rfe()]);
        c.regs[4] = MMIO;
        c.regs[12] = 1 << 8;
        c.regs[13] = PS_UM;
        c.regs[14] = 5;
        c.writeSpecial(SR.INTENABLE, 1 << 8);
      },
      slices(7, 300, 100),
    );
  });
});
