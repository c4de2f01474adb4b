/**
 * Run control for a debugger (the GDB stub, src/board/debug/gdb-remote.ts): stop, continue,
 * single-step, software breakpoints, registers and memory of the ESP8266's LX106 core.
 *
 * A breakpoint is a native function at its address (XtensaCpu.registerNative: execution
 * reaching it calls the function instead of the instruction), so the run loop pays nothing for
 * breakpoints it never reaches and nothing at all when none is set. Hitting one stops the CPU
 * before the instruction; continuing or stepping from it runs the real instruction once with
 * the breakpoint lifted. While stopped the whole board stands still (Esp8266.debugStopped).
 */

import type { XtensaCpu } from '../cpu/cpu.ts';
import type { Esp8266 } from '../esp8266.ts';

export type StopReason = 'breakpoint' | 'step' | 'interrupt';

export class CpuDebugger {
  private readonly cpu: XtensaCpu;
  private readonly breakpoints = new Set<number>();
  /** Told when the CPU stops by itself (a breakpoint hit while running). */
  onStop: ((reason: StopReason) => void) | null = null;
  private reason: StopReason = 'interrupt';

  constructor(private readonly soc: Esp8266) {
    this.cpu = soc.cpu;
  }

  get stopped(): boolean {
    return this.soc.debugStopped;
  }

  get stopReason(): StopReason {
    return this.reason;
  }

  /** Stop at the next instruction boundary (GDB's Ctrl-C). */
  interrupt(): void {
    this.stop('interrupt');
    this.cpu.requestStop();
  }

  /** Let the board run again (from a breakpoint: its instruction first). */
  resume(): void {
    if (!this.stopped) return;
    if (this.breakpoints.has(this.cpu.pc >>> 0)) this.stepOnce();
    this.soc.debugStopped = false;
  }

  /** One instruction (or one exception/interrupt entry), then stopped again. */
  step(): void {
    this.stepOnce();
    this.stop('step');
  }

  /** False when the address already runs a native (a ROM function written in TypeScript). */
  setBreakpoint(addr: number): boolean {
    addr >>>= 0;
    if (this.breakpoints.has(addr)) return true;
    if (this.cpu.hasNative(addr)) return false;
    this.breakpoints.add(addr);
    this.cpu.registerNative(addr, (cpu) => {
      cpu.cycles--; // the stop takes no time: the instruction has not run
      this.stop('breakpoint');
      cpu.requestStop();
      this.onStop?.('breakpoint');
    });
    return true;
  }

  clearBreakpoint(addr: number): void {
    addr >>>= 0;
    if (!this.breakpoints.delete(addr)) return;
    this.cpu.unregisterNative(addr);
  }

  clearAll(): void {
    for (const addr of [...this.breakpoints]) this.clearBreakpoint(addr);
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
      return (this.cpu.bus.read32(addr & ~3) >>> ((addr & 3) * 8)) & 0xff;
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
      const old = this.cpu.bus.read32(word);
      this.cpu.bus.write32(word, ((old & ~(0xff << shift)) | ((value & 0xff) << shift)) >>> 0);
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

  private stepOnce(): void {
    const at = this.cpu.pc >>> 0;
    const lifted = this.breakpoints.has(at);
    if (lifted) this.cpu.unregisterNative(at);
    try {
      this.cpu.step();
    } finally {
      if (lifted) this.setBreakpointNative(at);
    }
  }

  private setBreakpointNative(addr: number): void {
    this.breakpoints.delete(addr);
    this.setBreakpoint(addr);
  }
}
