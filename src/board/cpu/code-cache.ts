/**
 * Compiled regions by address, and the dispatcher that runs them (`runCompiled`, the compiled
 * counterpart of execute.ts's loop).
 *
 * Where no region exists, the interpreter runs a stretch of COLD_STRETCH instructions and then
 * to the end of the basic block it is in (execute() with a temporarily lowered slice end), so
 * cold and system code costs what it always did. The block start the dispatcher then looks at is
 * a sample of where time goes (and so is every exit of a region); after `hotThreshold` samples at
 * a block start the region starting there is compiled (block-compiler.ts). Arrivals at other
 * places (a slice ending mid-block, an interrupt return) are not counted: they would compile
 * copies of the same loop entered at each of its instructions. Code that runs only a little
 * stays interpreted: a region costs V8 warm-up before it is faster than the interpreter.
 *
 * Invalidation: every region is listed on each 4 KB page its code comes from, so dropping code
 * for [addr, addr + len) looks only at the lists of the pages it touches and drops the regions
 * whose guest bytes overlap. Dropping
 * a region lowers `cpu.sliceEnd`, which ends a running region at its next check.
 *
 * Parking: code that cannot run for a while but may come back unchanged (the flash window while
 * the ROM's flash routines have the cache off) keeps its pages — regions, hit counts, "not
 * compilable" marks — aside, out of the dispatcher's reach (`park`, `unpark`). Invalidation
 * reaches them there, so they come back without what changed meanwhile.
 *
 * Size bound: the generated source is counted; past SOURCE_BUDGET every region is dropped at once
 * (hot code is recompiled within a few samples). V8's code for a region is a small
 * multiple of its source, so the cache stays far below 64 MB (docs/performance.md).
 */
import { MemoryFault } from './bus.ts';
import { compileRegion, endsBlock, isCompilable, type Region } from './block-compiler.ts';
import type { XtensaCpu } from './cpu.ts';
import {
  VECTOR_DEBUG,
  VECTOR_DOUBLE,
  VECTOR_KERNEL,
  VECTOR_NMI,
  VECTOR_USER,
  enterGeneralException,
} from './exceptions.ts';
import { Op, execute } from './execute.ts';
import { instructionBytes } from './block-compiler.ts';
import { SR } from './special-registers.ts';
import { CODE_PAGES, CodePageTable, FIRST_CODE_PAGE } from './code-pages.ts';

const PAGE_SHIFT = 12;
const PAGE_BYTES = 1 << PAGE_SHIFT;
const PAGE_OFFSET_MASK = PAGE_BYTES - 1;
/** Samples at a block start (see runCompiled) before the region there is compiled... */
export const HOT_THRESHOLD = 16;
/** ...within this many cycles (2^23: 105 ms at 80 MHz), counted in units of 1024 cycles. */
const HOT_WINDOW_UNIT = 1024;
const HOT_WINDOW_UNITS = (1 << 23) / HOT_WINDOW_UNIT;
/** Characters of generated source kept before everything is dropped (≈ 8 MB of source). */
export const SOURCE_BUDGET = 8 << 20;
/** Instructions the interpreter runs from a cold address before it looks for a block end. */
const COLD_STRETCH = 1024;
/** Most instructions basicBlockLength scans. */
const SCAN_LIMIT = 64;
/** basicBlockLength: the length bits, and the flag for "its last instruction is a compiled jump". */
const COLD_LENGTH_MASK = 0x7f;
const ENDS_WITH_JUMP = 0x80;
/** PageCode.covered's granularity: 16 bytes. */
const CHUNK_SHIFT = 4;

