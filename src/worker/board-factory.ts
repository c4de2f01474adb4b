/**
 * The one place the worker builds a board.
 *
 * `createBoard` builds the NodeMCU-style ESP8266 board (src/board/board.ts) with guest RAM on the
 * shared buffer the UI reads, and `flash` as the chip's contents (its length is the chip size).
 * Returning null instead keeps the worker live without a board ('no-board'), which is how it ran
 * before the board existed and what the host tests still exercise.
 */

import type { EmulatedBoard } from '../board/board-api.ts';
import { createBoard as createEsp8266Board } from '../board/board.ts';
import { boardFromSnapshot, type BoardSnapshot } from '../board/snapshot/board-snapshot.ts';
import { LoopbackBoard } from './loopback-board.ts';
import type { BoardChoice } from './protocol.ts';

export function createBoard(
  memory: SharedArrayBuffer | ArrayBuffer,
  flash: Uint8Array,
  mac?: readonly number[],
): EmulatedBoard | null {
  return createEsp8266Board({ memory, flash, flashSize: flash.length, mac });
}

const BUSY_WALL_MS_PER_SIM_MS = 4;

/** The board the user asked for: the real one, or the diagnostic loopback stand-in. */
export function buildBoard(
  choice: BoardChoice,
  memory: SharedArrayBuffer | ArrayBuffer,
  flash: Uint8Array,
  mac?: readonly number[],
): EmulatedBoard | null {
  switch (choice) {
    case 'esp8266':
      return createBoard(memory, flash, mac);
    case 'loopback':
      return new LoopbackBoard(flash);
    case 'loopback-busy':
      return new LoopbackBoard(flash, BUSY_WALL_MS_PER_SIM_MS);
  }
}

/**
 * The board a snapshot saved, on the shared guest RAM. The snapshot is first restored into a
 * board of its own, so one that fails halfway (a field missing or mistyped) leaves the running
 * board's RAM untouched.
 */
export function restoreBoard(
  choice: BoardChoice,
  memory: SharedArrayBuffer | ArrayBuffer,
  snapshot: BoardSnapshot,
): EmulatedBoard {
  if (choice !== 'esp8266') throw new Error(`the ${choice} board has no snapshots`);
  boardFromSnapshot(snapshot);
  return boardFromSnapshot(snapshot, { memory });
}
