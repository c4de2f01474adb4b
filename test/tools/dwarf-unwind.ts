/**
 * A debugger's backtrace, as GDB builds one: the ELF's call-frame information (.debug_frame, DWARF
 * 2–4) says for every pc how to find the caller's stack pointer (the CFA) and where the return
 * address and saved registers are; the live registers and memory come from the target.
 *
 * Xtensa's DWARF numbering puts a0–a15 at 0–15; with the call0 ABI (the LX106 has no register
 * windows) a1 is the stack pointer and the return address column is a0. Only the rules GCC emits
 * for this target are decoded; anything else throws, so an unexpected encoding fails a test
 * instead of producing a wrong frame.
 */

export interface FrameRule {
  cfaRegister: number;
  cfaOffset: number;
  /** Registers saved in the frame: DWARF register -> offset from the CFA. */
  saved: Map<number, number>;
}

interface Cie {
  codeAlign: number;
  dataAlign: number;
  returnRegister: number;
  instructions: Uint8Array;
}

export interface Fde {
  start: number;
  end: number;
  cie: Cie;
  instructions: Uint8Array;
}

class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public pos = 0,
  ) {}
  get done(): boolean {
    return this.pos >= this.bytes.length;
  }
  u8(): number {
    return this.bytes[this.pos++];
  }
  u16(): number {
    return this.u8() | (this.u8() << 8);
  }
  u32(): number {
    return (this.u16() | (this.u16() << 16)) >>> 0;
  }
  uleb(): number {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.u8();
      value += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return value;
    }
  }
  sleb(): number {
    let value = 0;
    let shift = 0;
    let b: number;
    do {
      b = this.u8();
      value += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return b & 0x40 ? value - 2 ** shift : value;
  }
  cstring(): string {
    let s = '';
    for (let c = this.u8(); c !== 0; c = this.u8()) s += String.fromCharCode(c);
    return s;
  }
  slice(end: number): Uint8Array {
    const out = this.bytes.subarray(this.pos, end);
    this.pos = end;
    return out;
  }
}

/** The FDEs of a linked ELF's .debug_frame section (addresses already relocated). */
export function parseDebugFrame(section: Uint8Array): Fde[] {
  const r = new Reader(section);
  const cies = new Map<number, Cie>();
  const fdes: { start: number; end: number; ciePointer: number; instructions: Uint8Array }[] = [];
  while (!r.done) {
    const offset = r.pos;
    const length = r.u32();
    if (length === 0xffffffff) throw new Error('64-bit DWARF in .debug_frame');
    const end = r.pos + length;
    const id = r.u32();
    if (id === 0xffffffff) {
      const version = r.u8();
      const augmentation = r.cstring();
      if (augmentation !== '') throw new Error(`CIE augmentation "${augmentation}"`);
      if (version === 4) r.pos += 2; // address_size, segment_selector_size
      const codeAlign = r.uleb();
      const dataAlign = r.sleb();
      const returnRegister = version === 1 ? r.u8() : r.uleb();
      cies.set(offset, { codeAlign, dataAlign, returnRegister, instructions: r.slice(end) });
    } else {
      const start = r.u32();
      const range = r.u32();
      fdes.push({ start, end: start + range, ciePointer: id, instructions: r.slice(end) });
    }
    r.pos = end;
  }
  return fdes.map(({ ciePointer, ...fde }) => {
    const cie = cies.get(ciePointer);
    if (!cie) throw new Error(`FDE at 0x${fde.start.toString(16)} names no CIE`);
    return { ...fde, cie };
  });
}

