/**
 * The ROM's libgcc helpers run as TypeScript natives at their documented addresses. A call is
 * one CALL0 into the ROM: arguments in a2.., 64-bit values as (low, high) register pairs, result
 * in a2 (a3), return to a0, a1 and a12..a15 untouched. Expected values: BigInt arithmetic for the
 * integer helpers; for the soft-float helpers the bit patterns of the project's integer-only
 * reference implementation (oracle/fp-vectors.json, see oracle/gen-fp-vectors.c).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBoard } from '../../src/board/board.ts';
import { SR } from '../../src/board/cpu/index.ts';
import { DIVSI3_ILL_AT, NATIVE_ILL_OFFSET, ROM_NATIVES } from '../../src/board/rom/natives.ts';

const RETURN_TO = 0x40100000;

function machine() {
  const board = createBoard();
  board.powerOn();
  const cpu = board.soc.cpu;
  cpu.writeSpecial(SR.PS, 0x20);
  return { cpu, board };
}
const { cpu } = machine();
const addrOf = (name: string) => ROM_NATIVES.find((n) => n.name === name)!.addr;

/** Calls ROM function `name` with argument words; returns a2..a5 after it returned. */
function call(name: string, args: number[]): number[] {
  const r = cpu.regs;
  r.fill(0x5a5a5a5a);
  args.forEach((v, i) => (r[2 + i] = v));
  r[0] = RETURN_TO;
  r[1] = 0x3fffc000;
  const saved = [r[1], r[12], r[13], r[14], r[15]];
  cpu.pc = addrOf(name);
  cpu.step();
  expect(cpu.pc).toBe(RETURN_TO);
  expect([r[1], r[12], r[13], r[14], r[15]]).toEqual(saved);
  return [r[2], r[3], r[4], r[5]];
}

