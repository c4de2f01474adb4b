/**
 * Poll-loop fast-forward against plain execution: the same program on cores with and without it
 * (interpreting and compiling), cut into the same random run() slices, with the same "host"
 * events between slices (a RAM flag and a status register set, as an alarm or the host would).
 * After every slice registers, cycles, instructions, RAM and what the MMIO saw must be equal,
 * and the fast-forwarding core must actually have skipped.
 */
import { describe, expect, it } from 'vitest';
import { ExcCause, memoryFault, type CpuBus, type PlainRam } from './bus.ts';
import { XtensaCpu } from './cpu.ts';
import { SR } from './special-registers.ts';
import * as x from './testing/encode.ts';

const IRAM = 0x40100000;
const DRAM = 0x3ffe8000;
const SIZE = 0x1000;
const MMIO = 0x60000000;
const TIMER = MMIO; // cycles / 100: the same value for 100 cycles at a time
const POP = MMIO + 8; // reads 1 until read 300 times, then 0: a read with a side effect
const STATUS = MMIO + 12; // set by the host between slices
const RF_DONE = MMIO + 16; // reads 2 (a "busy" bit that never clears), like the SDK's RF poll
const CODE = IRAM + 0x100;
const FLAG = DRAM + 0x40;

class PollBus implements CpuBus {
  readonly iram = new Uint8Array(SIZE);
  readonly dram = new Uint8Array(SIZE);
  status = 1;
  pops = 0;
  cpu: XtensaCpu | null = null;
  private readonly dramView = new DataView(this.dram.buffer);
  readonly plainRam: PlainRam = {
    base: DRAM,
    size: SIZE,
    u8: this.dram,
    u16: new Uint16Array(this.dram.buffer),
    i32: new Int32Array(this.dram.buffer),
  };

  private dramAt(a: number, width: number): number {
    if (a >= DRAM && a + width <= DRAM + SIZE) return a - DRAM;
    throw memoryFault(ExcCause.LoadStorePIFAddrError, a);
  }
  /** The ESP8266's instruction RAM takes only 32-bit loads: narrower ones are LoadStoreError. */
  private narrowFromIram(a: number): void {
    if (a >= IRAM && a < IRAM + SIZE) throw memoryFault(ExcCause.LoadStoreError, a);
  }
  read8(a: number): number {
    this.narrowFromIram(a);
    return this.dram[this.dramAt(a, 1)];
  }
  read16(a: number): number {
    this.narrowFromIram(a);
    return this.dramView.getUint16(this.dramAt(a, 2), true);
  }
  read32(a: number): number {
    if (a >= IRAM && a + 4 <= IRAM + SIZE)
      return new DataView(this.iram.buffer).getUint32(a - IRAM, true);
    if (a === TIMER) return Math.floor(this.cpu!.cycles / 100);
    if (a === POP) return ++this.pops < 300 ? 1 : 0;
    if (a === STATUS) return this.status;
    if (a === RF_DONE) return 2;
    return this.dramView.getUint32(this.dramAt(a, 4), true);
  }
  write8(a: number, v: number): void {
    this.dram[this.dramAt(a, 1)] = v;
  }
  write16(a: number, v: number): void {
    this.dramView.setUint16(this.dramAt(a, 2), v, true);
  }
  write32(a: number, v: number): void {
    this.dramView.setUint32(this.dramAt(a, 4), v >>> 0, true);
  }
  fetch(a: number): number {
    if (a < IRAM || a >= IRAM + SIZE) throw memoryFault(ExcCause.InstructionFetchError, a);
    const o = a - IRAM;
    return this.iram[o] | (this.iram[o + 1] << 8) | (this.iram[o + 2] << 16);
  }
  counterClock(a: number) {
    if (a !== TIMER) return undefined;
    return { period: 100, next: 100 - (this.cpu!.cycles % 100) };
  }
  stableCycles(a: number): number {
    if (a === TIMER) return 100 - (this.cpu!.cycles % 100);
    if (a === POP) return 0;
    return Infinity; // RAM and STATUS change only between slices
  }
}

