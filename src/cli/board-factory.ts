/**
 * The one place the CLI learns which board to run. Until the ESP8266 board lands this returns
 * null and `v8266 run` stops after checking its input, saying so.
 *
 * To wire the board: import its factory and return `createEsp8266(...)` with `flash` loaded
 * (the host owns nothing else; `runFirmware` powers it on, listens and runs it).
 */

import type { EmulatedBoard } from '../board/board-api.ts';

export function createBoard(flash: Uint8Array): EmulatedBoard | null {
  void flash;
  return null;
}
