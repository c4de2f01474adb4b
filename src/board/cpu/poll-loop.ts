/**
 * Poll-loop fast-forward: a loop that spins reading memory or a register until it changes
 * (`while (UART0.STATUS & TXCNT);`, `while (!(RTC[0x28] & 3));`, `while (!flag);`, `while (1);`)
 * is skipped ahead to just before the next event that could change what it reads, with the exact
 * cycle and instruction counts it would have executed. Nothing else changes: registers, memory,
 * pc and every count are what plain execution gives at every point the run loop can observe.
 *
 * Which loops: the decoder marks a backward branch (or J) whose target is at most MAX_BODY_BYTES
 * back when every instruction from the target up to it is straight-line code that only loads,
 * computes in registers, or does nothing (MEMW/NOP), and no load's base register is written in
 * the body (so every load address is the same in every iteration). The branch's cache entry
 * becomes Op.PollBranch; execute() hands it here. Straight-line matters for the proof: after the
 * branch jumps back, the next L instructions can only be the body again, so two taken arrivals
 * exactly L cycles apart bracket one whole iteration and nothing else (an interrupt, a fault or
 * an exception in between costs cycles of its own and breaks the L-apart rule).
 *
 * The proof that skipping is exact: an iteration is a deterministic function of the registers at
 * its start and the values its loads return. When the registers after an iteration equal those
 * before it (a fixed point), and every load would return the same value and has no side effect
 * until some cycle (the bus says which: plain RAM until a store, a FIFO status until an alarm
 * fires, the µs timer until its next tick), every further iteration before that cycle is the
 * same iteration again — provided the iteration that showed the fixed point ran within the
 * current run() call (its loads saw what later ones will see). Stores cannot happen (none in the body), alarms and CCOMPARE0 only fire
 * at run-slice ends (`cpu.runEnd`), interrupts are only taken between slices. So whole
 * iterations are skipped up to one iteration short of the earliest of those cycles, and the
 * interpreter runs the rest, ending the slice on the same instruction as without the skip.
 *
 * Not covered yet (docs/performance.md): loops with inner branches or stores (the SDK's PHY
 * "done bit with a µs timeout" wait), loops reading CCOUNT (ets_delay_us), compiled regions
 * (the branch is not compilable, so such a loop always runs in the interpreter).
 */
import type { CpuBus } from './bus.ts';
import { decodeInstruction } from './decode.ts';
import { Op } from './execute.ts';

const PAGE_SHIFT = 12;
/** Longest loop body (bytes from the head to the branch) considered. */
const MAX_BODY_BYTES = 48;
/** Taken arrivals without a fixed point after which a loop stops being checked. */
const GIVE_UP_AFTER = 64;

/** What the bus promises about a load (CpuBus.stableCycles): nothing, by default. */
function stableCyclesOf(bus: CpuBus, addr: number): number {
  return bus.stableCycles === undefined ? 0 : bus.stableCycles(addr);
}

/** A marked loop: the static facts of its body and the state of its fixed-point check. */
class PollLoop {
  /** Registers at the last taken arrival (a0..a15), and the cycle count then. */
  readonly snapshot = new Int32Array(16);
  lastArrival = -1;
  /** cpu.runCalls at the last arrival: alarms may have changed what the body reads since. */
  lastRun = -1;
  /** Cycle up to which every load of the body is known to return one value (-1: unknown). */
  stableUntil = -1;
  misses = 0;
  constructor(
    readonly head: number,
    readonly branchPc: number,
    /** The branch's own operation and length (the entry keeps its operands). */
    readonly branchOp: Op,
    readonly branchBytes: number,
    /** Instructions per iteration, the branch included. */
    readonly length: number,
    /** Per load: base register and offset (base = -1: an absolute address in `offset`). */
    readonly loadBase: Int32Array,
    readonly loadOffset: Int32Array,
  ) {}
}

/** Everything the core needs: marking at decode time, the branch itself, invalidation. */
export class PollLoops {
  private readonly byBranch = new Map<number, PollLoop>();
  private readonly byPage = new Map<number, PollLoop[]>();
  private readonly scratch = new Int32Array(4);
  /** Off: branches are only marked, never skipped (for comparisons and the benchmark). */
  enabled = true;
  /** Cycles skipped so far (for the benchmark). */
  skippedCycles = 0;