/** Loops of each kind one after the other, ending in `j .` (a `while (1);`). */
function program(): number[] {
  return [
    // 1. while (POP) ;  — must never be skipped (every read counts)
    x.memw(),
    x.l32i(3, 5, 8),
    x.bnez(3, -6),
    // 2. while (!FLAG) ;  — RAM, set by the host
    x.memw(),
    x.l32i(3, 2, 0),
    x.beqz(3, -6),
    // 3. while (TIMER < a6) ;  — a time register, stable 100 cycles at a time
    x.l32i(4, 5, 0),
    x.bltu(4, 6, -3),
    // 3b. while ((TIMER & 0xffff) < a14) ;  — masked: not followed as a clock, skipped per tick
    x.l32i(4, 5, 0),
    x.extui(4, 4, 0, 16),
    x.bltu(4, 14, -6),
    // 4. the SDK's RF wait: while ((RF_DONE & 2) && TIMER - a9 <= a10), storing a4 to the
    //    stack every time (an inner branch, a store that changes nothing after the first)
    x.memw(),
    x.l32i(3, 5, 16),
    x.s32i(4, 2, 8),
    x.bbci(3, 1, 12),
    x.l32i(8, 5, 0),
    x.sub(8, 8, 9),
    x.bgeu(10, 8, -18),
    // 5. while (STATUS & 0xff) ;  — an MMIO status the host clears
    x.memw(),
    x.l32i(3, 5, 12),
    x.extui(3, 3, 0, 8),
    x.bnez(3, -9),
    x.addi(7, 7, 1),
    // 6. ets_delay_us: start = CCOUNT; while (CCOUNT - start < a13) ;
    x.rsr(12, SR.CCOUNT),
    x.rsr(11, SR.CCOUNT),
    x.sub(11, 11, 12),
    x.bltu(11, 13, -6),
    // 7. while (1) ;
    x.j(0),
  ];
}

function machine(
  fastForward: boolean,
  compile: boolean,
  code = program(),
): { cpu: XtensaCpu; bus: PollBus } {
  const bus = new PollBus();
  const cpu = new XtensaCpu(bus);
  bus.cpu = cpu;
  cpu.blockCompiler = compile;
  cpu.codeCache.hotThreshold = 1;
  cpu.codeCache.coldStretch = 1;
  cpu.pollLoops.enabled = fastForward;
  bus.iram.set(x.toBytes(code), CODE - IRAM);
  cpu.reset(CODE);
  cpu.ar[2] = FLAG;
  cpu.ar[5] = MMIO;
  cpu.ar[6] = 400; // the timer loop ends at cycle 40000
  cpu.ar[4] = 0x1234; // stored by the RF wait
  cpu.ar[9] = 0; // the RF wait's start time and limit: it ends at cycle 70100
  cpu.ar[10] = 700;
  cpu.ar[14] = 450; // the masked timer loop ends at cycle 45000
  cpu.ar[13] = 20000; // the CCOUNT delay
  return { cpu, bus };
}

function state(m: { cpu: XtensaCpu; bus: PollBus }) {
  return {
    pc: m.cpu.pc,
    regs: Array.from(m.cpu.regs),
    cycles: m.cpu.cycles,
    instructions: m.cpu.instructions,
    pops: m.bus.pops,
    dram: Buffer.from(m.bus.dram).toString('base64'),
  };
}

