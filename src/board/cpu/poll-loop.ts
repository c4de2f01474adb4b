/**
 * Poll-loop fast-forward: a loop that spins reading memory or a register until it changes
 * (`while (UART0.STATUS & TXCNT);`, the SDK's "RF done bit, or a µs timeout" wait, `while (!flag);`,
 * `while (1);`) is skipped ahead to just before the next event that could change what it reads,
 * with the exact cycle and instruction counts it would have executed. Nothing else changes:
 * registers, memory, pc and every count are what plain execution gives at every point the run
 * loop can observe.
 *
 * Marking: the decoder hands every backward branch (or J) whose target is at most
 * MAX_BODY_BYTES back to mark(), which decodes the code from the target up to it once; the
 * branch's cache entry becomes Op.PollBranch and execute() calls branch() for it.
 *
 * The proof, at every taken arrival whose registers equal the previous arrival's (a cheap
 * filter): evaluate() runs the next iteration from the current registers on a copy, now, without
 * changing anything — loads only where the bus promises the value is stable and side-effect free
 * (CpuBus.stableCycles: plain RAM until a store, MMIO blocks that say readIsStable until an alarm,
 * the wDev µs timer until its next tick), stores only where they would write what plain RAM
 * already holds (no code there), the other instructions only from a small set of register
 * operations and branches. If that iteration comes back through the loop branch with every
 * register unchanged, it is a fixed point: memory is unchanged, so the iteration after it reads
 * the same values (until the stable window ends) and is the same iteration again, and so on.
 * Nothing else can intervene before the run slice ends (`cpu.runEnd`): alarms and CCOMPARE0 only
 * fire at slice ends, interrupts are only taken between slices, and host input arrives between
 * run() calls. So whole iterations are skipped up to one iteration short of the earlier of the
 * slice end and the stable window's end, and the interpreter runs the rest — ending the slice on
 * the same instruction as without the skip.
 *
 * Timed waits (a loop reading CCOUNT or a timer, never a fixed point): see evaluate()'s
 * `followClock`; the skip is also bounded by the ticks for which every branch on the clock keeps
 * its outcome.
 *
 * Not covered (docs/performance.md): loops with calls, and compiled regions (the marked branch is
 * not compilable, so such a loop always runs in the interpreter).
 */
import { DataBreak, MemoryFault, type CounterClock, type CpuBus } from './bus.ts';
import { decodeInstruction } from './decode.ts';
import { instructionLength } from './disasm.ts';
import { Op } from './execute.ts';
import { SR } from './special-registers.ts';

const PAGE_SHIFT = 12;
/** Longest loop body (bytes from the head to the branch) considered. */
const MAX_BODY_BYTES = 64;
/** Most instructions one evaluated iteration may take. */
const MAX_STEPS = 32;
const CODE_INTS = 5;
const ACCESS_LOAD = 1;
const ACCESS_STORE = 2;
/** Taken arrivals without a fixed point after which a loop stops being checked. */
const GIVE_UP_AFTER = 64;

/** Unconditional transfers of control (a loop body with one of them does not loop). */
function leavesWindow(op: Op): boolean {
  return (
    op === Op.J ||
    op === Op.Jx ||
    op === Op.Call0 ||
    op === Op.Callx0 ||
    op === Op.Ret ||
    op === Op.RetN ||
    op === Op.Rfe ||
    op === Op.Rfde ||
    op === Op.Rfi ||
    op === Op.Syscall
  );
}

/** What the bus promises about a load (CpuBus.stableCycles): nothing, by default. */
function stableCyclesOf(bus: CpuBus, addr: number): number {
  return bus.stableCycles === undefined ? 0 : bus.stableCycles(addr);
}

