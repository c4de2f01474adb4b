/**
 * The Xtensa LX106 core: CALL0 ABI, 16 address registers, density, MUL16/MULL, NSA, region
 * protection, XEA2 exceptions, 15 interrupts and one CCOMPARE timer.
 *
 * Execution model: instructions are decoded once per address into 4-int32 entries held in
 * per-4 KB-page Int32Arrays (decode.ts); the dispatch loop (`execute`) switches on the cached op.
 * The core's own stores drop the entries they overwrite; hosts call invalidateCode(). Native
 * (TypeScript) functions live in the same cache as an Op.Native entry. Code that cannot run for a
 * while but comes back unchanged (the flash window while the cache is off) is parked, not
 * dropped: parkCode/unparkCode.
 *
 * Cycle model: 1 cycle per executed instruction, nothing extra (taken branches, loads and
 * multiplies cost the same). An instruction that faults still costs its cycle; exception and
 * interrupt entry cost nothing more. WAITI costs no host time: the idle cycles are added at once.
 * `cycles` and `instructions` are float64 totals that never wrap and never reset (the board clock
 * is derived from `cycles`); CCOUNT is `cycles` plus an offset that WSR CCOUNT sets, mod 2^32.
 *
 * Faults: the bus throws the shared MemoryFault; the loop catches it and enters the exception
 * with EPC1 (or DEPC) = the faulting instruction and EXCVADDR = the address.
 */
import type { CycleCounter } from '../clock.ts';
import { ExcCause, memoryFault, type CpuBus } from './bus.ts';
import { CodeCache, runCompiled } from './code-cache.ts';
import { CODE_PAGES, CodePageTable, FIRST_CODE_PAGE } from './code-pages.ts';
import { decodeInstruction } from './decode.ts';
import {
  NMI_BIT,
  NMI_LEVEL,
  LEVEL1_MASK,
  EDGE_MASK,
  SOFTWARE_BIT,
  TIMER0_BIT,
  VECTOR_NMI,
  currentInterruptLevel,
  enterGeneralException,
  enterHighPriority,
  type DebugHook,
} from './exceptions.ts';
import { Op, execute } from './execute.ts';
import { PollLoops } from './poll-loop.ts';
import type { SavedState, StateReader } from '../snapshot/state.ts';
import { ACCESS_EXEC, RegionProtection } from './region-protection.ts';
import {
  CONFIGID0_VALUE,
  CONFIGID1_VALUE,
  PRID_VALUE,
  PS_INTLEVEL,
  SR,
  SR_WRITE_MASK,
} from './special-registers.ts';

/** A function that runs in place of guest code at an address; it sets `cpu.pc` (usually to a0). */
export type NativeFunction = (cpu: XtensaCpu) => void;

const PAGE_SHIFT = 12;
const PAGE_BYTES = 1 << PAGE_SHIFT;
const PAGE_OFFSET_MASK = PAGE_BYTES - 1;
/** Four int32s per byte address: instructions may start at any byte. */
const ENTRY_INTS = 4;
const TWO_POW_32 = 4294967296;
const RESET_PS = 0x1f;
const RESET_VECBASE = 0x40000000;

export class XtensaCpu implements CycleCounter {
  /**
   * What new cores start with: the block compiler. It is exact (QEMU oracle, lock-step over real
   * images) and 1.5–2.5× faster on busy firmware; idle and very short runs pay V8's warm-up but
   * stay far above real time (docs/performance.md). Tests set `blockCompiler` per core where
   * they need one path.
   */
  static defaultBlockCompiler = true;

  /** a0..a15, the public unsigned view. */
  readonly regs = new Uint32Array(16);
  /** The same registers as int32, which the hot paths use. */
  /** @internal */
  readonly ar = new Int32Array(this.regs.buffer);
  pc = 0x40000080;
  cycles = 0;
  instructions = 0;
  /** True while in WAITI. */
  halted = false;
  /** SIMCALL handler; when null SIMCALL is an illegal instruction. */
  onSimcall: ((cpu: XtensaCpu) => void) | null = null;
  /** An attached debugger (exception entry tells it about faults and BREAKs); see exceptions.ts. */
  debugHook: DebugHook | null = null;

