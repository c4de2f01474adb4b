/**
 * ESP8266 GPIO block (0x60000300), pads GPIO0..15. GPIO16 lives in the RTC block (gpio16.ts).
 *
 *   const gpio = new Gpio(router.levelLine(CpuIrq.GPIO), iomux, { boardLevels });  // owns iomux.onChange
 *   gpio.onPinChange = (pin, level) => …;    // a pad's level changed (fires only on change)
 *   gpio.onConflictChange = (pin, conflict) => …;
 *   gpio.driveInput(pin, 0 | 1 | null);     // the host drives a pad, or releases it
 *   gpio.isConflict(pin);                   // firmware and host drive different levels
 *   gpio.latchStraps();                     // the reset sampling of GPIO2/0/15 (reset() does it)
 *
 * A pad's level, in order of strength:
 *   1. the GPIO output, when the pad's IO MUX function is GPIO, ENABLE is set, and the output is
 *      not an open-drain 1 (open drain releases the pad on 1);
 *   2. the host's drive (a button, a wire);
 *   3. the pad's IO MUX pull-up / pull-down;
 *   4. the board's own resistors (`boardLevels`; by default the usual module straps: GPIO0 and
 *      GPIO2 pulled up, GPIO15 pulled down, GPIO1/GPIO3 held high by the UART lines);
 *   5. 0 for a floating pad.
 * When the firmware drives a pad and the host drives it to the other level, the firmware's level
 * wins and the pin is reported as a conflict (the UI shows a short circuit).
 *
 * IN[31:16] holds the strap latches sampled at reset: bit 16 GPIO2, 17 GPIO0, 18 GPIO15, so
 * IN[18:16] = 3 boots from flash and 1 enters UART download (esp8266-hw.md §5.3); bits 29, 30, 31
 * latch the SD pads GPIO7 (SD_DATA0), GPIO9 (SD_DATA2) and GPIO10 (SD_DATA3), the second number
 * of the ROM's "boot mode:(3,N)". On a module those pads are the flash chip's lines, so the
 * board's resistors decide them (board.ts).
 * Interrupts: STATUS bits are set by the per-pin type in GPIO_PINn[9:7] and drive CPU INT 4 as a
 * level while any is set on a pin whose interrupt type is not 0.
 */

import { Peripheral, type IrqLine } from './peripheral';
import type { IoMux } from './iomux';
import type { SavedState, StateReader } from '../snapshot/state';
import { RTC_CALIB_REFERENCE_HZ, RTC_SLOW_CLOCK_HZ } from './time-bases';

export const GPIO_OUT = 0x00;
export const GPIO_OUT_W1TS = 0x04;
export const GPIO_OUT_W1TC = 0x08;
export const GPIO_ENABLE = 0x0c;
export const GPIO_ENABLE_W1TS = 0x10;
export const GPIO_ENABLE_W1TC = 0x14;
export const GPIO_IN = 0x18;
export const GPIO_STATUS = 0x1c;
export const GPIO_STATUS_W1TS = 0x20;
export const GPIO_STATUS_W1TC = 0x24;
export const GPIO_PIN0 = 0x28; // GPIO_PINn at 0x28 + 4n
export const GPIO_SIGMA_DELTA = 0x68;
export const GPIO_RTC_CALIB_SYNC = 0x6c;
export const GPIO_RTC_CALIB_VALUE = 0x70;

// GPIO_PINn bits.
export const GPIO_PIN_SOURCE = 1 << 0; // sigma-delta
export const GPIO_PIN_DRIVER = 1 << 2; // open drain
export const GPIO_PIN_INT_TYPE_SHIFT = 7; // [9:7]
export const GPIO_PIN_WAKEUP_ENABLE = 1 << 10;

export const GPIO_INT_DISABLE = 0;
export const GPIO_INT_POSEDGE = 1;
export const GPIO_INT_NEGEDGE = 2;
export const GPIO_INT_ANYEDGE = 3;
export const GPIO_INT_LOLEVEL = 4;
export const GPIO_INT_HILEVEL = 5;

// Strap latches in GPIO_IN.
export const GPIO_STRAP_GPIO2 = 1 << 16;
export const GPIO_STRAP_GPIO0 = 1 << 17;
export const GPIO_STRAP_GPIO15 = 1 << 18;
export const GPIO_STRAP_SD_DATA0 = 1 << 29; // GPIO7
export const GPIO_STRAP_SD_DATA2 = 1 << 30; // GPIO9
export const GPIO_STRAP_SD_DATA3 = 1 << 31; // GPIO10