/** A marked loop: its instructions (decoded once) and the state of the cheap pre-check. */
class PollLoop {
  /** Registers at the last taken arrival (a0..a15): evaluating only pays off when they repeat. */
  readonly snapshot = new Int32Array(16);
  /**
   * Registers that follow a clock (CCOUNT or a timer) and so differ at every arrival; the cheap
   * filter ignores them. Seeded at marking from the CCOUNT reads, learned from evaluations.
   */
  clockMask = 0;
  misses = 0;
  constructor(
    readonly head: number,
    readonly branchPc: number,
    /** The branch's own operation and length (its cache entry keeps the operands). */
    readonly branchOp: Op,
    readonly branchBytes: number,
    /** Per byte offset from the head: index into `code` + 1 (0: no instruction starts there). */
    readonly at: Int32Array,
    /** CODE_INTS int32 per instruction: the decoded entry [op, a, b, c] (decode.ts), length. */
    readonly code: Int32Array,
    /** The branch's cache entry (its page's entries and index), to hand it back on give-up. */
    readonly entries: Int32Array,
    readonly entryAt: number,
  ) {}
}

/** Everything the core needs: marking at decode time, the branch itself, invalidation. */
export class PollLoops {
  private readonly byBranch = new Map<number, PollLoop>();
  private readonly byPage = new Map<number, PollLoop[]>();
  private readonly scratch = new Int32Array(4);
  private readonly regs = new Int32Array(16);
  /** Off: branches are only marked, never skipped (for comparisons and the benchmark). */
  enabled = true;
  /** Cycles skipped so far (for the benchmark). */
  skippedCycles = 0;

  /**
   * Called by the decoder for a branch at `pc` whose cache entry is `entries[at..at+3]`: marks
   * it (and returns Op.PollBranch) when it jumps back at most MAX_BODY_BYTES, else returns `op`.
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
    const starts = new Int32Array(pc - head);
    const code: number[] = [];
    const s = this.scratch;
    // What makes it look like a poll loop (anything else stays compilable, e.g. a copy or
    // checksum loop): it loads, and no register carries a value from one iteration to the next
    // (read, in address order from the head, before the window writes it, and written in it): a
    // counter or a walking pointer never repeats. `while (1);` has no body at all.
    let loads = 0;
    let written = 0;
    let readFirst = 0;
    let clocked = 0;
    try {
      for (let a = head; a < pc;) {
        if (isNative(a)) return op;
        const word = fetch(a);
        const len = instructionLength(word & 0xff);
        if (len === 0) return op;
        const bodyOp = decodeInstruction(word, a, litbase, s, 0) as Op;
        // A jump, call or return before the branch leaves the window: the branch cannot be
        // reached again without going elsewhere first, so this is no loop at all (MicroPython's
        // VM: `if (pending) { result = 0; goto out; }` ahead of a branch back to that code).
        if (leavesWindow(bodyOp)) return op;
        const dest = destinationMask(bodyOp, s[1]);
        if (isLoad(bodyOp)) loads++;
        if (isCcountRead(bodyOp, s[2])) {
          loads++;
          clocked |= dest;
        } else if (sourceMask(bodyOp, s) & clocked) clocked |= dest;
        else clocked &= ~dest;
        readFirst |= sourceMask(bodyOp, s) & ~written;
        written |= dest;
        starts[a - head] = code.length / CODE_INTS + 1;
        code.push(bodyOp, s[1], s[2], s[3], len);
        a += len;
        if (a > pc) return op; // an instruction straddles the branch
      }
    } catch {
      return op; // not fetchable: leave it alone
    }
    readFirst |= sourceMask(op, entries.subarray(at, at + 4)) & ~written;
    if (pc !== head && (loads === 0 || (readFirst & written) !== 0)) return op;
    const loop = new PollLoop(head, pc, op, bytes, starts, Int32Array.from(code), entries, at);
    loop.clockMask = clocked;
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
   * Execute the marked branch at `pc` (operands a, b from its cache entry); returns the next pc.
   * When it jumps back and the next iteration provably repeats, first skips whole iterations.
   */
  branch(cpu: PollCpu, pc: number, a: number, b: number): number {
    const loop = this.byBranch.get(pc)!;
    const r = cpu.ar;
    if (!branchTaken(loop.branchOp, r, a, b)) return pc + loop.branchBytes;
    if (!this.enabled) return loop.head;
    // Cheap filter: an iteration that changed registers will not be a fixed point now either.
    const snap = loop.snapshot;
    const clockMask = loop.clockMask;
    let repeated = true;
    for (let i = 0; i < 16; i++) {
      if (snap[i] !== r[i]) {
        if (((clockMask >>> i) & 1) === 0) repeated = false;
        snap[i] = r[i];
      }
    }
    if (!repeated || cpu.sliceEnd === 0) return loop.head; // sliceEnd 0: stop requested
    const now = cpu.cycles;
    let result = this.evaluate(cpu, loop, pc, a, b, true);
    // A clock read the symbolic evaluation cannot follow: as a load stable until its next tick.
    if (result === null && this.sawClock) result = this.evaluate(cpu, loop, pc, a, b, false);
    if (result === null) {
      // A loop that keeps failing the proof goes back to being a plain branch, so it no longer
      // pays for the lookup and the register check on every iteration. Re-decoding its page
      // (new code there) marks it afresh.
      if (++loop.misses >= GIVE_UP_AFTER) {
        loop.entries[loop.entryAt] = loop.branchOp;
        this.forget(pc);
      }
      return loop.head;
    }
    loop.misses = 0;
    const bound = Math.min(cpu.runEnd, now + this.window);
    // Whole iterations, one short of the bound: the interpreter runs up to the event itself.
    let n = Math.floor((bound - now) / result) - 1;
    const clock = this.clock;
    const sym = this.symMask;
    if (clock !== undefined) {
      loop.clockMask |= sym;
      // Only iterations whose clock read lies within the horizon take the same path.
      const { period, next } = clock;
      const q0 = Math.floor((this.clockStep + period - next) / period);
      const limit = (this.horizon + 1 + q0) * period - this.clockStep - period + next;
      n = Math.min(n, Math.ceil(limit / result));
    }
    if (n > 0) {
      const skipped = n * result;
      cpu.cycles = now + skipped;
      cpu.instructions += skipped;
      this.skippedCycles += skipped;
      if (clock !== undefined && sym !== 0) {
        // The clock-derived registers as the last skipped iteration (n - 1) left them.
        const t = this.ticksAt(n - 1, result);
        for (let i = 0; i < 16; i++) if ((sym >>> i) & 1) r[i] = (this.regs[i] + t) | 0;
      }
    }
    return loop.head;
  }

