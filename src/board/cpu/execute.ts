/**
 * The dispatch loop: runs pre-decoded instructions until the slice ends, and the operation numbers
 * it switches on.
 *
 * The Op enum lives in this file on purpose: TypeScript transpilers inline `const enum` members
 * only within their own file, and the switch must see literal case labels to become a jump table.
 * Handlers read operands from the page's Int32Array entry [op, a, b, c] (layouts in decode.ts)
 * and advance the local `pc`; anything that makes an interrupt takeable lowers `cpu.sliceEnd` so the
 * run loop re-checks interrupts between instructions. Bus faults arrive as a thrown MemoryFault
 * and become an exception at the faulting instruction.
 */
import { DataBreak, ExcCause, MemoryFault, memoryFault } from './bus.ts';
import type { XtensaCpu } from './cpu.ts';
import { DEBUGCAUSE_DBREAK, enterDebugException, enterGeneralException } from './exceptions.ts';
import { probeTlb, readTlbEntry0, readTlbEntry1 } from './region-protection.ts';
import { SR } from './special-registers.ts';

// Local copies of hot constants (module imports are not constant-folded).
const PAGE_SHIFT = 12;
const PAGE_OFFSET_MASK = 0xfff;
const ACCESS_LOAD = 1;
const ACCESS_STORE = 2;
const PS_INTLEVEL = 0x0f;
const PS_EXCM = 0x10;
const PS_MASK = 0x3f;
const DEBUG_LEVEL = 2;
const NMI_LEVEL = 3;

/**
 * Operation numbers the decoder produces and the dispatch loop switches on.
 *
 * Numbers are dense from 1 (0 marks an undecoded cache entry) so the switch compiles to a jump
 * table. Narrow (.N) forms that are hot get their own number so the handler knows its length
 * without reading it; cold ops that exist in both lengths carry the length in an operand.
 * ADDMI shares ADDI (the decoder pre-shifts the immediate); MOV.N has its own op.
 */
export const enum Op {
  Undecoded = 0,
  // --- cold / system (operand layouts in decode.ts)
  Illegal,
  Nop3,
  Nop2,
  Native,
  Ret,
  RetN,
  Jx,
  Callx0,
  Rfe,
  Rfde,
  Rfi,
  Rfdo,
  Break,
  Syscall,
  Simcall,
  Rsil,
  Waiti,
  Rsr,
  Wsr,
  Xsr,
  Ritlb0,
  Ritlb1,
  Rdtlb0,
  Rdtlb1,
  Iitlb,
  Idtlb,
  Pitlb,
  Pdtlb,
  Witlb,
  Wdtlb,
  // --- ALU
  And,
  Or,
  Xor,
  Ssr,
  Ssl,
  Ssa8l,
  Ssa8b,
  Ssai,
  Nsa,
  Nsau,
  Neg,
  Abs,
  Add,
  Addx2,
  Addx4,
  Addx8,
  Sub,
  Subx2,
  Subx4,
  Subx8,
  Slli,
  Srai,
  Srli,
  Src,
  Srl,
  Sll,
  Sra,
  Mul16u,
  Mul16s,
  Mull,
  Moveqz,
  Movnez,
  Movltz,
  Movgez,
  Extui,
  // --- loads / stores / immediates
  L32r,
  L8ui,
  L16ui,
  L16si,
  L32i,
  S8i,
  S16i,
  S32i,
  Movi,
  Addi,
  // --- jumps and branches
  Call0,
  J,
  Beqz,
  Bnez,
  Bltz,
  Bgez,
  Beqi,
  Bnei,
  Blti,
  Bgei,
  Bltui,
  Bgeui,
  Bnone,
  Beq,
  Blt,
  Bltu,
  Ball,
  Bbc,
  Bbci,
  Bany,
  Bne,
  Bge,
  Bgeu,
  Bnall,
  Bbs,
  Bbsi,
  // --- density (16-bit)
  L32iN,
  S32iN,
  AddN,
  AddiN,
  MoviN,
  BeqzN,
  BnezN,
  MovN,
  // --- a branch that closes a poll loop (poll-loop.ts; its own op is kept there)
  PollBranch,
}

