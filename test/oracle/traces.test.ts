/**
 * Step-by-step register traces: short firmware/sim programs run single-stepped on QEMU and on our
 * core, comparing pc, a0..a15 and the special registers after every instruction.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { programPath } from './golden.ts';
import { hasQemu } from './qemu.ts';
import { compareWithQemuTrace, type ExecutionPath } from './trace-compare.ts';

const PATHS: ExecutionPath[] = ['interpreter', 'compiler'];

/** Programs short enough to trace (QEMU logs ~1.2 KB per instruction). */
const TRACED = [
  'hello',
  'empty',
  'trace_mix',
  'exc0',
  'exc1',
  'exc2',
  'exc3',
  'exc4',
  'exc5',
  'exc6',
  'exc7',
  'exc8',
  'sem_probe',
  'sr_probe',
];

describe.skipIf(!hasQemu)('per-instruction traces match QEMU -singlestep', () => {
  // the compiled path is compared wherever its slices end (trace-compare.ts)
  it.each(PATHS.flatMap((p) => TRACED.map((name) => [name, p] as const)))(
    '%s (%s)',
    async (name, execution) => {
      const path = programPath(name);
      const elf = new Uint8Array(readFileSync(path));
      const result = await compareWithQemuTrace(path, elf, undefined, execution);
      expect(result.divergence).toBeNull();
      expect(result.steps).toBeGreaterThan(300);
      expect(result.machine.exitCode).toBe(result.qemu.exitCode);
      if (execution === 'compiler')
        expect(result.machine.cpu.codeCache.compiled).toBeGreaterThan(0);
    },
  );
});

if (!hasQemu) {
  describe('per-instruction traces', () => {
    it.skip('skipped: qemu-system-xtensa is not on PATH', () => {});
  });
}
