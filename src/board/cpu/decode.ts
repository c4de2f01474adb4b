/**
 * Instruction bytes → one pre-decoded entry of four int32s: [op, a, b, c].
 *
 * Decoding happens once per address (the core caches entries per 4 KB page), so everything that
 * can be computed here is: branch and call targets are absolute, immediates are scaled and
 * sign-extended, L32R's literal address is final (the cache is flushed when LITBASE changes).
 * Every encoding outside the lx106 configuration decodes to Op.Illegal.
 *
 * Operand layouts by op (r/s/t are the instruction's register fields):
 *   RRR ALU, MOVxxZ, SRC, MUL*:   a = r, b = s, c = t
 *   NEG/ABS/SRL/SRA:              a = r, b = t          SLL: a = r, b = s
 *   SLLI: a = r, b = s, c = left shift (1..32)   SRAI/SRLI: a = r, b = t, c = right shift
 *   EXTUI: a = r | shift << 8, b = t, c = mask
 *   SSR/SSL/SSA8L/SSA8B: a = s     SSAI: a = shift amount
 *   NSA/NSAU: a = t, b = s         RSR/WSR/XSR: a = t, b = sr     RSIL: a = t, b = level
 *   loads/stores/ADDI (also .N):   a = t, b = s, c = byte offset or immediate
 *   MOVI/MOVI.N: a = target register, c = value     L32R: a = t, c = literal address
 *   CALL0/J: c = target            Bxxz: a = s, c = target     BxxI/BxxUI: a = s, b = constant
 *   BBCI/BBSI: a = s, b = bit mask, c = target      two-register branches: a = s, b = t, c = target
 *   JX/CALLX0: a = s               RFI: a = level   WAITI: a = level
 *   BREAK: a = DEBUGCAUSE bit, b = instruction length     TLB ops: a = t, b = s
 *   MOV.N: a = t, b = s            ADD.N: a = r, b = s, c = t
 */
import { Op } from './execute.ts';
import { SR_ACCESS, SR_EXCHANGE, SR_READ, SR_WRITE } from './special-registers.ts';

/** Signed branch-immediate constants of BEQI/BNEI/BLTI/BGEI, indexed by the r field. */
export const B4CONST = Int32Array.of(-1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256);
/** Unsigned constants of BLTUI/BGEUI, indexed by the r field. */
export const B4CONSTU = Int32Array.of(
  32768,
  65536,
  2,
  3,
  4,
  5,
  6,
  7,
  8,
  10,
  12,
  16,
  32,
  64,
  128,
  256,
);

/** DEBUGCAUSE bits. */
export const DEBUGCAUSE_BREAK = 0x08;
export const DEBUGCAUSE_BREAKN = 0x10;

/** Instruction length in bytes from the first byte (0 for the illegal op0 14/15). */
export function instructionLength(firstByte: number): number {
  const op0 = firstByte & 15;
  return op0 < 8 ? 3 : op0 < 14 ? 2 : 0;
}

/**
 * Decode the instruction `word` (little-endian bytes at `pc`, 24 bits) into `out[at..at+3]`.
 * `litbase` is the LITBASE register (bit 0 = enable). Returns the op.
 */
export function decodeInstruction(
  word: number,
  pc: number,
  litbase: number,
  out: Int32Array,
  at: number,
): Op {
  const op0 = word & 15;
  const t = (word >>> 4) & 15;
  const s = (word >>> 8) & 15;
  const r = (word >>> 12) & 15;
  const op = decodeFields(word, op0, r, s, t, pc, litbase, out, at);
  out[at] = op;
  return op;
}

function set(out: Int32Array, at: number, a: number, b: number, c: number): void {
  out[at + 1] = a;
  out[at + 2] = b;
  out[at + 3] = c;
}