/** The compiled state of one 4 KB page. */
class PageCode {
  /** Region by page offset: undefined = not compiled yet, null = not compilable. */
  // Allocated at full length: an array grown by sparse stores falls back to a hash table.
  readonly regions: (Region | null | undefined)[] = new Array<Region | null | undefined>(
    PAGE_BYTES,
  ).fill(undefined);
  readonly hits = new Uint16Array(PAGE_BYTES);
  /** When the current run of `hits` started, in units of 1 << HOT_WINDOW_UNIT_SHIFT cycles. */
  readonly hitsSince = new Uint32Array(PAGE_BYTES);
  /** How many entries of `regions` are null (so invalidation can skip looking for them). */
  notCompilable = 0;
  /** Regions compiled here (for invalidation). */
  readonly list: Region[] = [];
  /**
   * Per 16-byte chunk of the page: 1 when a region of `list` may have been translated from bytes
   * there. Conservative (set at compile, cleared only when the list empties), so a store that
   * finds its chunks clear cannot touch a region: data beside code in IRAM (an RTOS SDK's
   * scheduler variables, written ~160000 times a second next to literal pools) then costs no
   * walk through the page's regions and their ranges.
   */
  readonly covered = new Uint8Array(PAGE_BYTES >>> CHUNK_SHIFT);

  /** Mark the bytes [from, to) of the page (offsets, clipped to it) as translated. */
  cover(from: number, to: number): void {
    const a = Math.max(from, 0);
    const b = Math.min(to, PAGE_BYTES);
    if (a < b) this.covered.fill(1, a >>> CHUNK_SHIFT, ((b - 1) >>> CHUNK_SHIFT) + 1);
  }

  /** Whether any byte of [from, to) (offsets, clipped to the page) may be translated. */
  isCovered(from: number, to: number): boolean {
    const a = Math.max(from, 0);
    const b = Math.min(to, PAGE_BYTES);
    if (a >= b) return false;
    for (let c = a >>> CHUNK_SHIFT, end = (b - 1) >>> CHUNK_SHIFT; c <= end; c++) {
      if (this.covered[c] !== 0) return true;
    }
    return false;
  }
}

export class CodeCache {
  /** Pages outside the code table (RAM of the sim machine). */
  private readonly pages = new Map<number, PageCode>();
  /**
   * The pages of ROM, IRAM and the flash window, indexed directly: real firmware leaves a region
   * every few instructions (calls and returns between flash, IRAM and the ROM), and a Map lookup
   * per page change was a large part of the dispatcher's cost. It also holds what `park` set
   * aside.
   */
  private readonly codeTable = new CodePageTable<PageCode>();
  private readonly codePages = this.codeTable.live;
  /** Arrivals before compiling (tests lower it to 1 to compile every block they reach). */
  hotThreshold = HOT_THRESHOLD;
  /** Interpreted instructions between samples (tests lower it to 1 to sample every block). */
  coldStretch = COLD_STRETCH;
  /** Generated source characters currently held. */
  size = 0;
  /** Regions compiled since creation, and whole-cache flushes (for the benchmark). */
  compiled = 0;
  flushes = 0;

  page(n: number): PageCode {
    const slot = n - FIRST_CODE_PAGE;
    if (slot >= 0 && slot < CODE_PAGES) {
      const cached = this.codePages[slot];
      if (cached !== null) return cached;
      const p = new PageCode();
      this.codeTable.add(slot, p);
      return p;
    }
    let p = this.pages.get(n);
    if (p === undefined) {
      p = new PageCode();
      this.pages.set(n, p);
    }
    return p;
  }

  /** Compile the region at `pc` into its page's table (null when it cannot be compiled). */
  compile(cpu: XtensaCpu, page: PageCode, pc: number): Region | null {
    if (this.size > SOURCE_BUDGET) this.flush(cpu);
    const region = compileRegion(cpu, pc);
    page.regions[pc & PAGE_OFFSET_MASK] = region;
    if (region === null) page.notCompilable++;
    else {
      for (const n of region.pages) this.page(n).list.push(region);
      const ranges = region.ranges;
      for (let k = 0; k < ranges.length; k += 2) {
        for (let n = ranges[k] >>> PAGE_SHIFT; n <= (ranges[k + 1] - 1) >>> PAGE_SHIFT; n++) {
          const base = n * PAGE_BYTES;
          this.page(n).cover(ranges[k] - base, ranges[k + 1] - base);
        }
      }
      this.size += region.size;
      this.compiled++;
    }
    return region;
  }

  /** Drop every region, parked ones too (LITBASE/WITLB changes, reset, the size budget). */
  clear(): void {
    for (const p of this.pages.values()) resetPage(p);
    this.codeTable.forEachLive(resetPage);
    this.codeTable.dropParked();
    this.size = 0;
  }

