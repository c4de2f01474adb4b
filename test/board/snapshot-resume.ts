/**
 * The check behind every "snapshots are exact" test: run a board N s straight on to N + M s, and
 * separately restore the snapshot taken at N into a fresh board and run it to N + M; both must end
 * in byte-identical snapshots and must have sent the same UART bytes and pin changes, at the same
 * simulated times, after the save point. Used on our own firmware (snapshot.test.ts) and on the
 * real images (test/realfw/snapshot.test.ts).
 */
import { expect } from 'vitest';
import { createBoard, type Board } from '../../src/board/board.ts';
import { boardFromSnapshot, snapshotBoard } from '../../src/board/snapshot/board-snapshot.ts';
import { decodeSnapshot } from '../../src/board/snapshot/snapshot-format.ts';
import type { SavedState, SavedValue } from '../../src/board/snapshot/state.ts';

export interface Recorder {
  uart: string[];
  gpio: string[];
}

export function record(board: Board): Recorder {
  const r: Recorder = { uart: [], gpio: [] };
  board.listen({
    uartTx: (n, b) => r.uart.push(`${n}:${b}@${board.soc.clock.now}`),
    gpio: (pin, level) => r.gpio.push(`${pin}=${level}@${board.soc.clock.now}`),
    reset: (cause) => r.gpio.push(`reset ${cause}@${board.soc.clock.now}`),
  });
  return r;
}

export type Input = { at: number; text: string };

/** Run to `until` in 5 ms slices (as hosts do), typing each input in the slice that holds its time. */
export function runTo(board: Board, until: number, inputs: readonly Input[] = []): void {
  const slice = 0.005;
  while (board.seconds < until) {
    const k = Math.round(board.seconds / slice);
    for (const input of inputs) {
      if (input.at >= k * slice && input.at < (k + 1) * slice)
        board.uartReceive(0, new TextEncoder().encode(input.text));
    }
    board.runUntil(Math.min(until, (k + 1) * slice));
  }
}

/** The first path where two saved trees differ, for a readable failure. */
export function firstDifference(a: SavedValue, b: SavedValue, path = ''): string | null {
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = a as Uint8Array;
    const y = b as Uint8Array;
    if (x.length !== y.length) return `${path}: length ${x.length} vs ${y.length}`;
    for (let i = 0; i < x.length; i++)
      if (x[i] !== y[i]) return `${path}[${i}]: ${x[i]} vs ${y[i]}`;
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference(
        (a as SavedState)[k],
        (b as SavedState)[k],
        path ? `${path}.${k}` : k,
      );
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${path}: ${String(a)} vs ${String(b)}`;
}

export interface Case {
  name: string;
  flash: Uint8Array;
  /** The chip's size when it is not the flash array's length. */
  flashSize?: number;
  n: number;
  m: number;
  inputs?: Input[];
  expectOutput?: boolean;
}

export function checkResume(c: Case, compiled = false): { straight: Recorder; resumed: Recorder } {
  const straight = createBoard({ flash: c.flash, flashSize: c.flashSize });
  straight.soc.cpu.blockCompiler = compiled;
  const a = record(straight);
  straight.powerOn();
  runTo(straight, c.n, c.inputs);
  const file = snapshotBoard(straight);
  const uartAtSave = a.uart.length;
  const gpioAtSave = a.gpio.length;
  runTo(straight, c.n + c.m, c.inputs);

  const resumedBoard = boardFromSnapshot(file);
  resumedBoard.soc.cpu.blockCompiler = compiled;
  const b = record(resumedBoard);
  runTo(resumedBoard, c.n + c.m, c.inputs);

  const end = snapshotBoard(straight);
  const resumedEnd = snapshotBoard(resumedBoard);
  if (Buffer.compare(end, resumedEnd) !== 0) {
    expect(firstDifference(decodeSnapshot(end), decodeSnapshot(resumedEnd))).toBeNull();
  }
  expect(b.uart).toEqual(a.uart.slice(uartAtSave));
  expect(b.gpio).toEqual(a.gpio.slice(gpioAtSave));
  if (c.expectOutput !== false) expect(b.uart.length).toBeGreaterThan(0);
  return { straight: a, resumed: b };
}
