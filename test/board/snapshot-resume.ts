/**
 * The check behind every "snapshots are exact" test: run a board N s straight on to N + M s, and
 * separately restore the snapshot taken at N into a fresh board and run it to N + M; both must end
 * in byte-identical snapshots and must have sent the same UART bytes and pin changes, at the same
 * simulated times, after the save point. Used on our own firmware (snapshot.test.ts) and on the
 * real images (test/realfw/snapshot.test.ts).
 */
import { expect } from 'vitest';
import { createBoard, type Board } from '../../src/board/board.ts';
import {
  boardFromSnapshot,
  readBoardSnapshot,
  snapshotBoard,
} from '../../src/board/snapshot/board-snapshot.ts';
import { decodeSnapshot } from '../../src/board/snapshot/snapshot-format.ts';
import type { SavedState, SavedValue } from '../../src/board/snapshot/state.ts';
import { worldForBoard, type NetworkWorld, type WorldConfig } from '../../src/net/world.ts';
import { readWorld, saveWorld } from '../../src/net/world-snapshot.ts';
import { networkStatus } from '../../src/net/world-status.ts';

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

/** What UART `n` sent in a recording, as text. */
export function uartText(r: Recorder, n: number): string {
  const prefix = `${n}:`;
  return r.uart
    .filter((e) => e.startsWith(prefix))
    .map((e) => String.fromCharCode(Number(e.slice(prefix.length, e.indexOf('@')))))
    .join('');
}

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
  /**
   * A virtual network around the board (src/net/world.ts): saved with it, resumed by replaying
   * its history, and part of what must end byte-identical.
   */
  network?: WorldConfig;
  /** Typed after the save, at seconds relative to it (for saves whose time `before` decides). */
  inputsAfterSave?: Input[];
  /**
   * Run on the straight board once the world exists, before the save (a join, say); `uart0` is
   * what UART0 sent so far (the board's listeners are the recorder's: do not replace them).
   */
  before?: (board: Board, world: NetworkWorld | null, uart0: () => string) => void;
}

export function checkResume(c: Case, compiled = false): { straight: Recorder; resumed: Recorder } {
  const straight = createBoard({ flash: c.flash, flashSize: c.flashSize });
  straight.soc.cpu.blockCompiler = compiled;
  const world = c.network ? worldForBoard(straight.wifi, c.network) : null;
  const a = record(straight);
  straight.powerOn();
  c.before?.(straight, world, () => uartText(a, 0));
  runTo(straight, c.n, c.inputs);
  // `before` may have run past n: the save is where the board stands.
  const until = straight.seconds + c.m;
  const saveAt = straight.seconds;
  const after = [
    ...(c.inputs ?? []),
    ...(c.inputsAfterSave ?? []).map((i) => ({ at: saveAt + i.at, text: i.text })),
  ];
  const host = (w: NetworkWorld | null): SavedState => (w ? { network: saveWorld(w) } : {});
  const file = snapshotBoard(straight, host(world));
  const uartAtSave = a.uart.length;
  const gpioAtSave = a.gpio.length;
  // Every frame on the air after the save point, with its time, is compared too.
  world?.startCapture();
  runTo(straight, until, after);

  const snapshot = readBoardSnapshot(file);
  const resumedBoard = boardFromSnapshot(snapshot);
  resumedBoard.soc.cpu.blockCompiler = compiled;
  let resumedWorld: NetworkWorld | null = null;
  if (c.network) {
    const saved = readWorld(snapshot.host.child('network'));
    expect(saved.noHistory).toBeNull();
    resumedWorld = worldForBoard(resumedBoard.wifi, saved.config, saved.history);
    resumedWorld.startCapture();
  }
  const b = record(resumedBoard);
  runTo(resumedBoard, until, after);

  const end = snapshotBoard(straight, host(world));
  const resumedEnd = snapshotBoard(resumedBoard, host(resumedWorld));
  if (Buffer.compare(end, resumedEnd) !== 0) {
    expect(firstDifference(decodeSnapshot(end), decodeSnapshot(resumedEnd))).toBeNull();
  }
  if (world && resumedWorld) {
    expect(JSON.stringify(networkStatus(resumedWorld))).toBe(JSON.stringify(networkStatus(world)));
    const air = world.stopCapture()!;
    const resumedAir = resumedWorld.stopCapture()!;
    expect(air.length).toBeGreaterThan(24);
    expect(Buffer.compare(resumedAir, air)).toBe(0);
  }
  expect(b.uart).toEqual(a.uart.slice(uartAtSave));
  expect(b.gpio).toEqual(a.gpio.slice(gpioAtSave));
  if (c.expectOutput !== false) expect(b.uart.length).toBeGreaterThan(0);
  return { straight: a, resumed: b };
}
