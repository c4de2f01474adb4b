/**
 * The flash window as the ROM's flash routines use it: Cache_Read_Disable, erase/program through
 * SPI0, Cache_Read_Enable at the same mapping. What the chip does: while the cache is off a fetch
 * from the window faults (InstructionFetchError, 2); once it is on again the window runs what the
 * flash holds at the mapping then — the code as it was, or what a write meanwhile put there.
 *
 * What the emulator must do besides (esp8266-bus.ts remapFlashWindow, cpu.ts parkCode): keep the
 * window's decoded and compiled code while the cache is off, so that code which comes back
 * unchanged is neither decoded nor compiled again (counted by watching the core decode and the
 * code cache compile at window addresses).
 */
import { describe, expect, it, vi } from 'vitest';
import { Esp8266 } from '../../src/board/esp8266.ts';
import { SR } from '../../src/board/cpu/special-registers.ts';
import { StateReader } from '../../src/board/snapshot/state.ts';
import * as x from '../../src/board/cpu/testing/encode.ts';

const FLASH_SIZE = 4 << 20;
/** The function under test: flash 0x10000 through mapping 0, 0x110000 through mapping 1. */
const FN_OFFSET = 0x10000;
const FN = 0x40200000 + FN_OFFSET;
/** Another function, on another 4 KB page: returns 11. */
const FN2 = FN + 0x2000;
const HARNESS = 0x40100000;
const VECBASE = 0x40100400;

/** `movi a2, value; ret`, padded to a word with a nop.n. */
function returns(value: number): Uint8Array {
  return x.toBytes([x.movi(2, value), x.ret(), x.nop_n()]);
}

