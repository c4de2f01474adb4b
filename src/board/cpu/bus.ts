/**
 * What the CPU core needs from the memory system, and how the memory system reports faults.
 *
 * The core owns the ISA's rules (alignment → LoadStoreAlignment, region-protection attributes);
 * the bus owns the SoC's rules (unmapped addresses, 8/16-bit loads from instruction memory →
 * LoadStoreError, MMIO side effects). A bus reports a fault by throwing the one shared
 * `MemoryFault` object through `memoryFault()`: no allocation, and the core's run loop turns it
 * into an Xtensa exception at the faulting instruction.
 */

export const enum ExcCause {
  IllegalInstruction = 0,
  Syscall = 1,
  InstructionFetchError = 2,
  LoadStoreError = 3,
  Level1Interrupt = 4,
  Alloca = 5,
  IntegerDivideByZero = 6,
  Privileged = 8,
  LoadStoreAlignment = 9,
  InstrPIFDataError = 12,
  LoadStorePIFDataError = 13,
  InstrPIFAddrError = 14,
  LoadStorePIFAddrError = 15,
  InstTLBMiss = 16,
  InstTLBMultiHit = 17,
  InstFetchPrivilege = 18,
  InstFetchProhibited = 20,
  LoadStoreTLBMiss = 24,
  LoadStoreTLBMultiHit = 25,
  LoadStorePrivilege = 26,
  LoadProhibited = 28,
  StoreProhibited = 29,
}

export class MemoryFault {
  cause: number = ExcCause.LoadStorePIFAddrError;
  vaddr = 0;
}

const theFault = new MemoryFault();

/** Set the shared fault object and return it, for `throw memoryFault(cause, addr)`. */
export function memoryFault(cause: number, vaddr: number): MemoryFault {
  theFault.cause = cause;
  theFault.vaddr = vaddr >>> 0;
  return theFault;
}

/**
 * Thrown by a debugger's watching bus (src/board/debug/data-breakpoint.ts) before an access its
 * data breakpoint matches: the loop takes the debug exception with pc at the load or store, which
 * has not run, as the chip raises DBREAK before the access.
 */
export class DataBreak {}
export const dataBreak = new DataBreak();

/**
 * A window of plain RAM: loads and stores of any width at any aligned address inside it only read
 * or write these bytes (no side effects, no faults, the same answer as the bus methods). The
 * block compiler accesses it directly and calls the bus for everything else.
 */
export interface PlainRam {
  readonly base: number;
  readonly size: number;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
}

export interface CpuBus {
  /** Optional: a RAM window the block compiler may access without calling the bus. */
  readonly plainRam?: PlainRam;
  /** Data loads. `addr` is unsigned and already aligned for the width (the core checks). */
  read8(addr: number): number;
  read16(addr: number): number;
  read32(addr: number): number;
  /** Data stores. `value` carries the low 8/16/32 bits that matter. */
  write8(addr: number, value: number): void;
  write16(addr: number, value: number): void;
  write32(addr: number, value: number): void;
  /**
   * Instruction fetch for the decoder: the little-endian 24-bit word at `addr` (any alignment;
   * bytes beyond a region's end read as 0). Throws a fault with an instruction-fetch cause when
   * `addr` is not executable.
   */
  fetch(addr: number): number;
  /**
   * Optional, for poll-loop fast-forward (poll-loop.ts): for how many more CPU cycles a 32-bit
   * (or narrower) load at `addr` is sure to return what it returns now and to have no side
   * effect, provided the core stores nothing and the run slice does not end (alarms fire and
   * host input arrives only between slices). Infinity: until then; 0: no promise (the default).
   */
  stableCycles?(addr: number): number;
  /**
   * Optional, for fast-forwarding timed waits (poll-loop.ts): when the 32-bit word at `addr` is
   * a counter that counts up by one every `period` CPU cycles until the run slice ends, with no
   * side effect on reads (a free-running timer), how it counts from now; else undefined.
   */
  counterClock?(addr: number): CounterClock | undefined;
}

/**
 * A counter read through the bus: its next increment comes `next` cycles from now (1..period),
 * then one every `period` cycles — d cycles from now it reads its value now plus
 * floor((d + period - next) / period).
 */
export interface CounterClock {
  readonly period: number;
  readonly next: number;
}
