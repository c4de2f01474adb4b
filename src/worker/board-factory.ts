/**
 * The one place the worker builds a board.
 *
 * The ESP8266 board (src/board/…) is being written in parallel. Until it lands, `createBoard`
 * returns null and the worker reports 'no-board' while staying fully live (API, guest memory,
 * status). Wiring the real board is a one-line change here:
 *
 *   return createEsp8266Board({ memory, flash });   // or whatever its factory is called
 *
 * Contract for that factory: map guest RAM onto `memory` at the offsets in
 * src/board/memory-layout.ts (the UI reads it directly), use `flash` as the flash chip's contents,
 * and return an `EmulatedBoard` that is still powered off (the worker calls `powerOn`).
 */

import type { EmulatedBoard } from '../board/board-api.ts';
import { LoopbackBoard } from './loopback-board.ts';
import type { BoardChoice } from './protocol.ts';

export function createBoard(
  memory: SharedArrayBuffer | ArrayBuffer,
  flash: Uint8Array,
): EmulatedBoard | null {
  void memory;
  void flash;
  return null; // The ESP8266 board is not wired in yet (see above).
}

const BUSY_WALL_MS_PER_SIM_MS = 4;

/** The board the user asked for: the real one, or the diagnostic loopback stand-in. */
export function buildBoard(
  choice: BoardChoice,
  memory: SharedArrayBuffer | ArrayBuffer,
  flash: Uint8Array,
): EmulatedBoard | null {
  switch (choice) {
    case 'esp8266':
      return createBoard(memory, flash);
    case 'loopback':
      return new LoopbackBoard(flash);
    case 'loopback-busy':
      return new LoopbackBoard(flash, BUSY_WALL_MS_PER_SIM_MS);
  }
}
