/**
 * Run control for a debugger (the GDB stub, src/board/debug/gdb-remote.ts): stop, continue,
 * single-step, breakpoints, a watchpoint, fault stops, registers and memory of the ESP8266's
 * LX106 core.
 *
 * A breakpoint is a native function at its address (XtensaCpu.registerNative: execution
 * reaching it calls the function instead of the instruction), so the run loop pays nothing for
 * breakpoints it never reaches and nothing at all when none is set. Hitting one stops the CPU
 * before the instruction; continuing or stepping from it runs the real instruction once with
 * the breakpoint lifted. While stopped the whole board stands still (Esp8266.debugStopped).
 *
 * Faults: a fault firmware handles on purpose (an IRAM byte load's LoadStoreError, an unaligned
 * access the SDK fixes up, a level-1 interrupt, an alloca/window exception, SYSCALL) runs its
 * handler as on a chip without a debugger. The stop comes where a fault is known to be fatal:
 * a double exception (exception entry with PS.EXCM set), and the ROM's two fatal paths, found at
 * the mask ROM's fixed addresses (firmware/rom/rom-symbols.txt): `_xtos_unhandled_exception`,
 * where the user-exception dispatcher lands when the handler table has nothing for the cause, and
 * `rom_fatal_exception_handler`, the "Fatal exception (N)" printer the ROM installs for causes
 * 0, 2, 3, 8, 28 and 29 until the firmware installs its own. `addFaultTrap` adds further fatal
 * paths by address; the SDK's and Arduino's crash reporters are not among them (their names are
 * only in the ELF, and they also run for deliberate restarts: docs/tools.md, "Faults as
 * signals"). A BREAK instruction stops as a debug exception would halt
 * the core in on-chip debug mode. Fault traps are natives too, so none of this costs anything
 * until a fault happens.
 *
 * Hardware resources are those of the LX106 (one IBREAK, one DBREAK): `setHardwareBreakpoint`
 * and `setWatchpoint` program IBREAKA0/IBREAKENABLE and DBREAKA0/DBREAKC0 as a probe would.
 */

import type { CpuBus } from '../cpu/bus.ts';
import type { XtensaCpu } from '../cpu/cpu.ts';
import { DEBUGCAUSE_DBREAK, type DebugHook } from '../cpu/exceptions.ts';
import { SR } from '../cpu/special-registers.ts';
import { dbreakControl, WatchingBus, type WatchHit, type WatchKind } from './data-breakpoint.ts';

export type StopReason =
  | 'breakpoint'
  | 'hw-breakpoint'
  | 'step'
  | 'interrupt'
  | 'fault'
  | 'break-instruction'
  | 'watchpoint';

/** The mask ROM's fatal-exception entry points (fixed addresses; rom-symbols.txt). */
export const ROM_UNHANDLED_EXCEPTION = 0x4000dc44;
export const ROM_FATAL_EXCEPTION_HANDLER = 0x40001878;

/** The watchpoint the core stopped on (stopReason 'watchpoint'). */
export interface WatchStop {
  kind: WatchKind;
  /** The first watched byte the access touched. */
  address: number;
}

/** What the debugger controls: the core, and the board's "a debugger holds me" flag (Esp8266). */
export interface DebuggableChip {
  readonly cpu: XtensaCpu;
  /** While true the board's clock stands still and the core runs nothing. */
  debugStopped: boolean;
}

