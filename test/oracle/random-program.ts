/**
 * Seeded random instruction streams for differential testing against QEMU.
 *
 * One seed gives one straight-line block: load every register (and SAR) with seeded values, then
 * 16–48 random lx106 instructions: ALU, shifts, multiplies, NSA, conditional moves, loads/stores
 * into a scratch buffer, special-register moves, and forward branches/jumps inside the block.
 * Nothing loops: memory operands use one base register the block never writes, offsets stay
 * inside the buffer, every branch goes forward to a label of the block. Faults are deliberate
 * (ILL, SYSCALL, BREAK, misaligned and unmapped accesses, all 3-byte instructions) and the
 * program's vectors return to the next instruction, so exception entry and return are compared.
 * A batch concatenates many blocks; the program ends by writing the scratch buffer to stdout
 * (so final memory is compared too) and exiting through SIMCALL.
 */

/** Small fast seeded PRNG (mulberry32): the same seed gives the same program everywhere. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  below(n: number): number {
    return this.next() % n;
  }
  range(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p * 0x1_0000_0000;
  }
}

export const SCRATCH_BYTES = 1024;

const B4CONST = [-1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256];
const B4CONSTU = [32768, 65536, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256];
/**
 * SRs a block may freely read and write: none changes control flow, L32R or interrupts. SAR is
 * written only with 0..32 (its own emitter): with SAR 33..63, SLL differs between QEMU (0) and
 * the funnel-shifter model ({AR[s],0} >> SAR) and nothing tells us what the chip does; compiled
 * code never sets SAR above 32. shift-edges.test.ts covers SAR 33..63 for SRL/SRA/SRC.
 */
const FREE_SRS = [
  'excsave1',
  'excsave2',
  'excsave3',
  'epc1',
  'epc2',
  'epc3',
  'depc',
  'excvaddr',
  'ddr',
];
const READ_ONLY_SRS = ['prid', '176', '208'];