  /** PS and SAR are hot; every other special register lives in `sr`, indexed by number. */
  ps = RESET_PS;
  sar = 0;
  readonly sr = new Uint32Array(256);
  readonly regions = new RegionProtection();

  private litbase = 0;
  /** INTERRUPT bits 0..5: the external level lines as they are now. */
  private levelLines = 0;
  /** INTERRUPT bits 6..14: latched (timer, software, edge, NMI). */
  private latched = 0;
  /**
   * Between taking the NMI and its RFI 3. An NMI raised meanwhile waits for that RFI: the RTOS
   * SDK's NMI vector re-enables its source (DPORT 0x3FF00000 := 1) after it has restored EPC3,
   * EPS3 and the stack pointer from a frame an entered NMI would overwrite, so the chip cannot
   * take the NMI there (docs/watchdog.md §4).
   * @internal
   */
  servicingNmi = false;

  /**
   * Software lowered PS.INTLEVEL below the NMI's level 3 (RSIL, WSR/XSR PS, WAITI): the NMI
   * handler has been left without its RFI 3 — RTOS SDK 1.5's `system_restart_in_nmi` runs from
   * the NMI (MAC timer 1) and jumps to the reset vector, whose first PS write is `rsil 1` — so an
   * NMI is no longer being serviced (docs/watchdog.md §4).
   * @internal
   */
  leaveNmi(): void {
    this.servicingNmi = false;
  }
  private ccountOffset = 0;
  /** `cycles` value at which CCOUNT next equals CCOMPARE0. */
  private nextCompareAt = TWO_POW_32;

  /** The current slice ends when `cycles` reaches this; lowered to 0 to force a re-check. */
  /** @internal */
  sliceEnd = 0;
  /**
   * Where the current slice of `run` ends at the latest (the run's end or the CCOMPARE0 match),
   * whatever lowered `sliceEnd` meanwhile; poll-loop fast-forward never skips past it.
   */
  /** @internal */
  runEnd = 0;
  private stopRequested = false;

  /**
   * Run hot code through the block compiler (code-cache.ts); false = the interpreter only.
   * Either way the architectural results are the same; `step()` always interprets.
   */
  blockCompiler: boolean = XtensaCpu.defaultBlockCompiler;
  /** @internal */
  readonly codeCache = new CodeCache();
  /** Poll loops marked by the decoder and skipped ahead when provably idle (poll-loop.ts). */
  readonly pollLoops = new PollLoops();
  /** Region protection's data permissions (what poll-loop.ts checks before a load). */
  /** @internal */
  get dataAccess(): Uint8Array {
    return this.regions.dataAccess;
  }

  /** Decoded entries of pages outside the code table (RAM of the sim machine). */
  private readonly pages = new Map<number, Int32Array>();
  /**
   * Decoded entries of the pages code runs from (ROM, IRAM, the flash window), indexed directly:
   * idle loops call between all three every few instructions (MicroPython's REPL goes flash →
   * IRAM → ROM and back), and a Map lookup per page change cost a tenth of the run. It also holds
   * what parkCode set aside.
   */
  private readonly codeTable = new CodePageTable<Int32Array>();
  private readonly codePages = this.codeTable.live;
  /** The key and range [first, last) of what is parked (parkCode), key -1 when nothing is. */
  private parkedKey = -1;
  private parkedFirst = 0;
  private parkedLast = 0;
  /** 1 for every 4 KB page that holds decoded entries (the store path's quick test). */
  /** @internal */
  readonly decodedPages = new Uint8Array(1 << (32 - PAGE_SHIFT));
  /** Placeholder until the loop looks up its first page. */
  /** @internal */
  readonly emptyPage = new Int32Array(ENTRY_INTS);
  /** @internal */
  readonly natives: NativeFunction[] = [];
  private readonly nativeIndex = new Map<number, number>();

  /**
   * Where loads and stores go. A debugger with a watchpoint set puts a watching bus in front of
   * the board's for as long as it is set (cpu-debugger.ts), so no watchpoint costs nothing.
   */
  /** @internal */
  bus: CpuBus;
  /**
   * True while a native (a ROM function written in TypeScript) runs: its loads and stores are no
   * instruction's, so a data breakpoint cannot stop before them (data-breakpoint.ts).
   */
  nativeRunning = false;

  constructor(bus: CpuBus) {
    this.bus = bus;
    this.reset();
  }