  /**
   * Set the pages of [first, last) aside, regions and all, for `unpark` (what was parked before
   * is dropped: one range at a time). A region entered outside the range that runs code there
   * (a call followed into it) or took a literal from it is dropped: it stays reachable at its
   * entry and would run what cannot run now. `first` and `last` are page-aligned, in the table.
   */
  park(first: number, last: number): void {
    this.dropParked();
    this.codeTable.park(slotOf(first), slotOf(last - 1) + 1, (p) => {
      for (const region of p.list) {
        if (region.dead) continue;
        if (region.entry < first || region.entry >= last) this.kill(region);
      }
    });
  }

  /**
   * Put the parked pages back. Pages made in [first, last) meanwhile give way: nothing there could
   * run, so they hold only the "not compilable" marks of compiles that faulted, which would
   * otherwise keep that code interpreted for good.
   */
  unpark(first: number, last: number): void {
    this.codeTable.unpark(slotOf(first), slotOf(last - 1) + 1, (p) => {
      for (const region of p.list) this.kill(region);
    });
  }

  /** Drop every parked region: its code will not come back as it was. */
  dropParked(): void {
    if (!this.codeTable.hasParked) return;
    this.codeTable.dropParked((p) => {
      for (const region of p.list) this.kill(region);
    });
  }

  private flush(cpu: XtensaCpu): void {
    this.clear();
    this.flushes++;
    cpu.sliceEnd = 0;
  }

  /**
   * Drop regions translated from bytes in [first, last), live or parked; true when any was
   * dropped.
   */
  invalidate(first: number, last: number): boolean {
    let dropped = false;
    const parked = this.codeTable.hasParked;
    for (let n = first >>> PAGE_SHIFT; ; n = (n + 1) >>> 0) {
      const slot = CodePageTable.slotOf(n);
      const p = slot < 0 ? this.pages.get(n) : this.codePages[slot];
      if (p) dropped = this.invalidatePage(p, n, first, last) || dropped;
      if (parked && slot >= 0) {
        const q = this.codeTable.parked(slot);
        if (q !== null) dropped = this.invalidatePage(q, n, first, last) || dropped;
      }
      if (n === (last - 1) >>> PAGE_SHIFT || last <= first) break;
    }
    return dropped;
  }

  /** `invalidate` for `p`, the PageCode of page number `n`. */
  private invalidatePage(p: PageCode, n: number, first: number, last: number): boolean {
    const base = n * PAGE_BYTES;
    const dropped =
      p.list.length > 0 &&
      p.isCovered(first - base, last - base) &&
      this.dropOverlapping(p, first, last);
    if (p.list.length === 0) p.covered.fill(0);
    // Marks of "not compilable" may be stale too (a native removed, code rewritten).
    if (p.notCompilable > 0) {
      const from = Math.max(first - base, 0);
      const to = Math.min(last - base, PAGE_BYTES);
      for (let off = from; off < to; off++) {
        if (p.regions[off] === null) {
          p.regions[off] = undefined;
          p.notCompilable--;
        }
      }
    }
    return dropped;
  }

  /** Drop the regions listed on page `p` that overlap [first, last) (from every page). */
  private dropOverlapping(p: PageCode, first: number, last: number): boolean {
    let dropped = false;
    for (let i = p.list.length - 1; i >= 0; i--) {
      const region = p.list[i];
      if (region.dead) {
        p.list.splice(i, 1); // dropped through another page
        continue;
      }
      const ranges = region.ranges;
      let hit = false;
      for (let k = 0; k < ranges.length && !hit; k += 2) {
        hit = ranges[k] < last && ranges[k + 1] > first;
      }
      if (!hit) continue;
      p.list.splice(i, 1);
      this.kill(region);
      dropped = true;
    }
    return dropped;
  }