let seed = 0x9e3779b9;
function rnd32(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}
const edges32 = [0, 1, 2, 3, 7, 10, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0xfffffffe, 0x10000, 0xffff];
function sample32(): number {
  const k = rnd32();
  if ((k & 3) === 0) return edges32[k % edges32.length];
  if ((k & 3) === 1) return rnd32() >>> (k >>> 27);
  return rnd32();
}
const big = (lo: number, hi: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
const words = (v: bigint) => [Number(BigInt.asUintN(32, v)), Number(BigInt.asUintN(32, v >> 32n))];

describe('ROM natives: table', () => {
  it('every native is a documented ROM entry marked native in rom-symbols.txt, and vice versa', () => {
    const txt = readFileSync(new URL('../../firmware/rom/rom-symbols.txt', import.meta.url), 'utf8');
    const marked = txt
      .split('\n')
      .filter((l) => /\snative\s*$/.test(l))
      .map((l) => l.trim().split(/\s+/))
      .map(([addr, name]) => `${name}@${Number(addr).toString(16)}`)
      .sort();
    expect(ROM_NATIVES.map((n) => `${n.name}@${n.addr.toString(16)}`).sort()).toEqual(marked);
  });

  it('charges its cycle count per call', () => {
    const before = cpu.cycles;
    call('__divdf3', [0, 0x3ff00000, 0, 0x40000000]);
    expect(cpu.cycles - before).toBe(ROM_NATIVES.find((n) => n.name === '__divdf3')!.cycles);
  });
});

describe('ROM natives: integer helpers (bit-exact against BigInt)', () => {
  it('__udivsi3 / __umodsi3 / __divsi3 on random and edge operands', () => {
    for (let i = 0; i < 3000; i++) {
      const n = sample32();
      const d = sample32() || 1;
      expect(call('__udivsi3', [n, d])[0]).toBe(Number(BigInt(n) / BigInt(d)));
      expect(call('__umodsi3', [n, d])[0]).toBe(Number(BigInt(n) % BigInt(d)));
      const q = BigInt.asUintN(32, BigInt(n | 0) / BigInt(d | 0));
      expect(call('__divsi3', [n, d])[0]).toBe(Number(q));
    }
    expect(call('__divsi3', [0x80000000, 0xffffffff])[0]).toBe(0x80000000); // INT_MIN / -1 wraps
    expect(call('__divsi3', [(-7) >>> 0, 2])[0]).toBe((-3) >>> 0); // truncates toward zero
    expect(call('__divsi3', [7, (-2) >>> 0])[0]).toBe((-3) >>> 0);
  });

  it('__umulsidi3 and __muldi3 give the 64-bit (low) product', () => {
    for (let i = 0; i < 2000; i++) {
      const a = sample32();
      const b = sample32();
      expect(call('__umulsidi3', [a, b]).slice(0, 2)).toEqual(words(BigInt(a) * BigInt(b)));
      const x = [sample32(), sample32()];
      const y = [sample32(), sample32()];
      expect(call('__muldi3', [...x, ...y]).slice(0, 2)).toEqual(words(big(x[0], x[1]) * big(y[0], y[1])));
    }
  });

  it('__udivdi3 / __umoddi3 / __divdi3 on random and edge operands', () => {
    const edges = [[0, 0x80000000], [0xffffffff, 0x7fffffff], [1, 0], [0xffffffff, 0xffffffff], [0, 1]];
    for (let i = 0; i < 2000; i++) {
      const n = i < edges.length ? edges[i] : [sample32(), sample32()];
      const d = i % 3 === 0 ? [sample32() || 1, 0] : [sample32(), sample32() >>> (rnd32() & 31)];
      if (d[0] === 0 && d[1] === 0) d[0] = 3;
      const N = big(n[0], n[1]);
      const D = big(d[0], d[1]);
      expect(call('__udivdi3', [...n, ...d]).slice(0, 2)).toEqual(words(N / D));
      expect(call('__umoddi3', [...n, ...d]).slice(0, 2)).toEqual(words(N % D));
      expect(call('__divdi3', [...n, ...d]).slice(0, 2)).toEqual(words(BigInt.asIntN(64, N) / BigInt.asIntN(64, D)));
    }
    // INT64_MIN / -1 wraps to INT64_MIN.
    expect(call('__divdi3', [0, 0x80000000, 0xffffffff, 0xffffffff]).slice(0, 2)).toEqual([0, 0x80000000]);
  });

  it('a division by zero executes an ILL in the ROM: IllegalInstruction (cause 0) at a fixed EPC1', () => {
    const cases: [string, number[], number][] = [
      ['__divsi3', [5, 0], DIVSI3_ILL_AT], // the address Arduino's postmortem maps to "divide by zero"
      ['__divsi3', [0, 0], DIVSI3_ILL_AT],
      ['__udivsi3', [5, 0], addrOf('__udivsi3') + NATIVE_ILL_OFFSET],
      ['__umodsi3', [5, 0], addrOf('__umodsi3') + NATIVE_ILL_OFFSET],
      ['__udivdi3', [5, 0, 0, 0], addrOf('__udivdi3') + NATIVE_ILL_OFFSET],
      ['__umoddi3', [5, 0, 0, 0], addrOf('__umoddi3') + NATIVE_ILL_OFFSET],
      ['__divdi3', [5, 0, 0, 0], addrOf('__divdi3') + NATIVE_ILL_OFFSET],
    ];
    for (const [name, args, ill] of cases) {
      const { cpu: c } = machine();
      args.forEach((v, i) => (c.regs[2 + i] = v));
      c.regs[0] = RETURN_TO;
      c.pc = addrOf(name);
      c.step(); // the native: diverts to the ILL
      expect(c.pc).toBe(ill);
      c.step(); // the ILL: user exception vector
      expect(c.readSpecial(SR.EXCCAUSE)).toBe(0);
      expect(c.readSpecial(SR.EPC1)).toBe(ill);
      expect(c.pc).toBe(0x40000050);
    }
  });
});

describe('ROM natives: soft-float helpers (bit-exact against the integer reference)', () => {
  const vectors = JSON.parse(
    readFileSync(new URL('./oracle/fp-vectors.json', import.meta.url), 'utf8'),
  ) as [string, number[], number[]][];

  it('covers every soft-float native with random, subnormal, infinite and NaN operands', () => {
    const names = new Set(vectors.map((v) => v[0]));
    expect(names.size).toBe(16);
    for (const n of names) expect(addrOf(n)).toBeGreaterThan(0x40000000);
  });

  for (const name of [...new Set(vectors.map((v) => v[0]))]) {
    it(name, () => {
      let mismatches = 0;
      for (const [fn, args, want] of vectors) {
        if (fn !== name) continue;
        const got = call(fn, args).slice(0, want.length);
        if (got.some((w, i) => w !== want[i]) && mismatches++ < 5) {
          expect.soft(got, `${fn}(${args.map((a) => a.toString(16)).join(', ')})`).toEqual(want);
        }
      }
      expect(mismatches).toBe(0);
    });
  }

  it('float32 edge cases: -0 + -0, inf - inf, 0 × inf, subnormal rounding', () => {
    expect(call('__addsf3', [0x80000000, 0x80000000])[0]).toBe(0x80000000);
    expect(call('__subsf3', [0x7f800000, 0x7f800000])[0]).toBe(0x7fc00000);
    expect(call('__mulsf3', [0, 0x7f800000])[0]).toBe(0x7fc00000);
    expect(call('__mulsf3', [0x00000003, 0x3f000000])[0]).toBe(0x00000002); // 1.5 ulp → 2 (even)
    expect(call('__addsf3', [0x7f800001, 0x3f800000])[0]).toBe(0x7fc00001); // quiets the NaN
  });
});