  /** Architectural reset. `cycles`/`instructions` keep running (they are the board's time base). */
  reset(pc = 0x40000080): void {
    this.ar.fill(0);
    this.sr.fill(0);
    this.pc = pc >>> 0;
    this.ps = RESET_PS;
    this.sar = 0;
    this.litbase = 0;
    this.sr[SR.VECBASE] = RESET_VECBASE;
    this.levelLines = 0;
    this.latched = 0;
    this.servicingNmi = false;
    this.halted = false;
    this.ccountOffset = -this.cycles;
    this.updateNextCompare();
    this.regions.reset();
    this.invalidateAllCode();
  }

  // ---------------------------------------------------------------- running

  /**
   * Run until at least `maxCycles` cycles have passed (or requestStop()). In WAITI with nothing
   * takeable it adds the remaining cycles at once, stopping at a CCOMPARE0 match to take INT6.
   */
  run(maxCycles: number): void {
    const end = this.cycles + maxCycles;
    this.stopRequested = false;
    while (this.cycles < end && !this.stopRequested) {
      if (this.cycles >= this.nextCompareAt) this.compareMatched();
      this.takePendingInterrupt();
      const until = end < this.nextCompareAt ? end : this.nextCompareAt;
      if (this.halted) {
        if (until > this.cycles) this.cycles = until;
        continue;
      }
      this.sliceEnd = until;
      this.runEnd = until;
      if (this.blockCompiler) runCompiled(this, this.codeCache);
      else execute(this);
    }
  }

  /** Exactly one instruction, or one exception/interrupt entry (a WAITI step idles one cycle). */
  step(): void {
    if (this.cycles >= this.nextCompareAt) this.compareMatched();
    if (this.takePendingInterrupt()) return;
    if (this.halted) {
      this.cycles++;
      return;
    }
    this.stopRequested = false;
    this.sliceEnd = this.cycles + 1;
    this.runEnd = this.sliceEnd;
    execute(this);
  }

  /** End `run` at the next instruction boundary. */
  requestStop(): void {
    this.stopRequested = true;
    this.sliceEnd = 0;
  }

  // ---------------------------------------------------------------- interrupts

  /** INTERRUPT as RSR reads it. */
  get interrupt(): number {
    return this.levelLines | this.latched;
  }

  /** Level-triggered external interrupt n (0..5): INTERRUPT bit n follows the line. */
  setIrqLevel(n: number, asserted: boolean): void {
    if (n < 0 || n > 5) throw new RangeError(`interrupt ${n} is not level-triggered (0..5)`);
    const bit = 1 << n;
    const lines = asserted ? this.levelLines | bit : this.levelLines & ~bit;
    if (lines === this.levelLines) return;
    this.levelLines = lines;
    this.sliceEnd = 0;
  }

  /** Edge-triggered interrupt n (8..13) or the NMI (14): latched until INTCLEAR (or taken: NMI). */
  raiseIrqEdge(n: number): void {
    if (n < 8 || n > 14) throw new RangeError(`interrupt ${n} is not edge-triggered (8..14)`);
    this.latched |= 1 << n;
    this.sliceEnd = 0;
  }

  /**
   * Take the highest-priority takeable interrupt, if any. The NMI is taken whenever latched
   * (neither INTENABLE nor PS masks it) unless an NMI is being serviced, and taking it clears its
   * latch; level-1 interrupts need INTENABLE and a current level of 0.
   */
  private takePendingInterrupt(): boolean {
    const pending = this.levelLines | this.latched;
    if (pending & NMI_BIT && !this.servicingNmi) {
      this.latched &= ~NMI_BIT;
      this.servicingNmi = true;
      enterHighPriority(this, NMI_LEVEL, VECTOR_NMI);
      return true;
    }
    if (pending & this.sr[SR.INTENABLE] & LEVEL1_MASK && currentInterruptLevel(this.ps) < 1) {
      enterGeneralException(this, ExcCause.Level1Interrupt, 0, false);
      return true;
    }
    return false;
  }

  private compareMatched(): void {
    this.latched |= TIMER0_BIT;
    this.nextCompareAt += TWO_POW_32;
  }

  private updateNextCompare(): void {
    const delta = (this.sr[SR.CCOMPARE0] - this.ccount()) >>> 0;
    this.nextCompareAt = this.cycles + (delta === 0 ? TWO_POW_32 : delta);
  }

