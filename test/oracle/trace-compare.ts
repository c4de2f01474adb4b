/**
 * Lock-step comparison of our core with QEMU: QEMU logs the CPU state before every instruction
 * (`-singlestep -d cpu,nochain`), and we step a SimMachine through the same program, comparing
 * pc and a0..a15 at every step and the special registers with the bits both models keep
 * (xtensa-lx106.md §7 diff policy: CCOUNT masked, QEMU-only SR bits of §2.3 masked).
 */
import { disassemble } from '../../src/board/cpu/disasm.ts';
import { SimMachine } from '../../src/board/sim/sim-machine.ts';
import { traceQemu, type QemuRun } from './qemu.ts';

/** QEMU log name → SR number and the bits both QEMU and the hardware keep. */
const COMPARED_SRS: readonly (readonly [string, number, number])[] = [
  ['SAR', 3, 0x3f],
  ['LITBASE', 5, 0xfffff001],
  ['IBREAKENABLE', 96, 0x1],
  ['DDR', 104, 0xffffffff],
  ['IBREAKA0', 128, 0xffffffff],
  ['DBREAKA0', 144, 0xffffffff],
  ['DBREAKC0', 160, 0xc000003f],
  ['176', 176, 0xffffffff],
  ['EPC1', 177, 0xffffffff],
  ['EPC2', 178, 0xffffffff],
  ['EPC3', 179, 0xffffffff],
  ['DEPC', 192, 0xffffffff],
  ['EPS2', 194, 0x3f], // QEMU keeps 32 bits, the hardware PS has 6
  ['EPS3', 195, 0x3f],
  ['208', 208, 0xffffffff],
  ['EXCSAVE1', 209, 0xffffffff],
  ['EXCSAVE2', 210, 0xffffffff],
  ['EXCSAVE3', 211, 0xffffffff],
  ['INTERRUPT', 226, 0x7fbf], // bit 6 is the CCOMPARE0 match: CCOUNT-derived, QEMU's follows the host clock
  ['INTENABLE', 228, 0x7fff],
  ['PS', 230, 0x3f], // QEMU also keeps OWB/CALLINC/WOE bits this config lacks
  ['VECBASE', 231, 0xffffff80],
  ['EXCCAUSE', 232, 0x3f],
  ['DEBUGCAUSE', 233, 0x3f],
  ['PRID', 235, 0xffffffff],
  ['ICOUNT', 236, 0xffffffff],
  ['ICOUNTLEVEL', 237, 0xf],
  ['EXCVADDR', 238, 0xffffffff],
  ['CCOMPARE0', 240, 0xffffffff],
];

/**
 * SRs where QEMU stores bits the hardware lacks (§2.3). An RSR/XSR of one of them copies those
 * bits into an address register, so that register is compared under the SR's mask and then
 * given QEMU's value, keeping the two runs in lock-step.
 */
const LOOSE_SR_MASKS = new Map<string, number>([
  ['ps', 0x3f],
  ['eps2', 0x3f],
  ['eps3', 0x3f],
  ['vecbase', 0xffffff80],
  ['exccause', 0x3f],
  ['intenable', 0x7fff],
]);

/** True when an enabled interrupt is pending at a level above the current one (XEA2 rules). */
function interruptDue(machine: SimMachine): boolean {
  const cpu = machine.cpu;
  const pending = cpu.readSpecial(226) & cpu.readSpecial(228);
  if (pending === 0) return false;
  if (pending & 0x4000) return true; // NMI (level 3) is never masked
  const ps = cpu.readSpecial(230);
  const level = ps & 0x10 ? Math.max(ps & 0xf, 1) : ps & 0xf;
  return (pending & 0x3fff) !== 0 && level < 1;
}

const h8 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');

/** Which of the core's two execution paths runs our side of the comparison. */
export type ExecutionPath = 'interpreter' | 'compiler';
/** Longest slice the compiled path runs between comparisons (cycles). */
const COMPILED_SLICE_MAX = 64;

export interface TraceResult {
  /** Instructions compared (QEMU states visited). */
  steps: number;
  /** null when every state matched; otherwise a readable report of the first difference. */
  divergence: string | null;
  qemu: QemuRun;
  machine: SimMachine;
}

function describeInsn(machine: SimMachine, pc: number): string {
  try {
    const word = machine.bus.fetch(pc);
    return `${h8(pc)}: ${word.toString(16).padStart(6, '0')}  ${disassemble(word, pc).text}`;
  } catch {
    return `${h8(pc)}: (not fetchable)`;
  }
}

/**
 * Run `elf` (at `elfPath` for QEMU) on both and compare every step. `label` names a step for the
 * report (e.g. which random seed's block it belongs to).
 */
