/**
 * The block compiler: hot guest code becomes JavaScript functions (`new Function`), one per
 * *region* — the basic blocks reachable from an entry address by direct branches, calls and
 * call returns, within 64 KB of it — so loops and calls run without returning to the dispatcher.
 *
 * A region function runs blocks while they fit in the slice: every block starts with a budget
 * check (`c0 + n + length <= cpu.sliceEnd`), so it never runs past the cycle the interpreter
 * would stop at; the dispatcher interprets what is left. It returns the instructions it executed
 * (1 cycle each, as in the interpreter) and leaves `cpu.pc` at the next instruction.
 *
 * What keeps it exact, instruction for instruction equal to execute.ts:
 * - registers live in `cpu.ar` (no caching), so a fault leaves them as the interpreter would;
 * - before every memory access or special-register call, `cpu.cycles` is set to the value the
 *   interpreter has at that instruction (MMIO reads of timers see the same time) and `f` holds
 *   its pc; a thrown MemoryFault is caught, `cpu.pc = f`, and rethrown to the dispatcher, which
 *   enters the exception exactly as the interpreter does;
 * - after every bus access, a lowered `cpu.sliceEnd` (an interrupt raised by MMIO, an earlier
 *   alarm, requestStop, or code invalidated under us) ends the region right after that
 *   instruction — where the interpreter would also stop and check interrupts;
 * - the core's own stores drop decoded code as in the interpreter (`dp` = decodedPages);
 *   invalidating a compiled region lowers `sliceEnd`, so a region that rewrote itself stops;
 * - anything it does not translate (natives, exceptions-raising ops, RFE/RFI, WAITI, TLB ops,
 *   SIMCALL, BREAK, illegal encodings) ends the block before it: the interpreter runs it.
 */
import { MemoryFault, memoryFault, type PlainRam } from './bus.ts';
import type { XtensaCpu } from './cpu.ts';
import { Op } from './execute.ts';

const PAGE_SHIFT = 12;
const PAGE_BYTES = 1 << PAGE_SHIFT;
const PAGE_OFFSET_MASK = PAGE_BYTES - 1;
/** Blocks of a region lie within this distance of its entry (switch cases stay small integers). */
const REGION_REACH = 0x4000000;
/** Most blocks in one region, and instructions in one block (bounds compile time and size). */
const MAX_BLOCKS = 16;
const MAX_BLOCK_INSNS = 64;
const MAX_REGION_INSNS = 1500;

/**
 * A compiled region: `run()` executes from `cpu.pc` (= entry) and returns the instructions it
 * executed, leaving `cpu.cycles` for the caller to advance (a double argument would be boxed on
 * every call).
 */
export interface Region {
  readonly entry: number;
  readonly run: () => number;
  /** [start, end) byte ranges of the guest code it was translated from (for invalidation). */
  readonly ranges: Int32Array;
  /** Length of the generated source (the cache's size budget counts it). */
  readonly size: number;
  /** The 4 KB pages its code comes from. */
  readonly pages: number[];
  /** Set when invalidation drops it. */
  dead: boolean;
}

/** Ops whose block ends after them (control transfers and state that can raise interrupts). */
export function endsBlock(op: Op): boolean {
  return (
    (op >= Op.Call0 && op <= Op.Bbsi) ||
    op === Op.BeqzN ||
    op === Op.BnezN ||
    op === Op.Ret ||
    op === Op.RetN ||
    op === Op.Jx ||
    op === Op.Callx0 ||
    op === Op.Wsr ||
    op === Op.Xsr ||
    op === Op.Rsil
  );
}

/** True for ops the compiler translates. */
export function isCompilable(op: Op): boolean {
  switch (op) {
    case Op.Undecoded:
    case Op.Illegal:
    case Op.Native:
    case Op.Rfe:
    case Op.Rfde:
    case Op.Rfi:
    case Op.Rfdo:
    case Op.Break:
    case Op.Syscall:
    case Op.Simcall:
    case Op.Waiti:
    case Op.Ritlb0:
    case Op.Ritlb1:
    case Op.Rdtlb0:
    case Op.Rdtlb1:
    case Op.Iitlb:
    case Op.Idtlb:
    case Op.Pitlb:
    case Op.Pdtlb:
    case Op.Witlb:
    case Op.Wdtlb:
      return false;
    default:
      return op > Op.Undecoded && op <= Op.MovN;
  }
}