export class CpuDebugger {
  private readonly cpu: XtensaCpu;
  /** The board's own bus: the debugger's reads and writes never trip the watchpoint. */
  private readonly boardBus: CpuBus;
  private readonly breakpoints = new Set<number>();
  private hardwareBreakpoint: number | null = null;
  private readonly faultTraps = new Set<number>();
  private watch: { kind: WatchKind; address: number; length: number; compiled: boolean } | null =
    null;
  private lastWatchStop: WatchStop | null = null;
  /** The load or store a watchpoint stopped before (it has not run), else null. */
  private watchedAccessAt: number | null = null;
  /** Told when the CPU stops by itself (a breakpoint, fault or watchpoint while running). */
  onStop: ((reason: StopReason) => void) | null = null;
  private reason: StopReason = 'interrupt';
  /** Whether faults and BREAK stop the core (catchFaults). */
  private catching = false;
  private readonly hook: DebugHook = {
    doubleException: () => {
      if (this.catching) this.stopRunning('fault');
    },
    debugException: (debugCause) => {
      if (debugCause & DEBUGCAUSE_DBREAK) {
        this.watchedAccessAt = this.cpu.pc >>> 0;
        this.stopRunning('watchpoint');
        return true;
      }
      if (!this.catching) return false;
      this.stopRunning('break-instruction');
      return true;
    },
  };

  constructor(private readonly soc: DebuggableChip) {
    this.cpu = soc.cpu;
    this.boardBus = soc.cpu.bus;
  }

  get stopped(): boolean {
    return this.soc.debugStopped;
  }

  get stopReason(): StopReason {
    return this.reason;
  }

  /** EXCCAUSE as it is now: the fault behind a 'fault' stop. */
  get exceptionCause(): number {
    return this.cpu.sr[SR.EXCCAUSE];
  }

  get watchStop(): WatchStop | null {
    return this.reason === 'watchpoint' ? this.lastWatchStop : null;
  }

  /**
   * A debugger is attached: faults at the ROM's fatal paths, double exceptions and BREAK
   * instructions stop the core (see the file comment). Off: they run as without a debugger.
   */
  catchFaults(on: boolean): void {
    this.catching = on;
    this.updateHook();
    for (const addr of [ROM_UNHANDLED_EXCEPTION, ROM_FATAL_EXCEPTION_HANDLER]) {
      if (on) this.addFaultTrap(addr);
      else this.removeFaultTrap(addr);
    }
  }

  /** Stop when execution reaches `addr`, a fatal-exception path of the firmware. */
  addFaultTrap(addr: number): boolean {
    return this.addStop(this.faultTraps, addr);
  }

  removeFaultTrap(addr: number): void {
    this.removeStop(this.faultTraps, addr);
  }

  /** Stop at the next instruction boundary (GDB's Ctrl-C). */
  interrupt(): void {
    this.stop('interrupt');
    this.cpu.requestStop();
  }

  /** Let the board run again (from a breakpoint: its instruction first). */
  resume(): void {
    if (!this.stopped) return;
    if (this.reason === 'break-instruction') this.skipBreakInstruction();
    else if (this.liftsOnStep() && this.stepOnce()) return; // stopped again at once
    this.soc.debugStopped = false;
  }

  /** One instruction (or one exception/interrupt entry), then stopped again. */
  step(): void {
    if (this.reason === 'break-instruction' && this.stopped) {
      this.skipBreakInstruction();
      this.stop('step');
      return;
    }
    // A step that lands in a fatal path or trips the watchpoint stops with that reason.
    if (!this.stepOnce()) this.stop('step');
  }

  /**
   * A software breakpoint (GDB's Z0); false when the address already runs a native (a ROM
   * function written in TypeScript).
   */
  setBreakpoint(addr: number): boolean {
    return this.addStop(this.breakpoints, addr);
  }

  clearBreakpoint(addr: number): void {
    this.removeStop(this.breakpoints, addr);
  }

  /**
   * Adds `addr` to one of the sets of addresses the core stops at (breakpoints, fault traps);
   * false when a native (a ROM function written in TypeScript) already runs there.
   */
  private addStop(set: Set<number>, addr: number): boolean {
    addr >>>= 0;
    if (set.has(addr)) return true;
    if (!this.stopsAt(addr) && this.cpu.hasNative(addr)) return false;
    set.add(addr);
    this.refreshNative(addr);
    return true;
  }

  private removeStop(set: Set<number>, addr: number): void {
    addr >>>= 0;
    if (set.delete(addr)) this.refreshNative(addr);
  }