export async function compareWithQemuTrace(
  elfPath: string,
  elf: Uint8Array,
  label: (pc: number, machine: SimMachine) => string = (pc, m) => m.elf?.symbolAt(pc)?.name ?? '?',
  path: ExecutionPath = 'interpreter',
): Promise<TraceResult> {
  const machine = new SimMachine();
  machine.cpu.blockCompiler = path === 'compiler';
  // compile every block the program reaches
  machine.cpu.codeCache.hotThreshold = 1;
  machine.cpu.codeCache.coldStretch = 1;
  machine.load(elf);
  const cpu = machine.cpu;
  const startInstructions = cpu.instructions;
  // The compiled path cannot stop after every instruction: it runs slices of pseudo-random
  // length (blocks that fit run compiled, the rest is interpreted) and the state is compared
  // whenever our instruction count meets QEMU's — at a different place in each block.
  let sliceSeed = 0x9e3779b9;
  const nextSlice = (): number => {
    sliceSeed ^= sliceSeed << 13;
    sliceSeed ^= sliceSeed >>> 17;
    sliceSeed ^= sliceSeed << 5;
    return 1 + ((sliceSeed >>> 0) % COMPILED_SLICE_MAX);
  };
  let divergence: string | null = null;
  let prevPc = -1;
  let prevText = '';
  const prevRegs = new Uint32Array(16);
  let prevSar = 0;
  let looseReg = -1; // register the previous instruction read a loose SR into
  let looseMask = 0;
  const noteLooseRead = (m: SimMachine, pc: number): void => {
    looseReg = -1;
    let word: number;
    try {
      word = m.bus.fetch(pc);
    } catch {
      return;
    }
    // RSR and XSR (op0 0, op1 3, op2 0 / 6): SR in bits 15:8, AR in bits 7:4
    const op = word & 0xff000f;
    if (op !== 0x030000 && op !== 0x610000) return;
    const name = disassemble(word, pc).mnemonic.split('.')[1] ?? '';
    const mask = LOOSE_SR_MASKS.get(name);
    if (mask === undefined) return;
    looseReg = (word >> 4) & 15;
    looseMask = mask;
  };
  const { states, run, truncated } = await traceQemu(elfPath, (q, index) => {
    if (path === 'compiler' && cpu.instructions - startInstructions > index) return true;
    const diffs: string[] = [];
    if (cpu.pc >>> 0 !== q.pc) diffs.push(`pc: ours ${h8(cpu.pc)} qemu ${h8(q.pc)}`);
    if (looseReg >= 0 && ((cpu.regs[looseReg]! ^ q.a[looseReg]!) & looseMask) === 0) {
      cpu.regs[looseReg] = q.a[looseReg]!;
    }
    for (let r = 0; r < 16; r++) {
      if (cpu.regs[r]! >>> 0 !== q.a[r]!)
        diffs.push(`a${r}: ours ${h8(cpu.regs[r]!)} qemu ${h8(q.a[r]!)}`);
    }
    for (const [name, sr, mask] of COMPARED_SRS) {
      const theirs = q.sr.get(name);
      if (theirs === undefined) continue;
      const ours = cpu.readSpecial(sr);
      if (((ours ^ theirs) & mask) !== 0)
        diffs.push(`${name}: ours ${h8(ours & mask)} qemu ${h8(theirs & mask)} (mask ${h8(mask)})`);
    }
    if (diffs.length) {
      const after =
        prevPc < 0
          ? 'at reset'
          : `after instruction #${index - 1} ${prevText} [${label(prevPc, machine)}]`;
      divergence =
        `first divergence before instruction #${index} (${describeInsn(machine, q.pc)}), ${after}:\n  ` +
        diffs.join('\n  ') +
        (prevPc < 0
          ? ''
          : `\n  state before that instruction: ${Array.from(prevRegs, (v, r) => `a${r}=${h8(v)}`).join(' ')} SAR=${prevSar}`);
      return false;
    }
    if (machine.exited) {
      divergence = `our program exited (code ${machine.exitCode}) before QEMU's instruction #${index} at ${h8(q.pc)}`;
      return false;
    }
    prevRegs.set(q.a);
    prevSar = q.sr.get('SAR') ?? 0;
    prevPc = cpu.pc >>> 0;
    prevText = describeInsn(machine, prevPc);
    noteLooseRead(machine, prevPc);
    if (path === 'compiler') {
      cpu.run(nextSlice());
      looseReg = -1; // the loose read, if any, is not the last instruction any more
    } else machine.step();
    // QEMU logs no state for taking an interrupt (the next record is already at the vector),
    // while our step() takes it as a step of its own: take it now when one is due.
    if (interruptDue(machine)) machine.step();
    return true;
  });
  if (!divergence && truncated) {
    divergence = `QEMU was still running after ${states} instructions, the trace limit (a runaway program?)`;
  } else if (!divergence && !machine.exited) {
    divergence = `QEMU stopped after ${states} instructions (exit ${run.exitCode}) but our program is still running at ${h8(cpu.pc)}`;
  }
  return { steps: states, divergence, qemu: run, machine };
}
