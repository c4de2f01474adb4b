/**
 * Whole-board workloads for `npm run bench`: a flash image booted by our ROM on the ESP8266 board
 * (the objects `v8266 run` drives), with an optional `--expect`/`--send`-style script, run once
 * with the block compiler and once interpreting only. Reported: guest MIPS, × real time
 * (simulated seconds per wall second) and how many regions were compiled.
 */
import { readFileSync } from 'node:fs';
import { createBoard } from '../src/board/board.ts';
import { assembleFlash, patchHeaderFlashSize } from '../src/board/image/flash-layout.ts';

export interface BoardWorkload {
  name: string;
  parts: { path: string; offset: number }[];
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
  wallSeconds: number;
  regions: number;
  output: string;
}

/** Simulated seconds per runUntil step: also the latency of a scripted send. */
const STEP_SECONDS = 0.005;

export function runBoardWorkload(w: BoardWorkload, compile: boolean): BoardResult {
  const flash = assembleFlash(
    w.parts.map((p) => ({ offset: p.offset, data: new Uint8Array(readFileSync(p.path)) })),
    w.flashSize,
  );
  if (w.headerSizeCode !== undefined) patchHeaderFlashSize(flash, w.headerSizeCode);
  const board = createBoard({ flash, flashSize: w.flashSize });
  const cpu = board.soc.cpu;
  cpu.blockCompiler = compile;
  const out: number[] = [];
  board.listen({ uartTx: (uart, byte) => uart === 0 && out.push(byte) });
  board.powerOn();
  const text = () => Buffer.from(out).toString('latin1');
  const script = [...w.script];
  let searchFrom = 0;
  let started = w.measureFrom === undefined;
  let t0 = performance.now();
  let i0 = 0;
  let s0 = 0;
  let idleUntil = Infinity;
  while (board.seconds < w.timeoutSeconds && board.seconds < idleUntil) {
    board.runUntil(board.seconds + STEP_SECONDS);
    if (!started && text().includes(w.measureFrom!)) {
      started = true;
      t0 = performance.now();
      i0 = cpu.instructions;
      s0 = board.seconds;
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
    wallSeconds: (performance.now() - t0) / 1000,
    regions: cpu.codeCache.compiled,
    output: text(),
  };
}