/** The frame rule in effect at `pc` inside `fde`: the CIE's initial rule, then the FDE's rows. */
export function ruleAt(fde: Fde, pc: number): FrameRule {
  const rule: FrameRule = { cfaRegister: 1, cfaOffset: 0, saved: new Map() };
  const { codeAlign, dataAlign } = fde.cie;
  const initial = new Map<number, number>(); // the CIE's rules, for DW_CFA_restore
  const stack: FrameRule[] = [];
  let loc = fde.start;
  const run = (instructions: Uint8Array): boolean => {
    const r = new Reader(instructions);
    while (!r.done) {
      const op = r.u8();
      const advance = (delta: number) => {
        loc += delta * codeAlign;
        return loc > pc;
      };
      switch (op >> 6) {
        case 1: // DW_CFA_advance_loc
          if (advance(op & 0x3f)) return true;
          continue;
        case 2: // DW_CFA_offset
          rule.saved.set(op & 0x3f, r.uleb() * dataAlign);
          continue;
        case 3: {
          // DW_CFA_restore: back to the CIE's rule for the register
          const reg = op & 0x3f;
          const before = initial.get(reg);
          if (before === undefined) rule.saved.delete(reg);
          else rule.saved.set(reg, before);
          continue;
        }
      }
      switch (op) {
        case 0x00: // DW_CFA_nop
          break;
        case 0x02: // DW_CFA_advance_loc1
          if (advance(r.u8())) return true;
          break;
        case 0x03: // DW_CFA_advance_loc2
          if (advance(r.u16())) return true;
          break;
        case 0x04: // DW_CFA_advance_loc4
          if (advance(r.u32())) return true;
          break;
        case 0x05: // DW_CFA_offset_extended
          rule.saved.set(r.uleb(), r.uleb() * dataAlign);
          break;
        case 0x0a: // DW_CFA_remember_state
          stack.push({ ...rule, saved: new Map(rule.saved) });
          break;
        case 0x0b: // DW_CFA_restore_state
          Object.assign(rule, stack.pop());
          break;
        case 0x0c: // DW_CFA_def_cfa
          rule.cfaRegister = r.uleb();
          rule.cfaOffset = r.uleb();
          break;
        case 0x0d: // DW_CFA_def_cfa_register
          rule.cfaRegister = r.uleb();
          break;
        case 0x0e: // DW_CFA_def_cfa_offset
          rule.cfaOffset = r.uleb();
          break;
        default:
          throw new Error(`DW_CFA opcode 0x${op.toString(16)} not decoded`);
      }
    }
    return false;
  };
  run(fde.cie.instructions);
  for (const [reg, offset] of rule.saved) initial.set(reg, offset);
  run(fde.instructions);
  return rule;
}

export interface Frame {
  pc: number;
  /** The frame's CFA: the stack pointer its caller had at the call (DW_OP_call_frame_cfa). */
  cfa: number;
}

/**
 * Walks the stack from the current registers (a0–a15 as DWARF registers 0–15 and pc) until a
 * pc that no FDE covers (the ROM that called the program), a frame that makes no progress, or
 * `maxFrames`. Caller pcs are return addresses, so their FDE is looked up at pc - 1 (the call
 * may be a function's last instruction).
 */
export async function unwind(
  fdes: readonly Fde[],
  pc: number,
  registers: readonly number[],
  readWord: (addr: number) => Promise<number>,
  maxFrames = 16,
): Promise<Frame[]> {
  const frames: Frame[] = [];
  let regs = [...registers];
  for (let depth = 0; depth < maxFrames; depth++) {
    const lookup = depth === 0 ? pc : pc - 1;
    const fde = fdes.find((f) => lookup >= f.start && lookup < f.end);
    if (!fde) {
      frames.push({ pc, cfa: NaN });
      break;
    }
    const rule = ruleAt(fde, lookup);
    const cfa = (regs[rule.cfaRegister] + rule.cfaOffset) >>> 0;
    frames.push({ pc, cfa });
    const caller = [...regs];
    for (const [reg, offset] of rule.saved) caller[reg] = await readWord((cfa + offset) >>> 0);
    caller[1] = cfa;
    const returnAddress = caller[fde.cie.returnRegister];
    if (returnAddress === pc && cfa === regs[1]) break;
    pc = returnAddress;
    regs = caller;
  }
  return frames;
}
