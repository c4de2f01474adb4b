/**
 * Xtensa LX106 disassembler for display (debugger views, traces, CLI). It prints exactly what
 * `xtensa-lx106-elf-objdump -d` (GNU binutils 2.40) prints for the same bytes at the same address,
 * except that objdump's symbol annotations (` <sym+0x10>`) are left to the caller
 * (see `DisasmOptions.formatTarget`).
 *
 * This is a decoder of its own, independent of the CPU core's: it exists to be readable and to
 * match objdump, not to be fast. Where objdump's decoder is more lenient than the ISA (it ignores
 * some reserved fields, and prints `excw` for every word it cannot decode) we follow objdump and
 * say so in a comment; `illegal` tells callers when the text is such a stand-in.
 *
 * Encoding summary (little-endian, w = b0 | b1 << 8 | b2 << 16):
 *   op0 = w[3:0]  t = w[7:4]  s = w[11:8]  r = w[15:12]  op1 = w[19:16]  op2 = w[23:20]
 *   imm8 = w[23:16]  imm12 = w[23:12]  imm16 = w[23:8]  offset18 = w[23:6]  n = w[5:4]  m = w[7:6]
 * Length comes from op0 alone: 0..7 → 3 bytes, 8..13 → 2 bytes (density), 14..15 → no instruction.
 */

export interface DisasmOptions {
  /**
   * Writes a branch, jump, call or L32R target address. Default: lowercase hex without `0x` or
   * leading zeros, which is how objdump prints an address in a file that has symbols (it then
   * appends ` <symbol+offset>`; pass a formatter to add your own annotation).
   */
  formatTarget?: (address: number) => string;
  /**
   * Reads the 32-bit literal an L32R loads, or returns undefined when it is not available.
   * objdump appends ` (<value>)` when the literal lies in the section being disassembled,
   * writing the value with the same address printer as targets (`formatTarget`).
   */
  readWord?: (address: number) => number | undefined;
}

export interface Disassembly {
  /** objdump's text: mnemonic, a tab, then the operands (`.byte 0x..` uses a space). */
  text: string;
  mnemonic: string;
  /** Operands as objdump prints them, `', '`-separated; empty when there are none. */
  operands: string;
  /** Bytes consumed: 3 or 2 for instructions, 1 for a `.byte` that starts no instruction. */
  length: 1 | 2 | 3;
  /** The absolute target of a branch, jump, CALL0 or L32R (the literal's address). */
  target?: number;
  /**
   * True when the bytes are not an instruction of this configuration and `text` is objdump's
   * stand-in for them (`excw` for an undecodable word, `.byte` for a byte that starts nothing).
   */
  illegal: boolean;
}

export interface DisassembledLine extends Disassembly {
  pc: number;
  /** The instruction's bytes as objdump's hex column shows them (the word, most significant first). */
  hex: string;
}

// b4const / b4constu: the immediate tables BxxI / BxxUI index with their r field.
const B4CONST = [-1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256];
const B4CONSTU = [32768, 65536, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256];

/** Special registers by number, as objdump names them per access (RSR/WSR/XSR). */
const SR_NAMES: Record<number, string> = {
  3: 'sar',
  5: 'litbase',
  89: 'mmid',
  96: 'ibreakenable',
  104: 'ddr',
  128: 'ibreaka0',
  144: 'dbreaka0',
  160: 'dbreakc0',
  // 176 (CONFIGID0) and 208 (CONFIGID1) have no name in this configuration: objdump prints numbers.
  176: '176',
  177: 'epc1',
  178: 'epc2',
  179: 'epc3',
  192: 'depc',
  194: 'eps2',
  195: 'eps3',
  208: '208',
  209: 'excsave1',
  210: 'excsave2',
  211: 'excsave3',
  226: 'interrupt', // RSR.INTERRUPT; the same number is WSR.INTSET
  227: 'intclear',
  228: 'intenable',
  230: 'ps',
  231: 'vecbase',
  232: 'exccause',
  233: 'debugcause',
  234: 'ccount',
  235: 'prid',
  236: 'icount',
  237: 'icountlevel',
  238: 'excvaddr',
  240: 'ccompare0',
};