// RTC calibration (polled by libphy pm_rtc_clock_cali).
export const GPIO_RTC_CALIB_START = 1 << 31;
export const GPIO_RTC_CALIB_RDY = 1 << 31;
/** libphy pm_rtc_clock_cali masks the result with 0x0FFFFFFF (NONOS 2.2, own disassembly). */
export const GPIO_RTC_CALIB_VALUE_MASK = 0x0fffffff;

const PIN_COUNT = 16;
const PIN_MASK = 0xffff;
/** OUT and ENABLE keep bits [25:16] (Bluetooth-coexistence selection) as storage. */
const OUT_MASK = 0x3ffffff;

/** Default board resistors: a typical ESP-12 module on a NodeMCU / D1 mini. */
export const DEFAULT_BOARD_LEVELS: Readonly<Record<number, 0 | 1>> = {
  0: 1,
  1: 1,
  2: 1,
  3: 1,
  15: 0,
};

export interface GpioOptions {
  /** Level each pad settles to with nothing else driving it (board pull resistors). */
  boardLevels?: Readonly<Record<number, 0 | 1>>;
  /**
   * Rate of the RTC slow clock and of the reference the calibration counts, so that
   * GPIO_RTC_CALIB_VALUE = period × referenceHz / rtcHz. Defaults: time-bases.ts.
   */
  rtcHz?: number;
  calibrationReferenceHz?: number;
}

export class Gpio extends Peripheral {
  onPinChange: ((pin: number, level: 0 | 1) => void) | null = null;
  onConflictChange: ((pin: number, conflict: boolean) => void) | null = null;

  private out = 0;
  private enable = 0;
  private status = 0;
  private readonly pinConf = new Uint32Array(PIN_COUNT);
  private sigmaDelta = 0;
  private calibSync = 0;
  private calibValue = 0;
  private strapLatch = 0;
  /** Host drive per pin: -1 released, else 0/1. */
  private readonly hostDrive = new Int8Array(PIN_COUNT).fill(-1);
  private readonly boardLevelBits: number;
  private readonly boardPulledBits: number;
  private levels = 0;
  private conflicts = 0;
  private readonly rtcHz: number;
  private readonly calibrationReferenceHz: number;

  constructor(
    private readonly irq: IrqLine,
    private readonly iomux: IoMux,
    options: GpioOptions = {},
  ) {
    super('GPIO');
    const board = options.boardLevels ?? DEFAULT_BOARD_LEVELS;
    let levelBits = 0;
    let pulledBits = 0;
    for (const [pin, level] of Object.entries(board)) {
      pulledBits |= 1 << Number(pin);
      if (level) levelBits |= 1 << Number(pin);
    }
    this.boardLevelBits = levelBits;
    this.boardPulledBits = pulledBits;
    this.rtcHz = options.rtcHz ?? RTC_SLOW_CLOCK_HZ;
    this.calibrationReferenceHz = options.calibrationReferenceHz ?? RTC_CALIB_REFERENCE_HZ;
    iomux.onChange = () => this.refresh();
    this.levels = this.computeLevels();
    this.latchStraps();
  }

  read(offset: number): number {
    switch (offset) {
      case GPIO_OUT:
        return this.out;
      case GPIO_ENABLE:
        return this.enable;
      case GPIO_IN:
        return (this.levels | this.strapLatch) >>> 0;
      case GPIO_STATUS:
        return this.status;
      case GPIO_SIGMA_DELTA:
        return this.sigmaDelta;
      case GPIO_RTC_CALIB_SYNC:
        return this.calibSync;
      case GPIO_RTC_CALIB_VALUE:
        return this.calibValue;
      case GPIO_OUT_W1TS:
      case GPIO_OUT_W1TC:
      case GPIO_ENABLE_W1TS:
      case GPIO_ENABLE_W1TC:
      case GPIO_STATUS_W1TS:
      case GPIO_STATUS_W1TC:
        return 0;
      default: {
        const pin = (offset - GPIO_PIN0) >>> 2;
        return offset >= GPIO_PIN0 && pin < PIN_COUNT ? this.pinConf[pin] : 0;
      }
    }
  }