/** The host: what an alarm or host input would change between slices. */
function hostEvents(m: { cpu: XtensaCpu; bus: PollBus }): void {
  if (m.cpu.cycles >= 9000) m.bus.dram[FLAG - DRAM] = 1;
  if (m.cpu.cycles >= 55000) m.bus.status = 0x100; // the low byte clears
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

/** poll-loop.ts's GIVE_UP_AFTER: failed proofs in a row before a loop is given up. */
const GIVE_UP_AFTER = 64;

describe('poll-loop fast-forward', () => {
  for (const compile of [false, true]) {
    it(`matches plain execution at every slice end (${compile ? 'compiled' : 'interpreted'})`, () => {
      for (let seed = 1; seed <= 6; seed++) {
        const fast = machine(true, compile);
        const plain = machine(false, false);
        const random = lcg(seed);
        while (plain.cpu.cycles < 150000) {
          const slice = 1 + (random() % (seed % 2 ? 3000 : 40));
          fast.cpu.run(slice);
          plain.cpu.run(slice);
          expect(state(fast)).toEqual(state(plain));
          hostEvents(fast);
          hostEvents(plain);
        }
        expect(plain.cpu.pc).toBe(CODE + program().reduce((n, w) => n + x.lengthOf(w), 0) - 3);
        expect(plain.cpu.ar[7]).toBe(1);
        expect(plain.cpu.ar[8]).toBe(701); // the RF wait ended by its timeout
        expect(plain.cpu.ar[11]).toBeGreaterThanOrEqual(20000); // the delay ran out
        expect(fast.cpu.pollLoops.skippedCycles).toBeGreaterThan(compile ? 10000 : 50000);
        expect(plain.cpu.pollLoops.skippedCycles).toBe(0);
      }
    });
  }

  it('hands a loop it cannot prove back to the plain branch, which still runs it exactly', () => {
    const fast = machine(true, false);
    const plain = machine(false, false);
    const popBranch = CODE + x.lengthOf(x.memw()) + x.lengthOf(x.l32i(3, 5, 8));
    fast.cpu.run(100); // marked at its first decode
    plain.cpu.run(100);
    expect(fast.cpu.pollLoops.isMarked(popBranch)).toBe(true);
    // POP reads 1 for 299 reads: every iteration repeats the registers and every proof fails
    // (each read has a side effect), so the loop is given up long before it ends.
    fast.cpu.run(300);
    plain.cpu.run(300);
    expect(fast.bus.pops).toBeGreaterThan(GIVE_UP_AFTER);
    expect(fast.bus.pops).toBeLessThan(300);
    expect(fast.cpu.pollLoops.isMarked(popBranch)).toBe(false);
    expect(state(fast)).toEqual(state(plain));
    fast.cpu.run(3000);
    plain.cpu.run(3000);
    expect(fast.bus.pops).toBe(300);
    expect(state(fast)).toEqual(state(plain));
  });

  it('skips a CCOUNT delay and a timer wait in long strides, exactly, from any clock phase', () => {
    const ready = (m: { cpu: XtensaCpu; bus: PollBus }) => {
      m.bus.dram[FLAG - DRAM] = 1;
      m.bus.status = 0;
      m.cpu.ar[6] = 600; // the timer loop: until cycle 60000
      m.cpu.ar[14] = 0;
      m.cpu.ar[10] = 0;
      m.cpu.ar[13] = 100000; // then 100000 cycles of CCOUNT delay
    };
    for (let first = 1; first <= 100; first += 3) {
      const fast = machine(true, false);
      const plain = machine(false, false);
      ready(fast);
      ready(plain);
      // The first slice sets the phase of every later evaluation against the timer's ticks.
      for (const slice of [first, 2000, 50000 + first * 7, 30000, 90000, 1000]) {
        fast.cpu.run(slice);
        plain.cpu.run(slice);
        expect(state(fast)).toEqual(state(plain));
      }
      // A CCOUNT wait is never a fixed point, and a stable window ends at every timer tick.
      expect(fast.cpu.pollLoops.skippedCycles).toBeGreaterThan(150000);
      expect(plain.cpu.ar[11]).toBeGreaterThanOrEqual(100000);
    }
  });

  it('reads the timer at the right tick from every phase (a wait that ends mid-slice)', () => {
    // while (TIMER < 10) ;  then  while (1) ;  — the timer loop ends in the first tick at 1000.
    const simple = [x.l32i(4, 5, 0), x.bltu(4, 6, -3), x.j(0)];
    // for (;;) { t = TIMER; if (t >= 10) break; a8 = t + 5; }  — the exit leaves a8 from the
    // iteration before it, which may be one the fast-forward skipped.
    const late = [x.l32i(4, 5, 0), x.bgeu(4, 6, 9), x.addi(8, 4, 5), x.j(-9), x.j(0)];
    for (let phase = 0; phase < 400; phase++) {
      const code = phase < 200 ? simple : late;
      const fast = machine(true, false, code);
      const plain = machine(false, false, code);
      for (const m of [fast, plain]) {
        m.cpu.cycles = phase;
        m.cpu.ar[6] = 10;
      }
      fast.cpu.run(3000);
      plain.cpu.run(3000);
      expect(state(fast)).toEqual(state(plain));
      expect(fast.cpu.pollLoops.skippedCycles).toBeGreaterThan(500);
    }
  });

  it('leaves alone a backward branch whose window jumps away (no loop: MicroPython VM check)', () => {
    // `if (pending) { goto out; }` compiled as: head: j out; ... l32i a3, FLAG; bnez a3, head.
    // Taken, the branch leaves through the J: nothing there repeats, so it stays a plain
    // branch (which the compiler translates) however rarely it is taken.
    const code = [
      x.j(6), // enter at the check
      x.j(9), // the window's head: leave
      x.l32i(3, 2, 0), // FLAG
      x.bnez(3, -6),
      x.j(0),
    ];
    const fast = machine(true, false, code);
    const plain = machine(false, false, code);
    fast.cpu.run(500);
    plain.cpu.run(500);
    expect(fast.cpu.pollLoops.isMarked(CODE + 9)).toBe(false);
    expect(fast.cpu.pollLoops.isMarked(CODE + 12)).toBe(true); // `j .` still is one
    expect(state(fast)).toEqual(state(plain));
  });

  it('leaves a load that faults to the interpreter: the fault is taken at the load (LoadStoreError)', () => {
    // On the chip a byte load from instruction RAM or the flash cache raises LoadStoreError
    // with EPC1 at the load and EXCVADDR the address; ESP8266_RTOS_SDK 3.x's user-exception
    // handler emulates it and returns past the load (EPC1 + 3). Here: `do a4 = *(u8 *)a3;
    // while (1);` with a3 in IRAM and a handler that stands in for that one: it writes 7 to a4,
    // counts the exception, keeps EPC1 and resumes after the load. Every arrival at the `j`
    // then has the same registers, so the loop is evaluated; evaluating it must not raise the
    // load's fault at the `j` (the SDK's handler would take the `j` for the load and panic).
    const VECBASE = IRAM;
    const COUNT = DRAM + 0x80;
    const handler = [
      x.wsr(0, SR.EXCSAVE1),
      x.rsr(0, SR.EPC1),
      x.s32i(0, 5, 4), // the faulting pc
      x.addi(0, 0, 3),
      x.wsr(0, SR.EPC1),
      x.l32i(0, 5, 0),
      x.addi(0, 0, 1),
      x.s32i(0, 5, 0), // the count
      x.movi(4, 7),
      x.rsr(0, SR.EXCSAVE1),
      x.rfe(),
    ];
    const loop = [x.l8ui(4, 3, 1), x.j(-3), x.j(0)];
    const setUp = (fastForward: boolean) => {
      const m = machine(fastForward, false, loop);
      m.bus.iram.set(x.toBytes(handler), VECBASE + 0x50 - IRAM);
      m.cpu.sr[SR.VECBASE] = VECBASE;
      m.cpu.ps = 0x20; // PS.UM: exceptions go to the user vector
      m.cpu.ar[3] = CODE;
      m.cpu.ar[5] = COUNT;
      return m;
    };
    const fast = setUp(true);
    const plain = setUp(false);
    const view = new DataView(fast.bus.dram.buffer);
    for (const slice of [50, 500, 3000]) {
      fast.cpu.run(slice);
      plain.cpu.run(slice);
      expect(view.getUint32(COUNT + 4 - DRAM, true)).toBe(CODE); // always at the l8ui
      expect(state(fast)).toEqual(state(plain));
      // Marked at once; every arrival is evaluated and fails, until the loop is given up.
      expect(fast.cpu.pollLoops.isMarked(CODE + 3)).toBe(slice !== 3000);
    }
    expect(view.getUint32(COUNT - DRAM, true)).toBeGreaterThan(100);
    expect(fast.cpu.sr[SR.EXCVADDR]).toBe(CODE + 1);
    expect(fast.cpu.pc).toBeLessThan(CODE + 6); // still in the loop
  });

  it('forgets a loop whose body is rewritten', () => {
    const m = machine(true, false);
    m.bus.dram[FLAG - DRAM] = 1;
    m.bus.status = 0;
    m.cpu.ar[6] = 0;
    m.cpu.ar[10] = 0;
    m.cpu.ar[14] = 0;
    m.cpu.ar[13] = 0;
    m.cpu.run(2000); // through the POP loop, now spinning in `j .`
    const end = CODE + program().reduce((n, w) => n + x.lengthOf(w), 0) - 3;
    expect(m.cpu.pc).toBe(end);
    // Replace `j .` by `addi a8, a8, 1; j -3`: the loop now counts, so it must not be skipped.
    const bytes = x.toBytes([x.addi(8, 8, 1), x.j(-3)]);
    m.bus.iram.set(bytes, end - IRAM);
    m.cpu.invalidateCode(end, bytes.length);
    m.cpu.pc = end;
    m.cpu.ar[8] = 0;
    const before = m.cpu.cycles;
    m.cpu.run(600);
    expect(m.cpu.ar[8]).toBe(Math.floor((m.cpu.cycles - before) / 2));
  });
});