  /**
   * Drop `region`: unreachable at its entry, whether its page there is live or parked, and counted
   * out of `size`. The lists of the other pages it is on let go of it when they next meet it dead.
   */
  private kill(region: Region): void {
    if (region.dead) return;
    region.dead = true;
    this.size -= region.size;
    const n = region.entry >>> PAGE_SHIFT;
    const off = region.entry & PAGE_OFFSET_MASK;
    const slot = CodePageTable.slotOf(n);
    forgetAt(slot < 0 ? this.pages.get(n) : this.codePages[slot], off, region);
    if (slot >= 0) forgetAt(this.codeTable.parked(slot), off, region);
  }
}

/** The table slot of address `addr` (which must lie in the code table). */
function slotOf(addr: number): number {
  const slot = CodePageTable.slotOf(addr >>> PAGE_SHIFT);
  if (slot < 0) throw new RangeError('code cache: parking outside the code pages');
  return slot;
}

/** Page `p` with nothing compiled and nothing counted. */
function resetPage(p: PageCode): void {
  p.regions.fill(undefined);
  p.covered.fill(0);
  p.notCompilable = 0;
  p.list.length = 0;
  p.hits.fill(0);
}

/** Page `p` (when there is one) no longer enters `region` at offset `off`, nor counts there. */
function forgetAt(p: PageCode | null | undefined, off: number, region: Region): void {
  if (!p) return;
  if (p.regions[off] === region) p.regions[off] = undefined;
  p.hits[off] = 0;
}

/**
 * Count a sample at `off` of `page`; true when that makes the block hot: `threshold` samples
 * within HOT_WINDOW cycles. A rate, not a total: code an idle firmware's timer interrupt runs a
 * hundred times a second reaches any count in the end, and compiling it costs more than
 * interpreting it ever will (AT 2.0.0 idle: 134 regions in 200 s, 4x slower than interpreted),
 * while an RTOS's yield path (80000 times a second) or a busy loop is hot within a millisecond.
 */
function isHot(page: PageCode, off: number, cycles: number, threshold: number): boolean {
  const now = Math.floor(cycles / HOT_WINDOW_UNIT) >>> 0;
  if (page.hits[off] === 0 || (now - page.hitsSince[off]) >>> 0 > HOT_WINDOW_UNITS) {
    page.hits[off] = 1;
    page.hitsSince[off] = now;
    return threshold <= 1;
  }
  return ++page.hits[off] >= threshold;
}

/** Whether `offset` from VECBASE is where an exception or interrupt enters. */
function isVector(offset: number): boolean {
  return (
    offset === VECTOR_USER ||
    offset === VECTOR_KERNEL ||
    offset === VECTOR_DOUBLE ||
    offset === VECTOR_NMI ||
    offset === VECTOR_DEBUG
  );
}

/**
 * Instructions from `pc` up to and including the first that transfers control or that the
 * compiler leaves to the interpreter: where the interpreter hands back to the dispatcher, so a
 * block that turns hot is seen at its start. Only a hint: any length is exact, the interpreter
 * runs whatever it is given.
 */
function basicBlockLength(cpu: XtensaCpu, pc: number): number {
  let n = 0;
  while (n < SCAN_LIMIT) {
    const op = cpu.pageFor(pc >>> PAGE_SHIFT)[(pc & PAGE_OFFSET_MASK) << 2] as Op;
    n++;
    if (op === Op.Undecoded || !isCompilable(op)) break;
    if (endsBlock(op)) return n | ENDS_WITH_JUMP;
    pc += instructionBytes(op);
  }
  return n;
}

/**
 * Interpret for `count` cycles (one per instruction; a native may take more and end it early).
 * True when it ran to that limit, false when the slice ended first or something lowered the
 * slice end (an interrupt, requestStop): only then did it end where the caller asked.
 */
function interpret(cpu: XtensaCpu, count: number): boolean {
  const sliceEnd = cpu.sliceEnd;
  const limit = cpu.cycles + count;
  if (limit >= sliceEnd) {
    execute(cpu);
    return false;
  }
  cpu.sliceEnd = limit;
  execute(cpu);
  // Unless something lowered it meanwhile, the slice goes on.
  if (cpu.sliceEnd !== limit) return false;
  cpu.sliceEnd = sliceEnd;
  return true;
}

/**
 * Execute until `cycles` reaches `sliceEnd`, through compiled regions where they exist: the same
 * contract as execute(), and the same architectural results at every point it returns.
 */