  write(offset: number, value: number): void {
    value >>>= 0;
    switch (offset) {
      case GPIO_OUT:
        this.out = value & OUT_MASK;
        break;
      case GPIO_OUT_W1TS:
        this.out |= value & PIN_MASK;
        break;
      case GPIO_OUT_W1TC:
        this.out &= ~(value & PIN_MASK);
        break;
      case GPIO_ENABLE:
        this.enable = value & OUT_MASK;
        break;
      case GPIO_ENABLE_W1TS:
        this.enable |= value & PIN_MASK;
        break;
      case GPIO_ENABLE_W1TC:
        this.enable &= ~(value & PIN_MASK);
        break;
      case GPIO_IN:
        return;
      case GPIO_STATUS:
        this.status = value & PIN_MASK;
        break;
      case GPIO_STATUS_W1TS:
        this.status |= value & PIN_MASK;
        break;
      case GPIO_STATUS_W1TC:
        this.status &= ~(value & PIN_MASK);
        break;
      case GPIO_SIGMA_DELTA:
        this.sigmaDelta = value;
        return;
      case GPIO_RTC_CALIB_SYNC:
        this.calibSync = value;
        if (value & GPIO_RTC_CALIB_START) this.runCalibration(value & 0x3ff);
        return;
      case GPIO_RTC_CALIB_VALUE:
        return;
      default: {
        const pin = (offset - GPIO_PIN0) >>> 2;
        if (offset < GPIO_PIN0 || pin >= PIN_COUNT) return;
        this.pinConf[pin] = value & 0x7ff;
      }
    }
    this.refresh();
  }

  override reset(): void {
    this.out = 0;
    this.enable = 0;
    this.status = 0;
    this.pinConf.fill(0);
    this.sigmaDelta = 0;
    this.calibSync = 0;
    this.calibValue = 0;
    this.refresh();
    this.latchStraps();
  }

  /** Registers, the strap latch, the host's drive and the pad levels as last reported. */
  override saveState(): SavedState {
    return {
      out: this.out,
      enable: this.enable,
      status: this.status,
      pinConf: this.pinConf.slice(),
      sigmaDelta: this.sigmaDelta,
      calibSync: this.calibSync,
      calibValue: this.calibValue,
      strapLatch: this.strapLatch,
      hostDrive: this.hostDrive.slice(),
      levels: this.levels,
      conflicts: this.conflicts,
    };
  }

  /** Restores without reporting: the pads are where they were when the state was saved. */
  override restoreState(s: StateReader): void {
    this.out = s.u32('out');
    this.enable = s.u32('enable');
    this.status = s.u32('status');
    s.array('pinConf', this.pinConf);
    this.sigmaDelta = s.u32('sigmaDelta');
    this.calibSync = s.u32('calibSync');
    this.calibValue = s.u32('calibValue');
    this.strapLatch = s.u32('strapLatch');
    s.array('hostDrive', this.hostDrive);
    this.levels = s.u32('levels');
    this.conflicts = s.u32('conflicts');
  }

  /**
   * Sample GPIO2, GPIO0 and GPIO15 into IN[18:16] and GPIO7, GPIO9, GPIO10 into IN[31:29], as the
   * chip does when it leaves reset.
   */
  latchStraps(): void {
    const l = this.levels;
    this.strapLatch =
      ((l & (1 << 2) ? GPIO_STRAP_GPIO2 : 0) |
        (l & (1 << 0) ? GPIO_STRAP_GPIO0 : 0) |
        (l & (1 << 15) ? GPIO_STRAP_GPIO15 : 0) |
        (l & (1 << 7) ? GPIO_STRAP_SD_DATA0 : 0) |
        (l & (1 << 9) ? GPIO_STRAP_SD_DATA2 : 0) |
        (l & (1 << 10) ? GPIO_STRAP_SD_DATA3 : 0)) >>>
      0;
  }

  /** Boot mode as the ROM reads it: IN[18:16] (3 = flash, 1 = UART download). */
  get bootMode(): number {
    return (this.strapLatch >>> 16) & 7;
  }

  /** The host drives pad `pin` (0..15) to a level, or releases it with null. */
  driveInput(pin: number, level: 0 | 1 | null): void {
    if (pin < 0 || pin >= PIN_COUNT) throw new RangeError(`GPIO${pin} is not in the GPIO block`);
    this.hostDrive[pin] = level === null ? -1 : level;
    this.refresh();
  }

  /** Current pad level. */
  level(pin: number): 0 | 1 {
    return this.levels & (1 << pin) ? 1 : 0;
  }

