/**
 * A tiny Xtensa (lx106) encoder for tests: functions that build instruction words from operands.
 * Checked against GNU as by as-vectors.test.ts (vectors from gen-vectors.mjs).
 *
 * Branch/jump operands are byte offsets from the instruction's own address (target − pc);
 * CALL0 takes target − (pc & ~3); L32R takes target − ((pc + 3) & ~3).
 * 24-bit words for wide instructions, 16-bit words for narrow (.n) ones.
 */

function field(value: number, bits: number, name: string): number {
  if (value < 0 || value >= 1 << bits || !Number.isInteger(value)) {
    throw new RangeError(`${name} = ${value} does not fit ${bits} bits`);
  }
  return value;
}

function signed(value: number, bits: number, name: string): number {
  const lim = 1 << (bits - 1);
  if (value < -lim || value >= lim || !Number.isInteger(value)) {
    throw new RangeError(`${name} = ${value} out of signed ${bits}-bit range`);
  }
  return value & ((1 << bits) - 1);
}

/** RRR: op2 op1 r s t op0. */
export function rrr(
  op0: number,
  op1: number,
  op2: number,
  r: number,
  s: number,
  t: number,
): number {
  return (
    (field(op2, 4, 'op2') << 20) |
    (field(op1, 4, 'op1') << 16) |
    (field(r, 4, 'r') << 12) |
    (field(s, 4, 's') << 8) |
    (field(t, 4, 't') << 4) |
    field(op0, 4, 'op0')
  );
}

/** RRI8: imm8 r s t op0. */
export function rri8(op0: number, r: number, s: number, t: number, imm8: number): number {
  return (field(imm8, 8, 'imm8') << 16) | rrr(op0, 0, 0, r, s, t);
}

/** RRRN (16-bit): r s t op0. */
export function rrrn(op0: number, r: number, s: number, t: number): number {
  return rrr(op0, 0, 0, r, s, t) & 0xffff;
}

function branchImm8(offset: number): number {
  return signed(offset - 4, 8, 'branch offset − 4');
}

// ---- RRR ALU
const alu = (op1: number, op2: number) => (ar: number, as: number, at: number) =>
  rrr(0, op1, op2, ar, as, at);
export const and = alu(0, 1);
export const or = alu(0, 2);
export const xor = alu(0, 3);
export const add = alu(0, 8);
export const addx2 = alu(0, 9);
export const addx4 = alu(0, 10);
export const addx8 = alu(0, 11);
export const sub = alu(0, 12);
export const subx2 = alu(0, 13);
export const subx4 = alu(0, 14);
export const subx8 = alu(0, 15);
export const src = alu(1, 8);
export const mul16u = alu(1, 12);
export const mul16s = alu(1, 13);
export const mull = alu(2, 8);
export const moveqz = alu(3, 8);
export const movnez = alu(3, 9);
export const movltz = alu(3, 10);
export const movgez = alu(3, 11);
export const mov = (ar: number, as: number) => or(ar, as, as);
export const neg = (ar: number, at: number) => rrr(0, 0, 6, ar, 0, at);
export const abs = (ar: number, at: number) => rrr(0, 0, 6, ar, 1, at);
export const nsa = (at: number, as: number) => rrr(0, 0, 4, 14, as, at);
export const nsau = (at: number, as: number) => rrr(0, 0, 4, 15, as, at);

// ---- shifts
export const ssr = (as: number) => rrr(0, 0, 4, 0, as, 0);
export const ssl = (as: number) => rrr(0, 0, 4, 1, as, 0);
export const ssa8l = (as: number) => rrr(0, 0, 4, 2, as, 0);
export const ssa8b = (as: number) => rrr(0, 0, 4, 3, as, 0);
export const ssai = (sa: number) => rrr(0, 0, 4, 4, field(sa, 5, 'sa') & 15, sa >> 4);
export const sll = (ar: number, as: number) => rrr(0, 1, 10, ar, as, 0);
export const srl = (ar: number, at: number) => rrr(0, 1, 9, ar, 0, at);
export const sra = (ar: number, at: number) => rrr(0, 1, 11, ar, 0, at);
export function slli(ar: number, as: number, sa: number): number {
  const f = 32 - field(sa, 5, 'sa');
  return rrr(0, 1, f >> 4, ar, as, f & 15);
}
export function srai(ar: number, at: number, sa: number): number {
  field(sa, 5, 'sa');
  return rrr(0, 1, 2 | (sa >> 4), ar, sa & 15, at);
}
export const srli = (ar: number, at: number, sa: number) =>
  rrr(0, 1, 4, ar, field(sa, 4, 'sa'), at);