  /** Cycles from now during which every load of the last evaluation returns the same value. */
  private window = 0;
  /** The last evaluation's clock read (undefined: none), its step, the registers that follow
   * it, and the ticks after iteration 0's read for which every branch goes the same way. */
  private clock: CounterClock | undefined = undefined;
  private clockStep = 0;
  private symMask = 0;
  private horizon = Infinity;
  /** Whether the last evaluation met a clock read (a retry without following it may succeed). */
  private sawClock = false;

  /**
   * A branch reading clock-derived registers (`sym`): lowers the horizon to the ticks for which
   * its outcome stays as it is now; false when it is not a comparison that allows that.
   */
  private limitHorizon(op: Op, r: Int32Array, sym: number, a: number, b: number): boolean {
    const h = branchHorizon(op, r, sym, a, b);
    if (h === null) return false;
    if (h < this.horizon) this.horizon = h;
    return true;
  }

  /** Clock ticks between iteration 0's clock read and iteration k's. */
  private ticksAt(k: number, length: number): number {
    const { period, next } = this.clock!;
    const j = this.clockStep;
    return (
      Math.floor((j + k * length + period - next) / period) -
      Math.floor((j + period - next) / period)
    );
  }

  /**
   * Run the next iteration on a copy of the registers without changing anything: loads only
   * where the bus promises a stable, side-effect-free value (evaluated now; a load that faults
   * ends the evaluation), stores only where
   * they would write what plain RAM already holds. Returns the iteration's length in
   * instructions when it comes back through the loop branch with every register as it was (a
   * fixed point: the iteration after it is the same one again), else null.
   *
   * With `followClock`, one read of a clock (CCOUNT, or a load the bus calls a counter) is
   * followed symbolically: the registers derived from it by adding constants are "value + t"
   * for the ticks t since this iteration's read, may differ from the arrival's, and every
   * branch on them contributes the ticks for which its outcome cannot change (the horizon).
   * Iterations within the horizon take the same path and differ only in those registers, so
   * they can be skipped too (`ets_delay_us`, the SDK's "done bit or µs timeout" waits).
   */
  private evaluate(
    cpu: PollCpu,
    loop: PollLoop,
    branchPc: number,
    ba: number,
    bb: number,
    followClock: boolean,
  ): number | null {
    try {
      return this.evaluateIteration(cpu, loop, branchPc, ba, bb, followClock);
    } catch (err) {
      // A load the bus faults (a byte load from instruction RAM or the flash cache is a
      // LoadStoreError, whatever stableCycles says of the word) proves nothing. The fault
      // belongs to the load itself: the interpreter runs the iteration and takes it there, with
      // EPC1 at the load, where an SDK's LoadStoreError handler looks for the instruction to
      // emulate. Raised from here, it would be taken at the loop branch instead.
      if (err instanceof MemoryFault || err instanceof DataBreak) return null;
      throw err;
    }
  }

