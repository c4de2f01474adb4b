/**
 * Lock-step check of the block compiler on real firmware: two boards boot the same flash, one
 * with the compiler, one interpreting only, and run the same simulated-time steps. After every
 * step (STEP_US of simulated time, a few thousand instructions) the CPU state — pc, a0..a15, the
 * special registers, cycles, instructions, WAITI — must be equal; every MEMORY_EVERY steps all of
 * guest RAM and the flash too, and the UART0 output. UART input (--send) reaches both boards at
 * the same step. The first difference is printed with both states and the run exits 1.
 *
 *   npx tsx bench/lockstep.ts IMAGE@OFFSET… [--flash-size S] [--header-size S] [--timeout S]
 *                             [--expect TEXT] [--send TEXT]…      (the `v8266 run` arguments)
 *
 * It always runs for --timeout simulated seconds; the script only drives the input. With
 * LOCKSTEP=poll the two boards differ only in poll-loop fast-forward (on vs off), both interpreting;
 * with LOCKSTEP=park only in what becomes of the flash window's code while the cache is off (parked
 * vs dropped, as before parking existed), both compiling.
 */
import { readFileSync } from 'node:fs';
import { createBoard, type Board } from '../src/board/board.ts';
import { assembleFlash, patchHeaderFlashSize } from '../src/board/image/flash-layout.ts';
import { parseRunArgs } from '../src/cli/run-args.ts';

const STEP_US = 20;
const MEMORY_EVERY = 500;
const COMPARED_SRS = [
  3, 5, 177, 178, 179, 192, 194, 195, 209, 226, 228, 230, 231, 232, 233, 234, 238, 240,
];

const request = parseRunArgs(process.argv.slice(2));
const parts = request.images.map((image) => ({
  offset: image.offset,
  data: new Uint8Array(readFileSync(image.path)),
  name: image.path,
}));
const flash = assembleFlash(parts, request.flashSize);
if (request.headerSizeCode !== null) patchHeaderFlashSize(flash, request.headerSizeCode);

interface Side {
  board: Board;
  out: number[];
}

// LOCKSTEP=poll compares poll-loop fast-forward against plain execution (both interpreting).
const pollMode = process.env.LOCKSTEP === 'poll';
// LOCKSTEP=park compares parking the window's code against dropping it (both compiling).
const parkMode = process.env.LOCKSTEP === 'park';

function boot(compile: boolean): Side {
  const board = createBoard({ flash: flash.slice(), flashSize: flash.length });
  board.soc.cpu.blockCompiler = pollMode ? false : parkMode ? true : compile;
  if (parkMode && !compile) {
    const bus = board.soc.bus;
    bus.parkCode = (addr, len) => bus.invalidateCode(addr, len);
    bus.unparkCode = (addr, len) => bus.invalidateCode(addr, len);
  }
  board.soc.cpu.pollLoops.enabled = pollMode ? compile : true;
  const side: Side = { board, out: [] };
  board.listen({ uartTx: (uart, byte) => uart === 0 && side.out.push(byte) });
  board.powerOn();
  return side;
}

const compiled = boot(true);
const interpreted = boot(false);

function cpuState(side: Side): Record<string, number | boolean | string> {
  const cpu = side.board.soc.cpu;
  const s: Record<string, number | boolean | string> = {
    pc: cpu.pc >>> 0,
    cycles: cpu.cycles,
    instructions: cpu.instructions,
    halted: cpu.halted,
  };
  cpu.regs.forEach((v, i) => (s[`a${i}`] = v >>> 0));
  for (const sr of COMPARED_SRS) s[`sr${sr}`] = cpu.readSpecial(sr) >>> 0;
  return s;
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function fail(message: string): never {
  console.error(`lockstep: DIVERGED ${message}`);
  console.error(`compiled:    ${JSON.stringify(cpuState(compiled))}`);
  console.error(`interpreted: ${JSON.stringify(cpuState(interpreted))}`);
  process.exit(1);
}

const script = [...request.script];
let searchFrom = 0;
const text = (side: Side) => Buffer.from(side.out).toString('latin1');
const t0 = performance.now();
let step = 0;
let seconds = 0;
for (; seconds < request.timeoutSeconds; step++) {
  seconds = ((step + 1) * STEP_US) / 1e6;
  compiled.board.runUntil(seconds);
  interpreted.board.runUntil(seconds);
  const a = cpuState(compiled);
  const b = cpuState(interpreted);
  for (const key of Object.keys(a)) {
    if (a[key] !== b[key]) fail(`at t=${seconds.toFixed(6)} s: ${key} ${a[key]} vs ${b[key]}`);
  }
  if (step % MEMORY_EVERY === 0) {
    const ram = firstDifference(
      new Uint8Array(compiled.board.soc.memory),
      new Uint8Array(interpreted.board.soc.memory),
    );
    if (ram >= 0) fail(`at t=${seconds.toFixed(6)} s: guest RAM differs at buffer offset ${ram}`);
    const f = firstDifference(compiled.board.flash, interpreted.board.flash);
    if (f >= 0) fail(`at t=${seconds.toFixed(6)} s: flash differs at 0x${f.toString(16)}`);
    if (text(compiled) !== text(interpreted)) fail(`at t=${seconds.toFixed(6)} s: UART0 differs`);
  }
  // the script: expectations are matched on the compiled board's output (equal so far)
  while (script.length > 0) {
    const next = script[0];
    if (next.kind === 'send') {
      compiled.board.uartReceive(0, next.bytes);
      interpreted.board.uartReceive(0, next.bytes);
      script.shift();
      continue;
    }
    if (next.kind !== 'expect') break; // no network here: tool steps never come due
    const wanted = Buffer.from(next.bytes).toString('latin1');
    const at = text(compiled).indexOf(wanted, searchFrom);
    if (at < 0) break;
    searchFrom = at + wanted.length;
    script.shift();
  }
}
const cpu = compiled.board.soc.cpu;
console.log(
  `lockstep: equal for ${seconds.toFixed(3)} simulated s (${step} steps of ${STEP_US} µs), ` +
    `${cpu.instructions} instructions, ${cpu.codeCache.compiled} regions compiled, ` +
    `${cpu.pollLoops.skippedCycles} cycles poll-skipped, ` +
    `${(performance.now() - t0) / 1000} s wall; script ${script.length === 0 ? 'complete' : `stopped at ${JSON.stringify(script[0])}`}`,
);
process.stdout.write(text(compiled).slice(-400) + '\n');
