/**
 * ROM leaf functions that run as TypeScript (docs/rom.md, "Natives"): the libgcc integer and
 * soft-float helpers at their documented addresses. They touch no memory, so a native is exact:
 * it reads the CALL0 argument registers, writes the result registers and returns to a0, like the
 * ROM routine (a2..a7 arguments, 64-bit values in register pairs low word first, results in a2/a3;
 * a1 and a12..a15 untouched). Each charges a plausible cycle count for the Xtensa routine.
 *
 * Semantics: integer division truncates toward zero; INT_MIN / −1 wraps to INT_MIN. A division
 * by zero executes an ILL in the ROM (IllegalInstruction, EXCCAUSE 0): for __divsi3 at 0x4000DCE5,
 * the address Arduino's postmortem recognises (esp8266/Arduino PR #7496); for the others at the
 * ILL our ROM places 3 bytes after the entry. Floating point is IEEE 754 binary32/binary64 with
 * round-to-nearest-even and subnormals; float results come from the exact double result rounded
 * once more with Math.fround, which is correctly rounded for + − × ÷ (53 ≥ 2·24 + 2 bits). NaN
 * results: the first NaN operand with its quiet bit set (for a − b, b negated first), or the default NaN 0x7FC00000 /
 * 0x7FF80000_00000000 for invalid operations. Float → integer conversions truncate and saturate
 * (NaN → INT_MAX or UINT_MAX; negative → unsigned behaves like (unsigned)(int)x). This is the
 * project's reference (firmware/sim/runtime/romfuncs_fp.c).
 */
import type { XtensaCpu } from '../cpu/index.ts';
import { CRYPTO_NATIVES } from './crypto.ts';

export interface RomNative {
  name: string;
  addr: number;
  /**
   * Cycles charged per call (the Xtensa routine's typical cost); the crypto natives charge by
   * work done (blocks, bytes) and list their minimum here.
   */
  cycles: number;
  run: (cpu: XtensaCpu) => void;
}

/** __divsi3 divides by zero with an ILL at this address (Arduino PR #7496). */
export const DIVSI3_ILL_AT = 0x4000dce5;
/** Other natives jump to an ILL this many bytes after their entry (our ROM's stub layout). */
export const NATIVE_ILL_OFFSET = 3;

const scratch = new DataView(new ArrayBuffer(8));
const F32_QNAN = 0x7fc00000;
const F64_QNAN_HI = 0x7ff80000;

function f32(bits: number): number {
  scratch.setUint32(0, bits >>> 0);
  return scratch.getFloat32(0);
}
function f32bits(v: number): number {
  scratch.setFloat32(0, v);
  return scratch.getUint32(0);
}
function f64(lo: number, hi: number): number {
  scratch.setUint32(0, hi >>> 0);
  scratch.setUint32(4, lo >>> 0);
  return scratch.getFloat64(0);
}
/** Sets r[2] (low) and r[3] (high) to the bits of `v` (not NaN). */
function setF64(r: Uint32Array, v: number): void {
  scratch.setFloat64(0, v);
  r[3] = scratch.getUint32(0);
  r[2] = scratch.getUint32(4);
}
const isNan32 = (b: number) => (b & 0x7fffffff) >>> 0 > 0x7f800000;
const isNan64 = (lo: number, hi: number) => {
  const h = (hi & 0x7fffffff) >>> 0;
  return h > 0x7ff00000 || (h === 0x7ff00000 && lo !== 0);
};

function ret(cpu: XtensaCpu, cycles: number): void {
  cpu.pc = cpu.regs[0];
  cpu.cycles += cycles - 1; // the dispatch already counted one
}
function divideByZero(cpu: XtensaCpu, illAt: number): void {
  cpu.pc = illAt; // the ILL raises IllegalInstruction there, as in the ROM
}

/**
 * A float32 operation on a2, a3 → a2. Subtraction is addition of −b: a NaN b comes back with its
 * sign flipped.
 */