/**
 * Execute instructions until `cycles` reaches `sliceEnd`. Everything that changes interrupt
 * state lowers `sliceEnd`, so the run loop re-checks between instructions.
 */
/** Raise a synchronous exception for the instruction at `pc` (EXCVADDR untouched); new pc. */
function raise(cpu: XtensaCpu, pc: number, cause: number): number {
  cpu.pc = pc;
  enterGeneralException(cpu, cause, 0, false);
  return cpu.pc;
}

const NO_RAM8 = new Uint8Array(0);
const NO_RAM16 = new Uint16Array(0);
const NO_RAM32 = new Int32Array(0);

export function execute(cpu: XtensaCpu): void {
  const r = cpu.ar;
  const bus = cpu.bus;
  const dataAccess = cpu.regions.dataAccess;
  const decodedPages = cpu.decodedPages;
  // Plain RAM (the ESP8266's DRAM: stack, heap, data) is read and written here directly, as the
  // block compiler does: no bus call and no region dispatch for most loads and stores. A bus
  // without it (a data-breakpoint watch) takes every access itself.
  const ram = bus.plainRam;
  const ramBase = ram ? ram.base : 0;
  const ramSize = ram ? ram.size : 0;
  const ram8 = ram ? ram.u8 : NO_RAM8;
  const ram16 = ram ? ram.u16 : NO_RAM16;
  const ram32 = ram ? ram.i32 : NO_RAM32;
  let pc = cpu.pc;
  let pageNumber = -1;
  let page: Int32Array = cpu.emptyPage;
  let count = 0;
  try {
    while (cpu.cycles < cpu.sliceEnd) {
      if (pc >>> PAGE_SHIFT !== pageNumber) {
        pageNumber = pc >>> PAGE_SHIFT;
        page = cpu.pageFor(pageNumber);
      }
      const e = (pc & PAGE_OFFSET_MASK) << 2;
      cpu.cycles++;
      count++;
      let op = page[e];
      if (op === Op.Undecoded) {
        cpu.pc = pc;
        op = cpu.decodeAt(page, pc, e);
      }
      switch (op) {
        // ---------------- hot: density
        case Op.L32iN: {
          const addr = (r[page[e + 2]] + page[e + 3]) >>> 0;
          if (addr & 3) throw memoryFault(ExcCause.LoadStoreAlignment, addr);
          if ((dataAccess[addr >>> 29] & ACCESS_LOAD) === 0) {
            throw memoryFault(ExcCause.LoadProhibited, addr);
          }
          const off = (addr - ramBase) >>> 0;
          r[page[e + 1]] = off < ramSize ? ram32[off >>> 2] : bus.read32(addr);
          pc += 2;
          break;
        }
        case Op.S32iN: {
          const addr = (r[page[e + 2]] + page[e + 3]) >>> 0;
          if (addr & 3) throw memoryFault(ExcCause.LoadStoreAlignment, addr);
          if ((dataAccess[addr >>> 29] & ACCESS_STORE) === 0) {
            throw memoryFault(ExcCause.StoreProhibited, addr);
          }
          const off = (addr - ramBase) >>> 0;
          if (off < ramSize) ram32[off >>> 2] = r[page[e + 1]];
          else bus.write32(addr, r[page[e + 1]]);
          if (decodedPages[addr >>> PAGE_SHIFT] !== 0) cpu.invalidateCode(addr, 4);
          pc += 2;
          break;
        }
        case Op.AddN:
          r[page[e + 1]] = r[page[e + 2]] + r[page[e + 3]];
          pc += 2;
          break;
        case Op.AddiN:
          r[page[e + 1]] = r[page[e + 2]] + page[e + 3];
          pc += 2;
          break;
        case Op.MoviN:
          r[page[e + 1]] = page[e + 3];
          pc += 2;
          break;
        case Op.MovN:
          r[page[e + 1]] = r[page[e + 2]];
          pc += 2;
          break;
        case Op.BeqzN:
          pc = r[page[e + 1]] === 0 ? page[e + 3] >>> 0 : pc + 2;
          break;
        case Op.BnezN:
          pc = r[page[e + 1]] !== 0 ? page[e + 3] >>> 0 : pc + 2;
          break;
        case Op.RetN:
          pc = r[0] >>> 0;
          break;
        case Op.Nop2:
          pc += 2;
          break;
        case Op.PollBranch:
          pc = cpu.pollLoops.branch(cpu, pc, page[e + 1], page[e + 2]);
          break;

        // ---------------- ALU
        case Op.And:
          r[page[e + 1]] = r[page[e + 2]] & r[page[e + 3]];
          pc += 3;
          break;
        case Op.Or:
          r[page[e + 1]] = r[page[e + 2]] | r[page[e + 3]];
          pc += 3;
          break;
        case Op.Xor:
          r[page[e + 1]] = r[page[e + 2]] ^ r[page[e + 3]];
          pc += 3;
          break;
        case Op.Add:
          r[page[e + 1]] = r[page[e + 2]] + r[page[e + 3]];
          pc += 3;
          break;
        case Op.Addx2:
          r[page[e + 1]] = (r[page[e + 2]] << 1) + r[page[e + 3]];
          pc += 3;
          break;
        case Op.Addx4:
          r[page[e + 1]] = (r[page[e + 2]] << 2) + r[page[e + 3]];
          pc += 3;
          break;
        case Op.Addx8:
          r[page[e + 1]] = (r[page[e + 2]] << 3) + r[page[e + 3]];
          pc += 3;
          break;
        case Op.Sub:
          r[page[e + 1]] = r[page[e + 2]] - r[page[e + 3]];
          pc += 3;
          break;
        case Op.Subx2:
          r[page[e + 1]] = (r[page[e + 2]] << 1) - r[page[e + 3]];
          pc += 3;
          break;
        case Op.Subx4:
          r[page[e + 1]] = (r[page[e + 2]] << 2) - r[page[e + 3]];
          pc += 3;
          break;
        case Op.Subx8:
          r[page[e + 1]] = (r[page[e + 2]] << 3) - r[page[e + 3]];
          pc += 3;
          break;
        case Op.Neg:
          r[page[e + 1]] = -r[page[e + 2]];
          pc += 3;
          break;
        case Op.Abs: {
          const v = r[page[e + 2]];
          r[page[e + 1]] = v < 0 ? -v : v; // −2^31 stays −2^31 through the int32 store
          pc += 3;
          break;
        }
        case Op.Nsa: {
          const v = r[page[e + 2]];
          r[page[e + 1]] = Math.clz32(v < 0 ? ~v : v) - 1; // 0 and −1 → 31
          pc += 3;
          break;
        }
        case Op.Nsau:
          r[page[e + 1]] = Math.clz32(r[page[e + 2]]);
          pc += 3;
          break;
        case Op.Mul16u:
          r[page[e + 1]] = (r[page[e + 2]] & 0xffff) * (r[page[e + 3]] & 0xffff);
          pc += 3;
          break;
        case Op.Mul16s:
          r[page[e + 1]] = ((r[page[e + 2]] << 16) >> 16) * ((r[page[e + 3]] << 16) >> 16);
          pc += 3;
          break;
        case Op.Mull:
          r[page[e + 1]] = Math.imul(r[page[e + 2]], r[page[e + 3]]);
          pc += 3;
          break;
        case Op.Moveqz:
          if (r[page[e + 3]] === 0) r[page[e + 1]] = r[page[e + 2]];
          pc += 3;
          break;
        case Op.Movnez:
          if (r[page[e + 3]] !== 0) r[page[e + 1]] = r[page[e + 2]];
          pc += 3;
          break;
        case Op.Movltz:
          if (r[page[e + 3]] < 0) r[page[e + 1]] = r[page[e + 2]];
          pc += 3;
          break;
        case Op.Movgez:
          if (r[page[e + 3]] >= 0) r[page[e + 1]] = r[page[e + 2]];
          pc += 3;
          break;
        case Op.Extui: {
          const a = page[e + 1];
          r[a & 15] = (r[page[e + 2]] >>> (a >>> 8)) & page[e + 3];
          pc += 3;
          break;
        }

        // ---------------- shifts
        case Op.Slli: {
          const sa = page[e + 3];
          r[page[e + 1]] = sa === 32 ? 0 : r[page[e + 2]] << sa;
          pc += 3;
          break;
        }
        case Op.Srai:
          r[page[e + 1]] = r[page[e + 2]] >> page[e + 3];
          pc += 3;
          break;
        case Op.Srli:
          r[page[e + 1]] = r[page[e + 2]] >>> page[e + 3];
          pc += 3;
          break;
        case Op.Src:
          r[page[e + 1]] = funnelShift(r[page[e + 2]], r[page[e + 3]], cpu.sar);
          pc += 3;
          break;
        case Op.Srl:
          r[page[e + 1]] = funnelShift(0, r[page[e + 2]], cpu.sar);
          pc += 3;
          break;
        case Op.Sra: {
          // The operand is sign-extended to 64 bits, so shifts of 32 and more leave the sign.
          const sa = cpu.sar;
          r[page[e + 1]] = r[page[e + 2]] >> (sa < 32 ? sa : 31);
          pc += 3;
          break;
        }
        case Op.Sll:
          r[page[e + 1]] = funnelShift(r[page[e + 2]], 0, cpu.sar);
          pc += 3;
          break;
        case Op.Ssr:
          cpu.sar = r[page[e + 1]] & 31;
          pc += 3;
          break;
        case Op.Ssl:
          cpu.sar = 32 - (r[page[e + 1]] & 31);
          pc += 3;
          break;
        case Op.Ssa8l:
          cpu.sar = (r[page[e + 1]] & 3) << 3;
          pc += 3;
          break;
        case Op.Ssa8b:
          cpu.sar = 32 - ((r[page[e + 1]] & 3) << 3);
          pc += 3;
          break;
        case Op.Ssai:
          cpu.sar = page[e + 1];
          pc += 3;
          break;

        // ---------------- loads, stores, immediates
        case Op.L32r: {
          const addr = page[e + 3] >>> 0;
          if ((dataAccess[addr >>> 29] & ACCESS_LOAD) === 0) {
            throw memoryFault(ExcCause.LoadProhibited, addr);
          }
          r[page[e + 1]] = bus.read32(addr);
          pc += 3;
          break;
        }
        case Op.L8ui: {
          const addr = (r[page[e + 2]] + page[e + 3]) >>> 0;
          if ((dataAccess[addr >>> 29] & ACCESS_LOAD) === 0) {
            throw memoryFault(ExcCause.LoadProhibited, addr);
          }
          const off = (addr - ramBase) >>> 0;
          r[page[e + 1]] = off < ramSize ? ram8[off] : bus.read8(addr) & 0xff;
          pc += 3;
          break;
        }
        case Op.L16ui: {
          const addr = (r[page[e + 2]] + page[e + 3]) >>> 0;
          if (addr & 1) throw memoryFault(ExcCause.LoadStoreAlignment, addr);
          if ((dataAccess[addr >>> 29] & ACCESS_LOAD) === 0) {
            throw memoryFault(ExcCause.LoadProhibited, addr);
          }
          const off = (addr - ramBase) >>> 0;
          r[page[e + 1]] = off < ramSize ? ram16[off >>> 1] : bus.read16(addr) & 0xffff;
          pc += 3;
          break;
        }
        case Op.L16si: {
          const addr = (r[page[e + 2]] + page[e + 3]) >>> 0;
          if (addr & 1) throw memoryFault(ExcCause.LoadStoreAlignment, addr);
          if ((dataAccess[addr >>> 29] & ACCESS_LOAD) === 0) {
            throw memoryFault(ExcCause.LoadProhibited, addr);
          }
          const off = (addr - ramBase) >>> 0;
          r[page[e + 1]] = ((off < ramSize ? ram16[off >>> 1] : bus.read16(addr)) << 16) >> 16;
          pc += 3;
          break;
        }
        case Op.L32i: {
          const addr = (r[page[e + 2]] + page[e + 3]) >>> 0;
          if (addr & 3) throw memoryFault(ExcCause.LoadStoreAlignment, addr);
          if ((dataAccess[addr >>> 29] & ACCESS_LOAD) === 0) {
            throw memoryFault(ExcCause.LoadProhibited, addr);
          }
          const off = (addr - ramBase) >>> 0;
          r[page[e + 1]] = off < ramSize ? ram32[off >>> 2] : bus.read32(addr);
          pc += 3;
          break;
        }
        case Op.S8i: {
          const addr = (r[page[e + 2]] + page[e + 3]) >>> 0;
          if ((dataAccess[addr >>> 29] & ACCESS_STORE) === 0) {
            throw memoryFault(ExcCause.StoreProhibited, addr);
          }
          const off = (addr - ramBase) >>> 0;
          if (off < ramSize) ram8[off] = r[page[e + 1]];
          else bus.write8(addr, r[page[e + 1]] & 0xff);
          if (decodedPages[addr >>> PAGE_SHIFT] !== 0) cpu.invalidateCode(addr, 1);
          pc += 3;
          break;
        }
        case Op.S16i: {
          const addr = (r[page[e + 2]] + page[e + 3]) >>> 0;
          if (addr & 1) throw memoryFault(ExcCause.LoadStoreAlignment, addr);
          if ((dataAccess[addr >>> 29] & ACCESS_STORE) === 0) {
            throw memoryFault(ExcCause.StoreProhibited, addr);
          }
          const off = (addr - ramBase) >>> 0;
          if (off < ramSize) ram16[off >>> 1] = r[page[e + 1]];
          else bus.write16(addr, r[page[e + 1]] & 0xffff);
          if (decodedPages[addr >>> PAGE_SHIFT] !== 0) cpu.invalidateCode(addr, 2);
          pc += 3;
          break;
        }
        case Op.S32i: {
          const addr = (r[page[e + 2]] + page[e + 3]) >>> 0;
          if (addr & 3) throw memoryFault(ExcCause.LoadStoreAlignment, addr);
          if ((dataAccess[addr >>> 29] & ACCESS_STORE) === 0) {
            throw memoryFault(ExcCause.StoreProhibited, addr);
          }
          const off = (addr - ramBase) >>> 0;
          if (off < ramSize) ram32[off >>> 2] = r[page[e + 1]];
          else bus.write32(addr, r[page[e + 1]]);
          if (decodedPages[addr >>> PAGE_SHIFT] !== 0) cpu.invalidateCode(addr, 4);
          pc += 3;
          break;
        }
        case Op.Movi:
          r[page[e + 1]] = page[e + 3];
          pc += 3;
          break;
        case Op.Addi:
          r[page[e + 1]] = r[page[e + 2]] + page[e + 3];
          pc += 3;
          break;

        // ---------------- jumps and calls
        case Op.J:
          pc = page[e + 3] >>> 0;
          break;
        case Op.Call0:
          r[0] = pc + 3;
          pc = page[e + 3] >>> 0;
          break;
        case Op.Callx0: {
          const target = r[page[e + 1]] >>> 0;
          r[0] = pc + 3;
          pc = target;
          break;
        }
        case Op.Jx:
          pc = r[page[e + 1]] >>> 0;
          break;
        case Op.Ret:
          pc = r[0] >>> 0;
          break;

        // ---------------- branches
        case Op.Beqz:
          pc = r[page[e + 1]] === 0 ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Bnez:
          pc = r[page[e + 1]] !== 0 ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Bltz:
          pc = r[page[e + 1]] < 0 ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Bgez:
          pc = r[page[e + 1]] >= 0 ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Beqi:
          pc = r[page[e + 1]] === page[e + 2] ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Bnei:
          pc = r[page[e + 1]] !== page[e + 2] ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Blti:
          pc = r[page[e + 1]] < page[e + 2] ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Bgei:
          pc = r[page[e + 1]] >= page[e + 2] ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Bltui:
          pc = r[page[e + 1]] >>> 0 < page[e + 2] ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Bgeui:
          pc = r[page[e + 1]] >>> 0 >= page[e + 2] ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Bnone:
          pc = (r[page[e + 1]] & r[page[e + 2]]) === 0 ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Bany:
          pc = (r[page[e + 1]] & r[page[e + 2]]) !== 0 ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Ball:
          pc = (~r[page[e + 1]] & r[page[e + 2]]) === 0 ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Bnall:
          pc = (~r[page[e + 1]] & r[page[e + 2]]) !== 0 ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Beq:
          pc = r[page[e + 1]] === r[page[e + 2]] ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Bne:
          pc = r[page[e + 1]] !== r[page[e + 2]] ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Blt:
          pc = r[page[e + 1]] < r[page[e + 2]] ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Bge:
          pc = r[page[e + 1]] >= r[page[e + 2]] ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Bltu:
          pc = r[page[e + 1]] >>> 0 < r[page[e + 2]] >>> 0 ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Bgeu:
          pc = r[page[e + 1]] >>> 0 >= r[page[e + 2]] >>> 0 ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Bbc:
          pc = (r[page[e + 1]] & (1 << (r[page[e + 2]] & 31))) === 0 ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Bbs:
          pc = (r[page[e + 1]] & (1 << (r[page[e + 2]] & 31))) !== 0 ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Bbci:
          pc = (r[page[e + 1]] & page[e + 2]) === 0 ? page[e + 3] >>> 0 : pc + 3;
          break;
        case Op.Bbsi:
          pc = (r[page[e + 1]] & page[e + 2]) !== 0 ? page[e + 3] >>> 0 : pc + 3;
          break;

        // ---------------- special registers
        case Op.Rsr:
          r[page[e + 1]] = cpu.readSpecial(page[e + 2]);
          pc += 3;
          break;
        case Op.Wsr:
          cpu.writeSpecial(page[e + 2], r[page[e + 1]]);
          pc += 3;
          break;
        case Op.Xsr: {
          const t = page[e + 1];
          const sr = page[e + 2];
          const old = cpu.readSpecial(sr);
          cpu.writeSpecial(sr, r[t]);
          r[t] = old;
          pc += 3;
          break;
        }
        case Op.Rsil:
          r[page[e + 1]] = cpu.ps;
          cpu.ps = (cpu.ps & ~PS_INTLEVEL) | page[e + 2];
          if (page[e + 2] < NMI_LEVEL) cpu.leaveNmi();
          if (cpu.interruptTakeable()) cpu.sliceEnd = 0;
          pc += 3;
          break;

        // ---------------- region protection
        case Op.Ritlb0:
        case Op.Rdtlb0:
          r[page[e + 1]] = readTlbEntry0(r[page[e + 2]]);
          pc += 3;
          break;
        case Op.Ritlb1: {
          const v = r[page[e + 2]];
          r[page[e + 1]] = readTlbEntry1(v, cpu.regions.itlb[v >>> 29]);
          pc += 3;
          break;
        }
        case Op.Rdtlb1: {
          const v = r[page[e + 2]];
          r[page[e + 1]] = readTlbEntry1(v, cpu.regions.dtlb[v >>> 29]);
          pc += 3;
          break;
        }
        case Op.Pitlb:
        case Op.Pdtlb:
          r[page[e + 1]] = probeTlb(r[page[e + 2]]);
          pc += 3;
          break;
        case Op.Iitlb:
        case Op.Idtlb:
          // Region entries are permanent: invalidating one changes nothing.
          pc += 3;
          break;
        case Op.Witlb:
          cpu.regions.setInstructionAttribute(r[page[e + 2]] >>> 29, r[page[e + 1]]);
          cpu.invalidateAllCode(); // cached decodes were fetched under the old attributes
          pc += 3;
          break;
        case Op.Wdtlb:
          cpu.regions.setDataAttribute(r[page[e + 2]] >>> 29, r[page[e + 1]]);
          pc += 3;
          break;

        // ---------------- system
        case Op.Nop3:
          pc += 3;
          break;
        case Op.Native:
          cpu.pc = pc;
          cpu.nativeRunning = true;
          cpu.natives[page[e + 1]](cpu);
          cpu.nativeRunning = false;
          pc = cpu.pc;
          break;
        case Op.Illegal:
          pc = raise(cpu, pc, ExcCause.IllegalInstruction);
          break;
        case Op.Syscall:
          pc = raise(cpu, pc, ExcCause.Syscall);
          break;
        case Op.Simcall: {
          const handler = cpu.onSimcall;
          if (handler === null) {
            pc = raise(cpu, pc, ExcCause.IllegalInstruction);
            break;
          }
          cpu.pc = pc + 3;
          handler(cpu);
          pc = cpu.pc;
          break;
        }
        case Op.Break:
          if ((cpu.ps & PS_INTLEVEL) < DEBUG_LEVEL) {
            cpu.pc = pc;
            enterDebugException(cpu, page[e + 1]);
            pc = cpu.pc;
          } else {
            pc += page[e + 2];
          }
          break;
        case Op.Rfe:
          cpu.ps &= ~PS_EXCM;
          pc = cpu.sr[SR.EPC1];
          if (cpu.interruptTakeable()) cpu.sliceEnd = 0;
          break;
        case Op.Rfde:
          cpu.ps &= ~PS_EXCM;
          pc = cpu.sr[SR.DEPC];
          if (cpu.interruptTakeable()) cpu.sliceEnd = 0;
          break;
        case Op.Rfi: {
          const level = page[e + 1];
          cpu.ps = cpu.sr[SR.EPS2 + level - 2] & PS_MASK;
          pc = cpu.sr[SR.EPC1 + level - 1];
          if (level === NMI_LEVEL) cpu.servicingNmi = false;
          if (cpu.interruptTakeable()) cpu.sliceEnd = 0;
          break;
        }
        case Op.Rfdo:
          cpu.ps = cpu.sr[SR.EPS2] & PS_MASK;
          pc = cpu.sr[SR.EPC2];
          if (cpu.interruptTakeable()) cpu.sliceEnd = 0;
          break;
        case Op.Waiti:
          cpu.ps = (cpu.ps & ~PS_INTLEVEL) | page[e + 1];
          if (page[e + 1] < NMI_LEVEL) cpu.leaveNmi();
          cpu.halted = true;
          cpu.sliceEnd = 0;
          pc += 3;
          break;
        default:
          pc = raise(cpu, pc, ExcCause.IllegalInstruction);
      }
    }
  } catch (err) {
    cpu.nativeRunning = false;
    if (err instanceof DataBreak) {
      // The load or store has not run: the core stops before it, as the chip takes DBREAK.
      cpu.pc = pc;
      cpu.cycles--;
      cpu.instructions += count - 1;
      enterDebugException(cpu, DEBUGCAUSE_DBREAK);
      return;
    }
    if (!(err instanceof MemoryFault)) {
      cpu.pc = pc;
      cpu.instructions += count;
      throw err;
    }
    cpu.pc = pc;
    cpu.instructions += count;
    enterGeneralException(cpu, err.cause, err.vaddr, true);
    return;
  }
  cpu.pc = pc;
  cpu.instructions += count;
}

/** ({hi, lo} >> sa)[31:0] for sa 0..63: the ISA's SRC/SRL/SRA/SLL (SAR = 32 is well defined). */
function funnelShift(hi: number, lo: number, sa: number): number {
  if (sa === 0) return lo;
  if (sa < 32) return (lo >>> sa) | (hi << (32 - sa));
  if (sa === 32) return hi;
  return hi >>> (sa - 32);
}