  private evaluateIteration(
    cpu: PollCpu,
    loop: PollLoop,
    branchPc: number,
    ba: number,
    bb: number,
    followClock: boolean,
  ): number | null {
    const r = this.regs;
    r.set(cpu.ar);
    this.clock = undefined;
    this.sawClock = false;
    this.horizon = Infinity;
    let sym = 0;
    const bus = cpu.bus;
    const dataAccess = cpu.dataAccess;
    const code = loop.code;
    const span = loop.at.length;
    let window = Infinity;
    let pc = loop.head;
    for (let steps = 1; steps <= MAX_STEPS; steps++) {
      if (pc === branchPc) {
        if (!branchTaken(loop.branchOp, r, ba, bb)) return null;
        const branchSym = sym & sourceMaskOf(loop.branchOp, ba, bb, 0);
        if (branchSym !== 0 && !this.limitHorizon(loop.branchOp, r, sym, ba, bb)) return null;
        for (let i = 0; i < 16; i++) if (((sym >>> i) & 1) === 0 && r[i] !== cpu.ar[i]) return null;
        this.window = window;
        this.symMask = sym;
        return steps;
      }
      const off = pc - loop.head;
      if (off < 0 || off >= span || loop.at[off] === 0) return null; // left the loop
      const e = (loop.at[off] - 1) * CODE_INTS;
      const op = code[e] as Op;
      const d = code[e + 1];
      const x = code[e + 2];
      const c = code[e + 3];
      let next = pc + code[e + 4];
      const symIn = sym & sourceMaskOf(op, d, x, c);
      if (symIn !== 0) {
        // A clock-derived register may only be moved, offset by a constant, or compared.
        if (isBranch(op)) {
          if (!this.limitHorizon(op, r, sym, d, x)) return null;
        } else if (!(
          op === Op.MovN ||
          op === Op.Addi ||
          op === Op.AddiN ||
          ((op === Op.Add || op === Op.AddN) && (((sym >>> x) ^ (sym >>> c)) & 1) === 1) ||
          (op === Op.Sub && (sym & (1 << c)) === 0)
        )) {
          return null;
        }
      }
      if (op === Op.Rsr) {
        if (x !== SR.CCOUNT || !followClock || this.clock !== undefined) return null;
        this.sawClock = true;
        this.clock = { period: 1, next: 1 };
        this.clockStep = steps;
        r[d] = cpu.readSpecial(SR.CCOUNT) + steps;
        sym |= 1 << d;
        pc = next;
        continue;
      }
      const dest = destinationMask(op, d);
      if (symIn !== 0) sym |= dest;
      else sym &= ~dest;
      switch (op) {
        case Op.Nop2:
        case Op.Nop3:
          break;
        case Op.L32r:
        case Op.L32iN:
        case Op.L32i:
        case Op.L16ui:
        case Op.L16si:
        case Op.L8ui: {
          const addr = (op === Op.L32r ? c : r[x] + c) >>> 0;
          const width = loadWidth(op);
          if (addr & (width - 1) || (dataAccess[addr >>> 29] & ACCESS_LOAD) === 0) return null;
          const counter = width === 4 ? bus.counterClock?.(addr) : undefined;
          if (counter !== undefined) {
            this.sawClock = true;
            if (followClock) {
              if (this.clock !== undefined) return null; // one clock read per iteration
              this.clock = counter;
              this.clockStep = steps;
              const ticks = Math.floor((steps + counter.period - counter.next) / counter.period);
              r[d] = bus.read32(addr) + ticks;
              sym |= 1 << d;
              break;
            }
          }
          const stable = stableCyclesOf(bus, addr);
          if (!(stable > 0)) return null;
          if (stable < window) window = stable;
          if (width === 4) r[d] = bus.read32(addr);
          else if (width === 1) r[d] = bus.read8(addr) & 0xff;
          else r[d] = op === Op.L16si ? (bus.read16(addr) << 16) >> 16 : bus.read16(addr) & 0xffff;
          break;
        }
        case Op.S32iN:
        case Op.S32i:
        case Op.S16i:
        case Op.S8i: {
          // Only a store that changes nothing keeps the iteration a fixed point.
          const addr = (r[x] + c) >>> 0;
          const width = op === Op.S16i ? 2 : op === Op.S8i ? 1 : 4;
          const ram = bus.plainRam;
          if (ram === undefined || addr & (width - 1)) return null;
          if (addr < ram.base || addr + width > ram.base + ram.size) return null;
          if ((dataAccess[addr >>> 29] & ACCESS_STORE) === 0) return null;
          if (cpu.decodedPages[addr >>> PAGE_SHIFT] !== 0) return null;
          const held =
            width === 4
              ? bus.read32(addr) | 0
              : width === 2
                ? bus.read16(addr) & 0xffff
                : bus.read8(addr) & 0xff;
          const value = width === 4 ? r[d] : width === 2 ? r[d] & 0xffff : r[d] & 0xff;
          if (held !== value) return null;
          break;
        }
        case Op.And:
          r[d] = r[x] & r[c];
          break;
        case Op.Or:
          r[d] = r[x] | r[c];
          break;
        case Op.Xor:
          r[d] = r[x] ^ r[c];
          break;
        case Op.Add:
        case Op.AddN:
          r[d] = r[x] + r[c];
          break;
        case Op.Addx2:
          r[d] = (r[x] << 1) + r[c];
          break;
        case Op.Addx4:
          r[d] = (r[x] << 2) + r[c];
          break;
        case Op.Addx8:
          r[d] = (r[x] << 3) + r[c];
          break;
        case Op.Sub:
          r[d] = r[x] - r[c];
          break;
        case Op.Subx2:
          r[d] = (r[x] << 1) - r[c];
          break;
        case Op.Subx4:
          r[d] = (r[x] << 2) - r[c];
          break;
        case Op.Subx8:
          r[d] = (r[x] << 3) - r[c];
          break;
        case Op.Neg:
          r[d] = -r[x];
          break;
        case Op.Extui:
          r[d & 15] = (r[x] >>> (d >>> 8)) & c;
          break;
        case Op.Slli:
          r[d] = c === 32 ? 0 : r[x] << c;
          break;
        case Op.Srai:
          r[d] = r[x] >> c;
          break;
        case Op.Srli:
          r[d] = r[x] >>> c;
          break;
        case Op.Movi:
        case Op.MoviN:
          r[d] = c;
          break;
        case Op.Addi:
        case Op.AddiN:
          r[d] = r[x] + c;
          break;
        case Op.MovN:
          r[d] = r[x];
          break;
        case Op.J:
          next = c >>> 0;
          break;
        default:
          if (!isBranch(op)) return null; // anything else: not a poll loop iteration
          if (branchTaken(op, r, d, x)) next = c >>> 0;
      }
      pc = next;
    }
    return null;
  }

