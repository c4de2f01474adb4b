/**
 * The debugger's stops on a bare core: which exceptions stop it (fatal ones) and which do not
 * (those firmware handles), BREAK, the one IBREAK, the one DBREAK and what it costs when unset.
 */
import { describe, expect, it } from 'vitest';
import { CODE, DATA, TestProgram, VECBASE } from '../cpu/testing/test-program.ts';
import { movi, rri8, rrr } from '../cpu/testing/encode.ts';
import { PS_EXCM } from '../cpu/special-registers.ts';
import { SR } from '../cpu/special-registers.ts';
import { CpuDebugger, ROM_UNHANDLED_EXCEPTION } from './cpu-debugger.ts';
import { signalForCause } from './gdb-remote.ts';

const ILL = 0x000000;
const breakInsn = (s: number, t: number) => rrr(0, 0, 0, 4, s, t);
const s32i = (at: number, as: number, imm: number) => rri8(2, 6, as, at, imm >> 2);
const l32i = (at: number, as: number, imm: number) => rri8(2, 2, as, at, imm >> 2);
const s8i = (at: number, as: number, imm: number) => rri8(2, 4, as, at, imm);
const NOP = 0x0020f0;
/** `j .`: J with offset −4 (target = pc + 4 + offset). */
const J_SELF = 0x000006 | ((-4 & 0x3ffff) << 6);

function setUp(words: number[], ps?: number) {
  const program = new TestProgram(ps);
  const chip = { cpu: program.cpu, debugStopped: false };
  const dbg = new CpuDebugger(chip);
  const end = program.load(CODE, words);
  // Vectors: each one parks in a loop of its own (`j .`), so where the core went is its pc.
  for (const offset of [0x10, 0x30, 0x50, 0x70]) program.load(VECBASE + offset, [J_SELF]);
  program.cpu.pc = CODE;
  const stops: string[] = [];
  dbg.onStop = (reason) => stops.push(reason);
  return { program, chip, dbg, end, stops, cpu: program.cpu };
}

