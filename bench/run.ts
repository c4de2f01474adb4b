/**
 * CPU benchmark: the CPU-bound workloads of firmware/sim (bench_*.elf, our own programs) on
 * SimMachine in Node, and on QEMU (TCG, full speed) when it is installed, measured in the same run.
 *
 *   npx tsx bench/run.ts [filter]        BENCH_RUNS=n  (best of n runs each, default 3)
 *
 * Columns: instructions of one run of the program (bench_repeat = 1); then for us and for QEMU
 * the repeat count used, wall seconds (QEMU's net of start-up) and guest MIPS.
 *
 * Guest MIPS = guest instructions / wall seconds. QEMU at full speed counts no instructions and
 * needs a long run to rise above its start-up time, so each workload's `bench_repeat` variable is
 * patched in the ELF: we run it with 1 and 2 repeats (the difference is the instructions of one
 * repeat, the rest is start-up/exit code), we time a run of ~0.4 s and QEMU runs it with enough repeats for ~0.5 s, and its
 * instruction count is base + repeats × per-repeat (exact: the program is deterministic and the
 * trace tests check both execute the same instructions). QEMU's wall time has its start-up
 * subtracted (an empty program, best of several runs), so the ratio compares execution speed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ElfFile } from '../src/board/image/elf.ts';
import { SimMachine } from '../src/board/sim/sim-machine.ts';
import { QEMU, QEMU_ARGS, hasQemu } from '../test/oracle/qemu.ts';

const OUT = fileURLToPath(new URL('../firmware/sim/out/', import.meta.url));
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const filter = process.argv[2] ?? '';



interface OurRun {
  instructions: number;
  seconds: number;
  exitCode: number | null;
  console: string;
}

function runOurs(elf: Uint8Array): OurRun {
  const machine = new SimMachine();
  machine.load(elf);
  const t0 = performance.now();
  const r = machine.run(5e9);
  const seconds = (performance.now() - t0) / 1000;
  return {
    instructions: r.instructions,
    seconds,
    exitCode: r.exitCode,
    console: Buffer.from(r.console).toString('latin1'),
  };
}

function runQemu(path: string): { seconds: number; exitCode: number | null; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(QEMU, [...QEMU_ARGS, '-kernel', path], {
    timeout: 300_000,
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, exitCode: r.status, stdout: r.stdout.toString('latin1') };
}

/** A copy of the ELF with the 32-bit `bench_repeat` variable (in .data) set to `repeat`. */
function withRepeat(elf: Uint8Array, repeat: number): Uint8Array {
  const file = new ElfFile(elf);
  const sym = file.symbol('bench_repeat');
  const seg =
    sym &&
    file.loadSegments.find((s) => sym.value >= s.vaddr && sym.value + 4 <= s.vaddr + s.data.length);
  if (!sym || !seg) throw new Error('no initialised bench_repeat variable in the ELF');
  const copy = elf.slice();
  new DataView(copy.buffer).setUint32(seg.data.byteOffset + (sym.value - seg.vaddr), repeat, true);
  return copy;
}