  private ccount(): number {
    return (this.cycles + this.ccountOffset) >>> 0;
  }

  // ---------------------------------------------------------------- special registers

  /** RSR semantics by SR number (write-only and absent registers read 0). */
  readSpecial(sr: number): number {
    switch (sr) {
      case SR.SAR:
        return this.sar;
      case SR.LITBASE:
        return this.litbase >>> 0;
      case SR.PS:
        return this.ps;
      case SR.INTERRUPT:
        return this.levelLines | this.latched;
      case SR.CCOUNT:
        return this.ccount();
      case SR.CONFIGID0:
        return CONFIGID0_VALUE;
      case SR.CONFIGID1:
        return CONFIGID1_VALUE;
      case SR.PRID:
        return PRID_VALUE;
      case SR.INTCLEAR:
      case SR.MMID:
        return 0;
      default:
        return this.sr[sr & 255];
    }
  }

  /** WSR semantics by SR number (INTSET at 226, INTCLEAR at 227; read-only ones ignore it). */
  writeSpecial(sr: number, value: number): void {
    const v = (value & SR_WRITE_MASK[sr & 255]) >>> 0;
    switch (sr) {
      case SR.SAR:
        this.sar = v;
        return;
      case SR.LITBASE:
        this.litbase = v;
        this.invalidateAllCode();
        return;
      case SR.PS:
        this.ps = v;
        if ((v & PS_INTLEVEL) < NMI_LEVEL) this.leaveNmi();
        break;
      case SR.INTERRUPT: // INTSET
        this.latched |= v & SOFTWARE_BIT;
        break;
      case SR.INTCLEAR:
        this.latched &= ~(v & (SOFTWARE_BIT | EDGE_MASK | NMI_BIT));
        break;
      case SR.CCOUNT:
        this.ccountOffset = v - this.cycles;
        this.updateNextCompare();
        this.sliceEnd = 0; // the slice was cut at the old CCOMPARE0 match
        return;
      case SR.CCOMPARE0:
        this.sr[SR.CCOMPARE0] = v;
        this.latched &= ~TIMER0_BIT;
        this.updateNextCompare();
        this.sliceEnd = 0;
        return;
      case SR.CONFIGID0:
      case SR.CONFIGID1:
      case SR.PRID:
        return;
      default:
        this.sr[sr & 255] = v;
    }
    // PS, INTENABLE, INTSET, INTCLEAR (and the rest): stop after this instruction only if an
    // interrupt is takeable now — the run loop's re-check would find nothing otherwise, and
    // critical sections (RSIL … WSR PS) then cost nothing.
    if (this.interruptTakeable()) this.sliceEnd = 0;
  }

  /** True when the run loop would take an interrupt at the next boundary. */
  /** @internal */
  interruptTakeable(): boolean {
    const pending = this.levelLines | this.latched;
    if (pending & NMI_BIT && !this.servicingNmi) return true;
    return (
      (pending & this.sr[SR.INTENABLE] & LEVEL1_MASK) !== 0 && currentInterruptLevel(this.ps) < 1
    );
  }

  // ---------------------------------------------------------------- code cache

  /** When execution reaches `addr`, call `fn(cpu)` instead of decoding guest code there. */
  registerNative(addr: number, fn: NativeFunction): void {
    addr >>>= 0;
    let index = this.nativeIndex.get(addr);
    if (index === undefined) {
      index = this.natives.length;
      this.nativeIndex.set(addr, index);
    }
    this.natives[index] = fn;
    this.invalidateCode(addr, 1);
  }

  /** Execution at `addr` runs guest code again (undoes `registerNative`). */
  unregisterNative(addr: number): void {
    addr >>>= 0;
    if (!this.nativeIndex.delete(addr)) return;
    this.invalidateCode(addr, 1);
  }

  /** True when `registerNative` put a function at `addr`. */
  hasNative(addr: number): boolean {
    return this.nativeIndex.has(addr >>> 0);
  }

