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
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ElfFile } from '../src/board/image/elf.ts';
import { parseHeaderFlashSize } from '../src/board/image/flash-layout.ts';
import { SimMachine } from '../src/board/sim/sim-machine.ts';
import { QEMU, QEMU_ARGS, hasQemu } from '../test/oracle/qemu.ts';
import {
  runBoardWorkload,
  spinImage,
  type BoardResult,
  type BoardWorkload,
} from './board-workloads.ts';
import { runTransfer } from './network-workloads.ts';
import { measurePageBoot } from './page-boot.ts';
import { measurePageFps } from './page-fps.ts';
import { hasChromium } from './production-page.ts';

const OUT = fileURLToPath(new URL('../firmware/sim/out/', import.meta.url));
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const filter = process.argv[2] ?? '';

interface OurRun {
  instructions: number;
  seconds: number;
  exitCode: number | null;
  console: string;
}

function runOurs(elf: Uint8Array, compile = true): OurRun {
  const machine = new SimMachine();
  machine.cpu.blockCompiler = compile;
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
const OUR_TARGET_SECONDS = 1.5;
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
if (
  workloads.length === 0 &&
  !'espbench'.includes(filter) &&
  !'board'.includes(filter) &&
  !'network'.includes(filter) &&
  !'page-boot'.includes(filter)
) {
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
  `${'workload'.padEnd(16)}${pad('insns/run', 13)}${pad('reps', 6)}${pad('interp MIPS', 13)}${pad('ours s', 9)}${pad('ours MIPS', 11)}` +
    (hasQemu
      ? `${pad('reps', 6)}${pad('QEMU s', 9)}${pad('QEMU MIPS', 11)}${pad('ours/QEMU', 11)}`
      : ''),
);
console.log(
  `(ours = the block compiler, cpu.blockCompiler = true; interp = the same core interpreting only, same run)`,
);

let totalInsns = 0;
let totalSeconds = 0;
let totalInterpSeconds = 0;
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
  const interp = best(RUNS, () => runOurs(withRepeat(elf, ourRepeat), false));
  if (interp.instructions !== ours.instructions || interp.console !== ours.console)
    throw new Error(`${file}: the interpreter and the compiler disagree`);
  totalInsns += ours.instructions;
  totalSeconds += ours.seconds;
  totalInterpSeconds += interp.seconds;
  const mips = ours.instructions / ours.seconds / 1e6;
  const interpMips = interp.instructions / interp.seconds / 1e6;
  let line = `${file.slice(0, -4).padEnd(16)}${pad(once.instructions, 13)}${pad(ourRepeat, 6)}${pad(interpMips.toFixed(1), 13)}${pad(ours.seconds.toFixed(3), 9)}${pad(mips.toFixed(1), 11)}`;
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
  const interpOverall = totalInsns / totalInterpSeconds / 1e6;
  let summary = `\noverall: ${totalInsns} guest instructions in ${totalSeconds.toFixed(2)} s = ${overall.toFixed(1)} MIPS = ${(overall / 80).toFixed(2)}× real time at 80 MHz (SimMachine, Node, block compiler; interpreter ${interpOverall.toFixed(1)} MIPS = ${(interpOverall / 80).toFixed(2)}×)`;
  if (hasQemu) {
    const qemuOverall = totalQemuInsns / totalQemuSeconds / 1e6;
    summary += `; QEMU ${qemuOverall.toFixed(0)} MIPS net of start-up; ours/QEMU = ${(overall / qemuOverall).toFixed(3)}`;
  }
  console.log(summary);
}