/** Which special registers each access exists for (read-only / write-only ones differ). */
const RSR_ONLY = new Set([208, 226, 235]); // CONFIGID1, INTERRUPT, PRID
const WSR_ONLY = new Set([89, 227]); // MMID, INTCLEAR (and INTSET, handled by name)
const NO_XSR = new Set([176]); // CONFIGID0 can be read and written but not swapped

function srMnemonic(kind: 'rsr' | 'wsr' | 'xsr', sr: number): string | undefined {
  const name = SR_NAMES[sr];
  if (name === undefined) return undefined;
  if (kind === 'wsr') {
    if (RSR_ONLY.has(sr)) return sr === 226 ? 'wsr.intset' : undefined;
    return `wsr.${name}`;
  }
  if (WSR_ONLY.has(sr)) return undefined;
  if (kind === 'xsr' && (RSR_ONLY.has(sr) || NO_XSR.has(sr))) return undefined;
  return `${kind}.${name}`;
}

/** objdump writes immediates in decimal when -256 < v < 256 and as unsigned 32-bit hex otherwise. */
function imm(value: number): string {
  return value > -256 && value < 256 ? String(value) : `0x${(value >>> 0).toString(16)}`;
}

function reg(n: number): string {
  return `a${n}`;
}

function signExtend(value: number, bits: number): number {
  const shift = 32 - bits;
  return (value << shift) >> shift;
}

const hex = (value: number): string => (value >>> 0).toString(16);

/** An operand that is a code or literal address (printed via `formatTarget`). */
interface TargetOperand {
  address: number;
}
type Operand = string | TargetOperand;

interface Decoded {
  mnemonic: string;
  operands: Operand[];
  illegal?: boolean;
}

const op = (mnemonic: string, ...operands: Operand[]): Decoded => ({ mnemonic, operands });

/**
 * objdump (binutils 2.40, lx106 overlay) prints `excw` for every 2- or 3-byte word its decoder does
 * not recognise, instead of `.byte`: reproduced here, and flagged as illegal.
 */
const UNDECODABLE: Decoded = { mnemonic: 'excw', operands: [], illegal: true };

// ---------------------------------------------------------------------------------------------
// 24-bit instructions

function decode24(w: number, pc: number): Decoded {
  const op0 = w & 15;
  switch (op0) {
    case 0:
      return decodeQrst(w);
    case 1: {
      // L32R at, label (RI16): ((pc + 3) & ~3) + ((0xffff0000 | imm16) << 2)
      const imm16 = w >>> 8;
      const address = (((pc + 3) & ~3) + ((0xffff0000 | imm16) << 2)) >>> 0;
      return op('l32r', reg((w >> 4) & 15), { address });
    }
    case 2:
      return decodeLsai(w);
    case 5: {
      // CALLn (CALL format): only n = 0 (CALL0) exists without register windows.
      if (((w >> 4) & 3) !== 0) return UNDECODABLE;
      const offset = signExtend(w >>> 6, 18);
      return op('call0', { address: ((pc & ~3) + 4 + offset * 4) >>> 0 });
    }
    case 6:
      return decodeSi(w, pc);
    case 7:
      return decodeB(w, pc);
    default:
      // op0 3 (LSCI, FP loads), 4 (MAC16): options this core does not have.
      return UNDECODABLE;
  }
}

/** op0 = 0 (QRST): decoded by op1, then op2. */
function decodeQrst(w: number): Decoded {
  const t = (w >> 4) & 15;
  const s = (w >> 8) & 15;
  const r = (w >> 12) & 15;
  const op1 = (w >> 16) & 15;
  const op2 = (w >> 20) & 15;
  switch (op1) {
    case 0:
      return decodeRst0(op2, r, s, t);
    case 1:
      return decodeRst1(op2, r, s, t);
    case 2:
      // RST2: only MULL (op2 = 8); no MUL32_HIGH or DIV32.
      return op2 === 8 ? op('mull', reg(r), reg(s), reg(t)) : UNDECODABLE;
    case 3:
      return decodeRst3(op2, r, s, t);
    case 4:
    case 5:
      // EXTUI ar, at, shiftimm = {op1[0], s}, maskimm = op2 + 1
      return op('extui', reg(r), reg(t), imm(((op1 & 1) << 4) | s), imm(op2 + 1));
    default:
      return UNDECODABLE;
  }
}

