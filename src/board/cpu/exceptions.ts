/**
 * XEA2 exception and interrupt entry for the lx106 configuration.
 *
 * General exceptions (and level-1 interrupts, cause 4): with PS.EXCM = 0 the PC goes to EPC1,
 * EXCCAUSE is set, PS.EXCM becomes 1 and execution continues at the kernel vector (PS.UM = 0) or
 * the user vector (PS.UM = 1). With PS.EXCM = 1 it is a double exception: the PC goes to DEPC,
 * EXCCAUSE is still updated, PS is unchanged and execution continues at the double vector.
 * High-priority entries (debug = level 2, NMI = level 3) save PC/PS in EPCn/EPSn and set
 * PS.INTLEVEL = n, PS.EXCM = 1.
 */
import { PS_EXCM, PS_INTLEVEL, PS_UM, SR } from './special-registers.ts';

/** Vector offsets from VECBASE. */
export const VECTOR_DEBUG = 0x10;
export const VECTOR_NMI = 0x20;
export const VECTOR_KERNEL = 0x30;
export const VECTOR_USER = 0x50;
export const VECTOR_DOUBLE = 0x70;

export const EXCM_LEVEL = 1;
export const DEBUG_LEVEL = 2;
/** DEBUGCAUSE.DBREAK: a data breakpoint (BREAK and BREAK.N's bits are in decode.ts). */
export const DEBUGCAUSE_DBREAK = 0x04;
export const NMI_LEVEL = 3;

/** Interrupt numbers and masks (INTERRUPT / INTENABLE bits). */
export const LEVEL_LINES_MASK = 0x003f; // 0..5: external, level-triggered
export const TIMER0_BIT = 0x0040; // 6: CCOMPARE0
export const SOFTWARE_BIT = 0x0080; // 7: INTSET/INTCLEAR
export const EDGE_MASK = 0x3f00; // 8..13: external, edge-triggered
export const NMI_BIT = 0x4000; // 14: level 3, not maskable
export const LEVEL1_MASK = 0x3fff;
export const TIMER0_INTERRUPT = 6;
export const NMI_INTERRUPT = 14;

/**
 * What an attached debugger hears from exception entry (src/board/debug/cpu-debugger.ts). Only
 * exception entry looks at it, never the run loop, so it costs nothing while code runs.
 */
export interface DebugHook {
  /** A general exception arrived with PS.EXCM set: the core is now at the double vector. */
  doubleException(): void;
  /**
   * A debug exception (BREAK, BREAK.N, DBREAK) is due. True: the debugger takes it, as on-chip
   * debug halt mode does (the core halts at the instruction; the vector is not entered).
   */
  debugException(debugCause: number): boolean;
}

/** The CPU state exception entry touches. */
export interface ExceptionState {
  pc: number;
  ps: number;
  halted: boolean;
  readonly sr: Uint32Array;
  debugHook?: DebugHook | null;
}

/** A general exception (cause ≠ 4 from an instruction, or cause 4 for a level-1 interrupt). */
export function enterGeneralException(
  cpu: ExceptionState,
  cause: number,
  vaddr: number,
  setsVaddr: boolean,
): void {
  const sr = cpu.sr;
  sr[SR.EXCCAUSE] = cause;
  if (setsVaddr) sr[SR.EXCVADDR] = vaddr;
  const vecbase = sr[SR.VECBASE];
  const double = (cpu.ps & PS_EXCM) !== 0;
  if (double) {
    sr[SR.DEPC] = cpu.pc;
    cpu.pc = (vecbase + VECTOR_DOUBLE) >>> 0;
  } else {
    sr[SR.EPC1] = cpu.pc;
    const vector = cpu.ps & PS_UM ? VECTOR_USER : VECTOR_KERNEL;
    cpu.ps |= PS_EXCM;
    cpu.pc = (vecbase + vector) >>> 0;
  }
  cpu.halted = false;
  if (double) cpu.debugHook?.doubleException();
}

/** Entry at a high-priority level (2 = debug, 3 = NMI) through its vector. */
export function enterHighPriority(cpu: ExceptionState, level: number, vectorOffset: number): void {
  const sr = cpu.sr;
  sr[SR.EPC1 + level - 1] = cpu.pc;
  sr[SR.EPS2 + level - 2] = cpu.ps;
  cpu.ps = (cpu.ps & ~PS_INTLEVEL) | PS_EXCM | level;
  cpu.pc = (sr[SR.VECBASE] + vectorOffset) >>> 0;
  cpu.halted = false;
}

/** A debug exception (BREAK, BREAK.N, DBREAK) with its DEBUGCAUSE bit. */
export function enterDebugException(cpu: ExceptionState, debugCause: number): void {
  if (cpu.debugHook?.debugException(debugCause)) return;
  cpu.sr[SR.DEBUGCAUSE] = debugCause;
  enterHighPriority(cpu, DEBUG_LEVEL, VECTOR_DEBUG);
}

/** The level interrupts are currently masked at: max(PS.INTLEVEL, PS.EXCM ? EXCM_LEVEL : 0). */
export function currentInterruptLevel(ps: number): number {
  const intlevel = ps & PS_INTLEVEL;
  return ps & PS_EXCM && intlevel < EXCM_LEVEL ? EXCM_LEVEL : intlevel;
}