// The whole board: firmware/espbench's image (and, with V8266_REALFW_DIR, the real images of
// docs/real-firmware.md) booted by our ROM on the ESP8266 board — what `v8266 run` drives — once
// with the block compiler and once interpreting, in the same run.
const ESPBENCH = fileURLToPath(new URL('../firmware/espbench/out/', import.meta.url));
const ESP = fileURLToPath(new URL('../firmware/esp/out/', import.meta.url));
const REALFW = process.env.V8266_REALFW_DIR;
const boardWorkloads: BoardWorkload[] = [
  {
    name: 'espbench',
    parts: [{ path: `${ESPBENCH}bench.bin`, offset: 0 }],
    flashSize: 4 << 20,
    script: [{ expect: 'sort ok' }, { expect: 'espbench done' }],
    timeoutSeconds: 60,
  },
  // firmware/espbench/storms.c: the phases real firmware spends its time in
  ...(['repl', 'tasks', 'flash', 'print'] as const).map((storm): BoardWorkload => ({
    name: `storm-${storm}`,
    parts: [{ path: `${ESPBENCH}storm_${storm}.bin`, offset: 0 }],
    flashSize: 4 << 20,
    script: [{ expect: 'storms done' }],
    timeoutSeconds: 60,
  })),
  // Idle firmware: our demo (WAITI between FRC1 blink interrupts) and a bare `while (1);`.
  {
    name: 'idle-demo',
    parts: [{ path: `${ESP}demo.bin`, offset: 0 }],
    flashSize: 4 << 20,
    measureFrom: 'demo ready',
    script: [{ expect: 'demo ready' }],
    idleSeconds: 20,
    timeoutSeconds: 40,
  },
  {
    name: 'idle-while1',
    parts: [{ data: spinImage(), offset: 0 }],
    flashSize: 4 << 20,
    script: [],
    idleSeconds: 20,
    timeoutSeconds: 40,
  },
];
if (REALFW) {
  const at200 = `${REALFW}/at200/`;
  /** AT 2.0.0's flash layout (docs/real-firmware.md). */
  const at200Flash = {
    parts: [
      { path: `${at200}eagle.flash.bin`, offset: 0 },
      { path: `${at200}eagle.irom0text.bin`, offset: 0x10000 },
      { path: `${at200}esp_init_data_default.bin`, offset: 0xfc000 },
      { path: `${at200}blank.bin`, offset: 0x7e000 },
      { path: `${at200}blank.bin`, offset: 0xfe000 },
    ],
    flashSize: 1 << 20,
    headerSizeCode: parseHeaderFlashSize('1MB'),
  };
  boardWorkloads.push(
    {
      name: 'nodemcu-lua-loop',
      parts: [{ path: `${REALFW}/nodemcu/nodemcu_latest.bin`, offset: 0 }],
      flashSize: 4 << 20,
      measureFrom: 'cannot open init.lua',
      script: [
        { expect: '> ' },
        { send: 'for i=1,200000 do x=i*2 end print("lo".."op")\r\n' },
        { expect: 'loop' },
      ],
      timeoutSeconds: 60,
    },
    {
      name: 'at200-boot',
      ...at200Flash,
      script: [{ expect: 'ready' }],
      timeoutSeconds: 20,
    },
    {
      name: 'at200-idle',
      ...at200Flash,
      measureFrom: 'ready',
      script: [{ expect: 'ready' }],
      idleSeconds: 20,
      timeoutSeconds: 40,
    },
  );
  // MicroPython's REPL never sleeps: waiting for a key it polls the UART, feeds the watchdog and
  // runs its event loop, 80 M instructions per second. Bench only when the image is there.
  const micropython = `${REALFW}/micropython/esp8266-20220117-v1.18.bin`;
  if (existsSync(micropython)) {
    boardWorkloads.push({
      name: 'mpy-idle-repl',
      parts: [{ path: micropython, offset: 0 }],
      flashSize: 4 << 20,
      headerSizeCode: parseHeaderFlashSize('4MB'),
      measureFrom: '>>> ',
      script: [{ expect: '>>> ' }],
      idleSeconds: 10,
      timeoutSeconds: 30,
    });
    // Busy Python at 80 and 160 MHz (issue #12: at least 3x and 1.5x real time in the CLI).
    // The marker is built at run time so that the REPL's echo of the line does not match it.
    for (const mhz of [80, 160]) {
      boardWorkloads.push({
        name: `mpy-busy-${mhz}`,
        parts: [{ path: micropython, offset: 0 }],
        flashSize: 4 << 20,
        headerSizeCode: parseHeaderFlashSize('4MB'),
        measureFrom: 'busy-loop',
        script: [
          { expect: '>>> ' },
          { send: `import machine\r\nmachine.freq(${mhz}000000)\r\nn=0\r\n` },
          {
            send: "while True: n+=1; s=sum(i*i for i in range(2000)); _=n%100==0 and print(n,s,'busy'+'-loop')\r\n\r\n",
          },
          { expect: 'busy-loop' },
        ],
        idleSeconds: 10,
        timeoutSeconds: 40,
      });
    }
  }
  // An RTOS SDK 2.0 application's FreeRTOS idle task never sleeps either, and yields through the
  // software interrupt at every pass (~80000 interrupts a second). docs/real-firmware.md, "More
  // images".
  const rtos = `${REALFW}/rtos/`;
  if (existsSync(`${rtos}eagle.flash.bin`)) {
    boardWorkloads.push({
      name: 'rtos-idle',
      parts: [
        { path: `${rtos}eagle.flash.bin`, offset: 0 },
        { path: `${rtos}eagle.irom0text.bin`, offset: 0x20000 },
        { path: `${rtos}esp_init_data_default.bin`, offset: 0x3fc000 },
        { path: `${rtos}blank.bin`, offset: 0x3fe000 },
      ],
      flashSize: 4 << 20,
      headerSizeCode: parseHeaderFlashSize('4MB'),
      measureFrom: 'hello word!',
      script: [{ expect: 'hello word!' }],
      idleSeconds: 10,
      timeoutSeconds: 30,
    });
  }
  // ESPEasy's first boot: factory reset, file system format (a flash-erase storm with the cache
  // going off and on around every sector), reboot, 49 plugins, its own access point.
  const espeasy = `${REALFW}/espeasy/ESP_Easy_mega_20210508_normal_ESP8266_4M1M.bin`;
  if (existsSync(espeasy)) {
    boardWorkloads.push({
      name: 'espeasy-boot',
      parts: [{ path: espeasy, offset: 0 }],
      flashSize: 4 << 20,
      script: [{ expect: 'AP Mode ssid will be' }],
      timeoutSeconds: 30,
    });
  }
}
if ('board'.includes(filter) || 'espbench'.includes(filter) || filter === '') {
  console.log(
    `\n${'board workload'.padEnd(18)}${pad('sim s', 8)}${pad('interp MIPS', 13)}${pad('interp ×rt', 12)}` +
      `${pad('ours MIPS', 11)}${pad('ours ×rt', 10)}${pad('regions', 9)}${pad('no-ff ×rt', 11)}${pad('skipped', 9)}`,
  );
  console.log(
    `(ours = block compiler; interp = interpreter only; both with poll-loop fast-forward; no-ff = the\n` +
      ` interpreter without it; skipped = share of the cycles fast-forward skipped; ×rt = simulated s / CPU s of this process)`,
  );
  for (const w of boardWorkloads) {
    const ours = best(RUNS, () => {
      const r = runBoardWorkload(w, true);
      return { ...r, seconds: r.cpuSeconds };
    });
    const interp = best(RUNS, () => {
      const r = runBoardWorkload(w, false);
      return { ...r, seconds: r.cpuSeconds };
    });
    const plain = best(RUNS, () => {
      const r = runBoardWorkload(w, false, false);
      return { ...r, seconds: r.cpuSeconds };
    });
    if (ours.output !== interp.output || ours.instructions !== interp.instructions) {
      throw new Error(`${w.name}: the interpreter and the compiler disagree`);
    }
    if (plain.output !== interp.output || plain.instructions !== interp.instructions) {
      throw new Error(`${w.name}: fast-forward changed the run`);
    }
    const mips = (r: BoardResult) => (r.instructions / r.cpuSeconds / 1e6).toFixed(1);
    const rt = (r: BoardResult) => (r.simulatedSeconds / r.cpuSeconds).toFixed(2);
    console.log(
      `${w.name.padEnd(18)}${pad(ours.simulatedSeconds.toFixed(2), 8)}${pad(mips(interp), 13)}${pad(rt(interp), 12)}` +
        `${pad(mips(ours), 11)}${pad(rt(ours), 10)}${pad(ours.regions, 9)}${pad(rt(plain), 11)}` +
        `${pad(((100 * interp.skippedCycles) / Math.max(1, interp.instructions)).toFixed(0) + '%', 9)}`,
    );
  }
  if (!REALFW)
    console.log('(set V8266_REALFW_DIR to add the real images of docs/real-firmware.md)');
}

