/** The board drawings by board-document type, and which pins parts may be wired to. */

import type { BoardType, PinCheck } from '../board-doc/document.ts';
import { drivablePins, type BoardLayout } from './layout.ts';
import { D1_MINI } from './d1mini.ts';
import { ESP_01 } from './esp01.ts';
import { NODEMCU_V1 } from './nodemcu.ts';

export const BOARD_LAYOUTS: Record<BoardType, BoardLayout> = {
  'nodemcu-v1': NODEMCU_V1,
  'd1-mini': D1_MINI,
  'esp-01': ESP_01,
};

export function layoutFor(board: BoardType): BoardLayout {
  return BOARD_LAYOUTS[board];
}

/** A part may go to any drivable GPIO pin of the board (and a potentiometer to A0). */
export const pinExists: PinCheck = (board, pin) => drivablePins(layoutFor(board)).has(pin);

/** The GPIO behind a pin name on a board, or undefined. */
export function gpioOf(board: BoardType, pin: string): number | undefined {
  return drivablePins(layoutFor(board)).get(pin);
}

export function pinsByBoard(): Record<BoardType, string[]> {
  const out = {} as Record<BoardType, string[]>;
  for (const [type, layout] of Object.entries(BOARD_LAYOUTS)) {
    out[type as BoardType] = [...drivablePins(layout).keys()];
  }
  return out;
}