const RST0_ARITH = ['add', 'addx2', 'addx4', 'addx8', 'sub', 'subx2', 'subx4', 'subx8'];

/** op0 = 0, op1 = 0 (RST0). */
function decodeRst0(op2: number, r: number, s: number, t: number): Decoded {
  switch (op2) {
    case 0:
      return decodeSt0(r, s, t);
    case 1:
      return op('and', reg(r), reg(s), reg(t));
    case 2:
      return op('or', reg(r), reg(s), reg(t));
    case 3:
      return op('xor', reg(r), reg(s), reg(t));
    case 4:
      return decodeSt1(r, s, t);
    case 5:
      return decodeTlb(r, s, t);
    case 6:
      // RT0: NEG (s = 0) / ABS (s = 1) ar, at
      if (s === 0) return op('neg', reg(r), reg(t));
      if (s === 1) return op('abs', reg(r), reg(t));
      return UNDECODABLE;
    default:
      if (op2 >= 8) return op(RST0_ARITH[op2 - 8]!, reg(r), reg(s), reg(t));
      return UNDECODABLE;
  }
}

const SYNC_BY_T: Record<number, string> = {
  0: 'isync',
  1: 'rsync',
  2: 'esync',
  3: 'dsync',
  8: 'excw',
  12: 'memw',
  13: 'extw',
  15: 'nop',
};

/** op0 = 0, op1 = 0, op2 = 0 (ST0): decoded by r. */
function decodeSt0(r: number, s: number, t: number): Decoded {
  const m = t >> 2;
  const n = t & 3;
  switch (r) {
    case 0: // SNM0 (CALLX format): decoded by m, n
      if (m === 0 && n === 0 && s === 0) return op('ill');
      // RET: the ISA reserves s = 0, but objdump ignores s here (and in RET.N).
      if (m === 2 && n === 0) return op('ret');
      if (m === 2 && n === 2) return op('jx', reg(s));
      if (m === 3 && n === 0) return op('callx0', reg(s));
      return UNDECODABLE;
    case 2: {
      const name = s === 0 ? SYNC_BY_T[t] : undefined;
      return name ? op(name) : UNDECODABLE;
    }
    case 3: // RFEI
      if (t === 0 && s === 0) return op('rfe');
      if (t === 0 && s === 2) return op('rfde');
      if (t === 1) return op('rfi', imm(s));
      return UNDECODABLE;
    case 4:
      return op('break', imm(s), imm(t));
    case 5:
      if (t === 0 && s === 0) return op('syscall');
      if (t === 0 && s === 1) return op('simcall');
      return UNDECODABLE;
    case 6:
      return op('rsil', reg(t), imm(s));
    case 7:
      return t === 0 ? op('waiti', imm(s)) : UNDECODABLE;
    default:
      return UNDECODABLE;
  }
}

/** op0 = 0, op1 = 0, op2 = 4 (ST1): shift-amount setup, NSA/NSAU, RER/WER. */
function decodeSt1(r: number, s: number, t: number): Decoded {
  switch (r) {
    case 0:
      return t === 0 ? op('ssr', reg(s)) : UNDECODABLE;
    case 1:
      return t === 0 ? op('ssl', reg(s)) : UNDECODABLE;
    case 2:
      return t === 0 ? op('ssa8l', reg(s)) : UNDECODABLE;
    case 3:
      return t === 0 ? op('ssa8b', reg(s)) : UNDECODABLE;
    case 4: // SSAI: sa = {t[0], s}
      return (t & 14) === 0 ? op('ssai', imm(((t & 1) << 4) | s)) : UNDECODABLE;
    case 6:
      return op('rer'); // the lx106 overlay gives RER/WER no operands
    case 7:
      return op('wer');
    case 14:
      return op('nsa', reg(t), reg(s));
    case 15:
      return op('nsau', reg(t), reg(s));
    default:
      return UNDECODABLE;
  }
}

