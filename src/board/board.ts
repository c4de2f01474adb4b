/**
 * The board: an ESP-12E-style module (ESP8266 + SPI flash) on a NodeMCU-style carrier with the
 * blue LEDs on GPIO2 (module) and GPIO16 (carrier), both active low, the FLASH button on GPIO0
 * (pull-up; held at reset → UART download boot) and the RST button.
 *
 *   const board = createBoard({ flash: image });     // flash contents from offset 0
 *   board.listen({ uartTx: (n, b) => …, gpio: (pin, level) => … });
 *   board.powerOn();
 *   board.runUntil(1.5);                               // simulated seconds since power-on
 */

import { TICKS_PER_SECOND } from './clock.ts';
import type { BoardListeners, BoardStats, EmulatedBoard } from './board-api.ts';
import { Esp8266, ResetCause } from './esp8266.ts';
import type { Peripheral } from './peripherals/peripheral.ts';

export const DEFAULT_FLASH_SIZE = 0x400000;
/** The pins the carrier board wires: LEDs (active low) and the FLASH button. */
export const LED_GPIO2 = 2;
export const LED_GPIO16 = 16;
export const FLASH_BUTTON_GPIO = 0;

/**
 * Resistors of an ESP-12E on a NodeMCU: GPIO0 and GPIO2 pulled up, GPIO15 pulled down (flash
 * boot), the UART pins idle high.
 */
const BOARD_LEVELS: Readonly<Record<number, 0 | 1>> = { 0: 1, 1: 1, 2: 1, 3: 1, 15: 0 };

export interface BoardOptions {
  /** Flash size in bytes (power of two, 512 KB..16 MB); default 4 MB. */
  flashSize?: number;
  /** Initial flash contents from offset 0 (the rest reads erased, 0xFF). */
  flash?: Uint8Array;
  /** Guest RAM buffer (shared with the UI thread when it is a SharedArrayBuffer). */
  memory?: ArrayBuffer | SharedArrayBuffer;
  /** The chip's MAC address (6 bytes). */
  mac?: ArrayLike<number>;
  /** Peripheral blocks to use instead of the defaults (tests). */
  blocks?: Partial<Record<number, Peripheral>>;
}

export class Board implements EmulatedBoard {
  readonly soc: Esp8266;
  readonly flash: Uint8Array;
  private listeners: BoardListeners = {};
  private powered = false;
  private readonly gpioLevels = new Int8Array(17).fill(-1);

  constructor(options: BoardOptions = {}) {
    const size = options.flashSize ?? Math.max(DEFAULT_FLASH_SIZE, options.flash?.length ?? 0);
    if (options.flash && options.flash.length > size)
      throw new RangeError(`flash contents (${options.flash.length} bytes) exceed the flash size`);
    this.flash = new Uint8Array(size).fill(0xff);
    if (options.flash) this.flash.set(options.flash);
    this.soc = new Esp8266({
      flash: this.flash,
      memory: options.memory,
      mac: options.mac,
      boardLevels: BOARD_LEVELS,
      blocks: options.blocks,
    });
    const soc = this.soc;
    soc.uart0.onByte = (b) => this.listeners.uartTx?.(0, b);
    soc.uart1.onByte = (b) => this.listeners.uartTx?.(1, b);
    soc.uart0.onBaudChange = (baud) => this.listeners.uartBaud?.(0, baud);
    soc.uart1.onBaudChange = (baud) => this.listeners.uartBaud?.(1, baud);
    soc.gpio.onPinChange = (pin, level) => this.reportGpio(pin, level);
    soc.onReset = (cause) => this.listeners.reset?.(cause);
  }

  get seconds(): number {
    return this.soc.clock.seconds;
  }

  get stats(): BoardStats {
    const cpu = this.soc.cpu;
    return {
      instructions: cpu.instructions,
      cycles: cpu.cycles,
      seconds: this.seconds,
      cpuMhz: this.soc.cpuMhz,
    };
  }

  listen(listeners: BoardListeners): void {
    this.listeners = listeners;
  }

  powerOn(): void {
    this.powered = true;
    this.soc.powerOn();
    for (let pin = 0; pin < 16; pin++) this.reportGpio(pin, this.soc.gpio.level(pin));
  }

  powerOff(): void {
    this.powered = false;
  }

  reset(): void {
    if (!this.powered) return;
    this.soc.resetChip(ResetCause.External);
  }

  runUntil(seconds: number): void {
    if (!this.powered) return;
    this.soc.runUntil(Math.round(seconds * TICKS_PER_SECOND));
  }

  uartReceive(uart: number, bytes: Uint8Array): void {
    (uart === 1 ? this.soc.uart1 : this.soc.uart0).receive(bytes);
  }

  driveGpio(pin: number, level: 0 | 1 | null): void {
    if (pin >= 0 && pin < 16) this.soc.gpio.driveInput(pin, level);
  }

  /** Hold or release the FLASH button (GPIO0 to ground). */
  pressFlashButton(pressed: boolean): void {
    this.driveGpio(FLASH_BUTTON_GPIO, pressed ? 0 : null);
  }

  private reportGpio(pin: number, level: 0 | 1): void {
    if (this.gpioLevels[pin] === level) return;
    this.gpioLevels[pin] = level;
    this.listeners.gpio?.(pin, level);
  }
}

export function createBoard(options: BoardOptions = {}): Board {
  return new Board(options);
}