export function extui(ar: number, at: number, shift: number, bits: number): number {
  field(shift, 5, 'shift');
  return rrr(0, 4 | (shift >> 4), field(bits - 1, 4, 'bits − 1'), ar, shift & 15, at);
}

// ---- loads / stores / immediates
function scaled(value: number, scale: number, name: string): number {
  if (value % scale !== 0) throw new RangeError(`${name} ${value} not a multiple of ${scale}`);
  return field(value / scale, 8, name);
}
export const l8ui = (at: number, as: number, off: number) =>
  rri8(2, 0, as, at, field(off, 8, 'off'));
export const l16ui = (at: number, as: number, off: number) =>
  rri8(2, 1, as, at, scaled(off, 2, 'off'));
export const l32i = (at: number, as: number, off: number) =>
  rri8(2, 2, as, at, scaled(off, 4, 'off'));
export const s8i = (at: number, as: number, off: number) =>
  rri8(2, 4, as, at, field(off, 8, 'off'));
export const s16i = (at: number, as: number, off: number) =>
  rri8(2, 5, as, at, scaled(off, 2, 'off'));
export const s32i = (at: number, as: number, off: number) =>
  rri8(2, 6, as, at, scaled(off, 4, 'off'));
export const l16si = (at: number, as: number, off: number) =>
  rri8(2, 9, as, at, scaled(off, 2, 'off'));
export function movi(at: number, imm: number): number {
  const v = signed(imm, 12, 'imm');
  return rri8(2, 10, v >> 8, at, v & 0xff);
}
export const addi = (at: number, as: number, imm: number) =>
  rri8(2, 12, as, at, signed(imm, 8, 'imm'));
export function addmi(at: number, as: number, imm: number): number {
  if (imm % 256 !== 0) throw new RangeError(`addmi ${imm} not a multiple of 256`);
  return rri8(2, 13, as, at, signed(imm / 256, 8, 'imm/256'));
}
export function l32r(at: number, offset: number): number {
  if (offset % 4 !== 0 || offset >= 0 || offset < -262144) throw new RangeError(`l32r ${offset}`);
  return (((offset >> 2) & 0xffff) << 8) | (field(at, 4, 't') << 4) | 1;
}

// ---- jumps and calls
export function j(offset: number): number {
  return (signed(offset - 4, 18, 'j offset − 4') << 6) | 6;
}
export function call0(offset: number): number {
  if (offset % 4 !== 0) throw new RangeError(`call0 ${offset} not word aligned`);
  return (signed((offset - 4) >> 2, 18, 'call0 offset') << 6) | 5;
}
export const callx0 = (as: number) => rrr(0, 0, 0, 0, as, 12);
export const jx = (as: number) => rrr(0, 0, 0, 0, as, 10);
export const ret = () => rrr(0, 0, 0, 0, 0, 8);

// ---- branches
const bz = (m: number) => (as: number, offset: number) =>
  (signed(offset - 4, 12, 'offset − 4') << 12) | (field(as, 4, 's') << 8) | (m << 6) | (1 << 4) | 6;
export const beqz = bz(0);
export const bnez = bz(1);
export const bltz = bz(2);
export const bgez = bz(3);

const B4CONST = [-1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256];
const B4CONSTU = [32768, 65536, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256];
function b4(table: number[], value: number): number {
  const r = table.indexOf(value);
  if (r < 0) throw new RangeError(`${value} is not a branch constant`);
  return r;
}
const bi = (n: number, m: number, table: number[]) => (as: number, imm: number, offset: number) =>
  (branchImm8(offset) << 16) |
  (b4(table, imm) << 12) |
  (field(as, 4, 's') << 8) |
  (m << 6) |
  (n << 4) |
  6;
export const beqi = bi(2, 0, B4CONST);
export const bnei = bi(2, 1, B4CONST);
export const blti = bi(2, 2, B4CONST);
export const bgei = bi(2, 3, B4CONST);
export const bltui = bi(3, 2, B4CONSTU);
export const bgeui = bi(3, 3, B4CONSTU);

const b2 = (r: number) => (as: number, at: number, offset: number) =>
  rri8(7, r, as, at, branchImm8(offset));
export const bnone = b2(0);
export const beq = b2(1);
export const blt = b2(2);
export const bltu = b2(3);
export const ball = b2(4);
export const bbc = b2(5);
export const bany = b2(8);
export const bne = b2(9);
export const bge = b2(10);
export const bgeu = b2(11);
export const bnall = b2(12);
export const bbs = b2(13);
export function bbci(as: number, bit: number, offset: number): number {
  field(bit, 5, 'bit');
  return rri8(7, 6 | (bit >> 4), as, bit & 15, branchImm8(offset));
}
export function bbsi(as: number, bit: number, offset: number): number {
  field(bit, 5, 'bit');
  return rri8(7, 14 | (bit >> 4), as, bit & 15, branchImm8(offset));
}