  /**
   * Called by the decoder for a branch at `pc` whose cache entry is `entries[at..at+3]`: marks
   * it (and returns Op.PollBranch) when it closes a poll loop, else returns `op` unchanged.
   */
  mark(
    pc: number,
    op: Op,
    bytes: number,
    entries: Int32Array,
    at: number,
    fetch: (addr: number) => number,
    isNative: (addr: number) => boolean,
    litbase: number,
  ): Op {
    const head = entries[at + 3] >>> 0;
    if (head > pc || pc - head > MAX_BODY_BYTES) return op;
    const bases: number[] = [];
    const offsets: number[] = [];
    let written = 0;
    let length = 1;
    const s = this.scratch;
    try {
      for (let a = head; a < pc; length++) {
        if (isNative(a)) return op;
        const bodyOp = decodeInstruction(fetch(a), a, litbase, s, 0) as Op;
        const kind = classify(bodyOp);
        if (kind === Kind.Other) return op;
        if (kind === Kind.Load) {
          bases.push(s[2]);
          offsets.push(s[3]);
        } else if (kind === Kind.Literal) {
          bases.push(-1);
          offsets.push(s[3]);
        }
        if (kind !== Kind.Nop) written |= 1 << (s[1] & 15); // EXTUI packs its shift above
        a += narrow(bodyOp) ? 2 : 3;
        if (a > pc) return op; // an instruction straddles the branch
      }
    } catch {
      return op; // not fetchable: leave it alone
    }
    for (const base of bases) if (base >= 0 && written & (1 << base)) return op;
    // The branch's own registers may be read; nothing of the body writes what loads address.
    const loop = new PollLoop(
      head,
      pc,
      op,
      bytes,
      length,
      Int32Array.from(bases),
      Int32Array.from(offsets),
    );
    this.forget(pc);
    this.byBranch.set(pc, loop);
    for (let p = head >>> PAGE_SHIFT; p <= (pc + bytes - 1) >>> PAGE_SHIFT; p++) {
      let list = this.byPage.get(p);
      if (list === undefined) this.byPage.set(p, (list = []));
      list.push(loop);
    }
    entries[at] = Op.PollBranch;
    return Op.PollBranch;
  }

  /**
   * Execute the marked branch at `pc` (operands from its cache entry); returns the next pc. On a
   * taken branch that closes a fixed-point iteration, first skips whole iterations.
   */
  branch(cpu: PollCpu, pc: number, a: number, b: number): number {
    const loop = this.byBranch.get(pc)!;
    const r = cpu.ar;
    if (!branchTaken(loop.branchOp, r, a, b)) {
      loop.lastArrival = -1;
      return pc + loop.branchBytes;
    }
    if (!this.enabled || loop.misses >= GIVE_UP_AFTER) return loop.head;
    const now = cpu.cycles;
    const snap = loop.snapshot;
    // The evidence iteration must lie inside this run() call: between two calls alarms fire and
    // host input arrives, so an iteration straddling them may have read the old values.
    let same = loop.lastArrival === now - loop.length && loop.lastRun === cpu.runCalls;
    loop.lastRun = cpu.runCalls;
    for (let i = 0; i < 16; i++) {
      if (snap[i] !== r[i]) {
        same = false;
        snap[i] = r[i];
      }
    }
    loop.lastArrival = now;
    if (!same) {
      loop.misses++;
      loop.stableUntil = -1;
      return loop.head;
    }
    loop.misses = 0;
    // The iteration that just ended is the evidence: its loads must lie in a window in which
    // every load returns one value, measured before it ran. So the first fixed point only
    // measures the window (from now); the next one, still inside it, skips up to its end.
    if (loop.stableUntil <= now) {
      loop.stableUntil = now + this.stableWindow(cpu, loop);
      return loop.head;
    }
    if (cpu.sliceEnd === 0) return loop.head; // stop requested: the slice ends here
    const bound = Math.min(cpu.runEnd, loop.stableUntil);
    // Whole iterations, one short of the bound: the interpreter runs up to the event itself.
    const n = Math.floor((bound - now) / loop.length) - 1;
    if (n > 0) {
      const skipped = n * loop.length;
      cpu.cycles = now + skipped;
      cpu.instructions += skipped;
      loop.lastArrival = cpu.cycles;
      this.skippedCycles += skipped;
    }
    return loop.head;
  }

  /** For how many cycles from now every load of the body returns what it returns now. */
  private stableWindow(cpu: PollCpu, loop: PollLoop): number {
    const r = cpu.ar;
    let window = Infinity;
    for (let i = 0; i < loop.loadBase.length; i++) {
      const base = loop.loadBase[i];
      const addr = (base < 0 ? loop.loadOffset[i] : r[base] + loop.loadOffset[i]) >>> 0;
      const stable = stableCyclesOf(cpu.bus, addr);
      if (stable < window) window = stable;
    }
    return window;
  }

  /** Code in [first, last) changed: forget loops there; returns the branch pcs to re-decode. */
  invalidate(first: number, last: number, undecode: (pc: number) => void): void {
    if (this.byBranch.size === 0) return;
    for (let p = first >>> PAGE_SHIFT; p <= (last - 1) >>> PAGE_SHIFT; p++) {
      const list = this.byPage.get(p);
      if (list === undefined) continue;
      for (const loop of list.slice()) {
        if (loop.head < last && loop.branchPc + loop.branchBytes > first) {
          this.forget(loop.branchPc);
          undecode(loop.branchPc);
        }
      }
      if (last <= first) break;
    }
  }