/** Wall seconds our timed run of each workload should last. */
const OUR_TARGET_SECONDS = 0.4;
/** Wall seconds QEMU should run each workload for, so start-up noise stays small. */
const QEMU_TARGET_SECONDS = 0.5;
/** A first guess at QEMU's speed, only used to choose the repeat count. */
const QEMU_GUESS_IPS = 1.5e9;
const tmp = mkdtempSync(join(tmpdir(), 'v8266-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function best<T extends { seconds: number }>(n: number, fn: () => T): T {
  let winner = fn();
  for (let i = 1; i < n; i++) {
    const r = fn();
    if (r.seconds < winner.seconds) winner = r;
  }
  return winner;
}

const pad = (s: string | number, n: number): string => String(s).padStart(n);

const workloads = readdirSync(OUT)
  .filter((f) => f.startsWith('bench_') && f.endsWith('.elf') && f.includes(filter))
  .sort();
if (workloads.length === 0 && !'espbench'.includes(filter)) {
  console.error(`no firmware/sim/out/bench_*.elf matching "${filter}" (run make -C firmware/sim)`);
  process.exit(1);
}

console.log(
  `v8266 CPU benchmark: ${workloads.length} workloads from firmware/sim/out, best of ${RUNS} runs each, Node ${process.version}`,
);
let qemuStartup = 0;
if (hasQemu) {
  qemuStartup = best(Math.max(5, RUNS), () => runQemu(`${OUT}empty.elf`)).seconds;
  console.log(
    `QEMU start-up (empty.elf, best of ${Math.max(5, RUNS)}): ${qemuStartup.toFixed(3)} s, subtracted from every QEMU time`,
  );
} else {
  console.log('QEMU: qemu-system-xtensa not on PATH, our numbers only');
}
console.log();
console.log(
  `${'workload'.padEnd(16)}${pad('insns/run', 13)}${pad('reps', 6)}${pad('ours s', 9)}${pad('ours MIPS', 11)}` +
    (hasQemu
      ? `${pad('reps', 6)}${pad('QEMU s', 9)}${pad('QEMU MIPS', 11)}${pad('ours/QEMU', 11)}`
      : ''),
);

let totalInsns = 0;
let totalSeconds = 0;
let totalQemuSeconds = 0;
let totalQemuInsns = 0;
for (const file of workloads) {
  const path = `${OUT}${file}`;
  const elf = withRepeat(new Uint8Array(readFileSync(path)), 1);
  const once = runOurs(elf);
  if (once.exitCode !== 0) throw new Error(`${file}: exit code ${once.exitCode} on SimMachine`);
  const twice = runOurs(withRepeat(elf, 2));
  const perRepeat = twice.instructions - once.instructions;
  const instructionsFor = (repeat: number) => once.instructions + (repeat - 1) * perRepeat;
  // our timed runs also repeat, to last ~OUR_TARGET_SECONDS (JIT warm-up stays a small part)
  const ourRepeat = Math.max(
    1,
    Math.round((OUR_TARGET_SECONDS * twice.instructions) / twice.seconds / perRepeat),
  );
  const ours = best(RUNS, () => runOurs(withRepeat(elf, ourRepeat)));
  if (ours.instructions !== instructionsFor(ourRepeat))
    throw new Error(`${file}: instruction count is not linear in bench_repeat`);
  totalInsns += ours.instructions;
  totalSeconds += ours.seconds;
  const mips = ours.instructions / ours.seconds / 1e6;
  let line = `${file.slice(0, -4).padEnd(16)}${pad(once.instructions, 13)}${pad(ourRepeat, 6)}${pad(ours.seconds.toFixed(3), 9)}${pad(mips.toFixed(1), 11)}`;
  if (hasQemu) {
    const repeat = Math.max(1, Math.round((QEMU_TARGET_SECONDS * QEMU_GUESS_IPS) / perRepeat));
    const qemuInsns = instructionsFor(repeat);
    const qemuPath = join(tmp, file);
    writeFileSync(qemuPath, withRepeat(elf, repeat));
    const q = best(RUNS, () => runQemu(qemuPath));
    if (q.stdout !== once.console.repeat(repeat)) {
      throw new Error(
        `${file}: QEMU printed something else:\n${q.stdout.slice(0, 500)}\nours:\n${once.console}`,
      );
    }
    const net = Math.max(q.seconds - qemuStartup, 1e-3);
    totalQemuSeconds += net;
    totalQemuInsns += qemuInsns;
    const qemuMips = qemuInsns / net / 1e6;
    line += `${pad(repeat, 6)}${pad(net.toFixed(3), 9)}${pad(qemuMips.toFixed(0), 11)}${pad((mips / qemuMips).toFixed(3), 11)}`;
  }
  console.log(line);
}

const overall = totalInsns / totalSeconds / 1e6;
if (workloads.length > 0) printSummary();
function printSummary(): void {
  let summary = `\noverall: ${totalInsns} guest instructions in ${totalSeconds.toFixed(2)} s = ${overall.toFixed(1)} MIPS (SimMachine, Node)`;
  if (hasQemu) {
    const qemuOverall = totalQemuInsns / totalQemuSeconds / 1e6;
    summary += `; QEMU ${qemuOverall.toFixed(0)} MIPS net of start-up; ours/QEMU = ${(overall / qemuOverall).toFixed(3)}`;
  }
  console.log(summary);
}

// The whole board through the path users get: `v8266 run` boots firmware/espbench's image with
// our ROM on the ESP8266 bus (MMIO, flash window, interrupts wired) and reports its --stats line.
const BOARD_IMAGE = fileURLToPath(new URL('../firmware/espbench/out/bench.bin', import.meta.url));
const CLI = fileURLToPath(new URL('../bin/v8266.mjs', import.meta.url));
if ('espbench'.includes(filter) || filter === '') {
  const runs: { instructions: number; seconds: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(
      process.execPath,
      [CLI, 'run', BOARD_IMAGE, '--expect', 'espbench done', '--timeout', '60', '--stats'],
      { encoding: 'utf8' },
    );
    if (r.status !== 0 || !r.stdout.includes('sort ok')) {
      throw new Error(`v8266 run of espbench failed (exit ${r.status}): ${r.stderr}`);
    }
    const stats = JSON.parse(r.stderr.trim().split('\n').at(-1)!);
    runs.push({ instructions: stats.instructions, seconds: stats.wallSeconds });
  }
  const bestRun = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  console.log(
    `board:   ${bestRun.instructions} guest instructions in ${bestRun.seconds.toFixed(2)} s = ` +
      `${(bestRun.instructions / bestRun.seconds / 1e6).toFixed(1)} MIPS ` +
      `(v8266 run firmware/espbench/out/bench.bin: our ROM, ESP8266 bus and peripherals; best of ${RUNS})`,
  );
}