  /** The IBREAK (GDB's Z1): IBREAKA0 and IBREAKENABLE bit 0. False when it is in use elsewhere. */
  setHardwareBreakpoint(addr: number): boolean {
    addr >>>= 0;
    if (this.hardwareBreakpoint === addr) return true;
    if (this.hardwareBreakpoint !== null) return false;
    if (!this.stopsAt(addr) && this.cpu.hasNative(addr)) return false;
    this.hardwareBreakpoint = addr;
    this.cpu.writeSpecial(SR.IBREAKA0, addr);
    this.cpu.writeSpecial(SR.IBREAKENABLE, 1);
    this.refreshNative(addr);
    return true;
  }

  clearHardwareBreakpoint(addr: number): void {
    addr >>>= 0;
    if (this.hardwareBreakpoint !== addr) return;
    this.hardwareBreakpoint = null;
    this.cpu.writeSpecial(SR.IBREAKENABLE, 0);
    this.refreshNative(addr);
  }

  /**
   * The DBREAK (GDB's Z2/Z3/Z4): `length` bytes at `addr`, a power of two up to 64 on its own
   * alignment. False when it does not fit the hardware or is in use for another block.
   */
  setWatchpoint(kind: WatchKind, addr: number, length: number): boolean {
    addr >>>= 0;
    const control = dbreakControl(kind, length);
    if (control === null || addr % length !== 0) return false;
    const w = this.watch;
    if (w) return w.kind === kind && w.address === addr && w.length === length;
    this.cpu.writeSpecial(SR.DBREAKA0, addr);
    this.cpu.writeSpecial(SR.DBREAKC0, control);
    this.watch = { kind, address: addr, length, compiled: this.cpu.blockCompiler };
    // Compiled blocks reach RAM without the bus; the interpreter runs while a watch is set.
    this.cpu.blockCompiler = false;
    this.cpu.bus = new WatchingBus(this.boardBus, this.cpu, addr, control, (hit, completed) =>
      this.watchHit(kind, hit, completed),
    );
    this.updateHook();
    return true;
  }

  clearWatchpoint(kind: WatchKind, addr: number, length: number): void {
    const w = this.watch;
    if (!w || w.kind !== kind || w.address !== addr >>> 0 || w.length !== length) return;
    this.removeWatch();
  }

  clearAll(): void {
    for (const addr of [...this.breakpoints]) this.clearBreakpoint(addr);
    if (this.hardwareBreakpoint !== null) this.clearHardwareBreakpoint(this.hardwareBreakpoint);
    if (this.watch) this.removeWatch();
  }

  get pc(): number {
    return this.cpu.pc >>> 0;
  }
  set pc(value: number) {
    this.cpu.pc = value >>> 0;
  }

  /** a0..a15. */
  readonly ar = (n: number): number => this.cpu.regs[n] >>> 0;
  setAr(n: number, value: number): void {
    this.cpu.regs[n] = value >>> 0;
  }

  readSpecial(sr: number): number {
    return this.cpu.readSpecial(sr) >>> 0;
  }
  writeSpecial(sr: number, value: number): void {
    this.cpu.writeSpecial(sr, value);
  }

  /**
   * A byte of memory, read as the aligned word holding it (IRAM and the flash cache only answer
   * 32-bit loads on the chip; GDB stubs on the ESP8266 read that way too). Null where nothing
   * answers (the load faults).
   */
  readByte(addr: number): number | null {
    addr >>>= 0;
    try {
      return (this.boardBus.read32(addr & ~3) >>> ((addr & 3) * 8)) & 0xff;
    } catch {
      return null;
    }
  }

  /** A byte written as a read-modify-write of its aligned word; false where that faults. */
  writeByte(addr: number, value: number): boolean {
    addr >>>= 0;
    const word = addr & ~3;
    const shift = (addr & 3) * 8;
    try {
      const old = this.boardBus.read32(word);
      this.boardBus.write32(word, ((old & ~(0xff << shift)) | ((value & 0xff) << shift)) >>> 0);
      this.cpu.invalidateCode(addr, 1); // code the debugger patched runs as patched
      return true;
    } catch {
      return false;
    }
  }

