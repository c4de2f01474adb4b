// Development check, too slow for the unit suite (about a minute): compares disasm.ts with objdump on
// EVERY encoding, all 2^20 words of each 24-bit op0 (0..7) and all 2^12 of each 16-bit op0
// (8..15), at pc = 4 × index.
//
//   npx tsx src/board/cpu/testing/disasm-corpus/exhaustive.ts [op0]
//
// Each word sits in a 4-byte slot padded with 0x0e (op0 14, never an instruction) in a raw
// binary, which objdump disassembles with `-b binary -m xtensa`. Without symbols objdump writes
// addresses (targets, L32R literal values) as `0x…`, so the comparison formats them that way and
// reads literals from the same buffer, as objdump does. A slot objdump did not start a line at
// (it could only happen after a 1-byte `.byte`) is reported rather than guessed.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disassemble, type DisasmOptions } from '../../disasm.ts';

const SLOT = 4;
const PAD = 0x0e;

function checkOp0(op0: number, workDir: string): { compared: number; mismatches: string[] } {
  const size = op0 < 8 ? 3 : 2;
  const count = size === 3 ? 1 << 20 : 1 << 12;
  const buffer = new Uint8Array(count * SLOT).fill(PAD);
  for (let i = 0; i < count; i++) {
    const word = (i << 4) | op0;
    for (let k = 0; k < size; k++) buffer[i * SLOT + k] = (word >>> (8 * k)) & 255;
  }
  const input = join(workDir, `op${op0}.bin`);
  writeFileSync(input, buffer);
  const output = execFileSync(
    'xtensa-lx106-elf-objdump',
    ['-D', '-b', 'binary', '-m', 'xtensa', input],
    {
      encoding: 'utf8',
      maxBuffer: 2 ** 31,
    },
  );

  const expected = new Map<number, string>();
  for (const line of output.split('\n')) {
    const match = /^\s*([0-9a-f]+):\t([0-9a-f]+)\s*\t(.*)$/.exec(line);
    if (match) expected.set(parseInt(match[1]!, 16), `${match[2]!.length / 2} ${match[3]}`);
  }

  const opts: DisasmOptions = {
    formatTarget: (address) => `0x${address.toString(16)}`,
    readWord: (address) =>
      address + 4 <= buffer.length
        ? new DataView(buffer.buffer).getUint32(address, true)
        : undefined,
  };
  const mismatches: string[] = [];
  for (let i = 0; i < count; i++) {
    const pc = i * SLOT;
    const result = disassemble(buffer.subarray(pc, pc + size), pc, opts);
    const got = `${result.length} ${result.text}`;
    const want = expected.get(pc) ?? '(objdump started no line here)';
    if (got !== want && mismatches.length < 20) {
      const word = ((i << 4) | op0).toString(16).padStart(size * 2, '0');
      mismatches.push(`${word}: objdump ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
  }
  return { compared: count, mismatches };
}

const workDir = mkdtempSync(join(tmpdir(), 'disasm-exhaustive-'));
try {
  const only = process.argv[2];
  const op0s = only === undefined ? [...Array(16).keys()] : [Number(only)];
  let total = 0;
  let failed = false;
  for (const op0 of op0s) {
    const { compared, mismatches } = checkOp0(op0, workDir);
    total += compared;
    console.log(
      `op0 ${op0}: ${compared} encodings, ${mismatches.length ? 'MISMATCH' : 'all match'}`,
    );
    for (const mismatch of mismatches) console.log(`  ${mismatch}`);
    failed ||= mismatches.length > 0;
  }
  console.log(`${total} encodings compared${failed ? ', with mismatches' : ', 100 % match'}`);
  process.exitCode = failed ? 1 : 0;
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