function randomValue(rng: Rng): number {
  switch (rng.below(8)) {
    case 0:
      return 0;
    case 1:
      return 0xffffffff;
    case 2:
      return rng.pick([0x80000000, 0x7fffffff, 1, 0x8000, 0xffff, 0x7fff, 0x10000]);
    case 3:
      return rng.range(0, 40); // shift amounts, small counts
    case 4:
      return -rng.range(1, 300) >>> 0;
    case 5:
      return (1 << rng.below(32)) >>> 0;
    default:
      return rng.next();
  }
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;

export interface RandomBlock {
  seed: number;
  /** Assembly text of the block (labels are unique within a batch). */
  asm: string;
}

/** Build the block for `seed`. The scratch buffer symbol is `scratch`. */
export function randomBlock(seed: number): RandomBlock {
  const rng = new Rng(seed * 0x9e3779b1 + 0x1234567);
  const L = `.Ls${seed}_`;
  const base = rng.below(16); // the register holding the scratch buffer address
  const reg = (): string => `a${rng.below(16)}`;
  const dst = (): string => {
    let r = rng.below(16);
    while (r === base) r = rng.below(16);
    return `a${r}`;
  };
  const lines: string[] = [`seed_${seed}:`]; // a symbol, so a divergence names its seed
  // initial state: SAR first (it needs a register), then every AR, the base register last
  lines.push(`\tmovi\ta2, ${rng.range(0, 32)}`, '\twsr.sar\ta2');
  for (let r = 0; r < 16; r++)
    if (r !== base) lines.push(`\tmovi\ta${r}, ${hex(randomValue(rng))}`);
  lines.push(`\tmovi\ta${base}, scratch + ${rng.range(0, 3) * 64}`);

  const count = rng.range(16, 48);
  let labels = 0;
  const pendingLabels: number[] = []; // instruction index where each label goes
  const body: string[] = [];
  const forwardLabel = (at: number): string => {
    const target = rng.range(at + 1, Math.min(count, at + 12));
    pendingLabels.push(target);
    return `${L}${labels++}_${target}`;
  };
  const emitters: ((i: number) => string)[] = [
    () =>
      `\t${rng.pick(['_add', '_sub', '_and', '_or', '_xor', '_addx2', '_addx4', '_addx8', '_subx2', '_subx4', '_subx8'])}\t${dst()}, ${reg()}, ${reg()}`,
    () => `\tadd.n\t${dst()}, ${reg()}, ${reg()}`,
    () => `\t_addi\t${dst()}, ${reg()}, ${rng.range(-128, 127)}`,
    () =>
      `\taddi.n\t${dst()}, ${reg()}, ${rng.pick([-1, ...Array.from({ length: 15 }, (_, k) => k + 1)])}`,
    () => `\t_addmi\t${dst()}, ${reg()}, ${rng.range(-128, 127) * 256}`,
    () => `\t${rng.pick(['neg', 'abs'])}\t${dst()}, ${reg()}`,
    () => `\t_mov.n\t${dst()}, ${reg()}`,
    () => `\t_movi\t${dst()}, ${rng.range(-2048, 2047)}`,
    () => `\tmovi.n\t${dst()}, ${rng.range(-32, 95)}`,
    () => `\t${rng.pick(['moveqz', 'movnez', 'movltz', 'movgez'])}\t${dst()}, ${reg()}, ${reg()}`,
    () => {
      const shift = rng.range(0, 31);
      return `\textui\t${dst()}, ${reg()}, ${shift}, ${rng.range(1, Math.min(16, 32 - shift))}`;
    },
    () => `\t_slli\t${dst()}, ${reg()}, ${rng.range(1, 31)}`,
    () => `\t_srli\t${dst()}, ${reg()}, ${rng.range(0, 15)}`,
    () => `\t_srai\t${dst()}, ${reg()}, ${rng.range(0, 31)}`,
    () => `\t${rng.pick(['sll', 'srl', 'sra'])}\t${dst()}, ${reg()}`,
    () => `\tsrc\t${dst()}, ${reg()}, ${reg()}`,
    () => `\t${rng.pick(['ssl', 'ssr', 'ssa8l', 'ssa8b'])}\t${reg()}`,
    () => `\tssai\t${rng.range(0, 31)}`,
    () => `\t${rng.pick(['nsa', 'nsau'])}\t${dst()}, ${reg()}`,
    () => `\t${rng.pick(['mul16u', 'mul16s', 'mull'])}\t${dst()}, ${reg()}, ${reg()}`,
    () => {
      const kind = rng.below(4);
      if (kind === 0) return `\t_l8ui\t${dst()}, a${base}, ${rng.range(0, 255)}`;
      if (kind === 1)
        return `\t_${rng.pick(['l16ui', 'l16si'])}\t${dst()}, a${base}, ${rng.range(0, 255) * 2}`;
      if (kind === 2) return `\t_l32i\t${dst()}, a${base}, ${rng.range(0, 191) * 4}`;
      return `\tl32i.n\t${dst()}, a${base}, ${rng.range(0, 15) * 4}`;
    },
    () => {
      const kind = rng.below(4);
      if (kind === 0) return `\t_s8i\t${reg()}, a${base}, ${rng.range(0, 255)}`;
      if (kind === 1) return `\t_s16i\t${reg()}, a${base}, ${rng.range(0, 255) * 2}`;
      if (kind === 2) return `\t_s32i\t${reg()}, a${base}, ${rng.range(0, 191) * 4}`;
      return `\ts32i.n\t${reg()}, a${base}, ${rng.range(0, 15) * 4}`;
    },
    (i) =>
      `\t${rng.pick(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu', 'bany', 'bnone', 'ball', 'bnall', 'bbc', 'bbs'])}\t${reg()}, ${reg()}, ${forwardLabel(i)}`,
    (i) =>
      `\t${rng.pick(['beqi', 'bnei', 'blti', 'bgei'])}\t${reg()}, ${rng.pick(B4CONST)}, ${forwardLabel(i)}`,
    (i) => `\t${rng.pick(['bltui', 'bgeui'])}\t${reg()}, ${rng.pick(B4CONSTU)}, ${forwardLabel(i)}`,
    (i) => `\t${rng.pick(['bbci', 'bbsi'])}\t${reg()}, ${rng.range(0, 31)}, ${forwardLabel(i)}`,
    (i) =>
      `\t${rng.pick(['beqz', 'bnez', 'bltz', 'bgez', 'beqz.n', 'bnez.n'])}\t${reg()}, ${forwardLabel(i)}`,
    (i) => `\tj\t${forwardLabel(i)}`,
    () => `\t${rng.pick(['rsr', 'wsr', 'xsr'])}.${rng.pick(FREE_SRS)}\t${dstOrAny(rng, base)}`,
    () => `\trsr.sar\t${dst()}`,
    () => {
      const r = dst();
      return `\t_movi\t${r}, ${rng.range(0, 32)}\n\twsr.sar\t${r}`;
    },
    () => `\trsr.${rng.pick(READ_ONLY_SRS)}\t${dst()}`,
    () =>
      rng.pick([
        '\tnop',
        '\tnop.n',
        '\tmemw',
        '\tisync',
        '\trsync',
        '\tesync',
        '\tdsync',
        '\textw',
      ]),
    // indirect jumps and calls through an L32R-loaded address (CALLX0 also sets a0, so not
    // when a0 is the base register)
    (i) => {
      const t = dst();
      return `\tmovi\t${t}, ${forwardLabel(i)}\n\t${base === 0 ? 'jx' : rng.pick(['jx', 'callx0'])}\t${t}`;
    },
    // the software interrupt, raised through INTSET and taken at the next instruction boundary
    () => {
      const t = dst();
      return `\t_movi\t${t}, 0x80\n\twsr.intset\t${t}\n\trsync`;
    },
    // interrupt masking: INTLEVEL >= 1 holds the software interrupt pending, >= 2 also makes
    // BREAK a no-op (DEBUGLEVEL is 2)
    () => `\trsil\t${dst()}, ${rng.pick([0, 0, 0, 1, 2, 3, 15])}`,
    // exceptions: every faulting instruction is 3 bytes, and the vectors resume after it
    () => {
      const t = dst();
      const kind = rng.below(6);
      if (kind === 0) return '\t_ill';
      if (kind === 1) return '\tsyscall';
      if (kind === 2) return `\t_break\t${rng.range(0, 15)}, ${rng.range(0, 15)}`;
      if (kind === 3) {
        // misaligned 16/32-bit access: LoadStoreAlignment (9), EXCVADDR = the address
        const op = rng.pick(['_l16ui', '_l16si', '_l32i', '_s16i', '_s32i']);
        const odd = op.includes('16') ? 1 : rng.range(1, 3);
        const data = op.startsWith('_s') ? reg() : dst();
        return `\t_addi\t${t}, a${base}, ${rng.range(0, 30) * 4 + odd}\n\t${op}\t${data}, ${t}, ${rng.range(0, 8) * 4}`;
      }
      // an unmapped address (QEMU sim: LoadStorePIFAddrError, 15)
      const op = rng.pick(['_l8ui', '_l32i', '_s8i', '_s32i']);
      const data = op.startsWith('_s') ? reg() : dst();
      return `\t_movi\t${t}, ${rng.pick([0x200, 0x100, 0x7f0])}\n\t_slli\t${t}, ${t}, 20\n\t${op}\t${data}, ${t}, 0`;
    },
  ];
  for (let i = 0; i < count; i++) body.push(rng.pick(emitters)(i));
  // place labels: a label for target t goes right before instruction t (or at the end)
  for (let i = 0; i <= count; i++) {
    for (let k = 0; k < pendingLabels.length; k++) {
      if (pendingLabels[k] === i) lines.push(`${L}${k}_${i}:`);
    }
    if (i < count) lines.push(body[i]!);
  }
  return { seed, asm: lines.join('\n') };
}

/** `wsr`/`xsr` write the register too (xsr), so never name the base register for them. */
function dstOrAny(rng: Rng, base: number): string {
  let r = rng.below(16);
  while (r === base) r = rng.below(16);
  return `a${r}`;
}

/** A whole program: reset trampoline, the blocks for `seeds`, then dump scratch and exit(0). */
export function randomProgram(seeds: readonly number[]): string {
  return wrapProgram(seeds.map((s) => randomBlock(s).asm).join('\n'), seeds[0] ?? 0);
}

/**
 * Reset trampoline at 0x50000000 → `body` at _start (IRAM) → write the seeded 1 KiB `scratch`
 * buffer to stdout → exit(0).
 */
export function wrapProgram(body: string, scratchSeed = 0): string {
  const rng = new Rng(scratchSeed);
  const scratchInit: string[] = [];
  for (let i = 0; i < SCRATCH_BYTES / 4; i++) scratchInit.push(hex(randomValue(rng)));
  return [
    '# generated by test/oracle/random-program.ts',
    '\t.section .reset, "ax"',
    '\t.begin no-transform',
    '_reset:',
    '\tj\t1f',
    '\t.align 4',
    '.Lstart: .word _start',
    '1:\tl32r\ta0, .Lstart',
    '\tjx\ta0',
    '\t.end no-transform',
    // VECBASE stays at its reset value 0x40000000: debug (0x10) and user (0x50) vectors resume
    // after the 3-byte faulting instruction; a double exception (0x70) exits with code 99
    '\t.section .vectors, "ax"',
    '\t.begin no-transform',
    '\t.org 0x10',
    '\tj\t.Ldebug',
    '\t.org 0x50',
    '\tj\t.Luser',
    '\t.org 0x70',
    '\tmovi\ta2, 1',
    '\tmovi\ta3, 99',
    '\tsimcall',
    '\t.org 0x80',
    '.Ldebug:',
    '\twsr.excsave2\ta0',
    '\trsr.epc2\ta0',
    '\taddi\ta0, a0, 3',
    '\twsr.epc2\ta0',
    '\trsr.excsave2\ta0',
    '\trfi\t2',
    '.Luser:',
    '\twsr.excsave1\ta0',
    '\trsr.exccause\ta0',
    '\tbeqi\ta0, 4, .Lirq',
    '\trsr.epc1\ta0',
    '\taddi\ta0, a0, 3',
    '\twsr.epc1\ta0',
    '\trsr.excsave1\ta0',
    '\trfe',
    '.Lirq:', // the software interrupt (7): acknowledge, return to the interrupted instruction
    '\tmovi\ta0, 0x80',
    '\twsr.intclear\ta0',
    '\trsr.excsave1\ta0',
    '\trfe',
    '\t.end no-transform',
    '\t.data',
    '\t.align 4',
    'scratch:',
    ...scratchInit.map((v) => `\t.word ${v}`),
    '\t.text',
    '\t.align 4',
    '\t.global _start',
    '_start:',
    '\tmovi\ta2, 0x80', // enable the software interrupt
    '\twsr.intenable\ta2',
    '\tmovi\ta2, 0x20', // PS: UM = 1, EXCM = 0, INTLEVEL = 0: user vector, interrupts on
    '\twsr.ps\ta2',
    '\trsync',
    body,
    '# dump the scratch buffer to stdout, then exit(0)',
    '\tmovi\ta2, 4',
    '\tmovi\ta3, 1',
    '\tmovi\ta4, scratch',
    `\tmovi\ta5, ${SCRATCH_BYTES}`,
    '\tsimcall',
    '\tmovi\ta2, 1',
    '\tmovi\ta3, 0',
    '\tsimcall',
    '2:\tj\t2b',
    '',
  ].join('\n');
}

/** Linker script for random programs: literals before code in IRAM, scratch in DRAM. */
export const RANDOM_PROGRAM_LD = `
ENTRY(_start)
SECTIONS
{
  .reset 0x50000000 : { *(.reset) }
  .vectors 0x40000000 : { *(.vectors) }
  .text 0x40100000 : { *(.literal .literal.*) *(.text .text.*) }
  .data 0x3ffc0000 : { *(.data .data.*) }
}
`;