/** op0 = 0, op1 = 0, op2 = 5: region-protection TLB access, by r. */
function decodeTlb(r: number, s: number, t: number): Decoded {
  const twoRegs: Record<number, string> = {
    3: 'ritlb0',
    5: 'pitlb',
    6: 'witlb',
    7: 'ritlb1',
    11: 'rdtlb0',
    13: 'pdtlb',
    14: 'wdtlb',
    15: 'rdtlb1',
  };
  const name = twoRegs[r];
  if (name) return op(name, reg(t), reg(s));
  if (r === 4 && t === 0) return op('iitlb', reg(s));
  if (r === 12 && t === 0) return op('idtlb', reg(s));
  return UNDECODABLE;
}

/** op0 = 0, op1 = 1 (RST1): immediate shifts, XSR, SAR shifts, MUL16, RFDO/RFDD. */
function decodeRst1(op2: number, r: number, s: number, t: number): Decoded {
  switch (op2) {
    case 0:
    case 1: // SLLI ar, as, 32 - {op2[0], t}
      return op('slli', reg(r), reg(s), imm(32 - (((op2 & 1) << 4) | t)));
    case 2:
    case 3: // SRAI ar, at, {op2[0], s}
      return op('srai', reg(r), reg(t), imm(((op2 & 1) << 4) | s));
    case 4:
      return op('srli', reg(r), reg(t), imm(s));
    case 6: {
      const name = srMnemonic('xsr', (r << 4) | s);
      return name ? op(name, reg(t)) : UNDECODABLE;
    }
    case 8:
      return op('src', reg(r), reg(s), reg(t));
    case 9:
      return s === 0 ? op('srl', reg(r), reg(t)) : UNDECODABLE;
    case 10:
      return t === 0 ? op('sll', reg(r), reg(s)) : UNDECODABLE;
    case 11:
      return s === 0 ? op('sra', reg(r), reg(t)) : UNDECODABLE;
    case 12:
      return op('mul16u', reg(r), reg(s), reg(t));
    case 13:
      return op('mul16s', reg(r), reg(s), reg(t));
    case 15: // IMP: OCD returns
      if (r === 14 && t === 0) return op('rfdo', imm(s));
      if (r === 14 && t === 1) return op('rfdd');
      return UNDECODABLE;
    default:
      return UNDECODABLE;
  }
}

const MOVE_CONDITIONAL = ['moveqz', 'movnez', 'movltz', 'movgez'];

/** op0 = 0, op1 = 3 (RST3): RSR, WSR and conditional moves. */
function decodeRst3(op2: number, r: number, s: number, t: number): Decoded {
  if (op2 === 0 || op2 === 1) {
    const name = srMnemonic(op2 === 0 ? 'rsr' : 'wsr', (r << 4) | s);
    return name ? op(name, reg(t)) : UNDECODABLE;
  }
  if (op2 >= 8 && op2 <= 11) return op(MOVE_CONDITIONAL[op2 - 8]!, reg(r), reg(s), reg(t));
  return UNDECODABLE;
}

/** op0 = 2 (LSAI, RRI8 format): loads, stores, MOVI, ADDI, ADDMI, decoded by r. */
function decodeLsai(w: number): Decoded {
  const t = (w >> 4) & 15;
  const s = (w >> 8) & 15;
  const r = (w >> 12) & 15;
  const imm8 = (w >> 16) & 255;
  const memory = (name: string, scale: number): Decoded =>
    op(name, reg(t), reg(s), imm(imm8 * scale));
  switch (r) {
    case 0:
      return memory('l8ui', 1);
    case 1:
      return memory('l16ui', 2);
    case 2:
      return memory('l32i', 4);
    case 4:
      return memory('s8i', 1);
    case 5:
      return memory('s16i', 2);
    case 6:
      return memory('s32i', 4);
    case 9:
      return memory('l16si', 2);
    case 10: // MOVI at, sext({s, imm8})
      return op('movi', reg(t), imm(signExtend((s << 8) | imm8, 12)));
    case 12:
      return op('addi', reg(t), reg(s), imm(signExtend(imm8, 8)));
    case 13:
      return op('addmi', reg(t), reg(s), imm(signExtend(imm8, 8) * 256));
    default:
      return UNDECODABLE;
  }
}

