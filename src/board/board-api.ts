/**
 * The surface every host (the Web Worker, the CLI, tests) drives a board through.
 *
 * Hosts never reach into peripherals: they load flash, power and reset the board, run it for a
 * stretch of simulated time, feed inputs, and receive outputs through the listeners. Outputs fire
 * only on change (a UART byte, a GPIO level change), never per cycle.
 */

import type { CpuDebugger } from './debug/cpu-debugger.ts';
import type { SavedState } from './snapshot/state.ts';

export interface FlashPart {
  /** Byte offset in flash. */
  offset: number;
  data: Uint8Array;
  /** Where the bytes came from, for error messages ("firmware.bin"). */
  name?: string;
}

export interface BoardListeners {
  /** A byte left UART n's transmitter (at the simulated time it finished on the wire). */
  uartTx?(uart: number, byte: number): void;
  /** UART n's divider changed: the host decodes any baud, but shows the change. */
  uartBaud?(uart: number, baud: number): void;
  /** GPIO n's pad level changed (0–16; 16 is the RTC GPIO). */
  gpio?(pin: number, level: 0 | 1): void;
  /** The chip reset itself (watchdog, software reset, deep-sleep wake) with this reset cause. */
  reset?(cause: number): void;
}

export interface BoardStats {
  instructions: number;
  cycles: number;
  /** Simulated seconds since power-on. */
  seconds: number;
  cpuMhz: number;
}

export interface EmulatedBoard {
  /** Simulated time now, in seconds since power-on. */
  readonly seconds: number;
  readonly stats: BoardStats;
  /** Flash contents (the host persists these). */
  readonly flash: Uint8Array;
  listen(listeners: BoardListeners): void;
  powerOn(): void;
  powerOff(): void;
  /** The RST pin: an external reset (reset cause 2). */
  reset(): void;
  /** Run until `seconds` of simulated time have passed since power-on (or sooner when halted). */
  runUntil(seconds: number): void;
  /** Bytes arriving on UART n's RX pin. */
  uartReceive(uart: number, bytes: Uint8Array): void;
  /**
   * The baud rate the host sends at on UART n's RX pin (a serial port's setting). Bytes arrive
   * whatever it is; the chip's autobaud measures it (the ROM's download mode sets its divider
   * from it). Hosts that do not know it leave it out: the sender then matches the UART.
   */
  uartLineBaud?(uart: number, baud: number): void;
  /** Run control for a debugger (src/board/debug/cpu-debugger.ts), where the board has a CPU. */
  createDebugger?(): CpuDebugger;
  /** Drive a pad from outside (a button, a wire); `null` releases it (pull-ups/downs decide). */
  driveGpio(pin: number, level: 0 | 1 | null): void;
  /** Pad level of GPIO 0–16 now (boards that can say; hosts report it when they resume one). */
  gpioLevel?(pin: number): 0 | 1;
  /**
   * The whole machine state as a `.v8266snap` file (src/board/snapshot/), with what the host
   * wants kept alongside; boards without snapshots leave it out.
   */
  saveSnapshot?(host?: SavedState): Uint8Array;
}
