/**
 * The one place the CLI learns which board to run: the NodeMCU-style ESP8266 board, with the
 * flash image the command line assembled (its length is the flash size).
 */

import type { EmulatedBoard } from '../board/board-api.ts';
import { createBoard as createEsp8266Board } from '../board/board.ts';

export function createBoard(flash: Uint8Array): EmulatedBoard | null {
  return createEsp8266Board({ flash, flashSize: flash.length });
}