function sf(op: (a: number, b: number) => number, negateB = false) {
  return (cpu: XtensaCpu) => {
    const r = cpu.regs;
    const a = r[2];
    const b = negateB ? (r[3] ^ 0x80000000) >>> 0 : r[3];
    const v = Math.fround(op(f32(a), f32(b))); // b already negated for subtraction
    if (v !== v) r[2] = isNan32(a) ? a | 0x400000 : isNan32(b) ? b | 0x400000 : F32_QNAN;
    else r[2] = f32bits(v);
  };
}
/** A float64 operation on (a2,a3), (a4,a5) → (a2,a3); subtraction as for sf(). */
function df(op: (a: number, b: number) => number, negateB = false) {
  return (cpu: XtensaCpu) => {
    const r = cpu.regs;
    const alo = r[2];
    const ahi = r[3];
    const blo = r[4];
    const bhi = negateB ? (r[5] ^ 0x80000000) >>> 0 : r[5];
    const v = op(f64(alo, ahi), f64(blo, bhi));
    if (v === v) setF64(r, v);
    else if (isNan64(alo, ahi)) r[3] = ahi | 0x80000;
    else if (isNan64(blo, bhi)) [r[2], r[3]] = [blo, bhi | 0x80000];
    else [r[2], r[3]] = [0, F64_QNAN_HI];
  };
}