describe('CpuDebugger', () => {
  it('lets an exception the firmware handles run its vector, and stops on a double exception', () => {
    const { dbg, cpu, stops } = setUp([ILL]);
    dbg.catchFaults(true);
    cpu.run(50);
    expect(stops).toEqual([]); // EXCM was clear: the vector runs, as without a debugger
    expect(cpu.pc).toBe(VECBASE + 0x50);
    expect(cpu.sr[SR.EXCCAUSE]).toBe(0);

    const again = setUp([ILL], PS_EXCM);
    again.dbg.catchFaults(true);
    again.cpu.run(50);
    expect(again.stops).toEqual(['fault']);
    expect(again.chip.debugStopped).toBe(true);
    expect(again.cpu.pc).toBe(VECBASE + 0x70); // after the entry: DEPC holds the faulting pc
    expect(again.cpu.sr[SR.DEPC]).toBe(CODE);
    expect(signalForCause(again.dbg.exceptionCause)).toBe(4); // SIGILL
  });

  it('stops at the ROM unhandled-exception path only while a debugger is attached', () => {
    const { dbg, cpu, stops } = setUp([]);
    dbg.catchFaults(true);
    expect(cpu.hasNative(ROM_UNHANDLED_EXCEPTION)).toBe(true);
    dbg.catchFaults(false);
    expect(cpu.hasNative(ROM_UNHANDLED_EXCEPTION)).toBe(false);
    expect(stops).toEqual([]);
  });

  it('halts at a BREAK instead of taking the debug vector, and goes on past it', () => {
    const { dbg, cpu, stops, chip } = setUp([breakInsn(1, 1), movi(2, 5)]);
    dbg.catchFaults(true);
    cpu.run(50);
    expect(stops).toEqual(['break-instruction']);
    expect(cpu.pc).toBe(CODE);
    dbg.step();
    expect(cpu.pc).toBe(CODE + 3);
    expect(chip.debugStopped).toBe(true);
    dbg.step();
    expect(cpu.regs[2]).toBe(5);

    const bare = setUp([breakInsn(1, 1)]);
    bare.cpu.run(20);
    expect(bare.cpu.pc).toBe(VECBASE + 0x10); // no debugger: the debug vector, as on the chip
    expect(bare.stops).toEqual([]);
  });

  it('has one IBREAK: a second hardware breakpoint is refused', () => {
    const { dbg, cpu, stops } = setUp([NOP, NOP, NOP]);
    expect(dbg.setHardwareBreakpoint(CODE + 6)).toBe(true);
    expect(dbg.setHardwareBreakpoint(CODE + 3)).toBe(false);
    expect(cpu.readSpecial(SR.IBREAKA0)).toBe(CODE + 6);
    expect(cpu.readSpecial(SR.IBREAKENABLE)).toBe(1);
    cpu.run(50);
    expect(stops).toEqual(['hw-breakpoint']);
    expect(cpu.pc).toBe(CODE + 6);
    dbg.clearHardwareBreakpoint(CODE + 6);
    expect(cpu.readSpecial(SR.IBREAKENABLE)).toBe(0);
    expect(dbg.setHardwareBreakpoint(CODE + 3)).toBe(true);
  });

  it('has one DBREAK: stops before the access it watches, as the chip, and costs nothing once cleared', () => {
    const words = [
      movi(3, 0x55),
      l32i(4, 2, 8), // a load of the watched word: not a write
      s8i(3, 2, 9), // a byte store into it
      s32i(3, 2, 16), // past it
      s8i(3, 2, 10), // into it again
    ];
    const { dbg, cpu, stops, chip } = setUp(words);
    cpu.regs[2] = DATA;
    const boardBus = cpu.bus;
    cpu.blockCompiler = true;
    expect(dbg.setWatchpoint('write', DATA + 8, 3)).toBe(false); // not a power of two
    expect(dbg.setWatchpoint('write', DATA + 8, 128)).toBe(false); // more than MASK covers
    expect(dbg.setWatchpoint('write', DATA + 10, 4)).toBe(false); // not on its own alignment
    expect(dbg.setWatchpoint('write', DATA + 8, 4)).toBe(true);
    expect(dbg.setWatchpoint('read', DATA + 32, 4)).toBe(false); // in use
    expect(cpu.readSpecial(SR.DBREAKA0)).toBe(DATA + 8);
    expect(cpu.readSpecial(SR.DBREAKC0)).toBe(0x8000003c); // store, 4 bytes
    expect(cpu.bus).not.toBe(boardBus);
    expect(cpu.blockCompiler).toBe(false);
    const instructions = cpu.instructions;
    cpu.run(100);
    expect(stops).toEqual(['watchpoint']);
    expect(dbg.watchStop).toEqual({ kind: 'write', address: DATA + 9 });
    expect(cpu.pc).toBe(CODE + 6); // at the store, which has not run
    expect(cpu.instructions - instructions).toBe(2);
    expect(cpu.bus.read8(DATA + 9)).toBe(0);
    // Stepping runs the store (the watchpoint lifted for it) and stops after it.
    dbg.step();
    expect(cpu.pc).toBe(CODE + 9);
    expect(cpu.bus.read8(DATA + 9)).toBe(0x55);
    expect(dbg.stopReason).toBe('step');
    // Continuing from a stop before the access runs it once, then stops at the next one.
    const again = setUp(words);
    again.cpu.regs[2] = DATA;
    again.dbg.setWatchpoint('write', DATA + 8, 4);
    again.cpu.run(100);
    again.dbg.resume();
    again.cpu.run(100);
    expect(again.stops).toEqual(['watchpoint', 'watchpoint']);
    expect(again.cpu.pc).toBe(CODE + 12);
    expect(again.dbg.watchStop).toEqual({ kind: 'write', address: DATA + 10 });
    expect(again.cpu.bus.read8(DATA + 9)).toBe(0x55);
    expect(again.cpu.bus.read8(DATA + 10)).toBe(0);

    dbg.clearWatchpoint('write', DATA + 8, 4);
    expect(cpu.bus).toBe(boardBus);
    expect(cpu.blockCompiler).toBe(true);
    expect(cpu.readSpecial(SR.DBREAKC0)).toBe(0);
    dbg.resume();
    expect(chip.debugStopped).toBe(false);

    const reads = setUp(words);
    reads.cpu.regs[2] = DATA;
    reads.cpu.regs[4] = 0x1111;
    reads.program.cpu.bus.write32(DATA + 8, 0x12345678);
    expect(reads.dbg.setWatchpoint('read', DATA + 8, 8)).toBe(true);
    reads.cpu.run(100);
    expect(reads.stops).toEqual(['watchpoint']);
    expect(reads.dbg.watchStop).toEqual({ kind: 'read', address: DATA + 8 });
    expect(reads.cpu.pc).toBe(CODE + 3); // at the load
    expect(reads.cpu.regs[4]).toBe(0x1111); // not loaded yet
    reads.dbg.step();
    expect(reads.cpu.regs[4]).toBe(0x12345678);
  });

  it('lets a watched access at PS.INTLEVEL >= 2 go ahead, as DBREAK is masked there on the chip', () => {
    const { dbg, cpu, stops } = setUp([movi(3, 1), s32i(3, 2, 0), s32i(3, 2, 4)], 3);
    cpu.regs[2] = DATA;
    dbg.setWatchpoint('write', DATA, 8);
    cpu.run(20);
    expect(stops).toEqual([]);
    expect(cpu.bus.read32(DATA)).toBe(1);
    expect(cpu.bus.read32(DATA + 4)).toBe(1);
  });

  it('names each fault as Unix would', () => {
    expect(signalForCause(0)).toBe(4); // IllegalInstruction: SIGILL
    expect(signalForCause(6)).toBe(8); // IntegerDivideByZero: SIGFPE
    expect(signalForCause(9)).toBe(10); // LoadStoreAlignment: SIGBUS
    expect(signalForCause(3)).toBe(11); // LoadStoreError: SIGSEGV
    expect(signalForCause(28)).toBe(11); // LoadProhibited
    expect(signalForCause(29)).toBe(11); // StoreProhibited
    expect(signalForCause(20)).toBe(11); // InstFetchProhibited
  });
});