/** op0 = 6 (SI): J, and branches on one register against zero or a b4const immediate. */
function decodeSi(w: number, pc: number): Decoded {
  const n = (w >> 4) & 3;
  const m = (w >> 6) & 3;
  const s = (w >> 8) & 15;
  const r = (w >> 12) & 15;
  switch (n) {
    case 0: // J: pc + 4 + sext(offset18)
      return op('j', { address: (pc + 4 + signExtend(w >>> 6, 18)) >>> 0 });
    case 1: {
      // BZ (BRI12): beqz/bnez/bltz/bgez as, pc + 4 + sext(imm12)
      const name = ['beqz', 'bnez', 'bltz', 'bgez'][m]!;
      return op(name, reg(s), { address: (pc + 4 + signExtend(w >>> 12, 12)) >>> 0 });
    }
    case 2: {
      // BI0 (BRI8): beqi/bnei/blti/bgei as, b4const(r), pc + 4 + sext(imm8)
      const name = ['beqi', 'bnei', 'blti', 'bgei'][m]!;
      return op(name, reg(s), imm(B4CONST[r]!), { address: branch8Target(w, pc) });
    }
    default: {
      // BI1: m = 2/3 BLTUI/BGEUI with b4constu(r); m = 0 ENTRY and m = 1 (loops, BF/BT) absent.
      if (m < 2) return UNDECODABLE;
      const name = m === 2 ? 'bltui' : 'bgeui';
      return op(name, reg(s), imm(B4CONSTU[r]!), { address: branch8Target(w, pc) });
    }
  }
}

function branch8Target(w: number, pc: number): number {
  return (pc + 4 + signExtend(w >>> 16, 8)) >>> 0;
}

const BRANCH_TWO_REGS = [
  'bnone',
  'beq',
  'blt',
  'bltu',
  'ball',
  'bbc',
  'bbci',
  'bbci',
  'bany',
  'bne',
  'bge',
  'bgeu',
  'bnall',
  'bbs',
  'bbsi',
  'bbsi',
];

/** op0 = 7 (B, RRI8): two-register and bit-test branches, decoded by r. */
function decodeB(w: number, pc: number): Decoded {
  const t = (w >> 4) & 15;
  const s = (w >> 8) & 15;
  const r = (w >> 12) & 15;
  const name = BRANCH_TWO_REGS[r]!;
  const target = { address: branch8Target(w, pc) };
  // BBCI/BBSI: bit number = {r[0], t}
  if ((r & 6) === 6) return op(name, reg(s), imm(((r & 1) << 4) | t), target);
  return op(name, reg(s), reg(t), target);
}

// ---------------------------------------------------------------------------------------------
// 16-bit (code density) instructions

function decode16(w: number, pc: number): Decoded {
  const op0 = w & 15;
  const t = (w >> 4) & 15;
  const s = (w >> 8) & 15;
  const r = (w >> 12) & 15;
  switch (op0) {
    case 8: // L32I.N at, as, r << 2
      return op('l32i.n', reg(t), reg(s), imm(r * 4));
    case 9:
      return op('s32i.n', reg(t), reg(s), imm(r * 4));
    case 10:
      return op('add.n', reg(r), reg(s), reg(t));
    case 11: // ADDI.N ar, as, t (t = 0 encodes -1)
      return op('addi.n', reg(r), reg(s), imm(t === 0 ? -1 : t));
    case 12: {
      if ((t & 8) === 0) {
        // MOVI.N as, imm7 = {t[2:0], r} in -32..95
        const imm7 = ((t & 7) << 4) | r;
        return op('movi.n', reg(s), imm(imm7 >= 96 ? imm7 - 128 : imm7));
      }
      // BEQZ.N / BNEZ.N as, pc + 4 + imm6 (imm6 = {t[1:0], r}, forward only)
      const imm6 = ((t & 3) << 4) | r;
      return op((t & 4) === 0 ? 'beqz.n' : 'bnez.n', reg(s), { address: (pc + 4 + imm6) >>> 0 });
    }
    default: // 13: S3
      if (r === 0) return op('mov.n', reg(t), reg(s));
      if (r !== 15) return UNDECODABLE;
      if (t === 0) return op('ret.n'); // s is ignored, as for RET
      if (t === 2) return op('break.n', imm(s));
      if (t === 3 && s === 0) return op('nop.n');
      if (t === 6 && s === 0) return op('ill.n');
      return UNDECODABLE;
  }
}