function decodeFields(
  w: number,
  op0: number,
  r: number,
  s: number,
  t: number,
  pc: number,
  litbase: number,
  out: Int32Array,
  at: number,
): Op {
  set(out, at, 0, 0, 0);
  switch (op0) {
    case 0:
      return decodeQrst(w, r, s, t, out, at);
    case 1: {
      // RI16 op0=1: L32R at, label
      const imm16 = w >>> 8;
      const offset = (0xffff0000 | imm16) << 2; // always negative, up to −256 KB
      const base = litbase & 1 ? litbase & 0xfffff000 : (pc + 3) & ~3;
      set(out, at, t, 0, (base + offset) | 0);
      return Op.L32r;
    }
    case 2:
      return decodeLsai(w, r, s, t, out, at);
    case 5:
      // CALL op0=5 n=0: CALL0 label (n=1..3 windowed calls are absent)
      if (((w >>> 4) & 3) !== 0) return Op.Illegal;
      set(out, at, 0, 0, ((pc & ~3) + 4 + (((w << 8) >> 14) << 2)) | 0);
      return Op.Call0;
    case 6:
      return decodeSi(w, r, s, pc, out, at);
    case 7:
      return decodeB(w, r, s, t, pc, out, at);
    case 8:
      // RRRN op0=8: L32I.N at, as, imm4*4
      set(out, at, t, s, r << 2);
      return Op.L32iN;
    case 9:
      // RRRN op0=9: S32I.N at, as, imm4*4
      set(out, at, t, s, r << 2);
      return Op.S32iN;
    case 10:
      // RRRN op0=10: ADD.N ar, as, at
      set(out, at, r, s, t);
      return Op.AddN;
    case 11:
      // RRRN op0=11: ADDI.N ar, as, imm (t=0 encodes −1)
      set(out, at, r, s, t === 0 ? -1 : t);
      return Op.AddiN;
    case 12: {
      if ((t & 8) === 0) {
        // RI7 op0=12 i=0: MOVI.N as, −32..95 (imm7 = t[2:0]:r)
        const imm7 = ((t & 7) << 4) | r;
        set(out, at, s, 0, imm7 >= 96 ? imm7 - 128 : imm7);
        return Op.MoviN;
      }
      // RI6 op0=12 i=1: BEQZ.N (z=0) / BNEZ.N (z=1) as, PC+4+imm6 (forward only)
      const imm6 = ((t & 3) << 4) | r;
      set(out, at, s, 0, (pc + 4 + imm6) | 0);
      return t & 4 ? Op.BnezN : Op.BeqzN;
    }
    case 13:
      if (r === 0) {
        // RRRN op0=13 r=0: MOV.N at, as
        set(out, at, t, s, 0);
        return Op.MovN;
      }
      if (r !== 15) return Op.Illegal;
      switch (t) {
        case 0: // RET.N
          return s === 0 ? Op.RetN : Op.Illegal;
        case 2: // BREAK.N imm4
          set(out, at, DEBUGCAUSE_BREAKN, 2, 0);
          return Op.Break;
        case 3: // NOP.N
          return s === 0 ? Op.Nop2 : Op.Illegal;
        default: // t=6 ILL.N, t=1 RETW.N (absent), others reserved
          return Op.Illegal;
      }
    default:
      // op0=3 LSCI (FP), 4 MAC16, 14/15 reserved
      return Op.Illegal;
  }
}

function decodeQrst(w: number, r: number, s: number, t: number, out: Int32Array, at: number): Op {
  const op1 = (w >>> 16) & 15;
  const op2 = (w >>> 20) & 15;
  switch (op1) {
    case 0:
      return decodeRst0(op2, r, s, t, out, at);
    case 1:
      return decodeRst1(op2, r, s, t, out, at);
    case 2:
      // RRR op1=2 op2=8: MULL ar, as, at (the other RST2 ops are absent)
      if (op2 !== 8) return Op.Illegal;
      set(out, at, r, s, t);
      return Op.Mull;
    case 3:
      switch (op2) {
        case 0: {
          // RSR op1=3 op2=0: RSR.sr at
          const sr = (r << 4) | s;
          if ((SR_ACCESS[sr] & SR_READ) === 0) return Op.Illegal;
          set(out, at, t, sr, 0);
          return Op.Rsr;
        }
        case 1: {
          // RSR op1=3 op2=1: WSR.sr at
          const sr = (r << 4) | s;
          if ((SR_ACCESS[sr] & SR_WRITE) === 0) return Op.Illegal;
          set(out, at, t, sr, 0);
          return Op.Wsr;
        }
        case 8: // RRR op1=3 op2=8: MOVEQZ ar, as, at
          set(out, at, r, s, t);
          return Op.Moveqz;
        case 9: // op2=9: MOVNEZ
          set(out, at, r, s, t);
          return Op.Movnez;
        case 10: // op2=10: MOVLTZ
          set(out, at, r, s, t);
          return Op.Movltz;
        case 11: // op2=11: MOVGEZ
          set(out, at, r, s, t);
          return Op.Movgez;
        default:
          return Op.Illegal;
      }
    case 4:
    case 5: {
      // RRR op1=4/5: EXTUI ar, at, shift={op1[0],s}, bits=op2+1
      const shift = ((op1 & 1) << 4) | s;
      const bits = op2 + 1;
      set(out, at, r | (shift << 8), t, bits === 32 ? -1 : (1 << bits) - 1);
      return Op.Extui;
    }
    default:
      // op1=6/7 CUST0/1, 8 LSCX, 9 LSC4, 10/11 FP, 12..15 reserved
      return Op.Illegal;
  }
}

