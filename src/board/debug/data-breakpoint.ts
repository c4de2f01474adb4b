/**
 * The LX106's data breakpoint (DBREAK): one pair DBREAKA0/DBREAKC0 (the core has one, core-isa.h
 * XCHAL_NUM_DBREAK = 1). DBREAKC0 bits 31 and 30 ask for stores and loads; its MASK (bits 5:0)
 * says which low address bits take part in the compare, so a watched block is a power of two of
 * 1..64 bytes on its own alignment: 0x3f watches one byte, 0x3c four, 0x00 sixty-four.
 *
 * The emulator checks it in a bus put in front of the board's while a watchpoint is set
 * (XtensaCpu.bus), so loads and stores pay nothing when none is. As on the chip, a load or store
 * it matches does not happen: the bus throws `dataBreak` before it, and the core takes the debug
 * exception with pc at the instruction. That is what the Xtensa GDB expects of a target: its
 * watchpoints are "non-steppable" (xtensa-tdep.c, set_gdbarch_have_nonsteppable_watchpoint), so
 * on a watchpoint stop it removes the watchpoint, single-steps the access and compares the value.
 * Accesses made by natives (ROM functions written in TypeScript) belong to no instruction: they
 * complete, and the core stops when the native returns. Like every debug exception, DBREAK is
 * masked while PS.INTLEVEL >= DEBUGLEVEL (2): in the NMI handler (level 3) and code that raised
 * its level that far, watched accesses go ahead unreported, as on the chip.
 */

import { dataBreak, type CpuBus } from '../cpu/bus.ts';
import { DEBUG_LEVEL } from '../cpu/exceptions.ts';
import { PS_INTLEVEL } from '../cpu/special-registers.ts';

export const DBREAKC_STORE = 0x80000000;
export const DBREAKC_LOAD = 0x40000000;
const DBREAKC_MASK = 0x3f;
export const DBREAK_MAX_BYTES = 64;

export type WatchKind = 'write' | 'read' | 'access';

/** DBREAKC0 for a watch of `length` bytes (a power of two up to 64), or null when it has none. */
export function dbreakControl(kind: WatchKind, length: number): number | null {
  if (length < 1 || length > DBREAK_MAX_BYTES || (length & (length - 1)) !== 0) return null;
  const access =
    kind === 'write'
      ? DBREAKC_STORE
      : kind === 'read'
        ? DBREAKC_LOAD
        : DBREAKC_STORE | DBREAKC_LOAD;
  return (access | (DBREAKC_MASK & ~(length - 1))) >>> 0;
}

/** The block DBREAKA0/DBREAKC0 watch: [base, base + length). */
export function watchedBlock(dbreaka: number, dbreakc: number): { base: number; length: number } {
  const ignored = DBREAKC_MASK & ~dbreakc;
  return { base: (dbreaka & ~ignored) >>> 0, length: ignored + 1 };
}

/** A hit: the first watched byte the access touched, and whether it was a store. */
export interface WatchHit {
  address: number;
  store: boolean;
}

/** What the bus asks of the core: its interrupt level, and whether a native is running. */
export interface WatchedCore {
  readonly ps: number;
  readonly nativeRunning: boolean;
}

/**
 * The board's bus with the data breakpoint in front: an instruction's matching access throws
 * `dataBreak` before it happens; a native's goes ahead. Either way `onHit` hears of it first.
 */
export class WatchingBus implements CpuBus {
  private readonly base: number;
  private readonly end: number;
  private readonly loads: boolean;
  private readonly stores: boolean;

  constructor(
    private readonly inner: CpuBus,
    private readonly core: WatchedCore,
    dbreaka: number,
    dbreakc: number,
    /** Told of every matching access; `completed`: a native's, which went ahead. */
    private readonly onHit: (hit: WatchHit, completed: boolean) => void,
  ) {
    const { base, length } = watchedBlock(dbreaka, dbreakc);
    this.base = base;
    this.end = base + length;
    this.loads = (dbreakc & DBREAKC_LOAD) !== 0;
    this.stores = (dbreakc & DBREAKC_STORE) !== 0;
  }

  private check(addr: number, width: number, store: boolean): void {
    if (store ? !this.stores : !this.loads) return;
    if (addr >= this.end || addr + width <= this.base) return;
    if ((this.core.ps & PS_INTLEVEL) >= DEBUG_LEVEL) return;
    const completed = this.core.nativeRunning;
    this.onHit({ address: Math.max(addr, this.base), store }, completed);
    if (!completed) throw dataBreak;
  }

  read8(addr: number): number {
    this.check(addr, 1, false);
    return this.inner.read8(addr);
  }
  read16(addr: number): number {
    this.check(addr, 2, false);
    return this.inner.read16(addr);
  }
  read32(addr: number): number {
    this.check(addr, 4, false);
    return this.inner.read32(addr);
  }
  write8(addr: number, value: number): void {
    this.check(addr, 1, true);
    this.inner.write8(addr, value);
  }
  write16(addr: number, value: number): void {
    this.check(addr, 2, true);
    this.inner.write16(addr, value);
  }
  write32(addr: number, value: number): void {
    this.check(addr, 4, true);
    this.inner.write32(addr, value);
  }
  fetch(addr: number): number {
    return this.inner.fetch(addr);
  }
  // No plainRam and no stableCycles: the block compiler is off while watching, and poll-loop
  // fast-forward (which would skip the loop's loads) gets no promise, so every access is seen.
}
