/**
 * Step-by-step register traces: short firmware/sim programs run single-stepped on QEMU and on our
 * core, comparing pc, a0..a15 and the special registers after every instruction.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { programPath } from './golden.ts';
import { hasQemu } from './qemu.ts';
import { compareWithQemuTrace } from './trace-compare.ts';

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
  it.each(TRACED)('%s', async (name) => {
    const path = programPath(name);
    const result = await compareWithQemuTrace(path, new Uint8Array(readFileSync(path)));
    expect(result.divergence).toBeNull();
    expect(result.steps).toBeGreaterThan(300);
    expect(result.machine.exitCode).toBe(result.qemu.exitCode);
  });
});

if (!hasQemu) {
  describe('per-instruction traces', () => {
    it.skip('skipped: qemu-system-xtensa is not on PATH', () => {});
  });
}
