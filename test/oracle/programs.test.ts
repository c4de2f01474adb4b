/**
 * Every firmware/sim program gives the same console output and exit code on our core as on QEMU:
 * against the committed golden outputs always, and against a live QEMU run when QEMU is installed
 * (CI installs it).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SimMachine } from '../../src/board/sim/sim-machine.ts';
import { bytesText, programPath, readGolden, simPrograms } from './golden.ts';
import { hasQemu, runQemu } from './qemu.ts';
import type { ExecutionPath } from './trace-compare.ts';

const programs = simPrograms();
/** Far above the biggest program (~30 M instructions): only a runaway program hits it. */
const INSTRUCTION_LIMIT = 500_000_000;

const PATHS: ExecutionPath[] = ['interpreter', 'compiler'];

function runOurs(name: string, execution: ExecutionPath = 'compiler') {
  const machine = new SimMachine();
  machine.cpu.blockCompiler = execution === 'compiler';
  machine.load(new Uint8Array(readFileSync(programPath(name))));
  const result = machine.run(INSTRUCTION_LIMIT);
  return {
    exitCode: result.exitCode,
    console: bytesText(result.console),
    instructions: result.instructions,
  };
}

describe('firmware/sim programs on SimMachine match QEMU', () => {
  it('has programs and a golden output for each', () => {
    expect(programs.length).toBeGreaterThanOrEqual(20);
    for (const name of programs) expect(() => readGolden(name), name).not.toThrow();
  });

  it.each(PATHS.flatMap((p) => programs.map((name) => [name, p] as const)))(
    '%s (%s): console output and exit code equal the golden QEMU run',
    (name, execution) => {
      const golden = readGolden(name);
      const ours = runOurs(name, execution);
      // QEMU's semihosting console carries fd 1 and fd 2 interleaved, all on its stdout
      expect(ours.console).toBe(golden.stdout + golden.stderr);
      expect(ours.exitCode).toBe(golden.exitCode);
    },
  );

  describe.skipIf(!hasQemu)('live QEMU', () => {
    it.each(programs)(
      '%s: equals a live QEMU run (and the golden file is current)',
      async (name) => {
        // the long CPU-bound workloads run at full QEMU speed; the others single-stepped (ISA answers)
        const qemu = await runQemu(programPath(name), { singlestep: !name.startsWith('bench_') });
        const golden = readGolden(name);
        expect(
          bytesText(qemu.stdout),
          'golden file out of date: run node test/oracle/record-golden.mjs',
        ).toBe(golden.stdout);
        expect(qemu.exitCode).toBe(golden.exitCode);
        for (const execution of PATHS) {
          const ours = runOurs(name, execution);
          expect(ours.console, execution).toBe(bytesText(qemu.stdout) + bytesText(qemu.stderr));
          expect(ours.exitCode, execution).toBe(qemu.exitCode);
        }
      },
    );
  });
  if (!hasQemu) {
    it.skip('live QEMU comparison skipped: qemu-system-xtensa is not on PATH (golden files still checked)', () => {});
  }
});