// ---- special registers and system
export const rsr = (at: number, sr: number) => rrr(0, 3, 0, sr >> 4, sr & 15, at);
export const wsr = (at: number, sr: number) => rrr(0, 3, 1, sr >> 4, sr & 15, at);
export const xsr = (at: number, sr: number) => rrr(0, 1, 6, sr >> 4, sr & 15, at);
export const rsil = (at: number, level: number) => rrr(0, 0, 0, 6, level, at);
export const waiti = (level: number) => rrr(0, 0, 0, 7, level, 0);
export const rfe = () => rrr(0, 0, 0, 3, 0, 0);
export const rfde = () => rrr(0, 0, 0, 3, 2, 0);
export const rfi = (level: number) => rrr(0, 0, 0, 3, level, 1);
export const rfdo = () => rrr(0, 1, 15, 14, 0, 0);
export const rfdd = () => rrr(0, 1, 15, 14, 0, 1);
export const brk = (s: number, t: number) => rrr(0, 0, 0, 4, s, t);
export const syscall = () => rrr(0, 0, 0, 5, 0, 0);
export const simcall = () => rrr(0, 0, 0, 5, 1, 0);
export const ill = () => 0;
export const isync = () => rrr(0, 0, 0, 2, 0, 0);
export const rsync = () => rrr(0, 0, 0, 2, 0, 1);
export const esync = () => rrr(0, 0, 0, 2, 0, 2);
export const dsync = () => rrr(0, 0, 0, 2, 0, 3);
export const excw = () => rrr(0, 0, 0, 2, 0, 8);
export const memw = () => rrr(0, 0, 0, 2, 0, 12);
export const extw = () => rrr(0, 0, 0, 2, 0, 13);
export const nop = () => rrr(0, 0, 0, 2, 0, 15);
export const rer = () => rrr(0, 0, 4, 6, 0, 0);
export const wer = () => rrr(0, 0, 4, 7, 0, 0);
const tlb = (r: number) => (at: number, as: number) => rrr(0, 0, 5, r, as, at);
export const ritlb0 = tlb(3);
export const pitlb = tlb(5);
export const witlb = tlb(6);
export const ritlb1 = tlb(7);
export const rdtlb0 = tlb(11);
export const pdtlb = tlb(13);
export const wdtlb = tlb(14);
export const rdtlb1 = tlb(15);
export const iitlb = (as: number) => rrr(0, 0, 5, 4, as, 0);
export const idtlb = (as: number) => rrr(0, 0, 5, 12, as, 0);

// ---- density (16-bit)
export const l32i_n = (at: number, as: number, off: number) =>
  rrrn(8, field(off / 4, 4, 'off/4'), as, at);
export const s32i_n = (at: number, as: number, off: number) =>
  rrrn(9, field(off / 4, 4, 'off/4'), as, at);
export const add_n = (ar: number, as: number, at: number) => rrrn(10, ar, as, at);
export function addi_n(ar: number, as: number, imm: number): number {
  if (imm !== -1 && (imm < 1 || imm > 15)) throw new RangeError(`addi.n ${imm}`);
  return rrrn(11, ar, as, imm === -1 ? 0 : imm);
}
export function movi_n(as: number, imm: number): number {
  if (imm < -32 || imm > 95) throw new RangeError(`movi.n ${imm}`);
  const v = imm & 0x7f;
  return rrrn(12, v & 15, as, v >> 4);
}
export function beqz_n(as: number, offset: number): number {
  const v = field(offset - 4, 6, 'offset − 4');
  return rrrn(12, v & 15, as, 8 | (v >> 4));
}
export function bnez_n(as: number, offset: number): number {
  const v = field(offset - 4, 6, 'offset − 4');
  return rrrn(12, v & 15, as, 12 | (v >> 4));
}
export const mov_n = (at: number, as: number) => rrrn(13, 0, as, at);
export const ret_n = () => rrrn(13, 15, 0, 0);
export const break_n = (imm: number) => rrrn(13, 15, imm, 2);
export const nop_n = () => rrrn(13, 15, 0, 3);
export const ill_n = () => rrrn(13, 15, 0, 6);

/** Length in bytes of an encoded word (from op0). */
export function lengthOf(word: number): 2 | 3 {
  return (word & 15) >= 8 ? 2 : 3;
}

/** Little-endian bytes of a sequence of encoded instructions. */
export function toBytes(words: readonly number[]): Uint8Array {
  const out: number[] = [];
  for (const w of words) {
    out.push(w & 0xff, (w >>> 8) & 0xff);
    if (lengthOf(w) === 3) out.push((w >>> 16) & 0xff);
  }
  return Uint8Array.from(out);
}