  /** Code in [first, last) changed: forget loops there; returns the branch pcs to re-decode. */
  invalidate(first: number, last: number, undecode: (pc: number) => void): void {
    if (this.byBranch.size === 0) return;
    const lo = first >>> PAGE_SHIFT;
    const hi = (last - 1) >>> PAGE_SHIFT;
    if (last > first && hi - lo >= this.byPage.size) {
      // A wide range (the whole flash window): look at the pages that have loops instead.
      for (const [p, list] of this.byPage) {
        if (p >= lo && p <= hi) this.forgetOverlapping(list, first, last, undecode);
      }
      return;
    }
    for (let p = lo; p <= hi; p++) {
      const list = this.byPage.get(p);
      if (list !== undefined) this.forgetOverlapping(list, first, last, undecode);
      if (last <= first) break;
    }
  }

  /** Forget the loops of `list` that overlap [first, last). */
  private forgetOverlapping(
    list: PollLoop[],
    first: number,
    last: number,
    undecode: (pc: number) => void,
  ): void {
    for (const loop of list.slice()) {
      if (loop.head < last && loop.branchPc + loop.branchBytes > first) {
        this.forget(loop.branchPc);
        undecode(loop.branchPc);
      }
    }
  }

  /** Whether the branch at `pc` is currently a marked poll loop (tests, the benchmark). */
  isMarked(pc: number): boolean {
    return this.byBranch.has(pc);
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
  readSpecial(sr: number): number;
  readonly bus: CpuBus;
  cycles: number;
  instructions: number;
  sliceEnd: number;
  /** Where the current run slice ends at the latest (the next alarm or CCOMPARE0 match). */
  runEnd: number;
  /** Region protection's load/store permissions per 512 MB (region-protection.ts). */
  readonly dataAccess: Uint8Array;
  /** 1 for every 4 KB page holding decoded code (a store there is not plain). */
  readonly decodedPages: Uint8Array;
}

function isCcountRead(op: Op, sr: number): boolean {
  return op === Op.Rsr && sr === SR.CCOUNT;
}

const U32 = 0xffffffff;
/** Signed order as unsigned order. */
const biased = (v: number) => (v ^ 0x80000000) >>> 0;

/** Ticks t ≥ 0 for which `u + t < k` (unsigned, 0 ≤ k ≤ 2^32) keeps its value at t = 0. */
function lessHorizon(u: number, k: number): number {
  return u < k ? k - u - 1 : U32 - u; // false until u + t wraps
}

/** Ticks t ≥ 0 for which `u + t === k` (unsigned) keeps its value at t = 0. */
function equalHorizon(u: number, k: number): number {
  if (u === k) return 0;
  return u < k ? k - u - 1 : U32 - u;
}

/**
 * For a branch whose operands include registers that grow by one per clock tick (`sym`), the
 * ticks for which its outcome cannot change; null for a branch that does not allow that (a bit
 * test, or both operands on the clock).
 */
function branchHorizon(op: Op, r: Int32Array, sym: number, a: number, b: number): number | null {
  const aSym = ((sym >>> a) & 1) === 1;
  switch (op) {
    case Op.Beqz:
    case Op.BeqzN:
    case Op.Bnez:
    case Op.BnezN:
      return equalHorizon(r[a] >>> 0, 0);
    case Op.Bltz:
    case Op.Bgez:
      return lessHorizon(biased(r[a]), biased(0));
    case Op.Beqi:
    case Op.Bnei:
      return equalHorizon(r[a] >>> 0, b >>> 0);
    case Op.Blti:
    case Op.Bgei:
      return lessHorizon(biased(r[a]), biased(b));
    case Op.Bltui:
    case Op.Bgeui:
      return lessHorizon(r[a] >>> 0, b >>> 0);
    case Op.Beq:
    case Op.Bne:
    case Op.Blt:
    case Op.Bge:
    case Op.Bltu:
    case Op.Bgeu: {
      const bSym = ((sym >>> b) & 1) === 1;
      if (aSym === bSym) return null;
      const [moving, fixed] = aSym ? [r[a], r[b]] : [r[b], r[a]];
      if (op === Op.Beq || op === Op.Bne) return equalHorizon(moving >>> 0, fixed >>> 0);
      const signed = op === Op.Blt || op === Op.Bge;
      const m = signed ? biased(moving) : moving >>> 0;
      const f = signed ? biased(fixed) : fixed >>> 0;
      // moving < fixed, or fixed < moving, i.e. !(moving < fixed + 1)
      return lessHorizon(m, aSym ? f : f + 1);
    }
    default:
      return null;
  }
}

function isLoad(op: Op): boolean {
  return (
    op === Op.L32r ||
    op === Op.L32iN ||
    op === Op.L32i ||
    op === Op.L16ui ||
    op === Op.L16si ||
    op === Op.L8ui
  );
}

/** The register an instruction of the evaluated set writes (entry[1]), as a mask; 0 for others. */
function destinationMask(op: Op, dest: number): number {
  if (isLoad(op)) return 1 << dest;
  switch (op) {
    case Op.Extui:
      return 1 << (dest & 15); // the shift is packed above the register
    case Op.And:
    case Op.Or:
    case Op.Xor:
    case Op.Add:
    case Op.AddN:
    case Op.Addx2:
    case Op.Addx4:
    case Op.Addx8:
    case Op.Sub:
    case Op.Subx2:
    case Op.Subx4:
    case Op.Subx8:
    case Op.Neg:
    case Op.Slli:
    case Op.Srai:
    case Op.Srli:
    case Op.Movi:
    case Op.MoviN:
    case Op.Addi:
    case Op.AddiN:
    case Op.MovN:
    case Op.Rsr:
      return 1 << dest;
    default:
      return 0; // not evaluated: the evaluation stops there anyway
  }
}

/** The registers an instruction reads, as a mask (entry layouts in decode.ts); 0 for others. */
function sourceMask(op: Op, e: Int32Array): number {
  return sourceMaskOf(op, e[1], e[2], e[3]);
}

function sourceMaskOf(op: Op, a: number, b: number, c: number): number {
  if (isBranch(op)) {
    const first = 1 << a;
    // reg-reg compares and BBC/BBS read two registers; the rest compare with an immediate
    return (op >= Op.Bnone && op <= Op.Bbs && op !== Op.Bbci) || op === Op.Bnall
      ? first | (1 << b)
      : first;
  }
  switch (op) {
    case Op.L32r:
    case Op.Movi:
    case Op.MoviN:
    case Op.Rsr:
    case Op.J:
      return 0;
    case Op.L32iN:
    case Op.L32i:
    case Op.L16ui:
    case Op.L16si:
    case Op.L8ui:
    case Op.Neg:
    case Op.Extui:
    case Op.Slli:
    case Op.Srai:
    case Op.Srli:
    case Op.Addi:
    case Op.AddiN:
    case Op.MovN:
      return 1 << b;
    case Op.S32iN:
    case Op.S32i:
    case Op.S16i:
    case Op.S8i:
      return (1 << a) | (1 << b);
    default:
      return destinationMask(op, 0) !== 0 ? (1 << b) | (1 << c) : 0; // the 3-register ALU ops
  }
}

function loadWidth(op: Op): number {
  return op === Op.L8ui ? 1 : op === Op.L16ui || op === Op.L16si ? 2 : 4;
}

function isBranch(op: Op): boolean {
  return (op >= Op.Beqz && op <= Op.Bbsi) || op === Op.BeqzN || op === Op.BnezN;
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
