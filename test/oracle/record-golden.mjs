#!/usr/bin/env node
// Record QEMU's answers for every firmware/sim program: test/oracle/golden/<name>.txt.
//   node test/oracle/record-golden.mjs            (needs qemu-system-xtensa on PATH)
// Runs with -singlestep, which gives the ISA answer where QEMU's block translation has quirks
// (xtensa-lx106.md §5.3). The format (parsed by golden.ts) is:
//   exit: <code>\n--- stdout\n<bytes>\n--- stderr\n<bytes>\n--- end\n
/* global console */
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '../../firmware/sim/out');
const goldenDir = join(here, 'golden');
const qemuArgs = [
  '-M',
  'sim',
  '-cpu',
  'lx106',
  '-semihosting',
  '-display',
  'none',
  '-monitor',
  'none',
  '-serial',
  'stdio',
  '-singlestep',
];

for (const file of readdirSync(outDir)
  .filter((f) => f.endsWith('.elf'))
  .sort()) {
  const name = file.slice(0, -4);
  const run = spawnSync('qemu-system-xtensa', [...qemuArgs, '-kernel', join(outDir, file)], {
    timeout: 300_000,
    maxBuffer: 1 << 26,
  });
  if (run.error) throw run.error;
  if (run.signal) throw new Error(`${file}: QEMU killed by ${run.signal}`);
  const text = Buffer.concat([
    Buffer.from(`exit: ${run.status}\n--- stdout\n`),
    run.stdout,
    Buffer.from('\n--- stderr\n'),
    run.stderr,
    Buffer.from('\n--- end\n'),
  ]);
  writeFileSync(join(goldenDir, `${name}.txt`), text);
  console.log(
    `${name}: exit ${run.status}, ${run.stdout.length} bytes stdout, ${run.stderr.length} bytes stderr`,
  );
}