  private stop(reason: StopReason): void {
    this.reason = reason;
    this.soc.debugStopped = true;
  }

  /** Set when a stop happens during `stepOnce`. */
  private stoppedInStep = false;

  /** A stop the running core ran into: end the slice, tell the stub. */
  private stopRunning(reason: StopReason): void {
    this.stop(reason);
    this.stoppedInStep = true;
    this.cpu.requestStop();
    this.onStop?.(reason);
  }

  /**
   * An instruction's access stops through the debug exception it raises (the hook above), before
   * the access; a native's has happened, and the core stops when the native returns.
   */
  private watchHit(kind: WatchKind, hit: WatchHit, completed: boolean): void {
    if (this.reason === 'watchpoint' && this.soc.debugStopped) return; // one stop per native
    this.lastWatchStop = { kind, address: hit.address };
    this.watchedAccessAt = null;
    if (completed) this.stopRunning('watchpoint');
  }

  private removeWatch(): void {
    const w = this.watch!;
    this.watch = null;
    this.cpu.bus = this.boardBus;
    this.cpu.blockCompiler = w.compiled;
    this.cpu.writeSpecial(SR.DBREAKC0, 0);
    this.updateHook();
  }

  /** Exception entry tells us of faults and BREAK while catching them, and of the watchpoint. */
  private updateHook(): void {
    this.cpu.debugHook = this.catching || this.watch ? this.hook : null;
  }

  private stopsAt(addr: number): boolean {
    return (
      this.breakpoints.has(addr) || this.hardwareBreakpoint === addr || this.faultTraps.has(addr)
    );
  }

  /** Install or remove the native at `addr` to match the breakpoints and traps there. */
  private refreshNative(addr: number): void {
    if (!this.stopsAt(addr)) {
      this.cpu.unregisterNative(addr);
      return;
    }
    this.cpu.registerNative(addr, (cpu) => {
      cpu.cycles--; // the stop takes no time: the instruction has not run
      const reason = this.faultTraps.has(addr)
        ? 'fault'
        : this.breakpoints.has(addr)
          ? 'breakpoint'
          : 'hw-breakpoint';
      this.stopRunning(reason);
    });
  }

  /** Past the BREAK (3 bytes) or BREAK.N (2 bytes, a density opcode) the core halted on. */
  private skipBreakInstruction(): void {
    const op0 = (this.readByte(this.cpu.pc) ?? 0) & 0xf;
    this.cpu.pc = (this.cpu.pc + (op0 >= 8 ? 2 : 3)) >>> 0;
  }

  /** Whether the instruction at pc runs with a stop of ours lifted: a breakpoint, the watchpoint. */
  private liftsOnStep(): boolean {
    return this.stopsAt(this.cpu.pc >>> 0) || this.atWatchedAccess();
  }

  /** Stopped by the watchpoint before the access, pc still there: that access runs unwatched. */
  private atWatchedAccess(): boolean {
    return (
      this.reason === 'watchpoint' && this.stopped && this.watchedAccessAt === this.cpu.pc >>> 0
    );
  }

  /**
   * One instruction with any native of ours at pc lifted, and the watchpoint too when the core
   * stopped before this very access; true when it ran into a stop.
   */
  private stepOnce(): boolean {
    const unwatched = this.atWatchedAccess();
    this.reason = 'step';
    this.stoppedInStep = false;
    const at = this.cpu.pc >>> 0;
    const lifted = this.stopsAt(at);
    if (lifted) this.cpu.unregisterNative(at);
    const bus = this.cpu.bus;
    if (unwatched) this.cpu.bus = this.boardBus;
    try {
      this.cpu.step();
    } finally {
      if (lifted) this.refreshNative(at);
      this.cpu.bus = bus;
    }
    return this.stoppedInStep;
  }
}
