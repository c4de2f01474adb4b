/**
 * Whole-board workloads for `npm run bench`: a flash image booted by our ROM on the ESP8266 board
 * (the objects `v8266 run` drives), with an optional `--expect`/`--send`-style script, run once
 * with the block compiler and once interpreting only. Reported: guest MIPS, × real time
 * (simulated seconds per CPU second of this process) and how many regions were compiled.
 */
import { readFileSync } from 'node:fs';
import { createBoard } from '../src/board/board.ts';
import * as x from '../src/board/cpu/testing/encode.ts';
import { ESP_IMAGE_MAGIC, espChecksum } from '../src/board/image/esp-image.ts';
import { assembleFlash, patchHeaderFlashSize } from '../src/board/image/flash-layout.ts';

export interface BoardWorkload {
  name: string;
  /** Flash contents: a file, or bytes made by the benchmark itself. */
  parts: ({ path: string; offset: number } | { data: Uint8Array; offset: number })[];
  flashSize: number;
  headerSizeCode?: number;
  /** Alternating expectations and inputs; the run ends when the last expectation is met. */
  script: ({ expect: string } | { send: string })[];
  /** Measure only after this text appeared (boot excluded), or from power-on when absent. */
  measureFrom?: string;
  /** Simulated seconds to run after the script (for idle workloads), default 0. */
  idleSeconds?: number;
  timeoutSeconds: number;
}

export interface BoardResult {
  instructions: number;
  simulatedSeconds: number;
  /**
   * CPU seconds this process spent (user + system): on the shared machine wall time mostly
   * measures the other processes. Single-threaded, so on an idle machine it is the wall time.
   */
  cpuSeconds: number;
  regions: number;
  /** Cycles poll-loop fast-forward skipped in the measured part. */
  skippedCycles: number;
  output: string;
}

/** Simulated seconds per runUntil step: also the latency of a scripted send. */
const STEP_SECONDS = 0.005;

/**
 * A one-segment 0xE9 image whose code is `while (1);` with interrupts enabled: our ROM boots it
 * and the core then spins on one J for as long as the board runs (the ROM's own timers and the
 * UART are all that happens).
 */
export function spinImage(): Uint8Array {
  const code = x.toBytes([x.movi(2, 0), x.wsr(2, 230 /* PS */), x.j(0)]);
  const data = new Uint8Array((code.length + 3) & ~3);
  data.set(code);
  const entry = 0x40100000;
  const body = [ESP_IMAGE_MAGIC, 1, 0, 0x20, ...u32le(entry), ...u32le(entry), ...u32le(data.length), ...data];
  while ((body.length + 1) % 16 !== 0) body.push(0);
  body.push(espChecksum([data]));
  return new Uint8Array(body);
}

function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function u32le(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
}

export function runBoardWorkload(
  w: BoardWorkload,
  compile: boolean,
  fastForward = true,
): BoardResult {
  const flash = assembleFlash(
    w.parts.map((p) => ({
      offset: p.offset,
      data: 'data' in p ? p.data : new Uint8Array(readFileSync(p.path)),
    })),
    w.flashSize,
  );
  if (w.headerSizeCode !== undefined) patchHeaderFlashSize(flash, w.headerSizeCode);
  const board = createBoard({ flash, flashSize: w.flashSize });
  const cpu = board.soc.cpu;
  cpu.blockCompiler = compile;
  cpu.pollLoops.enabled = fastForward;
  const out: number[] = [];
  board.listen({ uartTx: (uart, byte) => uart === 0 && out.push(byte) });
  board.powerOn();
  const text = () => Buffer.from(out).toString('latin1');
  const script = [...w.script];
  let searchFrom = 0;
  let started = w.measureFrom === undefined;
  let t0 = cpuNow();
  let i0 = 0;
  let s0 = 0;
  let k0 = 0;
  let idleUntil = Infinity;
  while (board.seconds < w.timeoutSeconds && board.seconds < idleUntil) {
    board.runUntil(board.seconds + STEP_SECONDS);
    if (!started && text().includes(w.measureFrom!)) {
      started = true;
      t0 = cpuNow();
      i0 = cpu.instructions;
      s0 = board.seconds;
      k0 = cpu.pollLoops.skippedCycles;
    }
    while (script.length > 0) {
      const step = script[0];
      if ('send' in step) {
        board.uartReceive(0, new Uint8Array(Buffer.from(step.send, 'latin1')));
        script.shift();
        continue;
      }
      const at = text().indexOf(step.expect, searchFrom);
      if (at < 0) break;
      searchFrom = at + step.expect.length;
      script.shift();
    }
    if (script.length === 0 && idleUntil === Infinity) {
      if (!w.idleSeconds) break;
      idleUntil = board.seconds + w.idleSeconds;
    }
  }
  if (script.length > 0) {
    throw new Error(`${w.name}: "${JSON.stringify(script[0])}" not met in ${w.timeoutSeconds} s`);
  }
  return {
    instructions: cpu.instructions - i0,
    simulatedSeconds: board.seconds - s0,
    cpuSeconds: cpuNow() - t0,
    regions: cpu.codeCache.compiled,
    skippedCycles: cpu.pollLoops.skippedCycles - k0,
    output: text(),
  };
}
