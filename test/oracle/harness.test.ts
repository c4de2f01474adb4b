/**
 * The harness itself: a runaway program cannot run away with the disk or the clock, and a real
 * difference between the two runs is reported with the instruction that caused it.
 */
import { describe, expect, it } from 'vitest';
import { buildAsmProgram, hasBinutils, hasQemu, tempFile, traceQemu } from './qemu.ts';
import { RANDOM_PROGRAM_LD, wrapProgram } from './random-program.ts';
import { compareWithQemuTrace } from './trace-compare.ts';

describe.skipIf(!hasQemu || !hasBinutils)('oracle harness', () => {
  it('stops tracing a program that never exits at the state limit', async () => {
    const elf = buildAsmProgram(
      wrapProgram('.Lspin:\n\taddi\ta3, a3, 1\n\tj\t.Lspin'),
      RANDOM_PROGRAM_LD,
    );
    const file = tempFile('spin.elf', elf);
    try {
      let last = 0;
      const result = await traceQemu(file.path, (s) => ((last = s.a[3]!), true), {
        maxStates: 5000,
      });
      expect(result.truncated).toBe(true);
      expect(result.states).toBe(5000);
      expect(last).toBeGreaterThan(2000); // the loop really ran
    } finally {
      file.remove();
    }
  });

  it('reports the first differing register and the instruction that produced it', async () => {
    const asm = wrapProgram('\tmovi\ta5, 100\n\t_addi\ta6, a5, 7\n\tmov\ta7, a6');
    const elf = buildAsmProgram(asm, RANDOM_PROGRAM_LD);
    const file = tempFile('diff.elf', elf);
    try {
      // our copy of the program adds 8 instead of 7: same length, different result
      const ours = elf.slice();
      const word = [0x62, 0xc5, 0x07]; // addi a6, a5, 7
      const at = ours.findIndex((_, i) => word.every((b, k) => ours[i + k] === b));
      expect(at).toBeGreaterThan(0);
      ours[at + 2] = 8;
      const result = await compareWithQemuTrace(file.path, ours);
      expect(result.divergence).toMatch(/addi\ta6, a5, 8/);
      expect(result.divergence).toMatch(/a6: ours 0000006c qemu 0000006b/);
    } finally {
      file.remove();
    }
  });
});

if (!hasQemu || !hasBinutils) {
  describe('oracle harness', () => {
    it.skip('skipped: qemu-system-xtensa or xtensa-lx106-elf-as/ld is not on PATH', () => {});
  });
}