// The virtual network alone (no board): a phone downloads 1 MB from the AP's .1 host through the
// air, open and WPA2 (CCMP both ways). Issue #10's target: ≥ 20 Mbit/s of simulated traffic per
// wall second.
if ('network'.includes(filter) || filter === '') {
  console.log(
    `\n${'network workload'.padEnd(24)}${pad('bytes', 9)}${pad('sim s', 8)}${pad('wall s', 8)}` +
      `${pad('Mbit/s wall', 13)}${pad('Mbit/s sim', 12)}`,
  );
  console.log(
    '(Mbit/s wall = bytes moved per wall second of this process, after one warm-up transfer of each\n' +
      ' kind: the first transfer in a process runs at a third of that while V8 compiles; sim = on the air)',
  );
  for (const passphrase of [undefined, 'correct horse']) runTransfer(passphrase, 1 << 20);
  for (const [name, passphrase] of [
    ['tcp-1MB-open', undefined],
    ['tcp-1MB-wpa2-ccmp', 'correct horse'],
  ] as const) {
    const r = best(RUNS, () => {
      const t = runTransfer(passphrase, 1 << 20);
      return { ...t, seconds: t.wallSeconds };
    });
    const mbit = (s: number) => ((r.bytes * 8) / s / 1e6).toFixed(1);
    console.log(
      `${name.padEnd(24)}${pad(r.bytes, 9)}${pad(r.simulatedSeconds.toFixed(3), 8)}` +
        `${pad(r.wallSeconds.toFixed(3), 8)}${pad(mbit(r.wallSeconds), 13)}${pad(mbit(r.simulatedSeconds), 12)}`,
    );
  }
}

