/**
 * The special registers of the lx106 configuration, as one table: number, name, which of
 * RSR/WSR/XSR the assembler accepts for it, and which bits the hardware stores.
 *
 * Any SR number not in this table, and any access kind not listed for a number, decodes as an
 * illegal instruction (the overlay has no opcode for it). Bits outside `mask` read back as 0.
 */

export const enum SR {
  SAR = 3,
  LITBASE = 5,
  MMID = 89,
  IBREAKENABLE = 96,
  DDR = 104,
  IBREAKA0 = 128,
  DBREAKA0 = 144,
  DBREAKC0 = 160,
  CONFIGID0 = 176,
  EPC1 = 177,
  EPC2 = 178,
  EPC3 = 179,
  DEPC = 192,
  EPS2 = 194,
  EPS3 = 195,
  CONFIGID1 = 208,
  EXCSAVE1 = 209,
  EXCSAVE2 = 210,
  EXCSAVE3 = 211,
  /** RSR reads INTERRUPT, WSR writes INTSET (same number). */
  INTERRUPT = 226,
  INTCLEAR = 227,
  INTENABLE = 228,
  PS = 230,
  VECBASE = 231,
  EXCCAUSE = 232,
  DEBUGCAUSE = 233,
  CCOUNT = 234,
  PRID = 235,
  ICOUNT = 236,
  ICOUNTLEVEL = 237,
  EXCVADDR = 238,
  CCOMPARE0 = 240,
}

/** Access kinds, as bits. */
export const SR_READ = 1;
export const SR_WRITE = 2;
export const SR_EXCHANGE = 4;
const RWX = SR_READ | SR_WRITE | SR_EXCHANGE;

export interface SpecialRegisterInfo {
  readonly num: number;
  readonly name: string;
  readonly access: number;
  /** Bits the hardware keeps on a write. */
  readonly mask: number;
}

/** PS fields (XEA2 without windows or rings: 6 bits). */
export const PS_INTLEVEL = 0x0f;
export const PS_EXCM = 0x10;
export const PS_UM = 0x20;
export const PS_MASK = 0x3f;

/** Read-only identification values (core-isa.h of the lx106 configuration). */
export const CONFIGID0_VALUE = 0xc28cdafa;
export const CONFIGID1_VALUE = 0x1082b6f6;
/** PRID on the ESP8266 reads 0 in our model: the chip has a single core and nothing reads it. */
export const PRID_VALUE = 0;

export const SPECIAL_REGISTERS: readonly SpecialRegisterInfo[] = [
  // SAR holds 6 bits: SSL/SSA8B produce 32, WSR may write up to 63 (SRC then shifts a 64-bit pair).
  { num: SR.SAR, name: 'SAR', access: RWX, mask: 0x3f },
  { num: SR.LITBASE, name: 'LITBASE', access: RWX, mask: 0xfffff001 },
  { num: SR.MMID, name: 'MMID', access: SR_WRITE, mask: 0xffffffff },
  { num: SR.IBREAKENABLE, name: 'IBREAKENABLE', access: RWX, mask: 0x1 },
  { num: SR.DDR, name: 'DDR', access: RWX, mask: 0xffffffff },
  { num: SR.IBREAKA0, name: 'IBREAKA0', access: RWX, mask: 0xffffffff },
  { num: SR.DBREAKA0, name: 'DBREAKA0', access: RWX, mask: 0xffffffff },
  // DBREAKC: bits 5:0 mask, 30 load, 31 store.
  { num: SR.DBREAKC0, name: 'DBREAKC0', access: RWX, mask: 0xc000003f },
  // The assembler accepts WSR to 176; the value is fixed by the configuration.
  { num: SR.CONFIGID0, name: 'CONFIGID0', access: SR_READ | SR_WRITE, mask: 0 },
  { num: SR.EPC1, name: 'EPC1', access: RWX, mask: 0xffffffff },
  { num: SR.EPC2, name: 'EPC2', access: RWX, mask: 0xffffffff },
  { num: SR.EPC3, name: 'EPC3', access: RWX, mask: 0xffffffff },
  { num: SR.DEPC, name: 'DEPC', access: RWX, mask: 0xffffffff },
  { num: SR.EPS2, name: 'EPS2', access: RWX, mask: PS_MASK },
  { num: SR.EPS3, name: 'EPS3', access: RWX, mask: PS_MASK },
  { num: SR.CONFIGID1, name: 'CONFIGID1', access: SR_READ, mask: 0 },
  { num: SR.EXCSAVE1, name: 'EXCSAVE1', access: RWX, mask: 0xffffffff },
  { num: SR.EXCSAVE2, name: 'EXCSAVE2', access: RWX, mask: 0xffffffff },
  { num: SR.EXCSAVE3, name: 'EXCSAVE3', access: RWX, mask: 0xffffffff },
  // Reading 226 gives INTERRUPT, writing it is INTSET (only the software bit 7 is settable).
  { num: SR.INTERRUPT, name: 'INTERRUPT', access: SR_READ | SR_WRITE, mask: 0x80 },
  { num: SR.INTCLEAR, name: 'INTCLEAR', access: SR_WRITE, mask: 0x7f80 },
  { num: SR.INTENABLE, name: 'INTENABLE', access: RWX, mask: 0x7fff },
  { num: SR.PS, name: 'PS', access: RWX, mask: PS_MASK },
  // 25 stored bits: vectors sit on a 128-byte boundary.
  { num: SR.VECBASE, name: 'VECBASE', access: RWX, mask: 0xffffff80 },
  { num: SR.EXCCAUSE, name: 'EXCCAUSE', access: RWX, mask: 0x3f },
  { num: SR.DEBUGCAUSE, name: 'DEBUGCAUSE', access: RWX, mask: 0x3f },
  { num: SR.CCOUNT, name: 'CCOUNT', access: RWX, mask: 0xffffffff },
  { num: SR.PRID, name: 'PRID', access: SR_READ, mask: 0 },
  { num: SR.ICOUNT, name: 'ICOUNT', access: RWX, mask: 0xffffffff },
  { num: SR.ICOUNTLEVEL, name: 'ICOUNTLEVEL', access: RWX, mask: 0xf },
  { num: SR.EXCVADDR, name: 'EXCVADDR', access: RWX, mask: 0xffffffff },
  { num: SR.CCOMPARE0, name: 'CCOMPARE0', access: RWX, mask: 0xffffffff },
];

/** Access bits by SR number (0 = no such register: the opcode is illegal). */
export const SR_ACCESS = new Uint8Array(256);
/** Write masks by SR number. */
export const SR_WRITE_MASK = new Uint32Array(256);
/** Names by SR number (undefined when absent). */
export const SR_NAMES: (string | undefined)[] = new Array<string | undefined>(256);

for (const sr of SPECIAL_REGISTERS) {
  SR_ACCESS[sr.num] = sr.access;
  SR_WRITE_MASK[sr.num] = sr.mask;
  SR_NAMES[sr.num] = sr.name;
}

/** Number of RSR/WSR/XSR opcodes the table defines (86 for lx106). */
export function countSpecialRegisterOpcodes(): number {
  let n = 0;
  for (const sr of SPECIAL_REGISTERS) {
    if (sr.access & SR_READ) n++;
    if (sr.access & SR_WRITE) n++;
    if (sr.access & SR_EXCHANGE) n++;
  }
  return n;
}