  clear(): void {
    this.byBranch.clear();
    this.byPage.clear();
  }

  private forget(branchPc: number): void {
    const loop = this.byBranch.get(branchPc);
    if (loop === undefined) return;
    this.byBranch.delete(branchPc);
    for (let p = loop.head >>> PAGE_SHIFT; p <= (branchPc + 2) >>> PAGE_SHIFT; p++) {
      const list = this.byPage.get(p);
      const i = list?.indexOf(loop) ?? -1;
      if (list !== undefined && i >= 0) list.splice(i, 1);
    }
  }
}

/** What the branch needs of the core (cpu.ts implements it; avoids an import cycle). */
export interface PollCpu {
  readonly ar: Int32Array;
  readonly bus: CpuBus;
  cycles: number;
  instructions: number;
  sliceEnd: number;
  /** Where the current run slice ends at the latest (the next alarm or CCOMPARE0 match). */
  runEnd: number;
  /** Counts run()/step() calls (between them the board fires alarms and takes host input). */
  runCalls: number;
}

const enum Kind {
  Other,
  Nop,
  Alu,
  Load,
  Literal,
}

/** Body instructions a poll loop may contain (entry layouts in decode.ts: [op, dest, src…]). */
function classify(op: Op): Kind {
  switch (op) {
    case Op.Nop2:
    case Op.Nop3:
      return Kind.Nop;
    case Op.L32iN:
    case Op.L32i:
    case Op.L16ui:
    case Op.L16si:
    case Op.L8ui:
      return Kind.Load;
    case Op.L32r:
      return Kind.Literal;
    case Op.And:
    case Op.Or:
    case Op.Xor:
    case Op.Add:
    case Op.Addx2:
    case Op.Addx4:
    case Op.Addx8:
    case Op.Sub:
    case Op.Subx2:
    case Op.Subx4:
    case Op.Subx8:
    case Op.Neg:
    case Op.Abs:
    case Op.Nsa:
    case Op.Nsau:
    case Op.Slli:
    case Op.Srai:
    case Op.Srli:
    case Op.Extui:
    case Op.Mul16u:
    case Op.Mul16s:
    case Op.Mull:
    case Op.Movi:
    case Op.Addi:
    case Op.AddN:
    case Op.AddiN:
    case Op.MoviN:
    case Op.MovN:
      return Kind.Alu;
    default:
      return Kind.Other;
  }
}

/** The 16-bit ops among those classify() accepts. */
function narrow(op: Op): boolean {
  return (
    op === Op.Nop2 ||
    op === Op.L32iN ||
    op === Op.AddN ||
    op === Op.AddiN ||
    op === Op.MoviN ||
    op === Op.MovN
  );
}

/** Whether a branch with operands a = entry[1], b = entry[2] is taken (execute.ts semantics). */
function branchTaken(op: Op, r: Int32Array, a: number, b: number): boolean {
  switch (op) {
    case Op.J:
      return true;
    case Op.Beqz:
    case Op.BeqzN:
      return r[a] === 0;
    case Op.Bnez:
    case Op.BnezN:
      return r[a] !== 0;
    case Op.Bltz:
      return r[a] < 0;
    case Op.Bgez:
      return r[a] >= 0;
    case Op.Beqi:
      return r[a] === b;
    case Op.Bnei:
      return r[a] !== b;
    case Op.Blti:
      return r[a] < b;
    case Op.Bgei:
      return r[a] >= b;
    case Op.Bltui:
      return r[a] >>> 0 < b;
    case Op.Bgeui:
      return r[a] >>> 0 >= b;
    case Op.Bnone:
      return (r[a] & r[b]) === 0;
    case Op.Bany:
      return (r[a] & r[b]) !== 0;
    case Op.Ball:
      return (~r[a] & r[b]) === 0;
    case Op.Bnall:
      return (~r[a] & r[b]) !== 0;
    case Op.Beq:
      return r[a] === r[b];
    case Op.Bne:
      return r[a] !== r[b];
    case Op.Blt:
      return r[a] < r[b];
    case Op.Bge:
      return r[a] >= r[b];
    case Op.Bltu:
      return r[a] >>> 0 < r[b] >>> 0;
    case Op.Bgeu:
      return r[a] >>> 0 >= r[b] >>> 0;
    case Op.Bbc:
      return (r[a] & (1 << (r[b] & 31))) === 0;
    case Op.Bbs:
      return (r[a] & (1 << (r[b] & 31))) !== 0;
    case Op.Bbci:
      return (r[a] & b) === 0;
    case Op.Bbsi:
      return (r[a] & b) !== 0;
    default:
      throw new Error(`poll loop: op ${op} is not a branch`);
  }
}