/** Length in bytes of a decoded instruction with this op (the compilable ones). */
export function instructionBytes(op: Op): number {
  return op >= Op.L32iN || op === Op.Nop2 || op === Op.RetN ? 2 : 3;
}

interface DecodedInsn {
  pc: number;
  op: Op;
  a: number;
  b: number;
  c: number;
  len: number;
}

/** The decoded instruction at `pc`, or null when it cannot be decoded (fetch fault). */
function decodedAt(cpu: XtensaCpu, pc: number): DecodedInsn | null {
  const page = cpu.pageFor(pc >>> PAGE_SHIFT);
  const e = (pc & PAGE_OFFSET_MASK) << 2;
  let op = page[e] as Op;
  if (op === Op.Undecoded) {
    try {
      op = cpu.decodeAt(page, pc, e) as Op;
    } catch (err) {
      if (err instanceof MemoryFault) return null;
      throw err;
    }
  }
  return { pc, op, a: page[e + 1], b: page[e + 2], c: page[e + 3], len: instructionBytes(op) };
}

/** The instructions of the basic block at `pc` the compiler can translate (maybe none). */
function scanBlock(cpu: XtensaCpu, start: number): DecodedInsn[] {
  const insns: DecodedInsn[] = [];
  let pc = start;
  // A block may run on into the next page (the region is then listed on both, for invalidation).
  while (insns.length < MAX_BLOCK_INSNS) {
    const insn = decodedAt(cpu, pc);
    if (insn === null || !isCompilable(insn.op)) break;
    insns.push(insn);
    pc += insn.len;
    if (endsBlock(insn.op)) break;
  }
  return insns;
}

/**
 * Successors of a block that could stay inside the region: direct targets, and the target of an
 * indirect call or jump whose register the block loaded from a literal (`l32r a0, f; callx0 a0`,
 * how `-mlongcalls` code — all ESP8266 firmware — calls every function). That target is only a
 * hint read now: the generated code still jumps to whatever the register holds at run time.
 */
function successors(cpu: XtensaCpu, insns: DecodedInsn[]): number[] {
  const last = insns[insns.length - 1];
  const next = last.pc + last.len;
  const op = last.op;
  if (op === Op.J) return [last.c >>> 0];
  if (op === Op.Call0) return [last.c >>> 0, next]; // the callee's RET lands at `next`
  if (op === Op.Callx0 || op === Op.Jx) {
    const target = literalTarget(cpu, insns, last.a);
    const out = target === undefined ? [] : [target];
    if (op === Op.Callx0) out.push(next);
    return out;
  }
  if (op === Op.Ret || op === Op.RetN) return [];
  if ((op >= Op.Beqz && op <= Op.Bbsi) || op === Op.BeqzN || op === Op.BnezN) {
    return [last.c >>> 0, next];
  }
  return [next];
}

/** The literal an `l32r` earlier in the block left in register `reg`, if nothing wrote it since. */
function literalTarget(cpu: XtensaCpu, insns: DecodedInsn[], reg: number): number | undefined {
  for (let i = insns.length - 2; i >= 0; i--) {
    const insn = insns[i];
    if (insn.op === Op.L32r && insn.a === reg) return peekWord(cpu, insn.c >>> 0);
    if (writesRegister(insn, reg)) return undefined;
  }
  return undefined;
}

/** Whether `insn` may write address register `reg` (conservative: unknown ops say yes). */
function writesRegister(insn: DecodedInsn, reg: number): boolean {
  switch (insn.op) {
    case Op.S8i:
    case Op.S16i:
    case Op.S32i:
    case Op.S32iN:
    case Op.Nop2:
    case Op.Nop3:
    case Op.Ssr:
    case Op.Ssl:
    case Op.Ssa8l:
    case Op.Ssa8b:
    case Op.Ssai:
    case Op.Wsr:
      return false;
    case Op.Extui:
      return (insn.a & 15) === reg;
    default:
      return insn.a === reg || reg === 0;
  }
}

/**
 * The value an L32R of `addr` loads, when it can be read now and trusted for as long as the region
 * lives: code memory (ROM, IRAM, the flash window: the decoder's own source, whose every change
 * already drops translated code), aligned, and loadable under the current region protection
 * (changing that drops every region). Else undefined: the region reads it through the bus.
 */
function constantLiteral(cpu: XtensaCpu, addr: number): number | undefined {
  if ((cpu.regions.dataAccess[addr >>> 29] & 1) === 0) return undefined;
  return peekWord(cpu, addr);
}