function word(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/**
 * How the loop in IRAM calls FN: as -mlongcalls code does (l32r + callx0), or through a register
 * set beforehand (FN is a region of its own, entered by the dispatcher). The LONGCALL loop's jump
 * back is marked as a poll-loop branch, which is never compiled, so its call is interpreted too;
 * a region in IRAM that follows a call into the window is G's, in the last test.
 */
const LONGCALL = HARNESS + 4;
const REGISTER_CALL = HARNESS + 0x20;

/**
 * A SoC, not booted, with: the function returning 5 at flash 0x10000 and one returning 9 at
 * 0x110000 (and FN2 returning 11); in IRAM the calling loops and vectors that spin, so a fault stays put.
 */
function soc(compiled: boolean, loop: number, flashSize = FLASH_SIZE) {
  const flash = new Uint8Array(flashSize).fill(0xff);
  flash.set(returns(5), FN_OFFSET);
  if (flashSize > 0x100000) flash.set(returns(9), 0x100000 + FN_OFFSET);
  flash.set(returns(11), FN2 - 0x40200000);
  const chip = new Esp8266({ flash });
  const { bus, cpu } = chip;
  bus.write32(HARNESS, FN); // the literal
  const store = (at: number, bytes: Uint8Array) => {
    for (let i = 0; i < bytes.length; i += 4) bus.write32(at + i, word(bytes, i));
  };
  store(LONGCALL, x.toBytes([x.l32r(3, -4), x.callx0(3), x.j(-6), x.nop_n()]));
  store(REGISTER_CALL, x.toBytes([x.callx0(3), x.j(-3), x.nop_n(), x.nop_n()]));
  const spin = x.toBytes([x.j(0), x.nop_n()]);
  for (const vector of [0x30, 0x50, 0x70]) bus.write32(VECBASE + vector, word(spin, 0));
  cpu.writeSpecial(SR.VECBASE, VECBASE);
  cpu.blockCompiler = compiled;
  cpu.codeCache.hotThreshold = 1;
  cpu.codeCache.coldStretch = 1;
  const inWindow = (pc: number) => pc >>> 0 >= 0x40200000 && pc >>> 0 < 0x40300000;
  const decodes = vi.spyOn(cpu, 'decodeAt');
  const compiles = vi.spyOn(cpu.codeCache, 'compile');
  /** Instructions decoded, and regions compiled, at window addresses so far. */
  const work = () => ({
    decoded: decodes.mock.calls.filter((c) => inWindow(c[1])).length,
    compiled: compiles.mock.calls.filter((c) => inWindow(c[2])).length,
    compiledAt: compiles.mock.calls.map((c) => c[2] >>> 0),
  });
  return { chip, bus, cpu, work, loop };
}

type Soc = ReturnType<typeof soc>;

/** Cache_Read_Enable(map, 0, 0)'s effect: SPI0 AHB on, the mapping bits and the cache bit. */
function cacheOn({ bus }: Soc, map: 0 | 1): void {
  bus.write32(0x60000208, bus.read32(0x60000208) | (1 << 17));
  bus.write32(0x3ff0000c, (1 << 8) | (map << 25));
}

/** Cache_Read_Disable's effect: the cache bit and SPI0 AHB off, the mapping bits kept. */
function cacheOff({ bus }: Soc): void {
  bus.write32(0x3ff0000c, bus.read32(0x3ff0000c) & ~(1 << 8));
  bus.write32(0x60000208, bus.read32(0x60000208) & ~(1 << 17));
}

/** Erase the sector at flash `at` and program `bytes` there through SPI0 (what SPIWrite does). */
function rewrite({ bus }: Soc, at: number, bytes: Uint8Array): void {
  bus.write32(0x60000200, 1 << 30); // WREN
  bus.write32(0x60000204, at);
  bus.write32(0x60000200, 1 << 24); // SE
  bus.write32(0x60000200, 1 << 30);
  for (let i = 0; i < bytes.length; i += 4) bus.write32(0x60000240 + i, word(bytes, i));
  bus.write32(0x60000204, at | (bytes.length << 24));
  bus.write32(0x60000200, 1 << 25); // PP
}

/** Run the calling loop from its start for a while; a2 is what FN returned (0: it never ran). */
function callLoop({ cpu, loop }: Soc, fn = FN): number {
  cpu.pc = loop;
  cpu.regs[3] = fn; // what REGISTER_CALL calls
  cpu.ps = 0x0f; // EXCM clear, interrupts masked: a fault goes to the kernel vector
  cpu.regs[2] = 0;
  cpu.writeSpecial(SR.EXCCAUSE, 0);
  cpu.run(200);
  return cpu.regs[2];
}

describe.each([
  ['interpreted', false, LONGCALL],
  ['compiled, the call followed into the window', true, LONGCALL],
  ['compiled, the function a region of its own', true, REGISTER_CALL],
])('the flash window with the cache off and on again (%s)', (_name, compiled, loop) => {
  it('code in the window faults while the cache is off and runs again, as it was, once on', () => {
    const s = soc(compiled, loop);
    cacheOn(s, 0);
    expect(callLoop(s)).toBe(5);
    expect(s.work().decoded).toBe(2);
    if (compiled) expect(s.work().compiled).toBeGreaterThan(0);

    cacheOff(s);
    expect(callLoop(s)).toBe(0);
    expect(s.cpu.readSpecial(SR.EXCCAUSE)).toBe(2); // InstructionFetchError
    expect(s.cpu.readSpecial(SR.EXCVADDR)).toBe(FN);
    expect(s.cpu.readSpecial(SR.EPC1)).toBe(FN);
    const work = s.work(); // the attempts that faulted included

    cacheOn(s, 0);
    expect(callLoop(s)).toBe(5);
    // The window's code came back as it was: nothing there decoded or compiled again.
    expect(s.work().decoded).toBe(work.decoded);
    expect(s.work().compiled).toBe(work.compiled);
  });

  it('a flash write while the cache is off: the new instruction runs once it is on again', () => {
    const s = soc(compiled, loop);
    cacheOn(s, 0);
    expect(callLoop(s)).toBe(5);
    cacheOff(s);
    rewrite(s, FN_OFFSET, returns(7));
    cacheOn(s, 0);
    expect(callLoop(s)).toBe(7);
    expect(s.work().decoded).toBe(4); // the function, decoded again
  });

  it('a flash write elsewhere while the cache is off keeps the code (nothing decoded again)', () => {
    const s = soc(compiled, loop);
    cacheOn(s, 0);
    expect(callLoop(s)).toBe(5);
    const work = s.work();
    cacheOff(s);
    rewrite(s, 0x200000, returns(7)); // outside the mapped megabyte
    rewrite(s, FN_OFFSET + 0x1000, returns(7)); // the next sector, inside it
    cacheOn(s, 0);
    expect(callLoop(s)).toBe(5);
    expect(s.work().decoded).toBe(work.decoded);
    expect(s.work().compiled).toBe(work.compiled);
  });

  it('the cache on again at another mapping runs the flash there', () => {
    const s = soc(compiled, loop);
    cacheOn(s, 0);
    expect(callLoop(s)).toBe(5);
    cacheOff(s);
    cacheOn(s, 1);
    expect(callLoop(s)).toBe(9);
    cacheOff(s);
    cacheOn(s, 0);
    expect(callLoop(s)).toBe(5);
  });

  it('a snapshot restored while the cache is off drops the parked code', () => {
    const s = soc(compiled, loop);
    cacheOff(s);
    const offState = s.chip.saveState();
    cacheOn(s, 0);
    expect(callLoop(s)).toBe(5);
    cacheOff(s);
    // The snapshot's flash is the board's: change it behind the SoC's back, as a restore of a
    // board with other flash contents does, and restore the chip as it was with the cache off.
    s.chip.flashChip.bytes.set(returns(3), FN_OFFSET);
    s.chip.restoreState(new StateReader(offState));
    cacheOn(s, 0);
    expect(callLoop(s)).toBe(3);
  });
});

it('code first reached while the cache is off is compiled once it is on (the fault left no mark)', () => {
  // Entered at its jump, the loop's compiled region hands FN2 to the dispatcher as a block
  // start, where it tries to compile it.
  const s = soc(true, REGISTER_CALL + 3);
  const compiledAtFn2 = () => s.work().compiledAt.filter((pc) => pc === FN2).length;
  cacheOn(s, 0);
  expect(callLoop(s)).toBe(5);
  cacheOff(s);
  expect(callLoop(s, FN2)).toBe(0);
  expect(s.cpu.readSpecial(SR.EXCVADDR)).toBe(FN2);
  expect(compiledAtFn2()).toBe(1); // tried there, and faulted
  cacheOn(s, 0);
  expect(callLoop(s, FN2)).toBe(11);
  expect(compiledAtFn2()).toBe(2);
});

/** A function in the window that loads a literal from another page (and sector) of the window. */
const FN_LIT = FN + 0x3000;
const LIT = FN + 0x1800;
/** A function in the window that jumps, -mlongcalls style, to IRAM_FN (a literal before it). */
const FN_JUMP = FN + 0x4010;
const IRAM_FN = HARNESS + 0x80;

/** Make the LONGCALL loop call `fn` (its literal) and REGISTER_CALL too (callLoop's a3). */
function target(s: Soc, fn: number): number {
  s.bus.hostWrite(HARNESS, le32(fn));
  return fn;
}

function le32(v: number): Uint8Array {
  return new Uint8Array([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]);
}

describe.each([
  ['interpreted', false, LONGCALL],
  ['compiled, the call followed into the window', true, LONGCALL],
  ['compiled, the function a region of its own', true, REGISTER_CALL],
])(
  'what window code reads from elsewhere, with the cache off and on again (%s)',
  (_n, compiled, loop) => {
    it('a literal of window code rewritten while the cache is off: its new value is loaded', () => {
      const s = soc(compiled, loop);
      const flash = s.chip.flashChip.bytes;
      flash.set(x.toBytes([x.l32r(2, LIT - FN_LIT), x.ret(), x.nop_n()]), FN_LIT - 0x40200000);
      flash.set(le32(0x1234), LIT - 0x40200000);
      cacheOn(s, 0);
      expect(callLoop(s, target(s, FN_LIT))).toBe(0x1234);
      const work = s.work();
      cacheOff(s);
      rewrite(s, LIT - 0x40200000, le32(0x5678)); // the literal's sector only, not the code's
      cacheOn(s, 0);
      expect(callLoop(s, FN_LIT)).toBe(0x5678);
      // The code itself came back as it was; a region that had the literal as a constant did not.
      expect(s.work().decoded).toBe(work.decoded);
      if (compiled) expect(s.work().compiled).toBeGreaterThan(work.compiled);
    });

    it('IRAM code that window code jumps to, rewritten while the cache is off, runs as rewritten', () => {
      const s = soc(compiled, loop);
      const flash = s.chip.flashChip.bytes;
      flash.set(le32(IRAM_FN), FN_JUMP - 16 - 0x40200000);
      flash.set(x.toBytes([x.l32r(4, -16), x.jx(4), x.nop_n()]), FN_JUMP - 0x40200000);
      s.bus.hostWrite(IRAM_FN, returns(21));
      cacheOn(s, 0);
      expect(callLoop(s, target(s, FN_JUMP))).toBe(21);
      cacheOff(s);
      s.bus.hostWrite(IRAM_FN, returns(23)); // a loader or DMA: the core is told
      cacheOn(s, 0);
      expect(callLoop(s, FN_JUMP)).toBe(23);
    });
  },
);

describe.each([
  ['interpreted', false],
  ['compiled', true],
])('a mapping past the end of the flash chip wraps to its start (%s)', (_n, compiled) => {
  // 1 MB of flash and the odd megabyte mapped: the window shows flash from offset 0.
  it('a flash write while the cache is on: the new instruction runs', () => {
    const s = soc(compiled, REGISTER_CALL, 0x100000);
    cacheOn(s, 1);
    expect(callLoop(s)).toBe(5);
    rewrite(s, FN_OFFSET, returns(7));
    expect(callLoop(s)).toBe(7);
  });

  it('a flash write while the cache is off: the new instruction runs once it is on again', () => {
    const s = soc(compiled, REGISTER_CALL, 0x100000);
    cacheOn(s, 1);
    expect(callLoop(s)).toBe(5);
    cacheOff(s);
    rewrite(s, FN_OFFSET, returns(7));
    cacheOn(s, 1);
    expect(callLoop(s)).toBe(7);
  });
});

it('a LITBASE write while the cache is off drops the parked code', () => {
  const s = soc(true, LONGCALL);
  cacheOn(s, 0);
  expect(callLoop(s)).toBe(5);
  cacheOff(s);
  // Behind the SoC's back, so that only the dropping can make the new code run.
  s.chip.flashChip.bytes.set(returns(3), FN_OFFSET);
  s.cpu.writeSpecial(SR.LITBASE, 0);
  cacheOn(s, 0);
  expect(callLoop(s)).toBe(3);
});

it('a region in IRAM that followed its call into the window is dropped when the cache goes off', () => {
  // G, in IRAM, calls FN as -mlongcalls code does: its region has FN's block in it. The loop
  // starts in G (the dispatcher enters its region at once) and returns to REGISTER_CALL's jump.
  const G = HARNESS + 0x104;
  const s = soc(true, G);
  s.bus.hostWrite(G - 4, le32(FN));
  s.bus.hostWrite(
    G,
    x.toBytes([x.l32r(6, -4), x.mov(5, 0), x.callx0(6), x.mov(0, 5), x.ret(), x.nop_n()]),
  );
  const callG = () => {
    s.cpu.regs[0] = REGISTER_CALL + 3;
    return callLoop(s, G);
  };
  cacheOn(s, 0);
  expect(callG()).toBe(5);
  expect(s.work().compiledAt).toContain(G);
  cacheOff(s);
  expect(callG()).toBe(0);
  expect(s.cpu.readSpecial(SR.EXCCAUSE)).toBe(2); // InstructionFetchError
  expect(s.cpu.readSpecial(SR.EXCVADDR)).toBe(FN);
  cacheOn(s, 0);
  expect(callG()).toBe(5);
});