const U64 = (lo: number, hi: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
function setU64(r: Uint32Array, v: bigint): void {
  r[2] = Number(BigInt.asUintN(32, v));
  r[3] = Number(BigInt.asUintN(32, v >> 32n));
}

/** Truncates a finite double toward zero into int32 with saturation (NaN → INT_MAX). */
function fixToInt32(x: number): number {
  if (x !== x) return 0x7fffffff;
  if (x >= 2147483648) return 0x7fffffff;
  if (x <= -2147483648) return -0x80000000;
  return Math.trunc(x) | 0;
}
/** Unsigned conversion: NaN and ≥ 2^32 → UINT_MAX; negative → (unsigned)(int)x. */
function fixToUint32(x: number): number {
  if (x !== x) return 0xffffffff;
  if (x < 0) return fixToInt32(x) >>> 0;
  if (x >= 4294967296) return 0xffffffff;
  return Math.trunc(x) >>> 0;
}

function entry(name: string, addr: number, cycles: number, body: (cpu: XtensaCpu, self: number) => boolean | void): RomNative {
  return {
    name,
    addr,
    cycles,
    run: (cpu) => {
      if (body(cpu, addr) === false) return; // diverted (division by zero)
      ret(cpu, cycles);
    },
  };
}

export const ROM_NATIVES: readonly RomNative[] = [
  // ---------------------------------------------------------------- 32-bit integer
  entry('__udivsi3', 0x4000e21c, 40, (cpu, self) => {
    const r = cpu.regs;
    if (r[3] === 0) return divideByZero(cpu, self + NATIVE_ILL_OFFSET), false;
    r[2] = Math.trunc(r[2] / r[3]);
  }),
  entry('__umodsi3', 0x4000e268, 40, (cpu, self) => {
    const r = cpu.regs;
    const n = r[2];
    const d = r[3];
    if (d === 0) return divideByZero(cpu, self + NATIVE_ILL_OFFSET), false;
    r[2] = n - Math.trunc(n / d) * d;
  }),
  entry('__divsi3', 0x4000dc88, 45, (cpu) => {
    const r = cpu.regs;
    const n = r[2] | 0;
    const d = r[3] | 0;
    if (d === 0) return divideByZero(cpu, DIVSI3_ILL_AT), false;
    r[2] = Math.trunc(n / d) | 0; // INT_MIN / −1 = 2^31 wraps to INT_MIN
  }),
  entry('__umulsidi3', 0x4000dcf0, 16, (cpu) => {
    const r = cpu.regs;
    setU64(r, BigInt(r[2]) * BigInt(r[3]));
  }),
  // ---------------------------------------------------------------- 64-bit integer
  entry('__muldi3', 0x40000650, 24, (cpu) => {
    const r = cpu.regs;
    setU64(r, U64(r[2], r[3]) * U64(r[4], r[5]));
  }),
  entry('__udivdi3', 0x4000d310, 120, (cpu, self) => {
    const r = cpu.regs;
    const d = U64(r[4], r[5]);
    if (d === 0n) return divideByZero(cpu, self + NATIVE_ILL_OFFSET), false;
    setU64(r, U64(r[2], r[3]) / d);
  }),
  entry('__umoddi3', 0x4000d770, 120, (cpu, self) => {
    const r = cpu.regs;
    const d = U64(r[4], r[5]);
    if (d === 0n) return divideByZero(cpu, self + NATIVE_ILL_OFFSET), false;
    setU64(r, U64(r[2], r[3]) % d);
  }),
  entry('__divdi3', 0x4000ce60, 130, (cpu, self) => {
    const r = cpu.regs;
    const d = BigInt.asIntN(64, U64(r[4], r[5]));
    if (d === 0n) return divideByZero(cpu, self + NATIVE_ILL_OFFSET), false;
    setU64(r, BigInt.asIntN(64, U64(r[2], r[3])) / d); // INT64_MIN / −1 wraps
  }),
  // ---------------------------------------------------------------- float
  entry('__addsf3', 0x4000c180, 50, sf((a, b) => a + b)),
  entry('__subsf3', 0x4000c268, 52, sf((a, b) => a + b, true)),
  entry('__mulsf3', 0x4000c3dc, 60, sf((a, b) => a * b)),
  entry('__fixunssfsi', 0x4000c4c4, 25, (cpu) => {
    cpu.regs[2] = fixToUint32(f32(cpu.regs[2]));
  }),
  entry('__floatunsisf', 0x4000e2a4, 30, (cpu) => {
    cpu.regs[2] = f32bits(Math.fround(cpu.regs[2]));
  }),
  entry('__floatsisf', 0x4000e2ac, 32, (cpu) => {
    cpu.regs[2] = f32bits(Math.fround(cpu.regs[2] | 0));
  }),
  // ---------------------------------------------------------------- double
  entry('__adddf3', 0x4000c538, 80, df((a, b) => a + b)),
  entry('__subdf3', 0x4000c688, 82, df((a, b) => a + b, true)),
  entry('__muldf3', 0x4000c8f0, 110, df((a, b) => a * b)),
  entry('__divdf3', 0x4000cb94, 250, df((a, b) => a / b)),
  entry('__fixdfsi', 0x4000ccb8, 28, (cpu) => {
    const r = cpu.regs;
    r[2] = fixToInt32(f64(r[2], r[3]));
  }),
  entry('__fixunsdfsi', 0x4000cd00, 30, (cpu) => {
    const r = cpu.regs;
    r[2] = fixToUint32(f64(r[2], r[3]));
  }),
  entry('__truncdfsf2', 0x4000cd5c, 40, (cpu) => {
    const r = cpu.regs;
    const lo = r[2];
    const hi = r[3];
    if (isNan64(lo, hi)) {
      // Sign, the payload's top 22 bits, quiet bit set.
      r[2] = ((hi & 0x80000000) | 0x7fc00000 | (((hi & 0xfffff) << 3) | (lo >>> 29))) >>> 0;
    } else {
      r[2] = f32bits(Math.fround(f64(lo, hi)));
    }
  }),
  entry('__extendsfdf2', 0x4000cdfc, 30, (cpu) => {
    const r = cpu.regs;
    const a = r[2];
    if (isNan32(a)) {
      // Sign, the payload moved to the top of the fraction, quiet bit set.
      r[3] = ((a & 0x80000000) | 0x7ff80000 | ((a & 0x7fffff) >>> 3)) >>> 0;
      r[2] = (a << 29) >>> 0;
    } else {
      setF64(r, f32(a));
    }
  }),
  entry('__floatunsidf', 0x4000e2e8, 25, (cpu) => {
    setF64(cpu.regs, cpu.regs[2]);
  }),
  entry('__floatsidf', 0x4000e2f0, 26, (cpu) => {
    setF64(cpu.regs, cpu.regs[2] | 0);
  }),
  // ---------------------------------------------------------------- crypto (crypto.ts)
  ...CRYPTO_NATIVES.map(
    (c): RomNative => ({
      name: c.name,
      addr: c.addr,
      cycles: 20,
      run: (cpu) => {
        const cycles = c.body(cpu); // a fault thrown here raises the exception at the entry
        ret(cpu, cycles);
      },
    }),
  ),
];

/** Bind every native to its ROM address on `cpu`. */
export function installRomNatives(cpu: XtensaCpu): void {
  for (const n of ROM_NATIVES) cpu.registerNative(n.addr, n.run);
}