/** The 32-bit word at `addr` read as code is (no side effect), or undefined when not code. */
function peekWord(cpu: XtensaCpu, addr: number): number | undefined {
  if (addr & 3) return undefined;
  try {
    return ((cpu.bus.fetch(addr) & 0xffff) | (cpu.bus.fetch(addr + 2) << 16)) >>> 0;
  } catch (err) {
    if (err instanceof MemoryFault) return undefined;
    throw err;
  }
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;

/** Translate the region that starts at `entry`; null when its first instruction is not compilable. */
export function compileRegion(cpu: XtensaCpu, entry: number): Region | null {
  // The switch is on the offset from the entry's page: small integers.
  const base = entry & ~PAGE_OFFSET_MASK;
  const blocks = new Map<number, DecodedInsn[]>();
  const queue = [entry];
  let total = 0;
  while (queue.length > 0 && blocks.size < MAX_BLOCKS && total < MAX_REGION_INSNS) {
    const pc = queue.shift()!;
    if (blocks.has(pc) || Math.abs(pc - base) > REGION_REACH) continue;
    const insns = scanBlock(cpu, pc);
    if (insns.length === 0) {
      if (pc === entry) return null;
      continue;
    }
    blocks.set(pc, insns);
    total += insns.length;
    for (const s of successors(cpu, insns)) queue.push(s);
  }

  const body: string[] = [];
  const ranges: number[] = [];
  const ram = cpu.bus.plainRam;
  for (const [start, insns] of blocks) {
    const last = insns[insns.length - 1];
    ranges.push(start, last.pc + last.len);
    body.push(`case ${start - base}:`);
    body.push(`if (c0 + n + ${insns.length} > cpu.sliceEnd) break L;`);
    insns.forEach((insn, i) => {
      const literal = insn.op === Op.L32r ? constantLiteral(cpu, insn.c >>> 0) : undefined;
      if (literal === undefined) {
        body.push(emit(insn, i + 1, ram));
        return;
      }
      // The literal's bytes become part of what the region was translated from: a store there or
      // a flash write drops the region like a change of its code, and the flash window turning
      // off parks or drops it as it does the window's code (code-cache.ts).
      body.push(`r[${insn.a}] = ${literal | 0};`);
      ranges.push(insn.c >>> 0, (insn.c >>> 0) + 4);
      cpu.decodedPages[insn.c >>> PAGE_SHIFT] = 1; // the core's own stores there must check
    });
    if (!endsBlock(last.op))
      body.push(`n += ${insns.length}; pc = ${hex(last.pc + last.len)}; continue L;`);
  }
  // Guest registers live in JavaScript locals inside the region (TurboFan keeps them in machine
  // registers); they are loaded on entry and stored back on every way out, the throw of a fault
  // included — nothing the region calls reads or writes the address registers.
  // An Int32Array store wraps to 32 bits; a local does not, so every assignment wraps itself
  // (`| 0` costs nothing where V8 already knows the value is an int32).
  const code = body
    .join('\n')
    .replace(/\br\[(\d+)\] = ([^;]+);/g, 'x$1 = ($2) | 0;')
    .replace(/\br\[(\d+)\]/g, 'x$1');
  const used = [...new Set([...code.matchAll(/\bx(\d+)\b/g)].map((m) => Number(m[1])))].sort(
    (p, q) => p - q,
  );
  const load = used.map((i) => `x${i} = r[${i}]`).join(', ');
  const store = used.map((i) => `r[${i}] = x${i};`).join(' ');
  const name = `region_${entry.toString(16)}`;
  const source =
    `return function ${name}() {\n` +
    `const c0 = cpu.cycles;\n` +
    `let n = 0, pc = ${hex(entry)}, f = 0, a = 0, o = 0${load ? ', ' + load : ''};\n` +
    `try {\nL: for (;;) {\nswitch (pc - ${base}) {\n${code}\ndefault: break L;\n}\n}\n` +
    `} catch (e) { ${store} cpu.pc = f; throw e; }\n` +
    `${store} cpu.pc = pc; return n;\n}`;
  const factory = translate(source);
  if (factory === null) {
    // A Content-Security-Policy without 'unsafe-eval' on the worker forbids generated code: the
    // core interprets from now on (the same results), instead of failing the board.
    cpu.blockCompiler = false;
    return null;
  }
  const run = factory(
    cpu,
    cpu.ar,
    cpu.bus,
    cpu.regions.dataAccess,
    cpu.decodedPages,
    memoryFault,
    funnelShift,
    ram?.u8,
    ram?.u16,
    ram?.i32,
  );
  const pages = new Set<number>();
  for (let i = 0; i < ranges.length; i += 2) {
    for (let n = ranges[i] >>> PAGE_SHIFT; n <= (ranges[i + 1] - 1) >>> PAGE_SHIFT; n++)
      pages.add(n);
  }
  return {
    entry,
    run,
    ranges: Int32Array.from(ranges),
    size: source.length,
    pages: [...pages],
    dead: false,
  };
}

/** The region's factory from its source; null when the environment refuses to evaluate code. */
function translate(source: string): ((...args: unknown[]) => () => number) | null {
  try {
    return new Function(
      'cpu',
      'r',
      'bus',
      'da',
      'dp',
      'fault',
      'funnel',
      'm8',
      'm16',
      'm32',
      source,
    ) as (...args: unknown[]) => () => number;
  } catch (err) {
    if (err instanceof EvalError) return null;
    throw err;
  }
}

/** ({hi, lo} >> sa)[31:0] for sa 0..63, as execute.ts computes SRC/SRL/SLL. */
function funnelShift(hi: number, lo: number, sa: number): number {
  if (sa === 0) return lo;
  if (sa < 32) return (lo >>> sa) | (hi << (32 - sa));
  if (sa === 32) return hi;
  return hi >>> (sa - 32);
}

// ExcCause numbers used in the generated code (bus.ts).
const LOAD_STORE_ALIGNMENT = 9;
const LOAD_PROHIBITED = 28;
const STORE_PROHIBITED = 29;

/**
 * JavaScript for one instruction, the k-th (1-based) of its block. Terminal instructions add
 * the block's length to `n` and continue at the next pc through the region's switch.
 */
function emit(insn: DecodedInsn, k: number, ram: PlainRam | undefined): string {
  const { pc, op, a, b, c, len } = insn;
  const next = hex(pc + len);
  const now = `c0 + n + ${k}`;
  const sync = `f = ${hex(pc)}; cpu.cycles = ${now};`;
  const stopCheck = `if (cpu.sliceEnd <= ${now}) { n += ${k}; pc = ${next}; break L; }`;
  const branch = (cond: string): string =>
    `n += ${k}; pc = (${cond}) ? ${hex(c)} : ${next}; continue L;`;
  const jump = (target: string): string => `n += ${k}; pc = ${target}; continue L;`;
  // Plain RAM first: aligned, inside the window, region attributes allow it (and for stores,
  // no decoded code on the page) → a direct typed-array access, nothing else can happen.
  // Everything else takes the exact general path below.
  const ramTest = (align: number, access: number): string =>
    ram === undefined
      ? 'false'
      : `(o = (a - ${ram.base}) >>> 0) < ${ram.size}` +
        (align ? ` && (a & ${align}) === 0` : '') +
        ` && (da[${ram.base >>> 29}] & ${access}) !== 0`;
  const fastLoad = (align: number, read: string, general: string): string =>
    `a = (r[${b}] + ${c}) >>> 0; if (${ramTest(align, 1)}) r[${a}] = ${read}; else { ${general} }`;
  const fastStore = (align: number, write: string, general: string): string =>
    `a = (r[${b}] + ${c}) >>> 0; if (${ramTest(align, 2)} && dp[a >>> ${PAGE_SHIFT}] === 0) ${write}; else { ${general} }`;
  const load = (align: number, read: string): string =>
    `${sync} a = (r[${b}] + ${c}) >>> 0; ` +
    (align ? `if (a & ${align}) throw fault(${LOAD_STORE_ALIGNMENT}, a); ` : '') +
    `if ((da[a >>> 29] & 1) === 0) throw fault(${LOAD_PROHIBITED}, a); ` +
    `r[${a}] = ${read}; ${stopCheck}`;
  const store = (align: number, write: string, bytes: number): string =>
    `${sync} a = (r[${b}] + ${c}) >>> 0; ` +
    (align ? `if (a & ${align}) throw fault(${LOAD_STORE_ALIGNMENT}, a); ` : '') +
    `if ((da[a >>> 29] & 2) === 0) throw fault(${STORE_PROHIBITED}, a); ` +
    `${write}; if (dp[a >>> ${PAGE_SHIFT}] !== 0) cpu.invalidateCode(a, ${bytes}); ${stopCheck}`;
  switch (op) {
    case Op.L32iN:
    case Op.L32i:
      return fastLoad(3, 'm32[o >>> 2]', load(3, 'bus.read32(a)'));
    case Op.L8ui:
      return fastLoad(0, 'm8[o]', load(0, 'bus.read8(a) & 0xff'));
    case Op.L16ui:
      return fastLoad(1, 'm16[o >>> 1]', load(1, 'bus.read16(a) & 0xffff'));
    case Op.L16si:
      return fastLoad(1, '(m16[o >>> 1] << 16) >> 16', load(1, '(bus.read16(a) << 16) >> 16'));
    case Op.L32r:
      return (
        `${sync} a = ${hex(c)}; if ((da[a >>> 29] & 1) === 0) throw fault(${LOAD_PROHIBITED}, a); ` +
        `r[${a}] = bus.read32(a); ${stopCheck}`
      );
    case Op.S32iN:
    case Op.S32i:
      return fastStore(3, `m32[o >>> 2] = r[${a}]`, store(3, `bus.write32(a, r[${a}])`, 4));
    case Op.S8i:
      return fastStore(0, `m8[o] = r[${a}]`, store(0, `bus.write8(a, r[${a}] & 0xff)`, 1));
    case Op.S16i:
      return fastStore(
        1,
        `m16[o >>> 1] = r[${a}]`,
        store(1, `bus.write16(a, r[${a}] & 0xffff)`, 2),
      );
    case Op.AddN:
    case Op.Add:
      return `r[${a}] = r[${b}] + r[${c}];`;
    case Op.AddiN:
    case Op.Addi:
      return `r[${a}] = r[${b}] + ${c};`;
    case Op.MoviN:
    case Op.Movi:
      return `r[${a}] = ${c};`;
    case Op.MovN:
      return `r[${a}] = r[${b}];`;
    case Op.Nop2:
    case Op.Nop3:
      return '';
    case Op.And:
      return `r[${a}] = r[${b}] & r[${c}];`;
    case Op.Or:
      return `r[${a}] = r[${b}] | r[${c}];`;
    case Op.Xor:
      return `r[${a}] = r[${b}] ^ r[${c}];`;
    case Op.Addx2:
      return `r[${a}] = (r[${b}] << 1) + r[${c}];`;
    case Op.Addx4:
      return `r[${a}] = (r[${b}] << 2) + r[${c}];`;
    case Op.Addx8:
      return `r[${a}] = (r[${b}] << 3) + r[${c}];`;
    case Op.Sub:
      return `r[${a}] = r[${b}] - r[${c}];`;
    case Op.Subx2:
      return `r[${a}] = (r[${b}] << 1) - r[${c}];`;
    case Op.Subx4:
      return `r[${a}] = (r[${b}] << 2) - r[${c}];`;
    case Op.Subx8:
      return `r[${a}] = (r[${b}] << 3) - r[${c}];`;
    case Op.Neg:
      return `r[${a}] = -r[${b}];`;
    case Op.Abs:
      return `{ const v = r[${b}]; r[${a}] = v < 0 ? -v : v; }`;
    case Op.Nsa:
      return `{ const v = r[${b}]; r[${a}] = Math.clz32(v < 0 ? ~v : v) - 1; }`;
    case Op.Nsau:
      return `r[${a}] = Math.clz32(r[${b}]);`;
    case Op.Mul16u:
      return `r[${a}] = (r[${b}] & 0xffff) * (r[${c}] & 0xffff);`;
    case Op.Mul16s:
      return `r[${a}] = ((r[${b}] << 16) >> 16) * ((r[${c}] << 16) >> 16);`;
    case Op.Mull:
      return `r[${a}] = Math.imul(r[${b}], r[${c}]);`;
    case Op.Moveqz:
      return `if (r[${c}] === 0) r[${a}] = r[${b}];`;
    case Op.Movnez:
      return `if (r[${c}] !== 0) r[${a}] = r[${b}];`;
    case Op.Movltz:
      return `if (r[${c}] < 0) r[${a}] = r[${b}];`;
    case Op.Movgez:
      return `if (r[${c}] >= 0) r[${a}] = r[${b}];`;
    case Op.Extui:
      return `r[${a & 15}] = (r[${b}] >>> ${a >>> 8}) & ${c};`;
    case Op.Slli:
      return c === 32 ? `r[${a}] = 0;` : `r[${a}] = r[${b}] << ${c};`;
    case Op.Srai:
      return `r[${a}] = r[${b}] >> ${c};`;
    case Op.Srli:
      return `r[${a}] = r[${b}] >>> ${c};`;
    case Op.Src:
      return `r[${a}] = funnel(r[${b}], r[${c}], cpu.sar);`;
    case Op.Srl:
      return `r[${a}] = funnel(0, r[${b}], cpu.sar);`;
    case Op.Sll:
      return `r[${a}] = funnel(r[${b}], 0, cpu.sar);`;
    case Op.Sra:
      return `{ const sa = cpu.sar; r[${a}] = r[${b}] >> (sa < 32 ? sa : 31); }`;
    case Op.Ssr:
      return `cpu.sar = r[${a}] & 31;`;
    case Op.Ssl:
      return `cpu.sar = 32 - (r[${a}] & 31);`;
    case Op.Ssa8l:
      return `cpu.sar = (r[${a}] & 3) << 3;`;
    case Op.Ssa8b:
      return `cpu.sar = 32 - ((r[${a}] & 3) << 3);`;
    case Op.Ssai:
      return `cpu.sar = ${a};`;
    case Op.Rsr:
      return `${sync} r[${a}] = cpu.readSpecial(${b});`;
    case Op.Wsr:
      return `${sync} cpu.writeSpecial(${b}, r[${a}]); ${jump(next)}`;
    case Op.Xsr:
      return (
        `${sync} { const old = cpu.readSpecial(${b}); cpu.writeSpecial(${b}, r[${a}]); ` +
        `r[${a}] = old; } ${jump(next)}`
      );
    case Op.Rsil:
      return (
        `r[${a}] = cpu.ps; cpu.ps = (cpu.ps & ~15) | ${b}; ${b < 3 ? 'cpu.leaveNmi(); ' : ''}` +
        `if (cpu.interruptTakeable()) cpu.sliceEnd = 0; ${jump(next)}`
      );
    case Op.J:
      return jump(hex(c));
    case Op.Call0:
      return `r[0] = ${(pc + 3) | 0}; ${jump(hex(c))}`;
    case Op.Callx0:
      return `a = r[${a}] >>> 0; r[0] = ${(pc + 3) | 0}; ${jump('a')}`;
    case Op.Jx:
      return jump(`r[${a}] >>> 0`);
    case Op.Ret:
    case Op.RetN:
      return jump('r[0] >>> 0');
    case Op.Beqz:
    case Op.BeqzN:
      return branch(`r[${a}] === 0`);
    case Op.Bnez:
    case Op.BnezN:
      return branch(`r[${a}] !== 0`);
    case Op.Bltz:
      return branch(`r[${a}] < 0`);
    case Op.Bgez:
      return branch(`r[${a}] >= 0`);
    case Op.Beqi:
      return branch(`r[${a}] === ${b}`);
    case Op.Bnei:
      return branch(`r[${a}] !== ${b}`);
    case Op.Blti:
      return branch(`r[${a}] < ${b}`);
    case Op.Bgei:
      return branch(`r[${a}] >= ${b}`);
    case Op.Bltui:
      return branch(`r[${a}] >>> 0 < ${b}`);
    case Op.Bgeui:
      return branch(`r[${a}] >>> 0 >= ${b}`);
    case Op.Bnone:
      return branch(`(r[${a}] & r[${b}]) === 0`);
    case Op.Bany:
      return branch(`(r[${a}] & r[${b}]) !== 0`);
    case Op.Ball:
      return branch(`(~r[${a}] & r[${b}]) === 0`);
    case Op.Bnall:
      return branch(`(~r[${a}] & r[${b}]) !== 0`);
    case Op.Beq:
      return branch(`r[${a}] === r[${b}]`);
    case Op.Bne:
      return branch(`r[${a}] !== r[${b}]`);
    case Op.Blt:
      return branch(`r[${a}] < r[${b}]`);
    case Op.Bge:
      return branch(`r[${a}] >= r[${b}]`);
    case Op.Bltu:
      return branch(`r[${a}] >>> 0 < r[${b}] >>> 0`);
    case Op.Bgeu:
      return branch(`r[${a}] >>> 0 >= r[${b}] >>> 0`);
    case Op.Bbc:
      return branch(`(r[${a}] & (1 << (r[${b}] & 31))) === 0`);
    case Op.Bbs:
      return branch(`(r[${a}] & (1 << (r[${b}] & 31))) !== 0`);
    case Op.Bbci:
      return branch(`(r[${a}] & ${b}) === 0`);
    case Op.Bbsi:
      return branch(`(r[${a}] & ${b}) !== 0`);
    default:
      throw new Error(`block compiler: op ${op} at ${hex(pc)} is not translatable`);
  }
}
