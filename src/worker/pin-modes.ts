/**
 * Which pads the firmware drives as outputs, and where the host drives against it.
 *
 * `EmulatedBoard` has no query for this yet, so the worker asks the ESP8266 board's GPIO blocks
 * directly (read-only: `isDrivenByFirmware`, `isConflict`, GPIO16's enable bit). Boards without
 * them (the loopback stand-in) report nothing, and the UI shows "unknown".
 */

import type { EmulatedBoard } from '../board/board-api.ts';
import { GPIO_COUNT } from './protocol.ts';

interface GpioBlock {
  isDrivenByFirmware(pin: number): boolean;
  isConflict(pin: number): boolean;
}
interface Gpio16Block {
  enable: number;
  isConflict(): boolean;
}
interface WithSoc {
  soc?: { gpio?: GpioBlock; rtc?: { gpio16?: Gpio16Block } };
}

export interface PinModes {
  output: (0 | 1 | null)[];
  conflict: boolean[];
}

export function readPinModes(board: EmulatedBoard): PinModes | null {
  const soc = (board as EmulatedBoard & WithSoc).soc;
  const gpio = soc?.gpio;
  const gpio16 = soc?.rtc?.gpio16;
  if (!gpio || typeof gpio.isDrivenByFirmware !== 'function') return null;
  const output: (0 | 1 | null)[] = new Array(GPIO_COUNT).fill(null);
  const conflict: boolean[] = new Array(GPIO_COUNT).fill(false);
  for (let pin = 0; pin < 16; pin++) {
    output[pin] = gpio.isDrivenByFirmware(pin) ? 1 : 0;
    conflict[pin] = gpio.isConflict(pin);
  }
  if (gpio16) {
    output[16] = gpio16.enable & 1 ? 1 : 0;
    conflict[16] = gpio16.isConflict();
  }
  return { output, conflict };
}
