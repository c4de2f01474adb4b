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

import { CpuDebugger } from './debug/cpu-debugger.ts';
import { TICKS_PER_SECOND } from './clock.ts';
import type { BoardListeners, BoardStats, EmulatedBoard } from './board-api.ts';
import { Esp8266, ResetCause } from './esp8266.ts';
import type { Peripheral } from './peripherals/peripheral.ts';
import { encodeSnapshot } from './snapshot/snapshot-format.ts';
import { SnapshotError, type SavedState, type StateReader } from './snapshot/state.ts';

export const DEFAULT_FLASH_SIZE = 0x400000;
/** What kind of machine a snapshot of this board holds (board-snapshot.ts checks it). */
export const SNAPSHOT_MACHINE = 'esp8266-nodemcu';
/** The pins the carrier board wires: LEDs (active low) and the FLASH button. */
export const LED_GPIO2 = 2;
export const LED_GPIO16 = 16;
export const FLASH_BUTTON_GPIO = 0;

/**
 * Resistors of an ESP-12E on a NodeMCU: GPIO0 and GPIO2 pulled up, GPIO15 pulled down (flash
 * boot), the UART pins idle high.
 *
 * The SD pads are the module's flash lines, latched at reset into GPIO_IN[31:29] (the ROM's second
 * boot-mode number): GPIO9 (SD_DATA2) and GPIO10 (SD_DATA3) go to the flash's /HOLD and /WP,
 * which sit high; GPIO7 (SD_DATA0) is the flash's DO, not driven while the flash is deselected
 * and read low. So the banner says `boot mode:(3,6)`, the line real NodeMCU / ESP-12E boards
 * print most often (shared/reference/anchors.md §3.3 quotes it; boards that read DO high show
 * (3,7), esp8266-hw.md §7.4: "typically 6 or 7").
 */
export const BOARD_LEVELS: Readonly<Record<number, 0 | 1>> = {
  0: 1,
  1: 1,
  2: 1,
  3: 1,
  7: 0,
  9: 1,
  10: 1,
  15: 0,
};

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
  private cpuDebugger: CpuDebugger | null = null;
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
    soc.rtc.gpio16.onPinChange = (pin, level) => this.reportGpio(pin, level);
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
    this.reportGpio(LED_GPIO16, this.soc.rtc.gpio16.level);
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
    let tick = Math.round(seconds * TICKS_PER_SECOND);
    // The clock must read back at least what was asked: a caller looping "while (board.seconds
    // < end) runUntil(end)" would otherwise spin forever one float rounding short of `end`.
    if (tick / TICKS_PER_SECOND < seconds) tick++;
    this.soc.runUntil(tick);
  }

  uartReceive(uart: number, bytes: Uint8Array): void {
    (uart === 1 ? this.soc.uart1 : this.soc.uart0).receive(bytes);
  }

  /** Run control, registers and memory for a debugger (the GDB stub); one per board. */
  createDebugger(): CpuDebugger {
    this.cpuDebugger ??= new CpuDebugger(this.soc);
    return this.cpuDebugger;
  }

  uartLineBaud(uart: number, baud: number): void {
    (uart === 1 ? this.soc.uart1 : this.soc.uart0).lineBaud = baud;
  }

  driveGpio(pin: number, level: 0 | 1 | null): void {
    if (!Number.isInteger(pin)) return;
    if (pin >= 0 && pin < 16) this.soc.gpio.driveInput(pin, level);
    else if (pin === 16) this.soc.rtc.gpio16.driveInput(level);
  }

  /** A0 (TOUT) as the SAR ADC reads it: 0..1023 for 0..1.0 V (clamped, rounded). */
  setA0(value: number): void {
    if (Number.isFinite(value)) this.soc.sar.a0 = value;
  }

  /** Pad level of a GPIO (0–16) as the board sees it. */
  gpioLevel(pin: number): 0 | 1 {
    return pin === 16 ? this.soc.rtc.gpio16.level : this.soc.gpio.level(pin);
  }

  /** The blue LEDs (active low): lit while their pad is low. */
  get leds(): { gpio2: boolean; gpio16: boolean } {
    return { gpio2: this.gpioLevel(LED_GPIO2) === 0, gpio16: this.gpioLevel(LED_GPIO16) === 0 };
  }

  /** Hold or release the FLASH button (GPIO0 to ground). */
  pressFlashButton(pressed: boolean): void {
    this.driveGpio(FLASH_BUTTON_GPIO, pressed ? 0 : null);
  }

  /** A `.v8266snap` file of this board (snapshot/board-snapshot.ts reads it back). */
  saveSnapshot(host: SavedState = {}): Uint8Array {
    return encodeSnapshot({ machine: SNAPSHOT_MACHINE, board: this.saveState(), host });
  }

  /** The board and everything on it: power, the pad levels last reported, flash, the chip. */
  saveState(): SavedState {
    return {
      powered: this.powered,
      gpioLevels: this.gpioLevels.slice(),
      flash: this.flash.slice(),
      soc: this.soc.saveState(),
    };
  }

  /**
   * Restore a saved board of the same flash size. `flash`, when given, replaces the saved flash
   * contents (a host flashing new images into a resumed board); code is re-read from it.
   */
  restoreState(s: StateReader, flash?: Uint8Array): void {
    const saved = s.bytes('flash');
    const contents = flash ?? saved;
    if (contents.length !== this.flash.length)
      throw new SnapshotError(
        `the snapshot's flash is ${saved.length} bytes, this board's ${this.flash.length}`,
      );
    this.flash.set(contents);
    this.powered = s.boolean('powered');
    s.array('gpioLevels', this.gpioLevels);
    this.soc.restoreState(s.child('soc'));
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
