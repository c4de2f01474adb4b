/**
 * Randomized instruction streams (see random-program.ts), assembled with binutils, run
 * single-stepped on QEMU and on our core, compared after every instruction; the final scratch
 * memory is compared through the program's stdout.
 *
 * ORACLE_SEEDS=N runs N seeds (default 10000), ORACLE_SEED_BASE=K starts at seed K.
 */
import { describe, expect, it } from 'vitest';
import { bytesText } from './golden.ts';
import { hasBinutils, hasQemu, buildAsmProgram, tempFile } from './qemu.ts';
import { randomBlock, randomProgram, RANDOM_PROGRAM_LD } from './random-program.ts';
import { compareWithQemuTrace, type ExecutionPath } from './trace-compare.ts';

const SEEDS = Number(process.env.ORACLE_SEEDS ?? 10000);
const SEED_BASE = Number(process.env.ORACLE_SEED_BASE ?? 0);
const PER_BATCH = 100;

const batches: number[][] = [];
for (let first = SEED_BASE; first < SEED_BASE + SEEDS; first += PER_BATCH) {
  const n = Math.min(PER_BATCH, SEED_BASE + SEEDS - first);
  batches.push(Array.from({ length: n }, (_, i) => first + i));
}

describe.skipIf(!hasQemu || !hasBinutils)(
  `random instruction streams (${SEEDS} seeds) match QEMU`,
  () => {
    const paths: ExecutionPath[] = ['interpreter', 'compiler'];
    it.each(
      batches.flatMap((b) =>
        paths.map((p) => [`seeds ${b[0]}..${b[b.length - 1]} (${p})`, b, p] as const),
      ),
    )('%s', async (_, seeds, execution) => {
      const elf = buildAsmProgram(randomProgram(seeds), RANDOM_PROGRAM_LD);
      const file = tempFile('random.elf', elf);
      try {
        const result = await compareWithQemuTrace(file.path, elf, undefined, execution);
        if (result.divergence)
          throw new Error(`${result.divergence}\n${reproduce(result.divergence)}`);
        expect(result.steps).toBeGreaterThan(seeds.length * 30); // init + body per block
        expect(result.machine.exitCode).toBe(0);
        expect(bytesText(result.machine.semihosting.stdout.bytes())).toBe(
          bytesText(result.qemu.stdout),
        );
      } finally {
        file.remove();
      }
    });
  },
);

/** The diverging block's source and the command that replays just that seed. */
function reproduce(divergence: string): string {
  const seed = /\[seed_(\d+)/.exec(divergence)?.[1];
  if (seed === undefined) return '';
  return `reproduce: ORACLE_SEED_BASE=${seed} ORACLE_SEEDS=1 npx vitest run test/oracle/random.test.ts\n${randomBlock(Number(seed)).asm}`;
}

if (!hasQemu || !hasBinutils) {
  describe('random instruction streams', () => {
    it.skip('skipped: qemu-system-xtensa or xtensa-lx106-elf-as/ld is not on PATH', () => {});
  });
}
