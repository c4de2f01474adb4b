/**
 * ESP8266 IO MUX (0x60000800): per-pad function select and pull resistors.
 *
 *   const iomux = new IoMux();
 *   iomux.functionOf(gpio), iomux.isGpioFunction(gpio), iomux.pullOf(gpio)
 *   iomux.onChange = () => …;   // the GPIO block re-evaluates pad levels
 *
 * The pad registers are not in GPIO order (esp8266-hw.md §5.4): PERIPHS_IO_MUX_MTDI_U (GPIO12) is
 * the first. The function number is bits [5:4] plus bit 8 as bit 2; the GPIO function is 0 on
 * GPIO0/2/4/5 and 3 everywhere else.
 */

import { Peripheral } from './peripheral';
import type { SavedState, StateReader } from '../snapshot/state';

export const PERIPHS_IO_MUX_CONF = 0x00;
export const PERIPHS_IO_MUX_MTDI_U = 0x04; // GPIO12
export const PERIPHS_IO_MUX_MTCK_U = 0x08; // GPIO13
export const PERIPHS_IO_MUX_MTMS_U = 0x0c; // GPIO14
export const PERIPHS_IO_MUX_MTDO_U = 0x10; // GPIO15
export const PERIPHS_IO_MUX_U0RXD_U = 0x14; // GPIO3
export const PERIPHS_IO_MUX_U0TXD_U = 0x18; // GPIO1
export const PERIPHS_IO_MUX_SD_CLK_U = 0x1c; // GPIO6
export const PERIPHS_IO_MUX_SD_DATA0_U = 0x20; // GPIO7
export const PERIPHS_IO_MUX_SD_DATA1_U = 0x24; // GPIO8
export const PERIPHS_IO_MUX_SD_DATA2_U = 0x28; // GPIO9
export const PERIPHS_IO_MUX_SD_DATA3_U = 0x2c; // GPIO10
export const PERIPHS_IO_MUX_SD_CMD_U = 0x30; // GPIO11
export const PERIPHS_IO_MUX_GPIO0_U = 0x34;
export const PERIPHS_IO_MUX_GPIO2_U = 0x38;
export const PERIPHS_IO_MUX_GPIO4_U = 0x3c;
export const PERIPHS_IO_MUX_GPIO5_U = 0x40;

// Pad register bits.
export const PERIPHS_IO_MUX_OE = 1 << 0;
export const PERIPHS_IO_MUX_SLEEP_OE = 1 << 1;
export const PERIPHS_IO_MUX_SLEEP_PULLDOWN = 1 << 2;
export const PERIPHS_IO_MUX_SLEEP_PULLUP = 1 << 3;
export const PERIPHS_IO_MUX_FUNC_LOW_SHIFT = 4; // [5:4]
export const PERIPHS_IO_MUX_PULLDOWN = 1 << 6;
export const PERIPHS_IO_MUX_PULLUP = 1 << 7;
export const PERIPHS_IO_MUX_FUNC_HIGH = 1 << 8; // function bit 2

/** Pad register index (0..15, offset 0x04 + 4·index) of each GPIO 0..15. */
export const IOMUX_INDEX_OF_GPIO: readonly number[] = [
  12, 5, 13, 4, 14, 15, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3,
];

/** GPIO number behind each pad register index. */
export const GPIO_OF_IOMUX_INDEX: readonly number[] = [
  12, 13, 14, 15, 3, 1, 6, 7, 8, 9, 10, 11, 0, 2, 4, 5,
];

/** The function number that makes pad `gpio` a GPIO. */
export function gpioFunctionOf(gpio: number): number {
  return gpio === 0 || gpio === 2 || gpio === 4 || gpio === 5 ? 0 : 3;
}

/** Reset value of every pad register: function 0, U0TXD with its pull-up on (the ROM clears it). */
function padResetValue(index: number): number {
  return GPIO_OF_IOMUX_INDEX[index] === 1 ? PERIPHS_IO_MUX_PULLUP : 0;
}

export class IoMux extends Peripheral {
  /** Called after any pad register changes (function or pulls). */
  onChange: (() => void) | null = null;

  private conf = 0;
  private readonly pads = new Uint32Array(16);

  constructor() {
    super('IOMUX');
    this.reset();
  }

  read(offset: number): number {
    if (offset === PERIPHS_IO_MUX_CONF) return this.conf;
    const index = (offset >>> 2) - 1;
    return index >= 0 && index < 16 ? this.pads[index] : 0;
  }

  write(offset: number, value: number): void {
    if (offset === PERIPHS_IO_MUX_CONF) {
      this.conf = value >>> 0;
      return;
    }
    const index = (offset >>> 2) - 1;
    if (index < 0 || index >= 16) return;
    const old = this.pads[index];
    this.pads[index] = value & 0x1ff;
    if (old !== this.pads[index]) this.onChange?.();
  }

  override reset(): void {
    this.conf = 0;
    for (let i = 0; i < 16; i++) this.pads[i] = padResetValue(i);
    this.onChange?.();
  }

  override saveState(): SavedState {
    return { conf: this.conf, pads: this.pads.slice() };
  }

  /** Restores without telling the GPIO block (it restores its own pad levels). */
  override restoreState(s: StateReader): void {
    this.conf = s.u32('conf');
    s.array('pads', this.pads);
  }

  /** The pad register of GPIO `gpio` (0..15). */
  padOf(gpio: number): number {
    return this.pads[IOMUX_INDEX_OF_GPIO[gpio]];
  }

  /** Selected function number 0..7 of GPIO `gpio`'s pad. */
  functionOf(gpio: number): number {
    const pad = this.padOf(gpio);
    return ((pad >>> PERIPHS_IO_MUX_FUNC_LOW_SHIFT) & 3) | (pad & PERIPHS_IO_MUX_FUNC_HIGH ? 4 : 0);
  }

  isGpioFunction(gpio: number): boolean {
    return this.functionOf(gpio) === gpioFunctionOf(gpio);
  }

  /** Level the pad's own resistor pulls to: 1 (pull-up), 0 (pull-down), or null (none). */
  pullOf(gpio: number): 0 | 1 | null {
    const pad = this.padOf(gpio);
    if (pad & PERIPHS_IO_MUX_PULLUP) return 1;
    if (pad & PERIPHS_IO_MUX_PULLDOWN) return 0;
    return null;
  }
}
