/**
 * The ESP8266's internal analog I²C master (the bus behind the ROM's rom_i2c_readReg /
 * rom_i2c_writeReg, used for the PLL, the RF front end and the SAR ADC). Its command registers are
 * the first words of the 0x60000D00 block: one per host, at 0x60000D00 + 4·host.
 *
 * A command word is `block | reg << 8 | data << 16`, plus bit 24 for a write. Bit 25 is busy: the
 * ROM spins on it, and here every transfer finishes at once. A read returns the register's value
 * in bits [23:16]. Registers keep what was written, per (block, reg); nothing behind them is
 * modelled (no PLL lock, no RF), which is all the boot path needs (esp8266-hw.md §5.9).
 *
 *   const i2c = new AnalogI2c();   // used by SarAdc (adc.ts), which owns the 0x60000D00 block
 *   i2c.preset(block, reg, value)  // give a register a power-on value
 */

import type { SavedState, StateReader } from '../snapshot/state';

export const ANALOG_I2C_HOSTS = 8;
export const ANALOG_I2C_WRITE = 1 << 24;
export const ANALOG_I2C_BUSY = 1 << 25;
export const ANALOG_I2C_DATA_SHIFT = 16;
export const ANALOG_I2C_REG_SHIFT = 8;

/** Known slave blocks. */
export const I2C_BLOCK_PLL = 0x62;
/**
 * Block 0x62 (the RF PLL, host 1) register 7 bit 7: "PLL calibration done". libphy's pll_cal
 * polls it through rom_i2c_readReg_Mask(0x62, 1, 7, 7, 7) every 20 µs and prints
 * "error: pll_cal exceeds 2ms!!!" after 100 tries (SDK 2.0.0 AT firmware, observed). Our PLL
 * locks at once, so the bit always reads 1.
 */
export const I2C_PLL_CAL_STATUS_REG = 7;
export const I2C_PLL_CAL_DONE = 1 << 7;
/** The RF PLL's sigma-delta word (host 0): control register 0, the word in registers 3–5. */
export const I2C_BLOCK_RFPLL_SDM = 0x63;
export const I2C_BLOCK_BBPLL = 0x67;
export const I2C_BLOCK_SAR = 0x6c;

export class AnalogI2c {
  /** Register values, indexed by block << 8 | reg. */
  private readonly registers = new Uint8Array(0x10000);
  private readonly presets = new Uint8Array(0x10000);
  /** Last command word per host, with the read data filled in. */
  private readonly hostWords = new Uint32Array(ANALOG_I2C_HOSTS);
  /** Every register write, for the blocks behind the bus that act on them (rf-pll.ts). */
  onWrite: ((block: number, reg: number, value: number) => void) | null = null;

  preset(block: number, reg: number, value: number): void {
    const key = ((block & 0xff) << 8) | (reg & 0xff);
    this.presets[key] = value;
    this.registers[key] = value;
  }

  /** Value of a register (for tests and the debugger). */
  register(block: number, reg: number): number {
    return this.registers[((block & 0xff) << 8) | (reg & 0xff)];
  }

  readHost(host: number): number {
    return this.hostWords[host];
  }

  writeHost(host: number, value: number): void {
    const block = value & 0xff;
    const reg = (value >>> ANALOG_I2C_REG_SHIFT) & 0xff;
    const key = (block << 8) | reg;
    if (value & ANALOG_I2C_WRITE) {
      this.registers[key] = (value >>> ANALOG_I2C_DATA_SHIFT) & 0xff;
      this.hostWords[host] = (value & ~ANALOG_I2C_BUSY) >>> 0;
      this.onWrite?.(block, reg, this.registers[key]);
    } else {
      let data = this.registers[key];
      if (block === I2C_BLOCK_PLL && reg === I2C_PLL_CAL_STATUS_REG) data |= I2C_PLL_CAL_DONE;
      this.hostWords[host] =
        (block | (reg << ANALOG_I2C_REG_SHIFT) | (data << ANALOG_I2C_DATA_SHIFT)) >>> 0;
    }
  }

  reset(): void {
    this.registers.set(this.presets);
    this.hostWords.fill(0);
  }

  saveState(): SavedState {
    return {
      registers: this.registers.slice(),
      presets: this.presets.slice(),
      hostWords: this.hostWords.slice(),
    };
  }

  restoreState(s: StateReader): void {
    s.array('registers', this.registers);
    s.array('presets', this.presets);
    s.array('hostWords', this.hostWords);
  }
}