  /** Drop pre-decoded instructions overlapping [addr, addr + len), live or parked. */
  invalidateCode(addr: number, len: number): void {
    // An instruction up to 3 bytes long that starts 2 bytes earlier covers `addr`.
    const first = addr - 2;
    const last = addr + len; // exclusive
    const parked = this.codeTable.hasParked;
    for (let page = first >>> PAGE_SHIFT; ; page = (page + 1) >>> 0) {
      const slot = CodePageTable.slotOf(page);
      if (slot < 0) clearEntries(this.pages.get(page), page, first, last);
      else {
        clearEntries(this.codePages[slot], page, first, last);
        if (parked) clearEntries(this.codeTable.parked(slot), page, first, last);
      }
      if (page === (last - 1) >>> PAGE_SHIFT || len <= 0) break;
    }
    this.pollLoops.invalidate(first, last, (pc) => this.undecode(pc));
    // A compiled region running now may be one of those dropped: end it at its next check.
    if (this.codeCache.invalidate(first, last)) this.sliceEnd = 0;
  }

  /**
   * Code in [addr, addr + len) cannot execute for now (fetches there fault) but may come back as
   * it was: its decoded entries and compiled regions are set aside under `key` for unparkCode
   * (whole 4 KB pages of the code table; whatever was parked before is dropped). Poll-loop marks
   * there are forgotten instead, as invalidateCode does: they are cheap to make again.
   */
  parkCode(addr: number, len: number, key: number): void {
    this.dropParkedCode();
    const last = addr + len;
    const from = CodePageTable.slotOf(addr >>> PAGE_SHIFT);
    const to = CodePageTable.slotOf((last - 1) >>> PAGE_SHIFT) + 1;
    if (len <= 0 || (addr | len) & PAGE_OFFSET_MASK || from < 0 || to <= 0)
      throw new RangeError('parkCode: not whole pages of the code table');
    this.pollLoops.invalidate(addr - 2, last, (pc) => this.undecode(pc));
    this.codeTable.park(from, to);
    this.codeCache.park(addr, last);
    this.parkedKey = key;
    this.parkedFirst = addr;
    this.parkedLast = last;
    // The interpreter and the dispatcher hold the current page in a local: end the slice, so that
    // they look it up again (and fault) rather than run on in a parked page.
    this.sliceEnd = 0;
  }

  /**
   * Code in [addr, addr + len) can execute again: what was parked there under `key` comes back
   * (nothing is decoded or compiled again); under another key (or another range) it is dropped,
   * with whatever is there now.
   */
  unparkCode(addr: number, len: number, key: number): void {
    const last = addr + len;
    if (key !== this.parkedKey || addr !== this.parkedFirst || last !== this.parkedLast) {
      this.dropParkedCode();
      this.invalidateCode(addr, len);
      return;
    }
    // Pages made meanwhile hold only attempts that faulted (and natives): the parked ones,
    // decoded from the same bytes, replace them.
    const from = CodePageTable.slotOf(addr >>> PAGE_SHIFT);
    const to = CodePageTable.slotOf((last - 1) >>> PAGE_SHIFT) + 1;
    this.codeTable.unpark(from, to);
    this.codeCache.unpark(addr, last);
    this.parkedKey = -1;
    this.sliceEnd = 0;
  }

  /** The key code is parked under (parkCode), or -1 when none is. */
  get parkedCodeKey(): number {
    return this.parkedKey;
  }

  /** Let parked code go: it will not come back as it was. */
  private dropParkedCode(): void {
    this.codeTable.dropParked();
    this.codeCache.dropParked();
    this.parkedKey = -1;
  }

  /** @internal */
  invalidateAllCode(): void {
    for (const entries of this.pages.values()) entries.fill(0);
    this.codeTable.forEachLive((entries) => entries.fill(0));
    this.dropParkedCode();
    this.codeCache.clear();
    this.pollLoops.clear();
    this.sliceEnd = 0;
  }

  /** @internal */
  pageFor(page: number): Int32Array {
    const slot = page - FIRST_CODE_PAGE;
    if (slot >= 0 && slot < CODE_PAGES) {
      const cached = this.codePages[slot];
      if (cached !== null) return cached;
      const entries = new Int32Array(PAGE_BYTES * ENTRY_INTS);
      this.codeTable.add(slot, entries);
      return entries;
    }
    let entries = this.pages.get(page);
    if (entries === undefined) {
      entries = new Int32Array(PAGE_BYTES * ENTRY_INTS);
      this.pages.set(page, entries);
    }
    return entries;
  }

