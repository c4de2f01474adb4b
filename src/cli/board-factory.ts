/**
 * The one place the CLI learns which board to run: the NodeMCU-style ESP8266 board, with the
 * flash image the command line assembled (its length is the flash size).
 */

import type { EmulatedBoard } from '../board/board-api.ts';
import { createBoard as createEsp8266Board } from '../board/board.ts';
import { boardFromSnapshot, type BoardSnapshot } from '../board/snapshot/board-snapshot.ts';

export function createBoard(flash: Uint8Array): EmulatedBoard | null {
  return createEsp8266Board({ flash, flashSize: flash.length });
}

/** The board a snapshot saved (`--snapshot-in`), with `flash` as its contents when given. */
export function restoreBoard(snapshot: BoardSnapshot, flash: Uint8Array | null): EmulatedBoard {
  return boardFromSnapshot(snapshot, flash ? { flash } : {});
}