function decodeRst0(op2: number, r: number, s: number, t: number, out: Int32Array, at: number): Op {
  switch (op2) {
    case 0:
      return decodeSt0(r, s, t, out, at);
    case 1: // RRR op2=1: AND ar, as, at
      set(out, at, r, s, t);
      return Op.And;
    case 2: // op2=2: OR
      set(out, at, r, s, t);
      return Op.Or;
    case 3: // op2=3: XOR
      set(out, at, r, s, t);
      return Op.Xor;
    case 4:
      switch (r) {
        case 0: // RRR op2=4 r=0: SSR as
          if (t !== 0) return Op.Illegal;
          set(out, at, s, 0, 0);
          return Op.Ssr;
        case 1: // r=1: SSL as
          if (t !== 0) return Op.Illegal;
          set(out, at, s, 0, 0);
          return Op.Ssl;
        case 2: // r=2: SSA8L as
          if (t !== 0) return Op.Illegal;
          set(out, at, s, 0, 0);
          return Op.Ssa8l;
        case 3: // r=3: SSA8B as
          if (t !== 0) return Op.Illegal;
          set(out, at, s, 0, 0);
          return Op.Ssa8b;
        case 4: // r=4: SSAI sa = s + 16*t[0]
          if ((t & 14) !== 0) return Op.Illegal;
          set(out, at, s | ((t & 1) << 4), 0, 0);
          return Op.Ssai;
        case 6: // r=6/7: RER/WER — no operands in this overlay and no external registers
        case 7:
          return Op.Nop3;
        case 14: // r=14: NSA at, as
          set(out, at, t, s, 0);
          return Op.Nsa;
        case 15: // r=15: NSAU at, as
          set(out, at, t, s, 0);
          return Op.Nsau;
        default: // r=8 ROTW (absent), reserved
          return Op.Illegal;
      }
    case 5: {
      // RRR op2=5: region-protection TLB ops, at = t, as = s
      const tlb = TLB_OPS[r];
      if (tlb === Op.Illegal) return Op.Illegal;
      if ((tlb === Op.Iitlb || tlb === Op.Idtlb) && t !== 0) return Op.Illegal;
      set(out, at, t, s, 0);
      return tlb;
    }
    case 6:
      // RRR op2=6: NEG (s=0) / ABS (s=1) ar, at
      if (s > 1) return Op.Illegal;
      set(out, at, r, t, 0);
      return s === 0 ? Op.Neg : Op.Abs;
    case 8: // op2=8: ADD ar, as, at
    case 9: // op2=9: ADDX2
    case 10: // op2=10: ADDX4
    case 11: // op2=11: ADDX8
    case 12: // op2=12: SUB
    case 13: // op2=13: SUBX2
    case 14: // op2=14: SUBX4
    case 15: // op2=15: SUBX8
      set(out, at, r, s, t);
      return ADD_SUB_OPS[op2 - 8];
    default:
      return Op.Illegal;
  }
}

const TLB_OPS: readonly Op[] = [
  Op.Illegal,
  Op.Illegal,
  Op.Illegal,
  Op.Ritlb0,
  Op.Iitlb,
  Op.Pitlb,
  Op.Witlb,
  Op.Ritlb1,
  Op.Illegal,
  Op.Illegal,
  Op.Illegal,
  Op.Rdtlb0,
  Op.Idtlb,
  Op.Pdtlb,
  Op.Wdtlb,
  Op.Rdtlb1,
];

const ADD_SUB_OPS: readonly Op[] = [
  Op.Add,
  Op.Addx2,
  Op.Addx4,
  Op.Addx8,
  Op.Sub,
  Op.Subx2,
  Op.Subx4,
  Op.Subx8,
];

