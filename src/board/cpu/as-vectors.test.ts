import { describe, expect, it } from 'vitest';
import vectorsFile from './testing/as-vectors.json';
import * as encode from './testing/encode.ts';
import { decodeInstruction } from './decode.ts';
import { Op } from './execute.ts';
import {
  SR_ACCESS,
  SR_EXCHANGE,
  SR_READ,
  SR_WRITE,
  countSpecialRegisterOpcodes,
} from './special-registers.ts';

interface Vector {
  fn: string;
  args: number[];
  asm: string;
  word: number;
}
const vectors = vectorsFile.vectors as Vector[];
const encoders = encode as unknown as Record<string, (...args: number[]) => number>;

describe('encoder vs GNU as (as-vectors.json from gen-vectors.mjs)', () => {
  it('has a vector set', () => {
    expect(vectors.length).toBeGreaterThan(300);
  });
  it.each(vectors.map((v) => [v.asm, v] as const))('%s', (_asm, v) => {
    expect(typeof encoders[v.fn]).toBe('function');
    expect(encoders[v.fn](...v.args).toString(16)).toBe(v.word.toString(16));
  });
});

describe('decoder accepts everything GNU as emits for lx106', () => {
  const out = new Int32Array(4);
  it.each(vectors.map((v) => [v.asm, v] as const))('%s', (asm, v) => {
    const op = decodeInstruction(v.word, 0x40100000, 0, out, 0);
    const illegalOnPurpose = asm === 'ill' || asm === 'ill.n';
    expect(op === Op.Illegal).toBe(illegalOnPurpose);
  });
});

describe('special registers', () => {
  const sr = vectorsFile.specialRegisters;
  const numbersWith = (bit: number) =>
    [...Array(256).keys()].filter((n) => (SR_ACCESS[n] & bit) !== 0);
  it('RSR/WSR/XSR numbers match exactly what the assembler accepts', () => {
    expect(numbersWith(SR_READ)).toEqual(sr.rsr);
    expect(numbersWith(SR_WRITE)).toEqual(sr.wsr);
    expect(numbersWith(SR_EXCHANGE)).toEqual(sr.xsr);
  });
  it('86 special-register opcodes, the rest illegal', () => {
    expect(countSpecialRegisterOpcodes()).toBe(86);
    const out = new Int32Array(4);
    let legal = 0;
    for (let n = 0; n < 256; n++) {
      for (const w of [encode.rsr(3, n), encode.wsr(3, n), encode.xsr(3, n)]) {
        if (decodeInstruction(w, 0, 0, out, 0) !== Op.Illegal) legal++;
      }
    }
    expect(legal).toBe(86);
  });
});