// The page under network load, in Debian's Chromium (issue #10: 60 fps with the packet list open
// during a 1 MB transfer). Builds the app; skipped without Chromium.
if ('page'.includes(filter) || filter === '') {
  if (!hasChromium)
    console.log('\npage: no Chromium (CHROMIUM_PATH or /usr/bin/chromium), skipped');
  else {
    const r = await measurePageFps();
    console.log(
      `\npage during a 1 MB transfer (packet list open, ${r.packetsShown} rows): ` +
        `${r.fps.toFixed(1)} fps (idle ${r.idleFps.toFixed(1)}), worst 500 ms ${r.worstWindowFps.toFixed(0)} fps, ` +
        `longest frame gap ${r.longestGapMs.toFixed(0)} ms, ${r.droppedFrames} frames dropped, ` +
        `transfer ${r.transferWallSeconds.toFixed(2)} s wall (load average ${loadavg()[0].toFixed(1)}: ` +
        'on a loaded machine the page waits for a core, which only fewer frames show)',
    );
  }
}

// Drop to prompt in the page for the real images (issue #12: under 1.5 s wall), with
// V8266_REALFW_DIR; a fresh page per image, so each is a first boot.
if ('page-boot'.includes(filter) || filter === '') {
  if (!hasChromium || !REALFW)
    console.log('\npage boot: needs Chromium and V8266_REALFW_DIR, skipped');
  else {
    console.log('\npage: drop to prompt (production build, first boot)');
    console.log(
      `${'image'.padEnd(20)}${pad('wall s', 8)}${pad('sim s', 8)}${pad('max ×rt', 9)}` +
        `  (max ×rt = simulated s per wall s at the prompt, pacing "max", UI running)`,
    );
    for (const r of await measurePageBoot(REALFW))
      console.log(
        `${r.name.padEnd(20)}${pad(r.wallSeconds.toFixed(2), 8)}${pad(r.simSeconds.toFixed(2), 8)}` +
          `${pad(r.maxSpeed.toFixed(2), 9)}`,
      );
  }
}