  /** Fill the cache entry for `pc`; throws a fetch fault when the address is not executable. */
  /** @internal */
  decodeAt(entries: Int32Array, pc: number, at: number): number {
    this.decodedPages[pc >>> PAGE_SHIFT] = 1;
    // An instruction at the end of a page reads bytes of the next one: stores there must see it.
    if ((pc & PAGE_OFFSET_MASK) > PAGE_BYTES - 3) this.decodedPages[(pc >>> PAGE_SHIFT) + 1] = 1;
    const native = this.nativeIndex.get(pc);
    if (native !== undefined) {
      entries[at] = Op.Native;
      entries[at + 1] = native;
      return Op.Native;
    }
    if ((this.regions.fetchAccess[pc >>> 29] & ACCESS_EXEC) === 0) {
      throw memoryFault(ExcCause.InstFetchProhibited, pc);
    }
    const op = decodeInstruction(this.bus.fetch(pc), pc, this.litbase, entries, at) as Op;
    if ((op >= Op.J && op <= Op.Bbsi) || op === Op.BeqzN || op === Op.BnezN) {
      return this.pollLoops.mark(
        pc,
        op,
        op === Op.BeqzN || op === Op.BnezN ? 2 : 3,
        entries,
        at,
        (addr) => this.bus.fetch(addr),
        (addr) => this.nativeIndex.has(addr),
        this.litbase,
      );
    }
    return op;
  }

  /** Forget the decoded entry at `pc` (it is decoded again when reached). */
  private undecode(pc: number): void {
    const page = pc >>> PAGE_SHIFT;
    const slot = CodePageTable.slotOf(page);
    const entries = slot < 0 ? this.pages.get(page) : this.codePages[slot];
    clearEntries(entries, page, pc, pc + 1);
  }

  // ---------------------------------------------------------------- snapshots

  /** Architectural state and the counters (not the decoded-code caches: they are rebuilt). */
  saveState(): SavedState {
    return {
      pc: this.pc,
      ar: this.regs.slice(),
      ps: this.ps,
      sar: this.sar,
      sr: this.sr.slice(),
      litbase: this.litbase,
      itlb: this.regions.itlb.slice(),
      dtlb: this.regions.dtlb.slice(),
      levelLines: this.levelLines,
      latched: this.latched,
      servicingNmi: this.servicingNmi,
      ccountOffset: this.ccountOffset,
      nextCompareAt: this.nextCompareAt,
      cycles: this.cycles,
      instructions: this.instructions,
      halted: this.halted,
    };
  }

  /** Restore a saved state; every decoded instruction and compiled region is dropped. */
  restoreState(s: StateReader): void {
    this.pc = s.u32('pc');
    s.array('ar', this.regs);
    this.ps = s.u32('ps');
    this.sar = s.u32('sar');
    s.array('sr', this.sr);
    this.litbase = s.u32('litbase');
    const itlb = s.array('itlb', new Uint8Array(8));
    const dtlb = s.array('dtlb', new Uint8Array(8));
    for (let i = 0; i < 8; i++) {
      this.regions.setInstructionAttribute(i, itlb[i]);
      this.regions.setDataAttribute(i, dtlb[i]);
    }
    this.levelLines = s.u32('levelLines');
    this.latched = s.u32('latched');
    // Snapshots from before this field were never taken inside an NMI handler that mattered.
    this.servicingNmi = s.has('servicingNmi') ? s.boolean('servicingNmi') : false;
    this.ccountOffset = s.number('ccountOffset');
    this.nextCompareAt = s.number('nextCompareAt');
    this.cycles = s.number('cycles');
    this.instructions = s.number('instructions');
    this.halted = s.boolean('halted');
    this.stopRequested = false;
    this.invalidateAllCode();
  }

  // ---------------------------------------------------------------- the dispatch loop
}

/** Zero the decoded entries of page number `page` (when it has any) that lie in [first, last). */
function clearEntries(
  entries: Int32Array | null | undefined,
  page: number,
  first: number,
  last: number,
): void {
  if (!entries) return;
  const base = page * PAGE_BYTES;
  const from = Math.max(first - base, 0);
  const to = Math.min(last - base, PAGE_BYTES);
  if (from < to) entries.fill(0, from * ENTRY_INTS, to * ENTRY_INTS);
}