// ---------------------------------------------------------------------------------------------
// Public API

/** Instruction length from the first byte: 3, 2, or 0 when no instruction starts with it. */
export function instructionLength(firstByte: number): 0 | 2 | 3 {
  const op0 = firstByte & 15;
  if (op0 < 8) return 3;
  return op0 < 14 ? 2 : 0;
}

function byteDirective(b0: number): Disassembly {
  // objdump formats the byte with printf's "%#02x": 0 is "00", anything else 0x-prefixed.
  const value = b0 & 255;
  const operands = value === 0 ? '00' : `0x${value.toString(16)}`;
  return { text: `.byte ${operands}`, mnemonic: '.byte', operands, length: 1, illegal: true };
}

/**
 * Disassembles one instruction at `pc`.
 * `code` is either the bytes starting at the instruction (a 3-byte instruction needs 3 of them;
 * too few give objdump's `.byte`) or the instruction word `b0 | b1 << 8 | b2 << 16`.
 */
export function disassemble(
  code: Uint8Array | number,
  pc: number,
  opts: DisasmOptions = {},
): Disassembly {
  let word: number;
  let available: number;
  if (typeof code === 'number') {
    word = code & 0xffffff;
    available = 3;
  } else {
    available = Math.min(code.length, 3);
    if (available === 0) throw new RangeError('disassemble: no bytes');
    word = code[0]! | ((code[1] ?? 0) << 8) | ((code[2] ?? 0) << 16);
  }
  const length = instructionLength(word & 255);
  if (length === 0 || length > available) return byteDirective(word);

  const decoded = length === 3 ? decode24(word, pc) : decode16(word & 0xffff, pc);
  const formatTarget = opts.formatTarget ?? hex;
  let target: number | undefined;
  const parts = decoded.operands.map((operand) => {
    if (typeof operand === 'string') return operand;
    target = operand.address;
    let text = formatTarget(operand.address);
    if (decoded.mnemonic === 'l32r') {
      const literal = opts.readWord?.(operand.address);
      // objdump prints the literal through the same address printer as the target.
      if (literal !== undefined) text += ` (${formatTarget(literal >>> 0)})`;
    }
    return text;
  });
  const operands = parts.join(', ');
  const text = operands ? `${decoded.mnemonic}\t${operands}` : decoded.mnemonic;
  const result: Disassembly = {
    text,
    mnemonic: decoded.mnemonic,
    operands,
    length,
    illegal: decoded.illegal === true,
  };
  if (target !== undefined) result.target = target;
  return result;
}

/**
 * Disassembles `bytes` (loaded at `startPc`) from start to end the way objdump walks a section:
 * each line advances by its length, a byte that starts no instruction (or a truncated
 * instruction at the end) becomes `.byte`. L32R literals that lie inside `bytes` are shown
 * unless `opts.readWord` says otherwise.
 */
export function disassembleRange(
  bytes: Uint8Array,
  startPc: number,
  opts: DisasmOptions = {},
): DisassembledLine[] {
  const readInside = (address: number): number | undefined => {
    const offset = (address - startPc) >>> 0;
    if (offset + 4 > bytes.length) return undefined;
    return (
      (bytes[offset]! |
        (bytes[offset + 1]! << 8) |
        (bytes[offset + 2]! << 16) |
        (bytes[offset + 3]! << 24)) >>>
      0
    );
  };
  const lineOpts: DisasmOptions = { ...opts, readWord: opts.readWord ?? readInside };
  const lines: DisassembledLine[] = [];
  for (let offset = 0; offset < bytes.length;) {
    const pc = (startPc + offset) >>> 0;
    const line = disassemble(bytes.subarray(offset, offset + 3), pc, lineOpts);
    let hexColumn = '';
    for (let k = line.length - 1; k >= 0; k--) {
      hexColumn += bytes[offset + k]!.toString(16).padStart(2, '0');
    }
    lines.push({ ...line, pc, hex: hexColumn });
    offset += line.length;
  }
  return lines;
}