export function runCompiled(cpu: XtensaCpu, cache: CodeCache): void {
  let pageNumber = -1;
  let page: PageCode | null = null;
  // Whether cpu.pc is where a control transfer landed. Only such addresses count towards
  // compiling: a slice that ends mid-block, or an interrupt return, lands anywhere, and a region
  // compiled there would only duplicate one that starts at the block. An exception or interrupt
  // taken between slices (or a region's fault) lands on its vector: a block start, and a hot one
  // where an RTOS yields through the software interrupt tens of thousands of times a second.
  let atBlockStart = isVector(cpu.pc - cpu.sr[SR.VECBASE]);
  // Set after RFE/RFI and the like: they return to wherever the exception hit, mid-block. The
  // interpreter then runs to that block's end only, not a cold stretch, so code that interrupts
  // keep cutting short is back in its regions at once instead of interpreted between them.
  let resumed = false;
  while (cpu.cycles < cpu.sliceEnd) {
    const pc = cpu.pc;
    if (pc >>> PAGE_SHIFT !== pageNumber || page === null) {
      pageNumber = pc >>> PAGE_SHIFT;
      page = cache.page(pageNumber);
    }
    const off = pc & PAGE_OFFSET_MASK;
    let region = page.regions[off];
    if (region === undefined && atBlockStart && isHot(page, off, cpu.cycles, cache.hotThreshold)) {
      region = cache.compile(cpu, page, pc);
    }
    if (region === null) {
      const op = cpu.pageFor(pageNumber)[off << 2];
      if (op !== Op.PollBranch) {
        // Known not compilable here (a native, an RFE, …): the interpreter runs just this basic
        // block, so hot compiled code around it (a ROM division written in TypeScript, called
        // from a loop) is back in its region straight after, not interpreted for a whole cold
        // stretch. A native returns like RET, to a block start; RFE and the like land anywhere.
        const native = op === Op.Native;
        const ranOut = interpret(cpu, basicBlockLength(cpu, pc) & COLD_LENGTH_MASK);
        atBlockStart = ranOut && native;
        resumed = ranOut && !native;
        continue;
      }
      // A poll loop's branch is never compiled, and the loop around it is where fast-forward
      // happens: when it jumps back, the interpreter runs the loop (and what follows) for a cold
      // stretch, as it runs cold code. Only a branch that loops gets that: one shaped like a
      // poll loop can sit in hot code and rarely loop (MicroPython's VM tests for a pending
      // exception so at every backward jump of Python code), and falling through it is back in
      // compiled code.
      if (!interpret(cpu, 1)) continue;
      if (cpu.pc > pc) {
        atBlockStart = true; // fell through: the next block starts here
        continue;
      }
      region = undefined; // it looped: a cold stretch from the loop's head, below
    }
    if (region == null) {
      // Cold: the interpreter runs a long stretch, then on to the end of the basic block it
      // stopped in, so the dispatcher looks again at a block start. Which block start that is,
      // is a sample of where the time goes: hits count samples, not arrivals.
      atBlockStart = false;
      if (resumed) resumed = false;
      else if (!interpret(cpu, cache.coldStretch)) continue; // stopped early (slice end, fault, …)
      const rest = basicBlockLength(cpu, cpu.pc);
      const ranOut = interpret(cpu, rest & COLD_LENGTH_MASK);
      atBlockStart = (rest & ENDS_WITH_JUMP) !== 0 && ranOut;
      continue;
    }
    const c0 = cpu.cycles;
    let n: number;
    try {
      n = region.run();
    } catch (err) {
      // The region left cpu.cycles at the faulting instruction's value and cpu.pc at it.
      cpu.instructions += cpu.cycles - c0;
      if (!(err instanceof MemoryFault)) throw err;
      enterGeneralException(cpu, err.cause, err.vaddr, true);
      return;
    }
    cpu.cycles = c0 + n;
    cpu.instructions += n;
    atBlockStart = true;
    resumed = false; // an RFE that landed in compiled code left nothing for the interpreter
    // Nothing ran: the first block does not fit in what is left of the slice.
    if (n === 0) execute(cpu);
  }
}