  /**
   * True while a pin with GPIO_PINn bit 10 (wake-up enable, set by the ROM's gpio_pin_wakeup_enable)
   * sits at the level its type asks for: 4 low, 5 high. The RTC shows it to light-sleep code.
   */
  wakeupLevelMet(): boolean {
    for (let pin = 0; pin < PIN_COUNT; pin++) {
      const conf = this.pinConf[pin];
      if (!(conf & GPIO_PIN_WAKEUP_ENABLE)) continue;
      const type = (conf >>> GPIO_PIN_INT_TYPE_SHIFT) & 7;
      if ((type === 4 && !this.level(pin)) || (type === 5 && this.level(pin))) return true;
    }
    return false;
  }

  /** True while the firmware drives the pad and the host drives it to the other level. */
  isConflict(pin: number): boolean {
    return (this.conflicts & (1 << pin)) !== 0;
  }

  /** Whether the firmware currently drives the pad (GPIO function, enabled, not released). */
  isDrivenByFirmware(pin: number): boolean {
    return (this.firmwareDrivenMask() & (1 << pin)) !== 0;
  }

  private firmwareDrivenMask(): number {
    let driven = 0;
    for (let pin = 0; pin < PIN_COUNT; pin++) {
      const bit = 1 << pin;
      if (!(this.enable & bit) || !this.iomux.isGpioFunction(pin)) continue;
      const openDrainReleased = this.pinConf[pin] & GPIO_PIN_DRIVER && this.out & bit;
      if (!openDrainReleased) driven |= bit;
    }
    return driven;
  }

  private computeLevels(): number {
    const driven = this.firmwareDrivenMask();
    let levels = 0;
    let conflicts = 0;
    for (let pin = 0; pin < PIN_COUNT; pin++) {
      const bit = 1 << pin;
      const host = this.hostDrive[pin];
      let level: number;
      if (driven & bit) {
        level = this.out & bit ? 1 : 0;
        if (host >= 0 && host !== level) conflicts |= bit;
      } else if (host >= 0) {
        level = host;
      } else {
        const pull = this.iomux.pullOf(pin);
        if (pull !== null) level = pull;
        else if (this.boardPulledBits & bit) level = this.boardLevelBits & bit ? 1 : 0;
        else level = 0;
      }
      if (level) levels |= bit;
    }
    this.updateConflicts(conflicts);
    return levels;
  }

  private updateConflicts(conflicts: number): void {
    const changed = conflicts ^ this.conflicts;
    this.conflicts = conflicts;
    if (!changed || !this.onConflictChange) return;
    for (let pin = 0; pin < PIN_COUNT; pin++) {
      if (changed & (1 << pin)) this.onConflictChange(pin, (conflicts & (1 << pin)) !== 0);
    }
  }

  /** Re-evaluate pads after any change: edge interrupts, level interrupts, host notification. */
  private refresh(): void {
    const old = this.levels;
    const now = this.computeLevels();
    this.levels = now;
    const changed = old ^ now;
    for (let pin = 0; pin < PIN_COUNT; pin++) {
      const bit = 1 << pin;
      const type = (this.pinConf[pin] >>> GPIO_PIN_INT_TYPE_SHIFT) & 7;
      const high = (now & bit) !== 0;
      if (changed & bit) {
        if (
          type === GPIO_INT_ANYEDGE ||
          (type === GPIO_INT_POSEDGE && high) ||
          (type === GPIO_INT_NEGEDGE && !high)
        ) {
          this.status |= bit;
        }
      }
      // A level interrupt cannot be cleared while its level holds: it sets again at once.
      if ((type === GPIO_INT_HILEVEL && high) || (type === GPIO_INT_LOLEVEL && !high)) {
        this.status |= bit;
      }
    }
    for (let pin = 0; pin < PIN_COUNT && changed; pin++) {
      if (changed & (1 << pin)) this.onPinChange?.(pin, now & (1 << pin) ? 1 : 0);
    }
    this.updateInterrupt();
  }

  private updateInterrupt(): void {
    let enabled = 0;
    for (let pin = 0; pin < PIN_COUNT; pin++) {
      if ((this.pinConf[pin] >>> GPIO_PIN_INT_TYPE_SHIFT) & 7) enabled |= 1 << pin;
    }
    this.irq.set((this.status & enabled) !== 0);
  }

  /**
   * Count `period` RTC slow-clock cycles in reference-clock cycles and report ready at once (the
   * firmware's poll loop only needs ready; the count sets its idea of the RTC rate).
   */
  private runCalibration(period: number): void {
    const count = Math.round((period * this.calibrationReferenceHz) / this.rtcHz);
    this.calibValue = (GPIO_RTC_CALIB_RDY | (count & GPIO_RTC_CALIB_VALUE_MASK)) >>> 0;
  }
}