function decodeSt0(r: number, s: number, t: number, out: Int32Array, at: number): Op {
  switch (r) {
    case 0: {
      // CALLX op2=0 r=0: m = t[3:2], n = t[1:0]
      const m = t >>> 2;
      const n = t & 3;
      if (m === 2 && n === 0 && s === 0) return Op.Ret; // RET
      if (m === 2 && n === 2) {
        set(out, at, s, 0, 0); // JX as
        return Op.Jx;
      }
      if (m === 3 && n === 0) {
        set(out, at, s, 0, 0); // CALLX0 as
        return Op.Callx0;
      }
      return Op.Illegal; // ILL (all zero), RETW, CALLX4..12, reserved
    }
    case 2:
      // RRR r=2: ISYNC/RSYNC/ESYNC/DSYNC (t=0..3), EXCW (8), MEMW (12), EXTW (13), NOP (15)
      if (s !== 0) return Op.Illegal;
      return t <= 3 || t === 8 || t === 12 || t === 13 || t === 15 ? Op.Nop3 : Op.Illegal;
    case 3:
      // RRR r=3: RFE (s=0 t=0), RFDE (s=2 t=0), RFI level (t=1)
      if (t === 0) return s === 0 ? Op.Rfe : s === 2 ? Op.Rfde : Op.Illegal;
      if (t === 1 && (s === 2 || s === 3)) {
        set(out, at, s, 0, 0);
        return Op.Rfi;
      }
      return Op.Illegal;
    case 4: // RRR r=4: BREAK s, t
      set(out, at, DEBUGCAUSE_BREAK, 3, 0);
      return Op.Break;
    case 5: // RRR r=5: SYSCALL (s=0) / SIMCALL (s=1), t=0
      if (t !== 0) return Op.Illegal;
      return s === 0 ? Op.Syscall : s === 1 ? Op.Simcall : Op.Illegal;
    case 6: // RRR r=6: RSIL at, level
      set(out, at, t, s, 0);
      return Op.Rsil;
    case 7: // RRR r=7: WAITI level (t=0)
      if (t !== 0) return Op.Illegal;
      set(out, at, s, 0, 0);
      return Op.Waiti;
    default: // MOVSP, boolean ANY/ALL, reserved
      return Op.Illegal;
  }
}

function decodeRst1(op2: number, r: number, s: number, t: number, out: Int32Array, at: number): Op {
  switch (op2) {
    case 0:
    case 1: // RRR op1=1 op2=0/1: SLLI ar, as, sa with {op2[0],t} = 32 − sa
      set(out, at, r, s, 32 - (((op2 & 1) << 4) | t));
      return Op.Slli;
    case 2:
    case 3: // op2=2/3: SRAI ar, at, sa = {op2[0], s}
      set(out, at, r, t, ((op2 & 1) << 4) | s);
      return Op.Srai;
    case 4: // op2=4: SRLI ar, at, sa = s
      set(out, at, r, t, s);
      return Op.Srli;
    case 6: {
      // RSR-format op1=1 op2=6: XSR.sr at
      const sr = (r << 4) | s;
      if ((SR_ACCESS[sr] & SR_EXCHANGE) === 0) return Op.Illegal;
      set(out, at, t, sr, 0);
      return Op.Xsr;
    }
    case 8: // op2=8: SRC ar, as, at
      set(out, at, r, s, t);
      return Op.Src;
    case 9: // op2=9: SRL ar, at (s=0)
      if (s !== 0) return Op.Illegal;
      set(out, at, r, t, 0);
      return Op.Srl;
    case 10: // op2=10: SLL ar, as (t=0)
      if (t !== 0) return Op.Illegal;
      set(out, at, r, s, 0);
      return Op.Sll;
    case 11: // op2=11: SRA ar, at (s=0)
      if (s !== 0) return Op.Illegal;
      set(out, at, r, t, 0);
      return Op.Sra;
    case 12: // op2=12: MUL16U ar, as, at
      set(out, at, r, s, t);
      return Op.Mul16u;
    case 13: // op2=13: MUL16S ar, as, at
      set(out, at, r, s, t);
      return Op.Mul16s;
    case 15: // op2=15 r=14: RFDO (t=0) / RFDD (t=1)
      if (r === 14 && (t === 0 || t === 1)) return Op.Rfdo;
      return Op.Illegal;
    default:
      return Op.Illegal;
  }
}

