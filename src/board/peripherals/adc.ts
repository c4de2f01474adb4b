/**
 * The 0x60000D00 block: the analog I²C hosts (analog-i2c.ts), the SAR ADC behind A0 / TOUT, and
 * the PHY calibration status bits the SDK polls.
 *
 *   const sar = new SarAdc();
 *   sar.a0 = 512;                 // the host sets A0: 0..1023 ↔ 0..1.0 V
 *   sar.i2c                       // the analog I²C registers
 *
 * system_adc_read (libphy test_tout, esp8266-hw.md §5.9): set 0x5C bit 21, wait for
 * 0x50[26:24] = 0, pulse 0x50 bit 1, wait again, read eight samples at 0x80..0x9C. Each sample is
 * bit-inverted and the low 11 bits are used; the result is (sum + 8) >> 4. So a reading of N needs
 * samples whose raw value is 2N: the words hold ~(2N) & 0x7FF. The SDK's small linear correction of
 * the low byte is not reproduced, so readings may differ from a real chip by a few counts.
 * Poll-loop bits (esp8266-hw.md §9): 0x4C bit 24 reads 1 (ram_cal_tos_v60); 0x50[26:24] reads 0.
 * Other words are plain storage.
 */

import { AnalogI2c, ANALOG_I2C_HOSTS } from './analog-i2c';
import { Peripheral } from './peripheral';
import type { SavedState, StateReader } from '../snapshot/state';

export const SAR_CAL_STATUS = 0x4c;
export const SAR_CTRL = 0x50;
export const SAR_CFG = 0x5c;
export const SAR_DATA0 = 0x80; // eight sample words, 0x80..0x9C

export const SAR_CAL_DONE = 1 << 24;
export const SAR_BUSY_MASK = 7 << 24; // SAR_CTRL [26:24]: 0 when idle
export const SAR_START = 1 << 1;
export const SAR_ENABLE = 1 << 21;
export const SAR_SAMPLES = 8;

export const ADC_MAX = 1023;

export class SarAdc extends Peripheral {
  readonly i2c = new AnalogI2c();
  private readonly words = new Uint32Array(64);
  private level = 0;

  constructor() {
    super('SAR');
  }

  /** A0 as the ADC reads it, 0..1023 (≈ 0..1.0 V). */
  get a0(): number {
    return this.level;
  }
  set a0(value: number) {
    this.level = Math.max(0, Math.min(ADC_MAX, Math.round(value)));
  }

  /** Set A0 from a voltage (0..1.0 V full scale). */
  setA0Volts(volts: number): void {
    this.a0 = volts * ADC_MAX;
  }

  read(offset: number): number {
    if (offset < 4 * ANALOG_I2C_HOSTS) return this.i2c.readHost(offset >>> 2);
    if (offset >= SAR_DATA0 && offset < SAR_DATA0 + 4 * SAR_SAMPLES)
      return ~(2 * this.level) & 0x7ff;
    switch (offset) {
      case SAR_CAL_STATUS:
        return (this.words[offset >>> 2] | SAR_CAL_DONE) >>> 0;
      case SAR_CTRL:
        return (this.words[offset >>> 2] & ~SAR_BUSY_MASK) >>> 0;
      default:
        return this.words[(offset >>> 2) & 63];
    }
  }

  write(offset: number, value: number): void {
    if (offset < 4 * ANALOG_I2C_HOSTS) {
      this.i2c.writeHost(offset >>> 2, value >>> 0);
      return;
    }
    this.words[(offset >>> 2) & 63] = value >>> 0;
  }

  override reset(): void {
    this.words.fill(0);
    this.i2c.reset();
  }

  /** Registers, the analog I²C registers and A0 (the host's input, which the board keeps). */
  override saveState(): SavedState {
    return { words: this.words.slice(), a0: this.level, i2c: this.i2c.saveState() };
  }

  override restoreState(s: StateReader): void {
    s.array('words', this.words);
    this.a0 = s.number('a0');
    this.i2c.restoreState(s.child('i2c'));
  }
}