function decodeLsai(w: number, r: number, s: number, t: number, out: Int32Array, at: number): Op {
  const imm8 = (w >>> 16) & 0xff;
  switch (r) {
    case 0: // RRI8 op0=2 r=0: L8UI at, as, imm8
      set(out, at, t, s, imm8);
      return Op.L8ui;
    case 1: // r=1: L16UI at, as, imm8*2
      set(out, at, t, s, imm8 << 1);
      return Op.L16ui;
    case 2: // r=2: L32I at, as, imm8*4
      set(out, at, t, s, imm8 << 2);
      return Op.L32i;
    case 4: // r=4: S8I
      set(out, at, t, s, imm8);
      return Op.S8i;
    case 5: // r=5: S16I
      set(out, at, t, s, imm8 << 1);
      return Op.S16i;
    case 6: // r=6: S32I
      set(out, at, t, s, imm8 << 2);
      return Op.S32i;
    case 9: // r=9: L16SI
      set(out, at, t, s, imm8 << 1);
      return Op.L16si;
    case 10: // r=10: MOVI at, imm12 = sext({s, imm8})
      set(out, at, t, 0, (((s << 8) | imm8) << 20) >> 20);
      return Op.Movi;
    case 12: // r=12: ADDI at, as, sext(imm8)
      set(out, at, t, s, (imm8 << 24) >> 24);
      return Op.Addi;
    case 13: // r=13: ADDMI at, as, sext(imm8) << 8
      set(out, at, t, s, ((imm8 << 24) >> 24) << 8);
      return Op.Addi;
    default: // cache ops, L32AI, S32C1I, S32RI, reserved
      return Op.Illegal;
  }
}

function decodeSi(w: number, r: number, s: number, pc: number, out: Int32Array, at: number): Op {
  const n = (w >>> 4) & 3;
  const m = (w >>> 6) & 3;
  if (n === 0) {
    // CALL op0=6 n=0: J PC+4+sext(offset18)
    set(out, at, 0, 0, (pc + 4 + ((w << 8) >> 14)) | 0);
    return Op.J;
  }
  if (n === 1) {
    // BRI12 op0=6 n=1: BEQZ/BNEZ/BLTZ/BGEZ as, PC+4+sext(imm12)
    set(out, at, s, 0, (pc + 4 + ((w << 8) >> 20)) | 0);
    return m === 0 ? Op.Beqz : m === 1 ? Op.Bnez : m === 2 ? Op.Bltz : Op.Bgez;
  }
  const target = (pc + 4 + ((w << 8) >> 24)) | 0;
  if (n === 2) {
    // BRI8 op0=6 n=2: BEQI/BNEI/BLTI/BGEI as, b4const(r), PC+4+sext(imm8)
    set(out, at, s, B4CONST[r], target);
    return m === 0 ? Op.Beqi : m === 1 ? Op.Bnei : m === 2 ? Op.Blti : Op.Bgei;
  }
  // BRI8 op0=6 n=3: m=2 BLTUI / m=3 BGEUI as, b4constu(r) (m=0 ENTRY, m=1 LOOP/BF/BT absent)
  if (m < 2) return Op.Illegal;
  set(out, at, s, B4CONSTU[r], target);
  return m === 2 ? Op.Bltui : Op.Bgeui;
}

const TWO_REG_BRANCHES: readonly Op[] = [
  Op.Bnone,
  Op.Beq,
  Op.Blt,
  Op.Bltu,
  Op.Ball,
  Op.Bbc,
  Op.Bbci,
  Op.Bbci,
  Op.Bany,
  Op.Bne,
  Op.Bge,
  Op.Bgeu,
  Op.Bnall,
  Op.Bbs,
  Op.Bbsi,
  Op.Bbsi,
];

function decodeB(
  w: number,
  r: number,
  s: number,
  t: number,
  pc: number,
  out: Int32Array,
  at: number,
): Op {
  // RRI8 op0=7: branch on AR[s] vs AR[t] (or bit {r[0],t} for BBCI/BBSI), PC+4+sext(imm8)
  const target = (pc + 4 + ((w << 8) >> 24)) | 0;
  const op = TWO_REG_BRANCHES[r];
  if (op === Op.Bbci || op === Op.Bbsi) set(out, at, s, 1 << (((r & 1) << 4) | t), target);
  else set(out, at, s, t, target);
  return op;
}
